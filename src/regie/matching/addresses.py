"""Dutch addresses: house number with letter and addition ("12A", "12-a", "12 A", "12 bis",
"12-II"), street names (diacritics, "str." for "straat", "Burg." for "Burgemeester"), postcode.

``parse_address(AddressRecord(text="Kerkstraat 12-a, 1234 AB Utrecht"))`` and
``parse_address(AddressRecord(street="Kerkstraat", house_number="12A", postcode="1234ab"))`` give
the same :class:`ParsedAddress`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .identifiers import check_postcode
from .names import fold, to_ascii
from .records import AddressRecord, Problem

_STREET_ABBREVIATIONS = [
    (re.compile(pattern), full) for pattern, full in (
        (r"\bstr\b", "straat"), (r"\bln\b", "laan"), (r"\bpl\b", "plein"), (r"\bburg\b", "burgemeester"),
        (r"\bdr\b", "dokter"), (r"\bprof\b", "professor"), (r"\bst\b", "sint"), (r"\bwg\b", "weg"),
        (r"\bgr\b", "gracht"), (r"\bkd\b", "kade"),
    )
]
_NUMBER = re.compile(r"^(\d{1,5})\s*[-/]?\s*([a-z](?![a-z]))?(?:\s*[-/]?\s*([a-z0-9]{1,4}))?$")
_POSTCODE = re.compile(r"\b(\d{4})\s?([a-z]{2})\b")


@dataclass(frozen=True)
class ParsedAddress:
    street: str = ""  # ASCII, folded, abbreviations expanded, no spaces inside ("kerkstraat")
    number: int | None = None
    letter: str = ""
    addition: str = ""
    postcode: str = ""
    city: str = ""
    extra: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.street or self.number or self.postcode)


@lru_cache(maxsize=65536)
def normalise_street(street: str) -> str:
    """'Burg. de Withstr.' -> 'burgemeesterdewithstraat' (spaces out: 'Kerk straat' = 'Kerkstraat')."""
    text = re.sub(r"[^a-z0-9 ]+", " ", to_ascii(street).replace(".", " "))
    for pattern, full in _STREET_ABBREVIATIONS:
        text = pattern.sub(full, text)
    text = re.sub(r"(\w)str\b", r"\1straat", text)  # 'kerkstr' -> 'kerkstraat'
    return fold(text.replace(" ", ""))


@lru_cache(maxsize=16384)
def split_house_number(text: str) -> tuple[int | None, str, str] | None:
    """'12-a' / '12A' / '12 a' -> (12, 'a', ''); '12-II' -> (12, '', 'ii'); '12 bis' -> (12, '', 'bis');
    '12a-3' -> (12, 'a', '3'). None when it is no house number."""
    text = to_ascii(text).strip().rstrip(".")
    if not text:
        return (None, "", "")
    match = _NUMBER.match(text)
    if not match:
        return None
    number, letter, addition = match.groups()
    return int(number), letter or "", addition or ""


def parse_address(record: AddressRecord, field: str = "address") -> tuple[ParsedAddress, list[Problem]]:
    problems: list[Problem] = []
    street, number_text, postcode, city = record.street, record.house_number, record.postcode, record.city
    if record.text and not (street or number_text or postcode):
        street, number_text, postcode, city = _split_text(record.text)
    postcode_value, postcode_problems = check_postcode(postcode, f"{field}.postcode")
    problems += postcode_problems
    number = split_house_number(number_text or "")
    if number is None:
        problems.append(Problem(f"{field}.house_number", "house_number.format", "Dit is geen huisnummer."))
        number = (None, "", "")
    parsed = ParsedAddress(
        street=normalise_street(street), number=number[0], letter=number[1], addition=number[2],
        postcode=postcode_value, city=_squash(city), extra=_squash(record.extra),
    )
    return parsed, problems


@lru_cache(maxsize=65536)
def _squash(text: str) -> str:
    return fold(re.sub(r"[^a-z0-9]", "", to_ascii(text)))


def _split_text(text: str) -> tuple[str, str, str, str]:
    """'Kerkstraat 12-a, 1234 AB Utrecht' -> ('kerkstraat', '12-a', '1234ab', 'utrecht')."""
    lowered = to_ascii(text)
    postcode, city = "", ""
    match = _POSTCODE.search(lowered)
    if match:
        postcode = match.group(1) + match.group(2)
        city = lowered[match.end():].strip(" ,")
        lowered = (lowered[:match.start()] + " " + lowered[match.end():]).strip() if not city else lowered[:match.start()]
    lowered = lowered.strip(" ,")
    if "," in lowered and not city:
        lowered, _, city = lowered.partition(",")
    # the street runs until the first number; what follows (up to a comma) is the house number
    number_match = re.search(r"\s(\d{1,5}(?:\s*[-/]?\s*[a-z0-9]{1,4}){0,2})\s*(?:,|$)", " " + lowered)
    if number_match:
        street = (" " + lowered)[:number_match.start()].strip()
        number = number_match.group(1)
        rest = (" " + lowered)[number_match.end():].strip(" ,")
        city = city or rest
    else:
        street, number = lowered, ""
    return street, number, postcode, city.strip()
