"""What other apps may ask of the areas room."""

from regie.accounts.roles import AREAS
from regie.organisations.access import Access

from .models import Buurt, Wijk


def _geography_of(owner_id: int) -> Access:
    """Read one municipality's public geography, whoever asks (a partner, the public form, an import)."""
    return Access(
        user_id=None, username="", organisation_id=owner_id, organisation_name="", role="organisation",
        clearance=1, categories=frozenset({AREAS}),
    )


def summary(access) -> dict:
    """Number of wijken and buurten the caller may see (no personal data)."""
    return {
        "wijken": Wijk.objects.visible_to(access).count(),
        "buurten": Buurt.objects.visible_to(access).count(),
    }


def buurt_for_postcode(owner_id: int, postcode: str):
    """The buurt whose postcode areas contain ``postcode``'s four digits, if any."""
    digits = postcode[:4]
    rows = Buurt.objects.visible_to(_geography_of(owner_id)).filter(postcode_areas__contains=digits)
    for buurt in rows:
        if digits in buurt.postcode_areas.split(","):
            return buurt
    return None


def buurt_for_address(owner_id: int, postcode: str, latitude=None, longitude=None):
    """The buurt of an address: the one whose imported boundary contains its coordinates when it
    has them (``areas.geo``), otherwise the postcode-area rule."""
    from .geo import buurt_for_point

    if latitude is not None and longitude is not None:
        found = buurt_for_point(owner_id, latitude, longitude)
        if found is not None:
            return found
    return buurt_for_postcode(owner_id, postcode or "")
