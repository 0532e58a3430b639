"""Regional accountability (issue 11, point 5): the RIEC sees sums over its member municipalities,
after disclosure control, without personal data and without a non-member's figures."""

from datetime import date

import pytest
from django.urls import reverse

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.cases.models import Case, Intervention
from regie.organisations.models import RegionMembership
from regie.reports import regional
from tests.conftest import verified_client

from .conftest import at, make_cases, make_signals

END_2025 = date(2025, 12, 31)


@pytest.fixture
def data(town):
    a, b, c = town["orgs"]["a"], town["orgs"]["b"], town["orgs"]["c"]
    make_signals(a, 6, year=2025, theme="drugs-handel", channel="mma")
    make_signals(b, 5, year=2025, theme="drugs-handel", source=town["orgs"]["politie"], channel="partner")
    make_signals(b, 3, year=2025, theme="witwassen")
    make_signals(a, 2, year=2025, theme="mensenhandel")
    make_signals(c, 40, year=2025, theme="vastgoed")  # not a member
    make_cases(a, 4, opened=at(2025), interventions=[Intervention.Domain.ADMINISTRATIVE])
    make_cases(b, 3, opened=at(2024), closed=at(2025, 4), reason=Case.ClosedReason.RESULT,
               interventions=[Intervention.Domain.ADMINISTRATIVE, Intervention.Domain.FISCAL])
    make_cases(c, 30, opened=at(2025))
    return town


def rows(shown):
    return dict(shown.table.rows)


def test_members_are_the_municipalities_of_the_region_and_its_districts_on_the_day(data):
    riec = data["orgs"]["riec"]
    names = [m.name for m in regional.members(riec, END_2025)]
    assert names == ["Gemeente Aastad", "Gemeente Bedorp"]  # not the police, not Cestad, not itself
    assert regional.members(riec, date(2017, 6, 1)) == []  # before the membership started
    RegionMembership.objects.filter(organisation=data["orgs"]["b"]).update(valid_until=date(2025, 1, 1))
    assert [m.name for m in regional.members(riec, END_2025)] == ["Gemeente Aastad"]


def test_figures_are_summed_over_members_with_disclosure(data):
    result = regional.build(data["orgs"]["riec"], 2025, END_2025)
    by_title = {shown.table.title: shown for shown in result.tables}
    handled = rows(by_title["Casussen"])
    # 2024: 3 (Bedorp), 2025: 4 (Aastad) -- each below the threshold; no secondary needed for totals < 5
    assert handled["Nieuw geopend"] == [0, "<5", "<5"]
    themes = rows(by_title["Signalen per thema"])
    assert themes["Drugs: handel"][-1] == 11  # 6 + 5
    assert themes["Witwassen"][-1] == "<5"  # 3: suppressed
    assert themes["Mensenhandel"][-1] == "<5"  # 2: suppressed; two in the column, so 11 need not be hidden
    assert themes["Totaal signalen"][-1] == 16
    assert "Vastgoed / huisjesmelkerij" not in themes and all("astgoed" not in k for k in themes)  # Cestad's
    channels = rows(by_title["Herkomst van de signalen (kanaal)"])
    assert channels["Meld Misdaad Anoniem"][-1] == 6
    partners = rows(by_title["Aangeleverd door partners (soort organisatie)"])
    assert partners["Politie"][-1] == 5
    interventions = rows(by_title["Interventies per domein"])
    assert "Bestuurlijk" in interventions
    assert result.members == ["Gemeente Aastad", "Gemeente Bedorp"]


def test_a_riec_coordinator_and_analist_see_the_region_without_personal_data(data):
    for key in ("riec_coordinator", "riec_analist"):
        response = verified_client(data["users"][key]).get(reverse("reports:regional"), {"jaar": 2025})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Gemeente Aastad" in html and "Gemeente Bedorp" in html and "Gemeente Cestad" not in html
        for name in ("Jan Jansen", "Piet Pietersen", "SIG-T-", "CAS-T-", "Hennepgeur"):
            assert name not in html
        assert "Drugs: handel" in html and "&lt;5" in html and "<svg" in html
    entry = AuditEntry.objects.filter(user_id=data["users"]["riec_analist"].pk,
                                      object_type="organisations.organisation").get()
    assert entry.action == AuditEntry.Action.VIEW
    assert entry.detail["rapportage"] == "regionaal"
    assert entry.detail["gemeenten"] == ["Gemeente Aastad", "Gemeente Bedorp"]


@pytest.mark.parametrize("role", Role.values)
def test_no_municipality_user_sees_the_regional_figures(data, role):
    response = verified_client(data["users"][role]).get(reverse("reports:regional"), {"jaar": 2025})
    assert response.status_code == 403


def test_other_roles_of_the_riec_are_refused(data):
    response = verified_client(data["users"]["riec_jurist"]).get(reverse("reports:regional"))
    assert response.status_code == 403


def test_a_bad_year_is_a_dutch_400(data):
    response = verified_client(data["users"]["riec_coordinator"]).get(reverse("reports:regional"), {"jaar": "twintig"})
    assert response.status_code == 400
    assert "Geef een jaartal" in response.content.decode()


def test_the_regional_tables_export_to_csv_with_sums_only(data):
    user = data["users"]["riec_analist"]
    response = verified_client(user).get(reverse("reports:regional"), {"jaar": 2025, "formaat": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "Drugs: handel" in text and "<5" in text
    assert "Vastgoed" not in text  # a non-member's signals
    for name in ("Jan Jansen", "SIG-T-", "CAS-T-"):
        assert name not in text
    entry = AuditEntry.objects.filter(user_id=user.pk, action=AuditEntry.Action.EXPORT).get()
    assert entry.detail["formaat"] == "csv" and entry.detail["rapportage"] == "regionaal"
