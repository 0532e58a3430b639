"""The sharing rules: which groups of fields of an item a partner may receive, and on what basis.

Other rooms (the meetings room for agendas and minutes) ask these functions before they show or
send anything to a partner organisation. ``access`` is always the access of the municipality
that keeps the registry (the owner of the profiles); the look-ups go through the scoped manager.

A *snapshot* is a dict keyed by field-group code (plus ``"titel"``, which is always kept).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.text import slugify

#: the groups of fields a partner may be given, with their Dutch label
FIELD_GROUPS: dict[str, str] = {
    "onderwerp": "Onderwerp, thema's en zwaarte",
    "locatie": "Adres en buurt",
    "personen": "Personen (naam, geboortedatum)",
    "bedrijven": "Bedrijven (naam, KvK-nummer)",
    "omschrijving": "Omschrijving van het signaal",
    "verrijking": "Wat weten we al (aantallen)",
    "besluiten": "Besluiten en acties",
}
#: kept in every filtered snapshot: the item's title says nothing beyond that it exists
ALWAYS_KEPT = "titel"


def validate_field_groups(value) -> None:
    """A list of known field-group codes, each once (the model field's validator)."""
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError("Geef de gegevenscategorieën als een lijst van codes.")
    unknown = [code for code in value if code not in FIELD_GROUPS]
    if unknown:
        raise ValidationError(
            "Onbekende gegevenscategorie: %(codes)s. Kies uit: %(known)s.",
            params={"codes": ", ".join(unknown), "known": ", ".join(FIELD_GROUPS)},
        )
    if len(set(value)) != len(value):
        raise ValidationError("Noem elke gegevenscategorie maar één keer.")


def validate_theme_codes(value) -> None:
    """A list of theme codes (slugs), each once; the catalogue check is in the model's clean()."""
    if not isinstance(value, list) or not all(isinstance(code, str) and code and slugify(code) == code for code in value):
        raise ValidationError("Geef de thema's als een lijst van themacodes.")
    if len(set(value)) != len(value):
        raise ValidationError("Noem elk thema maar één keer.")


def _org_id(partner_org) -> int | None:
    return getattr(partner_org, "pk", partner_org)


def _is_own(access, partner_org) -> bool:
    return access is not None and access.organisation_id is not None and _org_id(partner_org) == access.organisation_id


def profile_for(access, partner_org):
    """The active profile the municipality keeps for ``partner_org`` (an Organisation or its id), or None."""
    from .models import PartnerProfile

    return PartnerProfile.objects.visible_to(access).filter(partner_id=_org_id(partner_org), active=True).first()


def receivable_fields(access, partner_org) -> frozenset[str]:
    """The field groups ``partner_org`` may receive: empty without an active profile.

    The municipality itself is no partner of its own registry: it receives every group.
    """
    if _is_own(access, partner_org):
        return frozenset(FIELD_GROUPS)
    profile = profile_for(access, partner_org)
    if profile is None:
        return frozenset()
    return frozenset(code for code in profile.may_receive if code in FIELD_GROUPS)


def may_receive_item(access, partner_org, theme_codes: set[str]) -> bool:
    """Whether ``partner_org`` may receive an item with these themes at all.

    Needs an active profile; a profile limited to themes matches only an item with one of them.
    """
    if _is_own(access, partner_org):
        return True
    profile = profile_for(access, partner_org)
    if profile is None:
        return False
    return not profile.theme_codes or bool(set(profile.theme_codes) & set(theme_codes or ()))


def basis_for(access, partner_org) -> str:
    """The legal basis on which ``partner_org`` receives information ("" without an active profile)."""
    if _is_own(access, partner_org):
        return "Eigen gegevens van de gemeente"
    profile = profile_for(access, partner_org)
    return profile.legal_basis if profile is not None else ""


def filter_fields(snapshot: dict, fields: frozenset[str]) -> dict:
    """Only the allowed field groups of ``snapshot``; the title is always kept."""
    return {key: value for key, value in snapshot.items() if key == ALWAYS_KEPT or key in fields}


def labels(codes) -> list[str]:
    """Dutch labels of field-group codes, in the catalogue's order."""
    wanted = set(codes)
    return [label for code, label in FIELD_GROUPS.items() if code in wanted]
