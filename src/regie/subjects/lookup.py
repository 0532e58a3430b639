"""Find or register subjects by exact identifier or normalised name (no fuzzy matching yet).

Callers pass the access they act under; every query goes through the scoped manager, so a
look-up never finds another organisation's rows. Fuzzy matching arrives with the matching issue.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from regie.areas.services import buurt_for_postcode
from regie.organisations.access import Access

from .models import Address, Company, Person
from .validators import normalise_postcode

PARTICLES = ("van der", "van den", "van de", "van 't", "in 't", "van", "de", "den", "der", "te", "ter", "'t")


def normalise_name(name: str) -> str:
    """'  Jan  VAN der Bérg ' -> 'jan van der berg'; punctuation other than apostrophes dropped."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def split_name(full_name: str) -> tuple[str, str, str]:
    """'Jan van der Berg' -> ('Jan', 'van der', 'Berg'); the last word(s) are the surname."""
    words = full_name.split()
    if len(words) <= 1:
        return "", "", full_name.strip()
    lowered = " ".join(words).lower()
    for particle in sorted(PARTICLES, key=len, reverse=True):
        marker = f" {particle} "
        index = lowered.find(marker)
        if index > 0:
            first = full_name.strip()[:index].strip()
            rest = full_name.strip()[index + len(marker):].strip()
            return first, particle, rest
    return " ".join(words[:-1]), "", words[-1]


_LEGAL_FORMS = [
    (r"\bb\.?\s?v\.?$", Company.LegalForm.BV),
    (r"\bn\.?\s?v\.?$", Company.LegalForm.NV),
    (r"\bv\.?\s?o\.?\s?f\.?$", Company.LegalForm.VOF),
    (r"^stichting\b", Company.LegalForm.STICHTING),
    (r"^vereniging\b", Company.LegalForm.VERENIGING),
]


def legal_form_from_name(name: str) -> str:
    """The legal form a trade name states ('Autohandel X B.V.'), else 'onbekend'."""
    lowered = name.strip().lower()
    for pattern, form in _LEGAL_FORMS:
        if re.search(pattern, lowered):
            return form
    return Company.LegalForm.ONBEKEND


@dataclass
class Found:
    obj: object
    method: str  # "bsn", "kvk", "adres", "naam", "nieuw"


def _visible(model, access: Access):
    return model.objects.visible_to(access)


def _clean_new(obj, access: Access, also: list[str] | None = None) -> None:
    """Validate a new row before it is saved.

    Its owner is the organisation the access was built from (a row just loaded), so the
    foreign-key existence check, one query per new subject, is left out; every other field is
    validated as always, and the database still enforces the foreign key.
    """
    known = (["owner"] if access.organisation_id is not None else []) + (also or [])
    obj.full_clean(exclude=known or None)


def find_or_create_address(access: Access, *, street: str = "", house_number: int, house_letter: str = "",
                           addition: str = "", postcode: str, city: str = "") -> Found:
    postcode = normalise_postcode(postcode)
    existing = _visible(Address, access).filter(
        postcode=postcode, house_number=house_number, house_letter__iexact=house_letter, addition__iexact=addition
    ).first()
    if existing:
        return Found(existing, "adres")
    address = Address(
        owner_id=access.organisation_id, street=street or "onbekend", house_number=house_number,
        house_letter=house_letter.upper(), addition=addition.upper(), postcode=postcode, city=city or "onbekend",
        buurt=buurt_for_postcode(access.organisation_id, postcode),
    )
    _clean_new(address, access, also=["buurt"])  # the buurt was just looked up
    address.save()
    return Found(address, "nieuw")


def find_or_create_person(access: Access, *, name: str = "", bsn: str = "", birth_date: date | None = None) -> Found:
    persons = _visible(Person, access)
    if bsn:
        existing = persons.filter(bsn=bsn).first()
        if existing:
            return Found(existing, "bsn")
    first, prefix, surname = split_name(name)
    if surname:
        wanted = normalise_name(name)
        candidates = persons.filter(surname__iexact=surname)
        if birth_date:
            candidates = candidates.filter(birth_date=birth_date)
        for candidate in candidates[:200]:
            if normalise_name(candidate.full_name) == wanted:
                return Found(candidate, "naam")
    person = Person(
        owner_id=access.organisation_id, first_names=first, surname_prefix=prefix, surname=surname or "onbekend",
        birth_date=birth_date, bsn=bsn,
    )
    _clean_new(person, access)
    person.save()
    return Found(person, "nieuw")


def find_or_create_company(access: Access, *, name: str = "", kvk_number: str = "") -> Found:
    companies = _visible(Company, access)
    if kvk_number:
        existing = companies.filter(kvk_number=kvk_number).first()
        if existing:
            return Found(existing, "kvk")
    if name:
        wanted = normalise_name(name)
        for candidate in companies.filter(name__iexact=name.strip())[:50]:
            if normalise_name(candidate.name) == wanted:
                return Found(candidate, "naam")
    company = Company(
        owner_id=access.organisation_id, name=name.strip() or "onbekend", legal_form=legal_form_from_name(name),
        kvk_number=kvk_number,
    )
    _clean_new(company, access)
    company.save()
    return Found(company, "nieuw")
