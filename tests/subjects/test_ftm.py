"""Issue 8, points 1 and 6: FollowTheMoney export of what a caller may see (validated by the
followthemoney model; BSN never exported; audited) and import with the all-or-nothing,
line-numbered rule; a round trip into another municipality gives the same subjects and relations."""

import json
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from followthemoney import model as ftm_model

from regie.accounts.roles import Role
from regie.areas.models import Buurt, Wijk
from regie.audit.models import AuditEntry
from regie.subjects import ftm, ftm_import, imports
from regie.subjects.models import (
    Address,
    BankAccount,
    Company,
    Person,
    Relation,
    Statement,
    Vehicle,
)
from tests.conftest import as_user

from .registers import BAG_HEADER, KVK_HEADER, KVK_ROWS, bag_rows, csv_bytes
from .test_register_imports import access_for


def _relation(org, kind, source, target, **extra):
    return Relation.unscoped.create(
        owner=org, kind=kind, source_type=ContentType.objects.get_for_model(type(source)), source_id=source.pk,
        target_type=ContentType.objects.get_for_model(type(target)), target_id=target.pk, **extra)


@pytest.fixture
def registry(orgs):
    """Gemeente a's registry: a KvK and BAG import plus hand-made subjects of every other kind."""
    a = orgs["a"]
    for org in (a, orgs["b"]):
        wijk = Wijk.objects.create(owner=org, name="Centrum", code="WK999101")
        Buurt.objects.create(owner=org, wijk=wijk, name="Oud", code="BU99910101")
    rows = bag_rows(2)
    rows[0][9] = "BU99910101"
    assert imports.run(access_for(a), "bag", csv_bytes(BAG_HEADER, rows)).ok
    assert imports.run(access_for(a), "kvk", csv_bytes(KVK_HEADER, KVK_ROWS)).ok
    home = Address.unscoped.get(house_number=1, street="Proefstraat")
    anna = Person.unscoped.create(owner=a, initials="A.B.", surname_prefix="de", surname="Vries", bsn="111222333",
                                  birth_date=date(1990, 5, 6), address=home)
    jan = Person.unscoped.get(surname="Test")
    car = Vehicle.unscoped.create(owner=a, kenteken="12ABC3", make="Volvo", model_name="V70")
    account = BankAccount.unscoped.create(owner=a, iban="NL91ABNA0417164300", bank_name="ABN AMRO")
    _relation(a, "family", anna, jan, role="zus", start_date=date(1990, 5, 6))
    _relation(a, "ownership", anna, car, start_date=date(2024, 1, 1))
    _relation(a, "ownership", anna, home)
    _relation(a, "ownership", jan, account)
    _relation(a, "occupancy", jan, home, start_date=date(2022, 3, 1), end_date=date(2023, 3, 1))
    _relation(a, "employment", anna, Company.unscoped.get(kvk_number="90000001"), role="kok")
    _relation(a, "associate", anna, Person.unscoped.get(surname="Proef"))
    _relation(a, "unknown", car, home, role="gezien bij")
    return a


def snapshot(org):
    people = {(p.first_names, p.initials, p.surname_prefix, p.surname, p.birth_date, p.address and str(p.address))
              for p in Person.unscoped.filter(owner=org)}
    companies = {(c.name, c.legal_form, c.kvk_number, c.vestigingsnummer, c.rsin, tuple(c.trade_names), c.sbi_code,
                  c.address and str(c.address)) for c in Company.unscoped.filter(owner=org)}
    addresses = {(str(a), a.bag_nummeraanduiding_id, a.bag_verblijfsobject_id, a.bag_pand_id, a.latitude, a.longitude,
                  a.buurt and a.buurt.code) for a in Address.unscoped.filter(owner=org)}
    things = {str(o) for m in (Vehicle, BankAccount) for o in m.unscoped.filter(owner=org)}
    relations = set()
    for r in Relation.unscoped.filter(owner=org):
        ends = [str(t.model_class().unscoped.get(pk=i)) for t, i in ((r.source_type, r.source_id), (r.target_type, r.target_id))]
        relations.add((r.kind, r.role, r.start_date, r.end_date, *ends))
    return people, companies, addresses, things, relations


def test_export_is_valid_ftm_without_bsn_and_audited(registry):
    lines = ftm.export_lines(access_for(registry))
    entities = [ftm_model.get_proxy(json.loads(line), cleaned=False) for line in lines]
    schemata = {e.schema.name for e in entities}
    assert {"Person", "Company", "Organization", "Address", "RealEstate", "Vehicle", "BankAccount", "Ownership",
            "Directorship", "Family", "Associate", "Employment", "UnknownLink"} <= schemata
    text = "\n".join(lines)
    assert "111222333" not in text  # the BSN never leaves
    occupancy = [e for e in entities if e.schema.name == "UnknownLink" and e.get("status") == ["bewoning"]]
    assert len(occupancy) == 1 and occupancy[0].get("startDate") == ["2022-03-01"]
    assert any(e.get("publisher") == ["KvK-uittreksel"] for e in entities if e.schema.name == "Company")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT, detail__format="followthemoney")
    assert entry.detail["entities"] == len(lines)


def test_round_trip_into_another_municipality_gives_the_same_subjects_and_relations(registry, orgs):
    lines = ftm.export_lines(access_for(registry))
    result = ftm_import.run(access_for(orgs["b"]), "\n".join(lines).encode(), filename="a.jsonl")
    assert result.ok, result.messages
    expected = snapshot(registry)
    assert [len(part) for part in expected] == [3, 2, 3, 2, 10]  # nothing trivially equal
    assert snapshot(orgs["b"]) == expected
    assert Person.unscoped.filter(owner=orgs["b"], bsn="").count() == Person.unscoped.filter(owner=orgs["b"]).count()
    assert Statement.unscoped.filter(owner=orgs["b"], source="KvK-uittreksel").exists()
    assert AuditEntry.objects.filter(detail__import="ftm").count() == 1
    # importing the same file again links every subject instead of registering it twice
    again = ftm_import.run(access_for(orgs["b"]), "\n".join(lines).encode())
    assert again.ok and again.counts["personen_nieuw"] == 0 and again.counts["adressen_nieuw"] == 0
    assert again.counts["relaties_nieuw"] == 0 and snapshot(orgs["b"]) == expected
    assert Relation.unscoped.filter(owner=orgs["b"]).count() == 10


def test_export_shows_only_what_the_caller_may_see(registry, orgs, make_user):
    secret = Person.unscoped.create(owner=registry, surname="Geheimhouder", confidentiality=8)
    Person.unscoped.create(owner=orgs["b"], surname="Anderegemeente")
    with as_user(make_user(role=Role.BOA, org=registry)) as access:  # clearance 4
        text = "\n".join(ftm.export_lines(access))
    assert "Proefhandel" in text and "Anderegemeente" not in text
    assert "Geheimhouder" not in text and secret.surname == "Geheimhouder"
    with as_user(make_user(role=Role.RAADSLID, org=registry)) as access:  # no subjects category
        assert ftm.export_lines(access) == []


def _line(schema, ident="x1", **props):
    return json.dumps({"id": ident, "schema": schema, "properties": props})


@pytest.mark.parametrize("line, message", [
    ("{", "regel 2: geen geldige JSON"),
    (_line("Spaceship"), "regel 2: onbekend schema ‘Spaceship’"),
    (_line("Airplane"), "regel 2: schema ‘Airplane’ wordt niet ondersteund"),
    (_line("Person", name=["X"], kleur=["rood"]), "regel 2: onbekende eigenschap ‘kleur’ voor Person"),
    (_line("Person", name=["X"], birthDate=["1980-13-45"]), "regel 2: birthDate: ongeldige waarde"),
    (_line("Person", name=["X"], birthDate=["1980"]), "regel 2: birthDate: een volledige datum"),
    (_line("Company", name=["X"], registrationNumber=["123"]), "regel 2: KvK-nummer"),
    (_line("Vehicle", registrationNumber=["ABCDEFG"]), "regel 2: kenteken"),
    (_line("Directorship", director=["p1"], organization=["nergens"]), "regel 2: organization verwijst naar een entiteit die niet"),
    (_line("Directorship", director=["p1"], organization=["p1"]), "regel 2: organization verwijst naar een Person"),
    (_line("Address", street=["Geen nummer"], postalCode=["1234AB"], city=["Aastad"]), "regel 2: street"),
    (_line("Person", "p1", name=["Y"]), "regel 2: id ‘p1’ staat al op regel 1"),
])
def test_ftm_import_rejects_bad_lines_in_dutch_and_writes_nothing(orgs, line, message):
    data = "\n".join([_line("Person", "p1", name=["Jan Jansen"]), line]).encode()
    before = Person.unscoped.count(), Relation.unscoped.count(), Statement.unscoped.count()
    result = ftm_import.run(access_for(orgs["a"]), data)
    assert not result.ok
    assert any(m.startswith(message) for m in result.messages), result.messages
    assert (Person.unscoped.count(), Relation.unscoped.count(), Statement.unscoped.count()) == before


def test_ftm_commands(registry, orgs, tmp_path):
    out = tmp_path / "a.jsonl"
    call_command("export-ftm", str(out), "--gemeente", "GM9991")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, username="beheercommando export-ftm").count() == 1
    call_command("import-ftm", str(out), "--gemeente", "GM9992")
    assert snapshot(orgs["b"]) == snapshot(registry)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(out.read_text() + '{"id": "z", "schema": "Spaceship"}\n')
    with pytest.raises(CommandError, match="onbekend schema"):
        call_command("import-ftm", str(bad), "--gemeente", "GM9992")
