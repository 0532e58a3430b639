"""Point 4: external area statistics from CSV (service and command) with source and peildatum,
all or nothing with Dutch errors per line, an audit row per import, and the overview page that
shows them beside Regie's own figures, per tenant and need-to-know."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regie.accounts.roles import Role
from regie.areas import risk
from regie.areas.indicators import IndicatorImportRejected, import_indicators, parse
from regie.areas.models import AreaIndicator, Buurt, Wijk
from regie.audit.models import AuditEntry
from regie.organisations.access import use_access
from regie.subjects.models import Address
from tests.conftest import verified_client

GOOD = (
    b"bron;peildatum;gebiedscode;indicator;waarde;eenheid\n"
    b"CBS kerncijfers wijken en buurten;2024;BU1;Aantal inwoners;1234;personen\n"
    b"CBS kerncijfers wijken en buurten;2024;WK1;Aantal inwoners;4321;personen\n"
    b"Veiligheidsmonitor;01-03-2025;WK1;Verloedering (schaalscore);3,4;\n"
    b"Zicht op Ondermijning;2023-12-31;GM9991;Thema drugs: verdachten per 1.000 inwoners;2,75;\n"
)


@pytest.fixture
def area(orgs):
    wijk = Wijk.unscoped.create(owner=orgs["a"], code="WK1", name="Centrum")
    return Buurt.unscoped.create(owner=orgs["a"], wijk=wijk, code="BU1", name="Oude Haven")


def test_import_stores_values_with_source_and_date_and_audits(orgs, geo_access, area):
    with use_access(geo_access):
        assert import_indicators(geo_access, orgs["a"], GOOD, filename="kerncijfers.csv") == {"nieuw": 4, "bijgewerkt": 0}
    inwoners = AreaIndicator.unscoped.get(area_code="BU1")
    assert (inwoners.buurt_id, inwoners.wijk_id, inwoners.value, inwoners.unit, inwoners.reference_date) == (
        area.pk, None, Decimal(1234), "personen", date(2024, 1, 1))
    assert AreaIndicator.unscoped.get(source="Veiligheidsmonitor").value == Decimal("3.4")
    assert AreaIndicator.unscoped.get(area_code="GM9991").reference_date == date(2023, 12, 31)
    entry = AuditEntry.objects.filter(object_type="areas.areaindicator", action=AuditEntry.Action.CREATE).get()
    assert entry.detail["nieuw"] == 4 and entry.detail["bestand"] == "kerncijfers.csv"
    # the same file again replaces, with a new value
    with use_access(geo_access):
        counts = import_indicators(geo_access, orgs["a"], GOOD.replace(b";1234;", b";1.300,0;"))
    assert counts == {"nieuw": 0, "bijgewerkt": 4} and AreaIndicator.unscoped.get(area_code="BU1").value == 1300


@pytest.mark.parametrize("data, message", [
    (b"bron,peildatum,gebiedscode,indicator\n", "Kolom ontbreekt: waarde (verwacht: bron;peildatum;gebiedscode;indicator;waarde[;eenheid])."),
    (b"bron;peildatum;gebiedscode;indicator;waarde\nCBS;2024;BU1;Inwoners;veel\n", "regel 2: waarde ‘veel’ is geen getal"),
    (b"bron;peildatum;gebiedscode;indicator;waarde\nCBS;gisteren;BU1;Inwoners;1\n",
     "regel 2: peildatum ‘gisteren’ is geen datum (jjjj-mm-dd, dd-mm-jjjj of jjjj)"),
    (b"bron;peildatum;gebiedscode;indicator;waarde\nCBS;2024;BU1;Inwoners;1\n;2024;BU1;Inwoners;1\n", "regel 3: bron ontbreekt"),
    (b"bron;peildatum;gebiedscode;indicator;waarde\nCBS;2024;BU1;Inwoners;1\nCBS;2024;bu1;Inwoners;2\n", "regel 3: dubbel met regel 2"),
    (b"bron;peildatum;gebiedscode;indicator;waarde\nCBS;2024;BU1;Inwoners;NaN\n", "regel 2: waarde ‘NaN’ is geen getal"),
    (b"bron;peildatum;gebiedscode;indicator;waarde\nCBS;2024;BU9;Inwoners;1\n", "regel 2: gebiedscode BU9 is geen wijk of buurt van Gemeente Aastad"),
    (b"bron;peildatum;gebiedscode;indicator;waarde\n", "Het bestand bevat geen regels."),
    (b"\xff\xfe", "Het bestand is geen UTF-8-tekst."),
])
def test_bad_files_are_rejected_in_dutch_and_nothing_is_written(orgs, geo_access, area, data, message):
    with use_access(geo_access), pytest.raises(IndicatorImportRejected) as rejected:
        import_indicators(geo_access, orgs["a"], data)
    assert message in rejected.value.errors
    assert not AreaIndicator.unscoped.exists()
    assert not AuditEntry.objects.filter(object_type="areas.areaindicator").exists()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=1500))
def test_any_bytes_parse_or_reject(data):
    try:
        rows = parse(data)
    except IndicatorImportRejected as exc:
        assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)
    else:
        assert rows and all(r["value"] is not None and r["reference_date"] for r in rows)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(["CBS", "2024", "BU1", "x", "1,5", "", "1e400", "31-02-2024", '"', "WK1"]), max_size=7), max_size=5))
def test_csv_shaped_rows_parse_or_reject(orgs, rows):
    text = "bron;peildatum;gebiedscode;indicator;waarde;eenheid\n" + "\n".join(";".join(r) for r in rows)
    try:
        parse(text.encode())
    except IndicatorImportRejected as exc:
        assert exc.errors


def test_command(orgs, area, tmp_path, capsys):
    path = tmp_path / "kerncijfers.csv"
    path.write_bytes(GOOD)
    call_command("import-indicators", str(path), gemeente="GM9991")
    assert "4 nieuw, 0 bijgewerkt" in capsys.readouterr().out
    path.write_bytes(GOOD + b"CBS;2024;BU1;Inwoners;x\n")
    with pytest.raises(CommandError, match="(?s)Import geweigerd; er is niets opgeslagen .*regel 6: waarde ‘x’ is geen getal"):
        call_command("import-indicators", str(path), gemeente="GM9991")
    assert AreaIndicator.unscoped.count() == 4


def test_overview_beside_own_figures_per_tenant_and_need_to_know(town, geo_access, area, access, make_user):
    with use_access(geo_access):
        import_indicators(geo_access, town["orgs"]["a"], GOOD)
    Address.unscoped.create(owner=town["orgs"]["a"], street="Kade", house_number=1, postcode="9901AB", city="Aastad", buurt=area)
    risk.create_location(access, kind="pand", name="Loods", buurt=area)
    page = verified_client(town["coordinator"]).get("/gebieden/indicatoren/").content.decode()
    assert "Oude Haven" in page and "Aantal inwoners" in page and "1234 personen" in page and "3,4" in page
    assert "Veiligheidsmonitor" in page and "01-03-2025" in page and "Zicht op Ondermijning" in page
    assert "Adressen in Regie" in page and "Risicolocaties" in page
    # the functioneel beheerder (AREAS, no SUBJECTS or CASES) sees the statistics, not Regie's
    # record counts he has no category for
    beheerder = make_user(role=Role.BEHEERDER, org=town["orgs"]["a"])
    page = verified_client(beheerder).get("/gebieden/indicatoren/").content.decode()
    assert "Aantal inwoners" in page and "Adressen in Regie" not in page and "Risicolocaties" not in page
    # another municipality sees none of it
    page = verified_client(town["coordinator_b"]).get("/gebieden/indicatoren/").content.decode()
    assert "Aantal inwoners" not in page and "Nog geen gebiedsindicatoren" in page
    assert AuditEntry.objects.filter(object_type="areas.areaindicator", action=AuditEntry.Action.LIST).count() == 3
    # a role without AREAS is refused
    assert verified_client(make_user(role=Role.MEDEWERKER, org=town["orgs"]["a"])).get("/gebieden/indicatoren/").status_code == 403
