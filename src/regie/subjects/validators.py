"""Dutch identifiers, validated with python-stdnum; error messages in Dutch."""

import re

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_errors
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode


def normalise_postcode(value: str) -> str:
    try:
        return stdnum_postcode.validate(value).replace(" ", "")
    except stdnum_errors.ValidationError as exc:
        raise ValidationError("Geen geldige postcode (vier cijfers en twee letters, bijvoorbeeld 1234 AB).") from exc


def validate_postcode(value: str) -> None:
    normalise_postcode(value)


def validate_bsn(value: str) -> None:
    if not value:
        return
    try:
        stdnum_bsn.validate(value)
    except stdnum_errors.ValidationError as exc:
        raise ValidationError("Geen geldig burgerservicenummer (negen cijfers die de elfproef doorstaan).") from exc


def validate_kvk(value: str) -> None:
    if value and not re.fullmatch(r"\d{8}", value):
        raise ValidationError("Een KvK-nummer bestaat uit acht cijfers.")


# --- identifiers added with the FollowTheMoney alignment ----------------------------------------

#: Dutch licence plates: the sidecodes of the RDW (1-14), as letter (L) / digit (D) patterns,
#: with where the dashes go. python-stdnum has no Dutch plate module.
SIDECODES = [
    ("LLDDDD", (2, 4)), ("DDDDLL", (2, 4)), ("DDLLDD", (2, 4)), ("LLDDLL", (2, 4)), ("LLLLDD", (2, 4)),
    ("DDLLLL", (2, 4)), ("DDLLLD", (2, 5)), ("DLLLDD", (1, 4)), ("LLDDDL", (2, 5)), ("LDDDLL", (1, 4)),
    ("LLLDDL", (3, 5)), ("LDDLLL", (1, 3)), ("DLLDDD", (1, 3)), ("DDDLLD", (3, 5)),
]


def _plate_pattern(plate: str) -> str:
    return "".join("D" if c.isdigit() else "L" for c in plate)


def normalise_kenteken(value: str) -> str:
    """'12-abc-3' -> '12ABC3' (no dashes or spaces, upper case); Dutch error if no sidecode fits."""
    plate = re.sub(r"[\s-]", "", value or "").upper()
    if not re.fullmatch(r"[A-Z0-9]{6}", plate) or _plate_pattern(plate) not in {p for p, _ in SIDECODES}:
        raise ValidationError("Geen geldig Nederlands kenteken (zes letters en cijfers volgens een RDW-sidecode, bijvoorbeeld 12-ABC-3).")
    return plate


def validate_kenteken(value: str) -> None:
    normalise_kenteken(value)


def format_kenteken(plate: str) -> str:
    """'12ABC3' -> '12-ABC-3' after its sidecode."""
    for pattern, (first, second) in SIDECODES:
        if _plate_pattern(plate) == pattern:
            return f"{plate[:first]}-{plate[first:second]}-{plate[second:]}"
    return plate


def normalise_iban(value: str) -> str:
    from stdnum import iban

    try:
        return iban.validate(value or "")
    except stdnum_errors.ValidationError as exc:
        raise ValidationError("Geen geldig IBAN (controlegetal of lengte klopt niet).") from exc


def validate_iban(value: str) -> None:
    normalise_iban(value)


def validate_rsin(value: str) -> None:
    if not value:
        return
    try:
        stdnum_bsn.validate(value)  # the RSIN passes the same elfproef as the BSN
    except stdnum_errors.ValidationError as exc:
        raise ValidationError("Geen geldig RSIN (negen cijfers die de elfproef doorstaan).") from exc


def validate_vestigingsnummer(value: str) -> None:
    if value and not re.fullmatch(r"\d{12}", value):
        raise ValidationError("Een vestigingsnummer bestaat uit twaalf cijfers.")


def validate_sbi(value: str) -> None:
    if value and not re.fullmatch(r"\d{2,5}", value):
        raise ValidationError("Een SBI-code bestaat uit twee tot vijf cijfers.")


def validate_bag_id(value: str) -> None:
    if value and not re.fullmatch(r"\d{16}", value):
        raise ValidationError("Een BAG-identificatie bestaat uit zestien cijfers.")
