"""FollowTheMoney JSON lines into the registry: every line checked against the FtM model and our
rules, all entities or none, every error as 'regel N: …' in Dutch. The mapping is the one of
:mod:`.ftm`; subjects met again by their strong identifier (KvK-nummer + vestigingsnummer, BAG
nummeraanduiding or postcode + huisnummer, kenteken, IBAN; a person by name and birth date) are
linked, not registered twice. Each imported entity gets a provenance statement (its
``publisher``, else 'FollowTheMoney-import'). The new persons and companies are matched against
the registry on entry (:func:`.incremental.propose_many`): look-alikes go to the review queue."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from followthemoney import model as ftm_model

from regie.areas.models import Buurt
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from .ftm import RELATION_SCHEMA
from .imports.csvfile import MAX_BYTES, ImportRejected, LineError, model_errors
from .imports.kvk import _FORMS
from .imports.store import Addresses, Provenance, chunks
from .incremental import propose_many
from .lookup import PARTICLES, normalise_name
from .models import BankAccount, Company, Person, Relation, Statement, Vehicle
from .review_models import MatchCandidate

MAX_LINES = 100_000
SUBJECT_SCHEMATA = {"Person", "Company", "Organization", "Address", "RealEstate", "Vehicle", "BankAccount"}
RELATION_KINDS = {schema: kind for kind, (schema, _, _) in RELATION_SCHEMA.items() if kind != Relation.Kind.OCCUPANCY}
ENDS = {schema: (a, b) for schema, a, b in RELATION_SCHEMA.values()}
_STREET = re.compile(r"^(?P<street>.*\S)\s+(?P<number>[0-9]{1,5})(?P<letter>[A-Za-z]?)(?:-(?P<addition>[A-Za-z0-9]{1,4}))?\Z")
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)+\Z")


@dataclass
class Entity:
    line: int
    id: str
    schema: object
    props: dict[str, list[str]]

    def first(self, prop: str) -> str:
        return (self.props.get(prop) or [""])[0]


@dataclass
class FtmResult:
    counts: dict = field(default_factory=dict)
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]


def parse(data: bytes) -> list[Entity]:
    """Bytes -> entities checked against the FtM model (schema, properties, values, references)."""
    if len(data) > MAX_BYTES:
        raise ImportRejected([LineError(None, "Het bestand is te groot; splits het op.")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([LineError(data[: exc.start].count(b"\n") + 1, "het bestand is geen UTF-8-tekst")]) from None
    errors: list[LineError] = []
    found: dict[str, Entity] = {}
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        raise ImportRejected([LineError(None, f"Het bestand heeft meer dan {MAX_LINES} regels; splits het op.")])
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        entity = _entity(number, line, errors)
        if entity is None:
            continue
        if entity.id in found:
            errors.append(LineError(number, f"id ‘{entity.id[:60]}’ staat al op regel {found[entity.id].line}"))
            continue
        found[entity.id] = entity
    if not found and not errors:
        errors.append(LineError(None, "Het bestand bevat geen entiteiten."))
    for entity in found.values():
        _check_references(entity, found, errors)
    if errors:
        raise ImportRejected(errors)
    return list(found.values())


def _entity(number: int, line: str, errors: list[LineError]) -> Entity | None:
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        errors.append(LineError(number, "geen geldige JSON"))
        return None
    if not isinstance(data, dict):
        errors.append(LineError(number, "een regel is één JSON-object"))
        return None
    ident, name, props = data.get("id"), data.get("schema"), data.get("properties", {})
    if not isinstance(ident, str) or not 0 < len(ident) <= 200:
        errors.append(LineError(number, "id ontbreekt of is te lang"))
        return None
    schema = ftm_model.get(name) if isinstance(name, str) else None
    if schema is None:
        errors.append(LineError(number, f"onbekend schema ‘{str(name)[:40]}’"))
        return None
    if schema.name not in SUBJECT_SCHEMATA and schema.name not in ENDS:
        errors.append(LineError(number, f"schema ‘{schema.name}’ wordt niet ondersteund"))
        return None
    if not isinstance(props, dict):
        errors.append(LineError(number, "properties is geen object"))
        return None
    cleaned: dict[str, list[str]] = {}
    for prop_name, values in props.items():
        prop = schema.get(prop_name) if isinstance(prop_name, str) else None
        if prop is None:
            errors.append(LineError(number, f"onbekende eigenschap ‘{str(prop_name)[:40]}’ voor {schema.name}"))
            continue
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            errors.append(LineError(number, f"{prop.name}: een lijst van teksten verwacht"))
            continue
        out = []
        for value in values:
            clean = prop.type.clean(value) if len(value) <= 1000 else None
            if clean is None:
                errors.append(LineError(number, f"{prop.name}: ongeldige waarde ‘{value[:40]}’"))
            else:
                out.append(clean)
        cleaned[prop.name] = out
    return Entity(number, ident, schema, cleaned)


def _check_references(entity: Entity, found: dict, errors: list[LineError]) -> None:
    for prop_name, values in entity.props.items():
        prop = entity.schema.get(prop_name)
        if prop.type.name != "entity":
            continue
        for value in values:
            target = found.get(value)
            if target is None:
                errors.append(LineError(entity.line, f"{prop_name} verwijst naar een entiteit die niet in het bestand staat"))
            elif not target.schema.is_a(prop.range):
                errors.append(LineError(entity.line, f"{prop_name} verwijst naar een {target.schema.name}, verwacht: {prop.range.name}"))
    if entity.schema.name in ENDS:
        for prop_name in ENDS[entity.schema.name]:
            if len(entity.props.get(prop_name, [])) != 1:
                errors.append(LineError(entity.line, f"{entity.schema.name} heeft precies één {prop_name} nodig"))


def run(access: Access, data: bytes, *, filename: str = "", request=None) -> FtmResult:
    """Import FtM JSON lines for ``access``'s organisation: all entities or none."""
    if access is None or access.organisation_id is None:
        raise ValueError("an import writes for one organisation")
    try:
        entities = parse(data)
        with transaction.atomic():
            writer = _Writer(access, filename or "ftm.jsonl")
            counts = writer.write(entities)
            # issue 8 point 4: the new persons and companies against the registry (the cached index)
            counts["kandidaten"] = propose_many(
                access, [*writer.new[Person], *writer.new[Company]], source=MatchCandidate.Source.IMPORT,
                reference=filename or "ftm.jsonl", request=request,
            )
            record(AuditEntry.Action.CREATE, model=Statement, access=access, request=request,
                   detail={"import": "ftm", "bestand": filename[:200], **counts})
    except ImportRejected as exc:
        return FtmResult(errors=exc.errors)
    return FtmResult(counts=counts)


class _Writer:
    def __init__(self, access: Access, filename: str):
        self.access = access
        self.org = access.organisation_id
        self.errors: list[LineError] = []
        self.objects: dict[str, object] = {}  # entity id -> model row (RealEstate -> its address)
        self.new: dict[type, list] = {Person: [], Company: [], Vehicle: [], BankAccount: []}
        self.provenance = Provenance(access, "FollowTheMoney-import", filename)
        self.addresses = Addresses(access)
        self.skipped: list[Entity] = []  # relations already known

    def own(self, model):
        return model.objects.visible_to(self.access).filter(owner_id=self.org)

    def write(self, entities: list[Entity]) -> dict:
        by_schema = lambda *names: [e for e in entities if e.schema.name in names]  # noqa: E731
        self._addresses(by_schema("Address"), by_schema("RealEstate"))
        self._persons(by_schema("Person"))
        self._companies(by_schema("Company", "Organization"))
        self._things(by_schema("Vehicle"), Vehicle, "kenteken", lambda e: {
            "kenteken": e.first("registrationNumber") or e.first("name"),
            "make": e.first("model").split(" ", 1)[0][:60], "model_name": (e.first("model").split(" ", 1) + [""])[1][:80]})
        self._things(by_schema("BankAccount"), BankAccount, "iban", lambda e: {
            "iban": e.first("iban") or e.first("accountNumber"), "bank_name": e.first("bankName")[:120]})
        relations = self._relations([e for e in entities if e.schema.name in ENDS])
        if self.errors:
            raise ImportRejected(self.errors)
        self.addresses.save()
        for model in (Company, Person, Vehicle, BankAccount):
            model.objects.bulk_create(self.new[model], batch_size=1000)
        relations = self._only_new(list(relations))  # the ends have their ids now
        Relation.objects.bulk_create([r for r, _ in relations], batch_size=1000)
        for relation, entity in relations:
            self.objects[entity.id] = relation
        for entity in entities:
            if entity.id in self.objects:
                self._provenance(entity, self.objects[entity.id])
        statements = self.provenance.save()
        return {"entiteiten": len(entities), "adressen_nieuw": len(self.addresses.new),
                **{f"{m._meta.verbose_name_plural}_nieuw": len(rows) for m, rows in self.new.items()},
                "relaties_nieuw": len(relations), "herkomst": statements}

    def _only_new(self, relations: list) -> list:
        """Leave out relations the registry (or this file, above) already holds."""
        def key(r):
            return (r.kind, r.source_type_id, r.source_id, r.target_type_id, r.target_id, r.role, r.start_date, r.end_date)

        known = set()
        for part in chunks(sorted({r.source_id for r, _ in relations})):
            known |= {key(r) for r in self.own(Relation).filter(source_id__in=part)}
        result = []
        for relation, entity in relations:
            if key(relation) not in known:
                known.add(key(relation))
                result.append((relation, entity))
            else:
                self.skipped.append(entity)
        return result

    def _provenance(self, entity: Entity, obj) -> None:
        facts = sorted(set(entity.props) - {"publisher"})
        for source in entity.props.get("publisher") or [None]:
            self.provenance.add(entity.line, obj, facts, source=source[:120] if source else None)

    # -- subjects --------------------------------------------------------------------------------

    def _addresses(self, addresses: list[Entity], estates: list[Entity]) -> None:
        postcodes = {e.first("postalCode").replace(" ", "").upper() for e in addresses}
        self.addresses.load(postcodes, set())
        codes = {e.first("censusBlock") for e in estates if e.first("censusBlock")}
        buurten = {b.code: b for b in Buurt.objects.visible_to(self.access).filter(owner_id=self.org, code__in=codes)}
        bag = {}
        for estate in estates:
            extra = {"latitude": estate.first("latitude") or None, "longitude": estate.first("longitude") or None}
            for value in estate.props.get("registrationNumber", []):
                label, _, number = value.partition(":")
                if label in ("nummeraanduiding", "verblijfsobject", "pand"):
                    extra[f"bag_{label}_id"] = number
            code = estate.first("censusBlock")
            if code and code not in buurten:
                self.errors.append(LineError(estate.line, f"censusBlock ‘{code[:12]}’ is geen buurt van deze gemeente"))
            elif code:
                extra["buurt"] = buurten[code]
            if not estate.first("addressEntity"):
                self.errors.append(LineError(estate.line, "RealEstate zonder addressEntity kan niet worden ingelezen"))
            bag[estate.first("addressEntity")] = {k: v for k, v in extra.items() if v not in ("", None)}
        for entity in addresses:
            match = _STREET.match(entity.first("street"))
            if not match:
                self.errors.append(LineError(entity.line, "street: straat en huisnummer verwacht, bijvoorbeeld ‘Kerkstraat 12a-2’"))
                continue
            row = _CellRow(entity.line, {
                "straat": match["street"], "huisnummer": match["number"], "huisletter": match["letter"] or "",
                "toevoeging": match["addition"] or "", "postcode": entity.first("postalCode"), "plaats": entity.first("city"),
            })
            extra = dict(bag.get(entity.id, {}))
            extra.setdefault("latitude", entity.first("latitude") or None)
            extra.setdefault("longitude", entity.first("longitude") or None)
            extra = {k: v for k, v in extra.items() if v not in ("", None)}
            address = self.addresses.resolve(row, self.errors, extra)
            if address is not None:
                self.objects[entity.id] = address
        for estate in estates:
            if estate.first("addressEntity") in self.objects:
                self.objects[estate.id] = self.objects[estate.first("addressEntity")]

    def _persons(self, entities: list[Entity]) -> None:
        known = {(normalise_name(p.full_name), p.birth_date): p for p in self.own(Person).order_by("-pk")}
        for entity in entities:
            first, last = entity.first("firstName"), entity.first("lastName")
            if not last:
                from .lookup import split_name

                first, prefix, last = split_name(entity.first("name"))
                last = f"{prefix} {last}".strip()
            prefix, surname = _split_particle(last)
            initials = first if _INITIALS.match(first or "") else ""
            birth = entity.first("birthDate")
            if birth and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", birth):
                self.errors.append(LineError(entity.line, "birthDate: een volledige datum (jjjj-mm-dd) verwacht"))
                continue
            person = Person(owner_id=self.org, first_names="" if initials else first, initials=initials,
                            surname_prefix=prefix, surname=surname, birth_date=date.fromisoformat(birth) if birth else None)
            errors = model_errors(entity.line, person, exclude=["owner", "address"], clean=False)
            if errors:
                self.errors += errors
                continue
            address = self.objects.get(entity.first("addressEntity"))
            key = (normalise_name(person.full_name), person.birth_date)
            existing = known.get(key)
            if existing is None:
                person.address = address
                self.new[Person].append(person)
                known[key] = existing = person
            self.objects[entity.id] = existing

    def _companies(self, entities: list[Entity]) -> None:
        known = {(c.kvk_number, c.vestigingsnummer): c for c in self.own(Company).exclude(kvk_number="").order_by("-pk")}
        for entity in entities:
            form = _FORMS.get(entity.first("legalForm").lower(), Company.LegalForm.ONBEKEND)
            company = Company(owner_id=self.org, name=entity.first("name"), legal_form=form,
                              kvk_number=entity.first("registrationNumber"), vestigingsnummer=entity.first("idNumber"),
                              rsin=entity.first("taxNumber"), trade_names=entity.props.get("alias", []),
                              sbi_code=entity.first("classification"))
            errors = model_errors(entity.line, company, exclude=["owner", "address"])
            if errors:
                self.errors += errors
                continue
            key = (company.kvk_number, company.vestigingsnummer)
            existing = known.get(key) if company.kvk_number else None
            if existing is None:
                company.address = self.objects.get(entity.first("addressEntity"))
                self.new[Company].append(company)
                existing = company
                if company.kvk_number:
                    known[key] = company
            self.objects[entity.id] = existing

    def _things(self, entities: list[Entity], model, key: str, values) -> None:
        known = {getattr(o, key): o for o in self.own(model).order_by("-pk")}
        for entity in entities:
            obj = model(owner_id=self.org, **values(entity))
            errors = model_errors(entity.line, obj, exclude=["owner"])
            if errors:
                self.errors += errors
                continue
            existing = known.get(getattr(obj, key))
            if existing is None:
                self.new[model].append(obj)
                known[getattr(obj, key)] = existing = obj
            self.objects[entity.id] = existing

    # -- relations -------------------------------------------------------------------------------

    def _relations(self, entities: list[Entity]) -> list[tuple[Relation, Entity]]:
        from django.contrib.contenttypes.models import ContentType

        labels = {label: kind for kind, label in Relation.Kind.choices}
        result = []
        for entity in entities:
            schema = entity.schema.name
            kind = RELATION_KINDS.get(schema)
            if schema == "UnknownLink" and entity.first("status") in labels:
                kind = labels[entity.first("status")]
            if kind is None:
                self.errors.append(LineError(entity.line, f"schema ‘{schema}’ wordt niet ondersteund"))
                continue
            a, b = ENDS[schema]
            source, target = self.objects.get(entity.first(a)), self.objects.get(entity.first(b))
            if source is None or target is None:
                continue  # an end that failed above has its own error
            start, end = entity.first("startDate"), entity.first("endDate")
            if any(d and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in (start, end)):
                self.errors.append(LineError(entity.line, "startDate/endDate: een volledige datum (jjjj-mm-dd) verwacht"))
                continue
            relation = Relation(
                owner_id=self.org, kind=kind, source_type=ContentType.objects.get_for_model(type(source)), source_id=0,
                target_type=ContentType.objects.get_for_model(type(target)), target_id=0,
                role=(entity.first("role") or entity.first("relationship"))[:120],
                start_date=date.fromisoformat(start) if start else None, end_date=date.fromisoformat(end) if end else None,
            )
            relation._ends = (source, target)
            if relation.start_date and relation.end_date and relation.end_date < relation.start_date:
                self.errors.append(LineError(entity.line, "endDate ligt vóór startDate"))
                continue
            if source is target:
                self.errors.append(LineError(entity.line, "een relatie verbindt twee verschillende subjecten"))
                continue
            result.append((relation, entity))
        return _Relations(result)


class _Relations(list):
    """Relations whose ends may be new rows: their ids are filled in once those are written."""

    def __iter__(self):
        for relation, entity in super().__iter__():
            source, target = relation._ends
            relation.source_id, relation.target_id = source.pk, target.pk
            yield relation, entity


def _split_particle(last: str) -> tuple[str, str]:
    lowered = last.lower()
    for particle in sorted(PARTICLES, key=len, reverse=True):
        if lowered.startswith(particle + " "):
            return particle, last[len(particle) + 1:].strip()
    return "", last


@dataclass
class _CellRow:
    line: int
    cells: dict

    def get(self, name: str) -> str:
        return self.cells.get(name, "") or ""
