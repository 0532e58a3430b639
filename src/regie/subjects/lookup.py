"""Find or register subjects by exact identifier or normalised name (no fuzzy matching yet).

Callers pass the access they act under; every query goes through the scoped manager, so a
look-up never finds another organisation's rows. Fuzzy matching arrives with the matching issue.

Two ways in. The ``find_or_create_*`` functions handle one subject. :class:`Batch` handles the
subjects of many signals at once with a few queries: the caller asks for every subject in the
order a one-by-one registration would meet them, :meth:`Batch.resolve` reads the registry once
per kind and decides, in that order, which request finds an existing row and which registers a
new one (a later request finds a row an earlier one registers, as it would one by one), and
:meth:`Batch.save` writes the new rows. Nothing is written before every new row has been
validated, so a caller can refuse a whole batch without a partial write.

A person with a BSN is unique per owner (a constraint in the database). When two transactions
register the same new BSN at the same time, the database lets one insert it; :meth:`Batch.save`
of the other skips the row and links the person the first one registered.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.db.models.functions import Lower

from regie.areas.services import buurt_for_postcode
from regie.matching.names import PARTICLE_ABBREVIATIONS
from regie.organisations.access import Access

from .models import Address, Company, Person
from .validators import normalise_postcode

PARTICLES = ("van der", "van den", "van de", "van 't", "in 't", "van", "de", "den", "der", "te", "ter", "'t")


def normalise_name(name: str) -> str:
    """'  Jan  VAN der Bérg ' -> 'jan van der berg'; punctuation other than apostrophes dropped."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _expand_particles(full_name: str) -> str:
    """'J. vd Berg' -> 'J. van der Berg': written abbreviations of a particle group (the matching
    library's list) between the given names and the surname."""
    words = full_name.split()
    out = []
    for i, word in enumerate(words):
        group = PARTICLE_ABBREVIATIONS.get(word.lower().replace(".", "").replace("/", ""))
        if group and 0 < i < len(words) - 1 and " ".join(group) in PARTICLES:
            out.extend(group)
        else:
            out.append(word)
    return " ".join(out)


def split_name(full_name: str) -> tuple[str, str, str]:
    """'Jan van der Berg' -> ('Jan', 'van der', 'Berg'); the last word(s) are the surname."""
    full_name = _expand_particles(full_name)
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


@dataclass(eq=False)
class Request:
    """One subject a caller asks for; ``found`` is filled in by :meth:`Batch.resolve`."""

    key: Hashable  # the caller's item (for errors per item)
    kind: str  # "adres", "persoon", "bedrijf"
    values: dict
    found: Found | None = None

    @property
    def obj(self):
        return self.found.obj

    @property
    def method(self) -> str:
        return self.found.method


class Batch:
    """The subjects of many signals for one organisation, looked up and registered together."""

    def __init__(self, access: Access):
        if access.organisation_id is None:
            raise ValueError("a batch registers for one organisation")
        self.access = access
        self.requests: list[Request] = []
        self._buurten: dict[str, object] = {}
        self._new: dict[str, list] = {"adres": [], "persoon": [], "bedrijf": []}
        self._saved: set[str] = set()

    # -- asking ---------------------------------------------------------------------------------

    def address(self, key: Hashable, *, street: str = "", house_number: int, house_letter: str = "",
                addition: str = "", postcode: str, city: str = "") -> Request:
        values = {
            "street": street, "house_number": house_number, "house_letter": house_letter.upper(),
            "addition": addition.upper(), "postcode": normalise_postcode(postcode), "city": city,
        }
        return self._ask(key, "adres", values)

    def person(self, key: Hashable, *, name: str = "", bsn: str = "", birth_date: date | None = None) -> Request:
        return self._ask(key, "persoon", {"name": name, "bsn": bsn, "birth_date": birth_date})

    def company(self, key: Hashable, *, name: str = "", kvk_number: str = "") -> Request:
        return self._ask(key, "bedrijf", {"name": name, "kvk_number": kvk_number})

    def _ask(self, key, kind, values) -> Request:
        request = Request(key, kind, values)
        self.requests.append(request)
        return request

    def buurt_for(self, postcode: str):
        """The owner's buurt for a postcode, looked up once per four digits in this batch."""
        digits = postcode[:4]
        if digits not in self._buurten:
            self._buurten[digits] = buurt_for_postcode(self.access.organisation_id, postcode)
        return self._buurten[digits]

    # -- deciding -------------------------------------------------------------------------------

    def resolve(self) -> dict[Hashable, list[ValidationError]]:
        """Decide every request (existing row or a new one); validate the new rows, write nothing.

        Returns the validation errors of new rows per key (empty: all valid)."""
        errors: dict[Hashable, list[ValidationError]] = {}
        self._resolve_addresses()
        self._resolve_persons()
        self._resolve_companies()
        for kind, rows in self._new.items():
            exclude = ["owner", "buurt"] if kind == "adres" else ["owner"]  # just loaded or looked up
            for obj, key in rows:
                try:
                    # the fields only: whether the row is new was decided above, and a person's
                    # BSN is settled by the insert that skips a concurrent one (save)
                    obj.clean_fields(exclude=exclude)
                except ValidationError as exc:
                    errors.setdefault(key, []).append(exc)
        return errors

    def _of(self, kind: str) -> list[Request]:
        return [r for r in self.requests if r.kind == kind]

    def _visible(self, model):
        return model.objects.visible_to(self.access)

    def _register(self, kind: str, request: Request, obj) -> None:
        self._new[kind].append((obj, request.key))
        request.found = Found(obj, "nieuw")

    def _resolve_addresses(self) -> None:
        requests = self._of("adres")
        self._new["adres"] = []
        if not requests:
            return
        pairs = {(r.values["postcode"], r.values["house_number"]) for r in requests}
        condition = reduce(or_, (Q(postcode=p, house_number=n) for p, n in sorted(pairs)))
        known: dict[tuple, Address] = {}
        for row in sorted(self._visible(Address).filter(condition), key=_address_order):
            known.setdefault((row.postcode, row.house_number, row.house_letter.upper(), row.addition.upper()), row)
        for request in requests:
            v = request.values
            match_key = (v["postcode"], v["house_number"], v["house_letter"], v["addition"])
            if match_key in known:
                request.found = Found(known[match_key], "adres")
                continue
            address = Address(
                owner_id=self.access.organisation_id, street=v["street"] or "onbekend", house_number=v["house_number"],
                house_letter=v["house_letter"], addition=v["addition"], postcode=v["postcode"],
                city=v["city"] or "onbekend", buurt=self.buurt_for(v["postcode"]),
            )
            self._register("adres", request, address)
            known[match_key] = address  # a later request finds it, as it would one by one

    def _resolve_persons(self) -> None:
        requests = self._of("persoon")
        self._new["persoon"] = []
        if not requests:
            return
        persons = self._visible(Person)
        bsns = {r.values["bsn"] for r in requests if r.values["bsn"]}
        by_bsn: dict[str, Person] = {}
        if bsns:
            for row in sorted(persons.filter(bsn__in=bsns), key=_person_order):
                by_bsn.setdefault(row.bsn, row)
        # names only of those their BSN does not find
        surnames = {
            split_name(r.values["name"])[2].lower() for r in requests
            if r.values["name"].strip() and r.values["bsn"] not in by_bsn
        }
        by_surname: dict[str, list[Person]] = {}
        if surnames:
            rows = persons.annotate(_surname=Lower("surname")).filter(_surname__in=surnames)
            for row in sorted(rows, key=_person_order):
                by_surname.setdefault(row.surname.lower(), []).append(row)
        for request in requests:
            name, bsn, birth_date = request.values["name"], request.values["bsn"], request.values["birth_date"]
            if bsn and bsn in by_bsn:
                request.found = Found(by_bsn[bsn], "bsn")
                continue
            first, prefix, surname = split_name(name)
            match = None
            if surname:
                wanted = normalise_name(name)
                for candidate in by_surname.get(surname.lower(), []):
                    if birth_date and candidate.birth_date != birth_date:
                        continue
                    if bsn and candidate.bsn:
                        continue  # another BSN is another person (this one was not found by its BSN)
                    if normalise_name(candidate.full_name) == wanted:
                        match = candidate
                        break
            if match is not None:
                request.found = Found(match, "naam")
                continue
            person = Person(
                owner_id=self.access.organisation_id, first_names=first, surname_prefix=prefix,
                surname=surname or "onbekend", birth_date=birth_date, bsn=bsn,
            )
            self._register("persoon", request, person)
            if bsn:
                by_bsn[bsn] = person
            by_surname.setdefault(person.surname.lower(), []).append(person)

    def _resolve_companies(self) -> None:
        requests = self._of("bedrijf")
        self._new["bedrijf"] = []
        if not requests:
            return
        companies = self._visible(Company)
        numbers = {r.values["kvk_number"] for r in requests if r.values["kvk_number"]}
        by_kvk: dict[str, Company] = {}
        if numbers:
            for row in sorted(companies.filter(kvk_number__in=numbers), key=_company_order):
                by_kvk.setdefault(row.kvk_number, row)
        names = {  # names only of those their KvK number does not find
            r.values["name"].strip().lower() for r in requests
            if r.values["name"].strip() and r.values["kvk_number"] not in by_kvk
        }
        by_name: dict[str, list[Company]] = {}
        if names:
            rows = companies.annotate(_name=Lower("name")).filter(_name__in=names)
            for row in sorted(rows, key=_company_order):
                by_name.setdefault(row.name.lower(), []).append(row)
        for request in requests:
            name, kvk_number = request.values["name"], request.values["kvk_number"]
            if kvk_number and kvk_number in by_kvk:
                request.found = Found(by_kvk[kvk_number], "kvk")
                continue
            if name.strip():
                wanted = normalise_name(name)
                match = next((c for c in by_name.get(name.strip().lower(), []) if normalise_name(c.name) == wanted), None)
                if match is not None:
                    request.found = Found(match, "naam")
                    continue
            company = Company(
                owner_id=self.access.organisation_id, name=name.strip() or "onbekend",
                legal_form=legal_form_from_name(name), kvk_number=kvk_number,
            )
            self._register("bedrijf", request, company)
            if kvk_number:
                by_kvk[kvk_number] = company
            by_name.setdefault(company.name.lower(), []).append(company)

    # -- writing --------------------------------------------------------------------------------

    def save(self, kinds: tuple[str, ...] = ("adres", "bedrijf", "persoon")) -> None:
        """Write the new rows of ``kinds`` not written yet; call after :meth:`resolve` returned
        no errors. (A caller that needs the addresses first writes them first, and the persons as
        late as it can: see below.)

        A new person with a BSN may be registered by a concurrent transaction at the same time.
        Those persons are inserted in BSN order with conflicts skipped: the database waits for
        the other transaction, skips the row it committed, and the rows are then read back by
        BSN, so every request links the one person, whoever wrote it. (One order, so two such
        transactions cannot wait for each other; the wait lasts until the other commits, which
        is why persons are best written last.)"""
        for kind, model in (("adres", Address), ("bedrijf", Company)):
            rows = [obj for obj, _ in self._new[kind]]
            if kind in kinds and kind not in self._saved and rows:
                model.objects.bulk_create(rows)
            if kind in kinds:
                self._saved.add(kind)
        if "persoon" in kinds and "persoon" not in self._saved:
            self._saved.add("persoon")
            self._save_persons()

    def _save_persons(self) -> None:
        persons = [obj for obj, _ in self._new["persoon"]]
        unnumbered = [p for p in persons if not p.bsn]
        if unnumbered:
            Person.objects.bulk_create(unnumbered)
        numbered = sorted((p for p in persons if p.bsn), key=lambda p: p.bsn)
        if not numbered:
            return
        Person.objects.bulk_create(numbered, ignore_conflicts=True)
        stored = {
            row.bsn: row
            for row in self._visible(Person).filter(owner_id=self.access.organisation_id, bsn__in=[p.bsn for p in numbered])
        }
        if len(stored) != len(numbered):  # a person with this BSN exists that this access may not see
            raise IntegrityError("a person with this BSN exists out of sight")
        planned = {id(p): stored[p.bsn] for p in numbered}
        for request in self._of("persoon"):
            request.found.obj = planned.get(id(request.found.obj), request.found.obj)


def _address_order(row: Address):
    return (row.street, row.house_number, row.house_letter, row.addition, row.pk)


def _person_order(row: Person):
    return (row.surname, row.first_names, row.pk)


def _company_order(row: Company):
    return (row.name, row.pk)


def _one(access: Access, ask) -> Found:
    batch = Batch(access)
    request = ask(batch)
    errors = batch.resolve()
    if errors:
        raise errors[request.key][0]
    batch.save()
    return request.found


def find_or_create_address(access: Access, *, street: str = "", house_number: int, house_letter: str = "",
                           addition: str = "", postcode: str, city: str = "") -> Found:
    return _one(access, lambda b: b.address(0, street=street, house_number=house_number, house_letter=house_letter,
                                            addition=addition, postcode=postcode, city=city))


def find_or_create_person(access: Access, *, name: str = "", bsn: str = "", birth_date: date | None = None) -> Found:
    return _one(access, lambda b: b.person(0, name=name, bsn=bsn, birth_date=birth_date))


def find_or_create_company(access: Access, *, name: str = "", kvk_number: str = "") -> Found:
    return _one(access, lambda b: b.company(0, name=name, kvk_number=kvk_number))
