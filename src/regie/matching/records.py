"""The records the matching engine compares: plain dataclasses, no database.

A record holds what a source delivered, unvalidated. :mod:`regie.matching.prepare` turns it into
a normalised form once (names split and folded, identifiers checked, dates parsed, addresses
parsed) and lists the *problems* it found: a problem is a reason to flag the record, and whatever
it concerns (an invalid BSN, an impossible date) is never used to link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Problem:
    """Why (part of) a record is flagged. ``code`` is stable (``bsn.checksum``); ``message`` is Dutch."""

    field: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass
class AddressRecord:
    """A Dutch address in parts, or as one line in ``text`` ("Kerkstraat 12-a, 1234 AB Utrecht").

    ``house_number`` may carry its letter and addition ("12A", "12-a", "12 A", "12 bis")."""

    street: str = ""
    house_number: str = ""
    postcode: str = ""
    city: str = ""
    text: str = ""
    extra: str = ""  # a second address line (building, estate), compared loosely


@dataclass
class PersonRecord:
    """A natural person. Either ``name`` (free text, any order, "Berg, J. van der" too) or
    ``given_names`` + ``surname`` (the surname may carry its particles: "van der Berg")."""

    name: str = ""
    given_names: str = ""
    surname: str = ""
    birth_date: date | str | None = None  # a date, or text: 1980-05-12, 12-05-1980, 19800512
    bsn: str = ""
    other_id: str = ""  # an identifier without a check digit (a file number): compared as is
    address: AddressRecord | None = None
    id: str = ""


@dataclass
class CompanyRecord:
    """A company or organisation: trade name (the legal form may be part of it), KvK number."""

    name: str = ""
    kvk: str = ""
    legal_form: str = ""
    iban: str = ""
    address: AddressRecord | None = None
    id: str = ""


Record = PersonRecord | CompanyRecord | AddressRecord


@dataclass
class Prepared:
    """A record after normalisation: the comparable values plus the problems found."""

    kind: str  # "person", "company", "address"
    source: object
    values: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, key, default=None):
        return self.values.get(key, default)
