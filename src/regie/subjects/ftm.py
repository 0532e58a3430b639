"""The registry as FollowTheMoney entities: the one place that maps models to FtM schemata, and
the export of what a caller may see (``ftm_import.py`` reads the same shape back).

Mapping (see also docs/imports.md):

* Person -> ``Person`` (firstName, lastName with its particle, birthDate, addressEntity). The BSN
  is never exported: FtM files travel, the BSN is a restricted field (only some roles see it in
  full, :mod:`.permissions`), and no partner needs it to match. Initials without first names go
  out as the firstName ('J.P.').
* Company -> ``Company``, or ``Organization`` for a stichting, vereniging or coöperatie
  (registrationNumber = KvK-nummer, idNumber = vestigingsnummer, taxNumber = RSIN, alias = trade
  names, classification = SBI code, legalForm).
* Address -> ``Address`` (street with huisnummer, huisletter and '-toevoeging', postalCode, city,
  coordinates) plus a ``RealEstate`` for the BAG object (registrationNumber 'verblijfsobject:…',
  'pand:…', 'nummeraanduiding:…'; censusBlock = CBS buurtcode); ownership of an address points at
  the RealEstate, as FtM wants an Asset.
* Vehicle -> ``Vehicle`` (registrationNumber = kenteken, model = merk + handelsbenaming);
  BankAccount -> ``BankAccount`` (iban, bankName).
* Relation -> ``Ownership``, ``Directorship``, ``Family``, ``Associate``, ``Employment``,
  ``UnknownLink``. FtM's ``Occupancy`` links a holder to a *Position*, not to a dwelling: a
  bewoning, and any relation whose ends FtM's schema does not allow, goes out as ``UnknownLink``
  with ``status`` = the Dutch kind ('bewoning'), which the import reads back.
* Provenance: the sources of a subject's statements go out as ``publisher``.
"""

from __future__ import annotations

import json
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from followthemoney import model as ftm_model

from regie.areas.models import Buurt
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from .models import Address, BankAccount, Company, Person, Relation, Statement, Vehicle
from .validators import format_kenteken

#: the FtM schema of each kind of relation, with the properties of its two ends
RELATION_SCHEMA = {
    Relation.Kind.OWNERSHIP: ("Ownership", "owner", "asset"),
    Relation.Kind.DIRECTORSHIP: ("Directorship", "director", "organization"),
    Relation.Kind.FAMILY: ("Family", "person", "relative"),
    Relation.Kind.ASSOCIATE: ("Associate", "person", "associate"),
    Relation.Kind.EMPLOYMENT: ("Employment", "employee", "employer"),
    Relation.Kind.UNKNOWN: ("UnknownLink", "subject", "object"),
    Relation.Kind.OCCUPANCY: ("UnknownLink", "subject", "object"),  # see the module docstring
}
FALLBACK = ("UnknownLink", "subject", "object")
#: the FtM schemata of the subjects (Company may also be Organization, Address adds RealEstate)
SUBJECT_SCHEMA = {Person: "Person", Company: "Company", Address: "Address", Vehicle: "Vehicle", BankAccount: "BankAccount"}
SUBJECT_MODELS = tuple(SUBJECT_SCHEMA)


def schema_of(obj) -> str:
    if isinstance(obj, Company) and obj.legal_form in Company.ORGANISATION_FORMS:
        return "Organization"
    return SUBJECT_SCHEMA[type(obj)]


def entity_id(obj, suffix: str = "") -> str:
    """A stable id per row (a hash: the file does not show database numbers)."""
    proxy = ftm_model.make_entity("Thing")
    return proxy.make_id("regie", type(obj)._meta.label_lower, str(obj.pk), suffix)


def format_street(address: Address) -> str:
    number = f"{address.house_number}{address.house_letter}"
    return f"{address.street} {number}" + (f"-{address.addition}" if address.addition else "")


def _make(schema: str, ident: str, values: dict):
    proxy = ftm_model.make_entity(schema)
    proxy.id = ident
    for prop, value in values.items():
        if value not in (None, "", []):
            proxy.add(prop, value)  # raises InvalidData for a property the schema does not have
    return proxy


def _subject_entities(obj, ids: dict, publishers: list[str]) -> list:
    common = {"publisher": sorted(publishers)}
    if isinstance(obj, Person):
        last = f"{obj.surname_prefix} {obj.surname}".strip()
        values = {"name": obj.full_name, "firstName": obj.first_names or obj.initials, "lastName": last,
                  "birthDate": obj.birth_date.isoformat() if obj.birth_date else None,
                  "addressEntity": ids.get((Address, obj.address_id))}
    elif isinstance(obj, Company):
        values = {"name": obj.name, "legalForm": obj.get_legal_form_display(), "registrationNumber": obj.kvk_number,
                  "idNumber": obj.vestigingsnummer, "taxNumber": obj.rsin, "alias": obj.trade_names,
                  "classification": obj.sbi_code, "jurisdiction": "nl", "addressEntity": ids.get((Address, obj.address_id))}
    elif isinstance(obj, Address):
        full = str(obj)
        coords = {"latitude": str(obj.latitude) if obj.latitude is not None else None,
                  "longitude": str(obj.longitude) if obj.longitude is not None else None}
        address = _make("Address", ids[(Address, obj.pk)], {
            "full": full, "street": format_street(obj), "postalCode": obj.postcode, "city": obj.city, "country": "nl",
            **coords, **common,
        })
        numbers = [f"{label}:{value}" for label, value in (
            ("nummeraanduiding", obj.bag_nummeraanduiding_id), ("verblijfsobject", obj.bag_verblijfsobject_id),
            ("pand", obj.bag_pand_id)) if value]
        estate = _make("RealEstate", entity_id(obj, "bag"), {
            "name": full, "address": full, "addressEntity": address.id, "registrationNumber": numbers,
            "censusBlock": ids.get(("buurt", obj.buurt_id)), "country": "nl", **coords,
        })
        return [address, estate]
    elif isinstance(obj, Vehicle):
        values = {"name": format_kenteken(obj.kenteken), "registrationNumber": obj.kenteken,
                  "model": " ".join(p for p in (obj.make, obj.model_name) if p), "country": "nl"}
    else:
        values = {"name": str(obj), "iban": obj.iban, "accountNumber": obj.iban, "bankName": obj.bank_name}
    return [_make(schema_of(obj), ids[(type(obj), obj.pk)], {**values, **common})]


def _relation_entity(relation: Relation, ids: dict, schemas: dict):
    source = ids.get((relation.source_type.model_class(), relation.source_id))
    target_model = relation.target_type.model_class()
    target = ids.get((target_model, relation.target_id))
    if target_model is Address and target is not None:
        target = ids[("estate", relation.target_id)]
    if source is None or target is None:
        return None  # an end the caller may not see stays out, with the link
    schema, from_prop, to_prop = RELATION_SCHEMA[relation.kind]
    fits = ftm_model.get(schema)
    if relation.kind == Relation.Kind.OCCUPANCY or not (
        ftm_model.get(schemas[source]).is_a(fits.get(from_prop).range)
        and ftm_model.get(schemas[target]).is_a(fits.get(to_prop).range)
    ):
        schema, from_prop, to_prop = FALLBACK
    values = {from_prop: source, to_prop: target, "startDate": relation.start_date and relation.start_date.isoformat(),
              "endDate": relation.end_date and relation.end_date.isoformat()}
    if schema == "UnknownLink" and relation.kind != Relation.Kind.UNKNOWN:
        values["status"] = relation.get_kind_display()
    if "role" in fits.properties or schema == "UnknownLink":
        values["role"] = relation.role
    elif relation.role:
        values["relationship"] = relation.role
    return _make(schema, entity_id(relation), values)


def entities(access: Access) -> list:
    """Every subject and relation ``access`` may see, as FtM entity proxies (scoped managers only)."""
    ids: dict = {}
    schemas: dict[str, str] = {}
    rows = {m: list(m.objects.visible_to(access).order_by("pk")) for m in SUBJECT_MODELS}
    for m, objs in rows.items():
        for obj in objs:
            ids[(m, obj.pk)] = entity_id(obj)
            schemas[ids[(m, obj.pk)]] = schema_of(obj)
            if m is Address:
                ids[("estate", obj.pk)] = entity_id(obj, "bag")
                schemas[ids[("estate", obj.pk)]] = "RealEstate"
    buurt_ids = {a.buurt_id for a in rows[Address] if a.buurt_id}
    for buurt in Buurt.objects.visible_to(access).filter(pk__in=buurt_ids):  # only what the caller may see
        ids[("buurt", buurt.pk)] = buurt.code
    publishers = defaultdict(set)
    for s in Statement.objects.visible_to(access).only("subject_type", "subject_id", "source"):
        publishers[(s.subject_type_id, s.subject_id)].add(s.source)
    result = []
    for m, objs in rows.items():
        ct = ContentType.objects.get_for_model(m)
        for obj in objs:
            result += _subject_entities(obj, ids, list(publishers[(ct.pk, obj.pk)]))
    for relation in Relation.objects.visible_to(access).select_related("source_type", "target_type").order_by("pk"):
        proxy = _relation_entity(relation, ids, schemas)
        if proxy is not None:
            result.append(proxy)
    return result


@transaction.atomic
def export_lines(access: Access, request=None) -> list[str]:
    """The export as JSON lines (one entity per line), checked against the FtM model; audited."""
    lines = []
    counts: dict[str, int] = defaultdict(int)
    for proxy in entities(access):
        data = proxy.to_dict()
        ftm_model.get_proxy(data, cleaned=False)  # every property and value read back through the model
        counts[proxy.schema.name] += 1
        lines.append(json.dumps(data, ensure_ascii=False, sort_keys=True))
    record(AuditEntry.Action.EXPORT, model=Person, access=access, request=request,
           detail={"format": "followthemoney", "entities": len(lines), "schemata": dict(sorted(counts.items()))})
    return lines
