"""Issue 8, point 6: register extracts (KvK, BAG, BRP) from CSV — atomic, every error with its
line in Dutch, strong identifiers update instead of duplicating, provenance and one audit row."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regie.accounts.roles import AREAS, SUBJECTS
from regie.areas.models import Buurt, Wijk
from regie.audit.models import AuditEntry
from regie.organisations.access import organisation_access
from regie.subjects import imports
from regie.subjects.models import Address, Company, Person, Relation, Statement

from .conftest import make_address, make_company, make_person
from .registers import (
    BAG_HEADER,
    BRP_HEADER,
    KVK_HEADER,
    KVK_ROWS,
    bag_rows,
    brp_rows,
    bsn,
    csv_bytes,
)


def access_for(org):
    return organisation_access(org, "test-import", frozenset({SUBJECTS, AREAS}))


def counts():
    return tuple(m.unscoped.count() for m in (Person, Company, Address, Relation, Statement))


# --- BRP ----------------------------------------------------------------------------------------


def test_brp_import_registers_persons_addresses_provenance_and_one_audit_row(orgs):
    result = imports.run(access_for(orgs["a"]), "brp", csv_bytes(BRP_HEADER, brp_rows(5)), filename="brp.csv")
    assert result.ok, result.messages
    assert result.counts["personen_nieuw"] == 5
    person = Person.unscoped.get(bsn=bsn(0))
    assert (person.owner, person.surname_prefix, person.initials, person.address.street) == (orgs["a"], "van der", "J.P.", "Proefstraat")
    assert Statement.unscoped.filter(source="BRP", subject_id=person.pk, reference="brp.csv regel 2").exists()
    audit = AuditEntry.objects.filter(detail__import="brp")
    assert audit.count() == 1 and audit.get().detail["personen_nieuw"] == 5


def test_brp_reimport_updates_by_bsn_instead_of_duplicating(orgs):
    existing = make_person(orgs["a"], surname="Oud", bsn=bsn(1))
    other_town = make_person(orgs["b"], surname="Elders", bsn=bsn(2))
    result = imports.run(access_for(orgs["a"]), "brp", csv_bytes(BRP_HEADER, brp_rows(3)))
    assert result.ok and result.counts["personen_bijgewerkt"] == 1 and result.counts["personen_nieuw"] == 2
    existing.refresh_from_db()
    assert existing.surname == "Testpersoon1"
    other_town.refresh_from_db()
    assert other_town.surname == "Elders"  # another municipality's person is never touched
    assert Person.unscoped.filter(owner=orgs["a"]).count() == 3
    again = imports.run(access_for(orgs["a"]), "brp", csv_bytes(BRP_HEADER, brp_rows(3)))
    assert again.counts["personen_nieuw"] == 0 and Person.unscoped.filter(owner=orgs["a"]).count() == 3
    assert Address.unscoped.filter(owner=orgs["a"]).count() == 3  # addresses matched by postcode + huisnummer


def test_brp_bad_rows_are_all_reported_with_line_numbers_and_nothing_is_written(orgs):
    rows = brp_rows(8)
    rows[2][0] = "123456789"  # line 4: fails the elfproef
    rows[4][5] = "31-02-1980"  # line 6
    rows[5][0] = rows[0][0]  # line 7: BSN twice
    rows[6][10] = "0123 AB"  # line 8
    before = counts()
    result = imports.run(access_for(orgs["a"]), "brp", csv_bytes(BRP_HEADER, rows))
    assert not result.ok
    text = "\n".join(result.messages)
    assert "regel 4: BSN: Geen geldig burgerservicenummer" in text
    assert "regel 6: geboortedatum" in text
    assert "regel 7: dit BSN staat al op regel 2" in text
    assert "regel 8: postcode" in text
    assert counts() == before
    assert not AuditEntry.objects.filter(detail__import="brp").exists()


def test_brp_header_errors_are_dutch(orgs):
    result = imports.run(access_for(orgs["a"]), "brp", b"bsn;kleur\n111222333;rood\n")
    assert not result.ok
    assert "regel 1: onbekende kolom ‘kleur’" in result.messages[0]
    assert any("verplichte kolom ontbreekt: achternaam" in m for m in result.messages)


def test_ten_thousand_brp_rows_import_with_a_bounded_number_of_queries(orgs):
    data = csv_bytes(BRP_HEADER, brp_rows(10_000))
    with CaptureQueriesContext(connection) as queries:
        result = imports.run(access_for(orgs["a"]), "brp", data, filename="groot.csv")
    assert result.ok, result.messages[:5]
    assert Person.unscoped.filter(owner=orgs["a"]).count() == 10_000
    assert Statement.unscoped.count() == 20_000
    # writes: one INSERT per batch (the backend caps a batch: SQLite at 999 parameters); reads: one
    # per 1000 BSNs, one per postcode area met (50 here, for the buurt) and a fixed few (among them
    # matching on entry: the registry index's fingerprints, its rows, their addresses, the merged ids)
    inserts = _batches(Person, 10_000) + _batches(Statement, 20_000) + _batches(Address, 200)
    reads = 10 + 50 + 18
    assert len(queries) <= inserts + reads, len(queries)
    assert len(queries) < 10_000 / 20  # far from one query per row


def _batches(model, rows: int) -> int:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    size = min(1000, connection.ops.bulk_batch_size(fields, [None] * rows) or rows)
    return -(-rows // size)


# --- BAG ----------------------------------------------------------------------------------------


def test_bag_import_sets_bag_ids_buurt_and_coordinates_and_matches_by_postcode(orgs):
    wijk = Wijk.objects.create(owner=orgs["a"], name="Centrum", code="WK999101")
    buurt = Buurt.objects.create(owner=orgs["a"], wijk=wijk, name="Oud", code="BU99910101")
    existing = make_address(orgs["a"], street="Proefstraat", house_number=1, postcode="1234AB")
    rows = bag_rows(3)
    rows[1][9] = "BU99910101"
    result = imports.run(access_for(orgs["a"]), "bag", csv_bytes(BAG_HEADER, rows))
    assert result.ok, result.messages
    assert result.counts == {**result.counts, "adressen_nieuw": 2, "adressen_bijgewerkt": 1}
    existing.refresh_from_db()
    assert existing.bag_nummeraanduiding_id == "9999200000000000" and str(existing.latitude) == "52.100000"
    assert Address.unscoped.get(house_number=2).buurt == buurt
    # again: found by nummeraanduiding, nothing new
    assert imports.run(access_for(orgs["a"]), "bag", csv_bytes(BAG_HEADER, rows)).counts["adressen_nieuw"] == 0


def test_bag_bad_rows_write_nothing(orgs):
    rows = bag_rows(3)
    rows[0][9] = "BU00000000"
    rows[1][10] = "noord"
    rows[2][0] = "12"
    before = counts()
    result = imports.run(access_for(orgs["a"]), "bag", csv_bytes(BAG_HEADER, rows))
    assert [m.split(":")[0] for m in result.messages] == ["regel 2", "regel 3", "regel 4"]
    assert "geen buurt van deze gemeente" in result.messages[0] and "geen getal" in result.messages[1]
    assert "BAG-nummeraanduiding" in result.messages[2]
    assert counts() == before


# --- KvK ----------------------------------------------------------------------------------------


def test_kvk_import_registers_companies_functionarissen_and_directorships(orgs):
    result = imports.run(access_for(orgs["a"]), "kvk", csv_bytes(KVK_HEADER, KVK_ROWS))
    assert result.ok, result.messages
    assert (result.counts["bedrijven_nieuw"], result.counts["personen_nieuw"], result.counts["relaties_nieuw"]) == (2, 2, 2)
    company = Company.unscoped.get(kvk_number="90000001")
    assert (company.legal_form, company.trade_names, company.sbi_code, company.rsin) == ("bv", ["Proefhandel", "Snack Proef"], "5610", bsn(900))
    assert Company.unscoped.get(kvk_number="90000002").legal_form == "stichting"
    roles = sorted(Relation.unscoped.filter(kind="directorship", target_id=company.pk).values_list("role", flat=True))
    assert roles == ["bestuurder", "gevolmachtigde"]
    person = Person.unscoped.get(surname="Test")
    assert person.surname_prefix == "van der"
    assert Statement.unscoped.filter(source="KvK-uittreksel", subject_type__model="relation").count() == 2
    again = imports.run(access_for(orgs["a"]), "kvk", csv_bytes(KVK_HEADER, KVK_ROWS))
    assert (again.counts["bedrijven_nieuw"], again.counts["personen_nieuw"], again.counts["relaties_nieuw"]) == (0, 0, 0)


def test_kvk_links_an_existing_company_and_person(orgs):
    company = make_company(orgs["a"], name="Proefhandel", kvk_number="90000001")
    person = make_person(orgs["a"], surname="Test", first_names="Jan", surname_prefix="van der", birth_date="1970-02-01")
    result = imports.run(access_for(orgs["a"]), "kvk", csv_bytes(KVK_HEADER, KVK_ROWS[:1]))
    assert result.ok and result.counts["bedrijven_nieuw"] == 0 and result.counts["personen_nieuw"] == 0
    company.refresh_from_db()
    assert company.vestigingsnummer == "000090000001"
    assert Relation.unscoped.get().source_id == person.pk


def test_kvk_bad_rows_write_nothing(orgs):
    rows = [list(r) for r in KVK_ROWS]
    rows[0][3] = "BV-achtig"
    rows[1][2] = "Andere naam"
    rows[2][0] = "1234"
    rows.append(["90000003", "", "X", "bv", "", "", "", "", "", "", "", "", "", "", "", "bestuurder", "", ""])
    before = counts()
    result = imports.run(access_for(orgs["a"]), "kvk", csv_bytes(KVK_HEADER, rows))
    text = "\n".join(result.messages)
    assert "regel 2: onbekende rechtsvorm ‘BV-achtig’" in text
    assert "regel 4: KvK-nummer: Een KvK-nummer bestaat uit acht cijfers." in text
    assert "regel 5: functionaris_naam ontbreekt" in text
    assert counts() == before


# --- the command --------------------------------------------------------------------------------


def test_import_register_command(orgs, tmp_path):
    good = tmp_path / "brp.csv"
    good.write_bytes(csv_bytes(BRP_HEADER, brp_rows(2)))
    call_command("import-register", "brp", str(good), "--gemeente", "gm9991")
    assert Person.unscoped.filter(owner=orgs["a"]).count() == 2
    assert AuditEntry.objects.get(detail__import="brp").username == "beheercommando import-register"
    bad = tmp_path / "bad.csv"
    rows = brp_rows(2, start=10)
    rows[1][0] = "1"
    bad.write_bytes(csv_bytes(BRP_HEADER, rows))
    with pytest.raises(CommandError, match="regel 3"):
        call_command("import-register", "brp", str(bad), "--gemeente", "GM9991")
    assert Person.unscoped.filter(owner=orgs["a"]).count() == 2
    with pytest.raises(CommandError, match="geen actieve gemeente"):
        call_command("import-register", "brp", str(good), "--gemeente", "GM0000")


def test_a_bsn_out_of_sight_refuses_the_whole_file_in_dutch(orgs, make_user):
    from regie.accounts.roles import Role
    from tests.conftest import as_user

    make_person(orgs["a"], surname="Geheim", bsn=bsn(1), level=8)
    before = counts()
    with as_user(make_user(role=Role.ANALIST, org=orgs["a"])) as access:  # clearance 7
        result = imports.run(access, "brp", csv_bytes(BRP_HEADER, brp_rows(3)))
    assert not result.ok and "buiten uw zicht" in result.messages[0]
    assert counts() == before
    assert Person.unscoped.get(bsn=bsn(1)).surname == "Geheim"
