"""What other apps may ask of the areas room."""

from .models import Buurt, Wijk


def summary(access) -> dict:
    """Number of wijken and buurten the caller may see (no personal data)."""
    return {
        "wijken": Wijk.objects.visible_to(access).count(),
        "buurten": Buurt.objects.visible_to(access).count(),
    }


def buurt_for_postcode(owner_id: int, postcode: str):
    """The buurt whose postcode areas contain ``postcode``'s four digits, if any."""
    digits = postcode[:4]
    for buurt in Buurt.objects.filter(owner_id=owner_id, postcode_areas__contains=digits):
        if digits in buurt.postcode_areas.split(","):
            return buurt
    return None
