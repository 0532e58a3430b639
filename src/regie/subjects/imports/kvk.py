"""KvK extract: companies (one per KvK-nummer + vestigingsnummer) and their functionarissen, who
become persons with a directorship relation to the company. One row per company-functionaris
pair; a company without functionarissen has one row with empty functionaris columns."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models.functions import Lower

from ..lookup import normalise_name, split_name
from ..models import Company, Person, Relation
from .csvfile import LineError, Row, model_errors, parse_date
from .store import ADDRESS_COLUMNS, Addresses, Provenance, chunks, update_all

SOURCE = "KvK-uittreksel"
COLUMNS = [
    "kvk_nummer", "vestigingsnummer", "naam", "rechtsvorm", "rsin", "handelsnamen", "sbi_code", *ADDRESS_COLUMNS,
    "functionaris_naam", "functionaris_geboortedatum", "functie", "functie_vanaf", "functie_tot",
]
REQUIRED = ["kvk_nummer", "naam", "rechtsvorm"]
COMPANY_FIELDS = ["name", "legal_form", "kvk_number", "vestigingsnummer", "rsin", "trade_names", "sbi_code"]
_FORMS = {
    "besloten vennootschap": "bv", "naamloze vennootschap": "nv", "vennootschap onder firma": "vof",
    "commanditaire vennootschap": "cv", "coöperatie": "cooperatie", "cooperatie": "cooperatie",
}
_FORMS.update({value: value for value in Company.LegalForm.values})
_FORMS.update({label.lower(): value for value, label in Company.LegalForm.choices})


def prepare(access, rows: list[Row], errors: list[LineError]):
    addresses = Addresses(access)
    addresses.load({r.get("postcode").replace(" ", "").upper() for r in rows if r.get("postcode")}, set())
    companies = _Companies(access, {r.get("kvk_nummer") for r in rows})
    persons = _Functionarissen(access, {split_name(r.get("functionaris_naam"))[2].lower() for r in rows if r.get("functionaris_naam")})
    planned = []
    for row in rows:
        found: list[LineError] = []
        company = companies.resolve(row, found, addresses)
        link = persons.resolve(row, found)
        if found:
            errors.extend(found)
            continue
        planned.append((row, company, link))
    return (addresses, companies, persons), planned


def write(access, planned, stores, provenance: Provenance) -> dict:
    addresses, companies, persons = stores
    addresses.save()
    Company.objects.bulk_create(companies.new, batch_size=1000)
    update_all(access, Company, list(companies.changed.values()), [*COMPANY_FIELDS, "address"])
    Person.objects.bulk_create(persons.new, batch_size=1000)
    relations = _directorships(access, planned)
    Relation.objects.bulk_create(relations, batch_size=1000)
    done = set()
    for row, company, link in planned:
        if id(company) not in done:
            done.add(id(company))
            provenance.add(row.line, company, [f for f in COMPANY_FIELDS if getattr(company, f)])
        if link is not None:
            provenance.add(row.line, link[0], ["name", "birth_date"])
    for relation, line in ((r, r._line) for r in relations):
        provenance.add(line, relation, ["kind", "role", "start_date", "end_date"])
    return {"bedrijven_nieuw": len(companies.new), "bedrijven_bijgewerkt": len(companies.changed),
            "personen_nieuw": len(persons.new), "relaties_nieuw": len(relations), "adressen_nieuw": len(addresses.new)}


class _Companies:
    def __init__(self, access, numbers: set[str]):
        self.access = access
        self.known: dict[tuple, Company] = {}
        self.first_line: dict[tuple, int] = {}
        self.new: list[Company] = []
        self.changed: dict[int, Company] = {}
        own = Company.objects.visible_to(access).filter(owner_id=access.organisation_id)
        for part in chunks(sorted(n for n in numbers if n)):
            for c in own.filter(kvk_number__in=part).order_by("pk"):
                self.known.setdefault((c.kvk_number, c.vestigingsnummer), c)

    def resolve(self, row: Row, found: list[LineError], addresses: Addresses) -> Company | None:
        key = (row.get("kvk_nummer"), row.get("vestigingsnummer"))
        form = _FORMS.get(row.get("rechtsvorm").lower())
        if form is None:
            found.append(LineError(row.line, f"onbekende rechtsvorm ‘{row.get('rechtsvorm')[:40]}’"))
        values = {
            "name": row.get("naam"), "legal_form": form or Company.LegalForm.ONBEKEND, "kvk_number": key[0],
            "vestigingsnummer": key[1], "rsin": row.get("rsin"), "sbi_code": row.get("sbi_code"),
            "trade_names": [n.strip() for n in row.get("handelsnamen").split("|") if n.strip()],
        }
        probe = Company(owner_id=self.access.organisation_id, **values)
        found += model_errors(row.line, probe, exclude=["owner", "address"])
        if not key[0]:
            found.append(LineError(row.line, "KvK-nummer ontbreekt"))
        if key in self.first_line:  # another functionaris of a company met above: every cell checked
            company = self.known[key]
            if normalise_name(row.get("naam")) != normalise_name(company.name):
                found.append(LineError(row.line, f"andere naam onder hetzelfde KvK- en vestigingsnummer als regel {self.first_line[key]}"))
            return company
        address = addresses.resolve(row, found)
        if found:
            return None
        # an existing company without vestigingsnummer is the same company: it gets the number
        company = self.known.get(key) or (self.known.get((key[0], "")) if key[1] else None)
        if company is None:
            probe.address = address
            self.new.append(probe)
            company = probe
        else:
            for name, value in values.items():
                if value not in ("", None, []):
                    setattr(company, name, value)
            if address is not None:
                company.address = address
            self.changed[company.pk] = company
        self.known[key] = company
        self.first_line[key] = row.line
        return company


class _Functionarissen:
    """Persons by normalised name and birth date (a KvK extract gives no BSN)."""

    def __init__(self, access, surnames: set[str]):
        self.access = access
        self.known: dict[tuple, Person] = {}
        self.new: list[Person] = []
        own = Person.objects.visible_to(access).filter(owner_id=access.organisation_id)
        for part in chunks(sorted(surnames)):
            rows = own.annotate(_surname=Lower("surname")).filter(_surname__in=part).order_by("pk")
            for p in rows:
                self.known.setdefault((normalise_name(p.full_name), p.birth_date), p)

    def resolve(self, row: Row, found: list[LineError]):
        name = row.get("functionaris_naam")
        if not name:
            if any(row.get(c) for c in ("functie", "functionaris_geboortedatum", "functie_vanaf", "functie_tot")):
                found.append(LineError(row.line, "functionaris_naam ontbreekt"))
            return None
        try:
            birth_date = parse_date(row.get("functionaris_geboortedatum"), "functionaris_geboortedatum")
            start = parse_date(row.get("functie_vanaf"), "functie_vanaf")
            end = parse_date(row.get("functie_tot"), "functie_tot")
        except ValueError as exc:
            found.append(LineError(row.line, str(exc)))
            return None
        if start and end and end < start:
            found.append(LineError(row.line, "functie_tot ligt vóór functie_vanaf"))
        role = row.get("functie") or "bestuurder"
        if len(role) > 120:
            found.append(LineError(row.line, "functie: hoogstens 120 tekens"))
        first, prefix, surname = split_name(name)
        key = (normalise_name(name), birth_date)
        person = self.known.get(key)
        if person is None:
            person = Person(owner_id=self.access.organisation_id, first_names=first, surname_prefix=prefix.lower(),
                            surname=surname, birth_date=birth_date)
            errors = model_errors(row.line, person, exclude=["owner", "address"], clean=False)
            if errors:
                found += errors
                return None
            if not found:
                self.new.append(person)
                self.known[key] = person
        return (person, role, start, end)


def _directorships(access, planned) -> list[Relation]:
    """New directorship relations; one already recorded (same person, company, role, start) is kept."""
    person_ct, company_ct = ContentType.objects.get_for_model(Person), ContentType.objects.get_for_model(Company)
    company_ids = sorted({c.pk for _, c, _ in planned})
    existing = set()
    own = Relation.objects.visible_to(access).filter(owner_id=access.organisation_id, kind=Relation.Kind.DIRECTORSHIP,
                                                       source_type=person_ct, target_type=company_ct)
    for part in chunks(company_ids):
        for r in own.filter(target_id__in=part):
            existing.add((r.source_id, r.target_id, r.role, r.start_date))
    relations = []
    for row, company, link in planned:
        if link is None:
            continue
        person, role, start, end = link
        key = (person.pk, company.pk, role, start)
        if key in existing:
            continue
        existing.add(key)
        relation = Relation(owner_id=access.organisation_id, kind=Relation.Kind.DIRECTORSHIP, source_type=person_ct,
                            source_id=person.pk, target_type=company_ct, target_id=company.pk, role=role,
                            start_date=start, end_date=end)
        relation._line = row.line
        relations.append(relation)
    return relations
