"""Strong identifiers: BSN, KvK number, IBAN, postcode, kenteken.

Each ``check_*`` returns ``(normalised, problems)``. An empty input gives ``("", [])`` (nothing
to compare); an invalid one gives ``("", [Problem])``: flagged with the reason and never used to
link. Check digits come from python-stdnum where it has the number (BSN, IBAN, postcode); the KvK
number has had no check digit since 2016 and stdnum has no module for it, nor for the kenteken,
whose sidecodes (the letter/digit patterns the RDW issued over the years) are checked here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from .records import Problem

_SEPARATORS = re.compile(r"[\s.\-]+")


def _problem(field: str, code: str, message: str) -> tuple[str, list[Problem]]:
    return "", [Problem(field, code, message)]


def check_bsn(value: str, field: str = "bsn") -> tuple[str, list[Problem]]:
    """'1112.22.333' -> '111222333'; the eleven-test decides."""
    value = _SEPARATORS.sub("", value or "")
    if not value:
        return "", []
    if not re.fullmatch(r"\d{8,9}", value):  # an old BSN may have lost its leading zero
        return _problem(field, "bsn.format", "Een BSN bestaat uit negen cijfers.")
    try:
        return stdnum_bsn.validate(value), []
    except InvalidChecksum:
        return _problem(field, "bsn.checksum", "Het BSN voldoet niet aan de elfproef.")
    except (InvalidLength, ValidationError):
        return _problem(field, "bsn.format", "Een BSN bestaat uit negen cijfers.")


def check_kvk(value: str, field: str = "kvk") -> tuple[str, list[Problem]]:
    """Eight digits (the KvK number has no check digit since 2016); all zeros is refused."""
    value = _SEPARATORS.sub("", value or "")
    if not value:
        return "", []
    if not re.fullmatch(r"\d{8}", value) or value == "00000000":
        return _problem(field, "kvk.format", "Een KvK-nummer bestaat uit acht cijfers.")
    return value, []


def check_iban(value: str, field: str = "iban") -> tuple[str, list[Problem]]:
    value = (value or "").strip()
    if not value:
        return "", []
    try:
        return stdnum_iban.validate(value), []
    except InvalidChecksum:
        return _problem(field, "iban.checksum", "Het controlegetal van de IBAN klopt niet.")
    except ValidationError:
        return _problem(field, "iban.format", "Dit is geen geldige IBAN.")


def check_postcode(value: str, field: str = "postcode") -> tuple[str, list[Problem]]:
    value, problems = _check_postcode(value, field)
    return value, list(problems)


@lru_cache(maxsize=65536)
def _check_postcode(value: str, field: str) -> tuple[str, tuple[Problem, ...]]:
    """'1234 ab' -> '1234AB'. A foreign (non-Dutch) postcode is kept as digits/letters, unflagged,
    when ``value`` is not Dutch-looking at all (Febrl's four-digit Australian postcodes)."""
    value = (value or "").strip()
    if not value:
        return "", ()
    if re.fullmatch(r"\d{4}\s*[A-Za-z]{2}", value):
        try:
            return stdnum_postcode.validate(value).replace(" ", ""), ()
        except ValidationError:
            return "", (Problem(field, "postcode.invalid", "Deze postcode bestaat niet (SA, SD, SS of een nul vooraan)."),)
    if re.fullmatch(r"[0-9A-Za-z]{3,10}", value.replace(" ", "")):
        return value.replace(" ", "").upper(), ()
    return "", (Problem(field, "postcode.format", "Dit is geen postcode."),)


# The RDW's sidecodes 1-14 (X letter, 9 digit); sidecode 1 (XX-99-99) to 14 (9-XXX-99).
_SIDECODES = [
    r"[A-Z]{2}\d{2}\d{2}", r"\d{2}\d{2}[A-Z]{2}", r"\d{2}[A-Z]{2}\d{2}", r"[A-Z]{2}\d{2}[A-Z]{2}",
    r"[A-Z]{2}[A-Z]{2}\d{2}", r"\d{2}[A-Z]{2}[A-Z]{2}", r"\d{2}[A-Z]{3}\d", r"\d[A-Z]{3}\d{2}",
    r"[A-Z]{2}\d{3}[A-Z]", r"[A-Z]\d{3}[A-Z]{2}", r"[A-Z]{3}\d{2}[A-Z]", r"[A-Z]\d{2}[A-Z]{3}",
    r"\d[A-Z]{2}\d{3}", r"\d{3}[A-Z]{2}\d",
]
_KENTEKEN = re.compile("|".join(f"(?:{code})" for code in _SIDECODES))


def check_kenteken(value: str, field: str = "kenteken") -> tuple[str, list[Problem]]:
    """'12-abc-3' -> '12ABC3' when it fits one of the sidecodes; vowels and C, Q are not issued
    on newer plates, which this check leaves to the RDW."""
    value = _SEPARATORS.sub("", value or "").upper()
    if not value:
        return "", []
    if len(value) != 6 or not _KENTEKEN.fullmatch(value):
        return _problem(field, "kenteken.format", "Dit kenteken past in geen enkele sidecode.")
    return value, []
