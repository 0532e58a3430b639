"""Point 2 through HTTP: the risk-location pages — list with filters and the counts per status per
year, CSV export, create, detail behind the record gate, edit, status change, measure link;
tenancy (404 for another municipality), need-to-know (no CASES: nothing) and bad input."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from regie.accounts.access import access_for_user
from regie.accounts.models import Assignment
from regie.areas import risk
from regie.areas.risk_models import RiskLocation
from regie.audit.models import AuditEntry
from regie.subjects.models import Address
from tests.conftest import verified_client

from .conftest import make_measure

S = RiskLocation.Status


def assigned(user, *objs):
    for obj in objs:
        Assignment.objects.get_or_create(user=user, content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
    return verified_client(user)


@pytest.fixture
def park(access):
    location = risk.create_location(access, kind="bedrijventerrein", name="Bedrijvenpark De Raaf", on=date(2024, 3, 1),
                                    branch="autobranche")
    risk.change_status(access, location, S.IN_VIEW, on=date(2024, 6, 1))
    return location


@pytest.fixture
def camping(access):
    return risk.create_location(access, kind="vakantiepark", name="Camping De Vlietoever", on=date(2025, 1, 5))


def test_list_filters_counts_and_is_audited(town, park, camping):
    risk.create_location(access_for_user(town["coordinator_b"]), kind="pand", name="Pand bij de buren", on=date(2024, 1, 1))
    client = verified_client(town["analist"])
    page = client.get("/gebieden/risicolocaties/").content.decode()
    assert "Bedrijvenpark De Raaf" in page and "Camping De Vlietoever" in page and "Pand bij de buren" not in page
    assert "2 risicolocaties" in page and "Risicolocatie toevoegen" in page
    # the counts table: 2024 one new and one in view, 2025 one new; two open at the end of 2025
    assert '<th class="utrecht-table__header-cell" scope="row">2024</th>' in page
    page = client.get("/gebieden/risicolocaties/?status=in_beeld").content.decode()
    assert "Bedrijvenpark De Raaf" in page and "Camping De Vlietoever" not in page
    page = client.get("/gebieden/risicolocaties/?soort=vakantiepark&status=onzin").content.decode()
    assert "Camping De Vlietoever" in page and "Bedrijvenpark De Raaf" not in page
    entry = AuditEntry.objects.filter(object_type="areas.risklocation", action=AuditEntry.Action.LIST).last()
    assert entry.detail["soort"] == "vakantiepark" and entry.detail["shown"] == [camping.pk] and entry.detail["status"] == ""


def test_export_csv_counts_per_year_with_export_audit(town, park, camping):
    response = verified_client(town["coordinator"]).get("/gebieden/risicolocaties/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "Jaar;Nieuw in register;In beeld brengen;Vermoeden bevestigd;Vermoeden ontkracht;Aangepakt;Open op 31-12"
    assert "2024;1;1;0;0;0;1" in lines and "2025;1;0;0;0;0;2" in lines
    entry = AuditEntry.objects.filter(object_type="areas.risklocation", action=AuditEntry.Action.EXPORT).get()
    assert entry.username == town["coordinator"].username and entry.detail["rows"] == len(lines) - 1


def test_role_without_cases_sees_nothing(town, park):
    # the boa has no CASES category: refused; the council neither
    for user in (town["boa"], town["raadslid"]):
        client = verified_client(user)
        assert client.get("/gebieden/risicolocaties/").status_code == 403
        assert client.get(f"/gebieden/risicolocaties/{park.pk}/").status_code == 403
        assert client.get("/gebieden/risicolocaties/export.csv").status_code == 403
    # a jurist reads (CASES) but may not write
    jurist = assigned(town["jurist"], park)
    assert jurist.get(f"/gebieden/risicolocaties/{park.pk}/").status_code == 200
    assert jurist.get("/gebieden/risicolocaties/nieuw/").status_code == 403
    assert jurist.post(f"/gebieden/risicolocaties/{park.pk}/status/", {"status": S.CONFIRMED}).status_code == 403


def test_other_municipality_gets_404(town, park):
    client = assigned(town["coordinator_b"], park)
    for url in ("", "bewerken/"):
        assert client.get(f"/gebieden/risicolocaties/{park.pk}/{url}").status_code == 404
    assert client.post(f"/gebieden/risicolocaties/{park.pk}/status/", {"status": S.CONFIRMED}).status_code == 404
    assert client.post(f"/gebieden/risicolocaties/{park.pk}/maatregelen/", {"reference": "x"}).status_code == 404
    assert "Bedrijvenpark" not in client.get("/gebieden/risicolocaties/").content.decode()
    assert RiskLocation.unscoped.get(pk=park.pk).status == S.IN_VIEW


def test_detail_needs_a_purpose_and_is_audited(town, park):
    client = verified_client(town["analist"])
    response = client.get(f"/gebieden/risicolocaties/{park.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/doel/")
    client.post(response["Location"], {"purpose": "overleg", "explanation": "voorbereiding lokaal overleg"})
    page = client.get(f"/gebieden/risicolocaties/{park.pk}/").content.decode()
    assert "Bedrijvenpark De Raaf" in page and "in beeld brengen" in page and "autobranche" in page
    assert AuditEntry.objects.filter(object_type="areas.risklocation", object_id=str(park.pk), action=AuditEntry.Action.VIEW,
                                     username=town["analist"].username).exists()


def test_create_through_the_form_with_an_address(town):
    address = Address.unscoped.create(owner=town["orgs"]["a"], street="Loodsweg", house_number=3, postcode="9901AB", city="Aastad")
    client = verified_client(town["coordinator"])
    assert client.get("/gebieden/risicolocaties/nieuw/").status_code == 200
    response = client.post("/gebieden/risicolocaties/nieuw/", {
        "kind": "pand", "name": "Loods Loodsweg", "postcode": "9901 ab", "house_number": "3", "confidentiality": "3",
    })
    location = RiskLocation.unscoped.get(name="Loods Loodsweg")
    assert response.status_code == 302 and response["Location"] == f"/gebieden/risicolocaties/{location.pk}/"
    assert (location.address_id, location.status, location.owner_id) == (address.pk, S.BASELINE, town["orgs"]["a"].pk)
    assert AuditEntry.objects.filter(object_type="areas.risklocation", object_id=str(location.pk), action=AuditEntry.Action.CREATE).exists()


@pytest.mark.parametrize("data, message", [
    ({"kind": "pand", "name": "", "confidentiality": "3"}, "Dit veld is vereist."),
    ({"kind": "kasteel", "name": "X", "confidentiality": "3"}, "Selecteer een geldige keuze."),
    ({"kind": "pand", "name": "X", "postcode": "9901AB", "confidentiality": "3"}, "Vul voor een adres zowel postcode als huisnummer in."),
    ({"kind": "pand", "name": "X", "postcode": "99", "house_number": "3", "confidentiality": "3"}, "Geen geldige postcode"),
    ({"kind": "pand", "name": "X", "postcode": "9999ZZ", "house_number": "3", "confidentiality": "3"}, "Dit adres staat niet in het register"),
])
def test_create_bad_input_gives_dutch_form_errors(town, data, message):
    response = verified_client(town["coordinator"]).post("/gebieden/risicolocaties/nieuw/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not RiskLocation.unscoped.exists()


def test_edit_status_and_measure_link_through_http(town, access, park):
    client = assigned(town["coordinator"], park)
    response = client.post(f"/gebieden/risicolocaties/{park.pk}/bewerken/", {
        "kind": "branche", "name": "Autobedrijven De Raaf", "branch": "autobranche", "confidentiality": "3",
    })
    assert response.status_code == 302
    park.refresh_from_db()
    assert (park.kind, park.name) == ("branche", "Autobedrijven De Raaf")
    # 'aangepakt' straight from 'in beeld brengen' is refused in Dutch, nothing changes
    response = client.post(f"/gebieden/risicolocaties/{park.pk}/status/", {"status": S.TACKLED, "on": "2024-07-01"}, follow=True)
    assert "Van ‘in beeld brengen’ kan niet naar ‘aangepakt’." in response.content.decode()
    client.post(f"/gebieden/risicolocaties/{park.pk}/status/", {"status": S.CONFIRMED, "on": "2024-07-01"})
    response = client.post(f"/gebieden/risicolocaties/{park.pk}/status/", {"status": S.TACKLED, "on": "2024-09-01"}, follow=True)
    assert "Koppel eerst een maatregel" in response.content.decode()
    measure = make_measure(access, town["orgs"]["a"])
    response = client.post(f"/gebieden/risicolocaties/{park.pk}/maatregelen/", {"reference": "ONBEKEND"}, follow=True)
    assert "Onbekende maatregel" in response.content.decode()
    client.post(f"/gebieden/risicolocaties/{park.pk}/maatregelen/", {"reference": measure.reference})
    response = client.post(f"/gebieden/risicolocaties/{park.pk}/status/", {"status": S.TACKLED, "on": "2024-09-01"}, follow=True)
    assert "Status gewijzigd." in response.content.decode() and measure.reference in response.content.decode()
    park.refresh_from_db()
    assert (park.status, park.status_on) == (S.TACKLED, date(2024, 9, 1))
    response = client.post(f"/gebieden/risicolocaties/{park.pk}/status/", {"status": S.IN_VIEW, "on": "31-31-2024"}, follow=True)
    assert "Voer een geldige datum in." in response.content.decode()
    assert client.get(f"/gebieden/risicolocaties/{park.pk}/status/").status_code == 405


def test_edit_keeps_an_address_the_editor_may_not_see(town, access):
    secret = Address.unscoped.create(owner=town["orgs"]["a"], street="Geheimstraat", house_number=1, postcode="9901AB",
                                     city="Aastad", confidentiality=8)
    location = risk.create_location(access, kind="pand", name="Pand", address=secret)
    client = assigned(town["coordinator"], location)  # clearance 7: the address is invisible
    page = client.get(f"/gebieden/risicolocaties/{location.pk}/").content.decode()
    assert "Geheimstraat" not in page
    client.post(f"/gebieden/risicolocaties/{location.pk}/bewerken/", {"kind": "pand", "name": "Pand 2", "confidentiality": "3"})
    location.refresh_from_db()
    assert (location.name, location.address_id) == ("Pand 2", secret.pk)
