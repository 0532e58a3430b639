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
