"""The control pages through HTTP: the year plan (point 1), the control file (point 2), the field
list (point 3), follow-up (point 4), the report and its exports (point 5), bad input with a Dutch
message (point 6); tenancy (404), need-to-know (403), the purpose gate and the audit rows."""

import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from regie.accounts.access import access_for_user
from regie.accounts.models import Assignment
from regie.audit.models import AuditEntry
from regie.controls import services
from regie.controls.models import Control, Finding
from regie.intake.models import Signal
from tests.conftest import verified_client
from tests.controls.conftest import TODAY, plan, ready


def assign(user, obj):
    Assignment.objects.get_or_create(user=user, content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


def test_the_year_plan_page_shows_target_and_realisation(town):
    access = town["access"]
    services.save_plan(access, TODAY.year, target=12)
    done = ready(town, on=TODAY)
    services.execute(access, done)
    cancelled = plan(town, on=TODAY)
    services.cancel(access, cancelled, kind="capaciteit", reason="geen capaciteit Arbeidsinspectie",
                    partner=town["orgs"]["inspectie"])
    response = verified_client(town["burgemeester"]).get(reverse("controls:list") + f"?jaar={TODAY.year}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "12 controles" in page and "1 (8% van het streefaantal)" in page
    assert done.reference in page and "geen capaciteit Arbeidsinspectie" in page
    entry = AuditEntry.objects.filter(action="list", object_type="controls.control").latest("seq")
    assert sorted(entry.detail["shown"]) == sorted([done.pk, cancelled.pk])


def test_the_coordinator_sets_the_year_plan_and_plans_a_control(town):
    client = verified_client(town["coordinator"])
    response = client.post(reverse("controls:plan"), {"year": TODAY.year + 1, "target": 12, "note": "Elke maand één"})
    assert response.status_code == 302
    bad = client.post(reverse("controls:plan"), {"year": TODAY.year + 1, "target": 0})
    assert bad.status_code == 400
    response = client.post(reverse("controls:create"), {
        "planned_on": f"{TODAY.year + 1}-03-12", "kind": "horeca", "title": "Horeca Centrum", "goals": "",
        "confidentiality": 4, "requesting_forum": town["forum"].pk,
    })
    control = Control.objects.visible_to(town["access"]).get()
    assert response.status_code == 302 and response["Location"] == reverse("controls:detail", args=[control.pk])
    assert (control.kind, control.requesting_forum, control.plan.target) == ("horeca", town["forum"], 12)
    # point 6: confirming without goals is refused with a clear message, nothing changes
    refused = client.post(reverse("controls:status", args=[control.pk]), {"actie": "bevestigen"})
    assert refused.status_code == 400
    assert "Een controle kan pas worden bevestigd als haar doelen zijn vastgelegd." in refused.content.decode()
    assert Control.objects.visible_to(town["access"]).get().status == "gepland"
    # point 6: a participant without a role
    refused = client.post(reverse("controls:participants", args=[control.pk]),
                          {"organisation": town["orgs"]["inspectie"].pk, "role": "", "people": 1})
    assert refused.status_code == 400 and "Geef de rol van deze deelnemer" in refused.content.decode()
    assert not control.participants.exists()
    # goals, then confirmed
    client.post(reverse("controls:edit", args=[control.pk]), {
        "planned_on": f"{TODAY.year + 1}-03-12", "kind": "horeca", "title": "Horeca Centrum", "confidentiality": 4,
        "goals": "Naleving vergunningvoorwaarden\nZicht op personeel"})
    assert client.post(reverse("controls:status", args=[control.pk]), {"actie": "bevestigen"}).status_code == 302
    assert Control.objects.visible_to(town["access"]).get().status == "bevestigd"


def test_the_control_file_asks_partners_draws_addresses_and_logs_the_briefing(town):
    client = verified_client(town["coordinator"])
    control = plan(town)
    url = reverse("controls:detail", args=[control.pk])
    assert client.post(reverse("controls:partners", args=[control.pk]),
                       {"organisation": town["orgs"]["inspectie"].pk, "people": 2}).status_code == 302
    row = control.requests.get()
    assert client.post(reverse("controls:partners", args=[control.pk]),
                       {"verzoek": row.pk, "answer": "toegezegd", "people": 2}).status_code == 302
    assert client.post(reverse("controls:participants", args=[control.pk]), {
        "organisation": town["orgs"]["inspectie"].pk, "role": "toezicht arbeidsmarkt", "powers": "Wav", "people": 2,
    }).status_code == 302
    assert client.post(reverse("controls:addresses", args=[control.pk]),
                       {"actie": "trekken", "area": f"b{town['buurt'].pk}", "count": 3, "seed": 7}).status_code == 302
    assert control.addresses.filter(source="willekeurig").count() == 3
    assert client.post(reverse("controls:notes", args=[control.pk]),
                       {"kind": "briefing", "text": "Verzamelen om 7 uur.", "confidentiality": 5}).status_code == 302
    before = AuditEntry.objects.filter(object_type="controls.controlnote", action="view").count()
    page = client.get(url).content.decode()
    assert "toegezegd" in page and "toezicht arbeidsmarkt" in page and "startwaarde 7" in page
    assert "Verzamelen om 7 uur." in page
    assert AuditEntry.objects.filter(object_type="controls.controlnote", action="view").count() == before + 1
    # the boa (clearance 4) sees the control but not the vertrouwelijke briefing
    assign(town["boa"], control)
    boa_page = verified_client(town["boa"]).get(url).content.decode()
    assert control.reference in boa_page and "Verzamelen om 7 uur." not in boa_page


@pytest.mark.parametrize("role", ["jurist", "bibob", "raadslid", "privacy", "beheerder"])
def test_roles_without_the_need_to_know_are_refused(town, role):
    control = plan(town)
    client = verified_client(town[role])
    assert client.get(reverse("controls:list")).status_code == 403
    assert client.get(reverse("controls:detail", args=[control.pk])).status_code == 403
    assert client.get(reverse("controls:field_list", args=[control.pk])).status_code == 403


def test_another_municipality_and_an_unshared_partner_get_404(town):
    control = ready(town)
    for user in ("coordinator_b", "boa_b"):
        client = verified_client(town[user])
        for name in ("controls:detail", "controls:field_list"):
            assert client.get(reverse(name, args=[control.pk])).status_code == 404
        response = client.post(reverse("controls:field_finding", args=[control.pk]),
                               {"adres": control.addresses.first().pk, "kind": "overtreding", "text": "abc"})
        assert response.status_code == 404
    assert verified_client(town["inspecteur"]).get(reverse("controls:detail", args=[control.pk])).status_code == 404
    assert not Finding.objects.exists()


def test_an_unassigned_reader_states_a_purpose_first(town):
    control = plan(town)
    response = verified_client(town["burgemeester"]).get(reverse("controls:detail", args=[control.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("audit:purpose"))


# --- point 3: the field list -------------------------------------------------------------------------

def test_the_boa_works_the_field_list_with_htmx(town):
    control = ready(town, lead=town["boa"].pk)  # the lead is assigned: no purpose to state
    client = verified_client(town["boa"])
    page = client.get(reverse("controls:field_list", args=[control.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "0 van 2 adressen bezocht" in html and "veldlijst.css" in html
    row = control.addresses.first()
    visited = client.post(reverse("controls:field_visited", args=[control.pk]), {"adres": row.pk, "bezocht": "1"},
                          HTTP_HX_REQUEST="true")
    assert visited.status_code == 200 and f'id="adres-{row.pk}"' in visited.content.decode()
    assert "<html" not in visited.content.decode()  # only the card comes back
    row.refresh_from_db()
    assert row.visited and row.visited_by == town["boa"]
    found = client.post(reverse("controls:field_finding", args=[control.pk]), {
        "adres": row.pk, "kind": "niet_ingeschreven", "text": "Vier bedden in de kantine", "persons": "4",
        "organisation": control.owner_id, "to_signal": "on"}, HTTP_HX_REQUEST="true")
    card = found.content.decode()
    finding = Finding.objects.get(control=control)
    assert found.status_code == 200 and "Nieuw signaal" in card and finding.signal.reference in card
    assert finding.signal.channel == "control" and finding.persons == 4
    # bad input in the field: the card comes back with the message, nothing written
    bad = client.post(reverse("controls:field_finding", args=[control.pk]),
                      {"adres": row.pk, "kind": "niet_ingeschreven", "text": "Bedden", "organisation": control.owner_id},
                      HTTP_HX_REQUEST="true")
    assert "Hoeveel personen verblijven er zonder inschrijving op het adres?" in bad.content.decode()
    assert Finding.objects.filter(control=control).count() == 1


def test_a_finding_elsewhere_without_a_reason_is_refused_on_the_field_list(town):
    control = ready(town, lead=town["boa"].pk)
    client = verified_client(town["boa"])
    data = {"postcode": "1234AB", "house_number": "11", "street": "Industrieweg", "kind": "overtreding",
            "text": "Opslag gasflessen", "organisation": control.owner_id}
    refused = client.post(reverse("controls:field_finding", args=[control.pk]), data)
    assert refused.status_code == 400 and "staat niet op de adreslijst van de controle" in refused.content.decode()
    assert not Finding.objects.exists()
    done = client.post(reverse("controls:field_finding", args=[control.pk]), {**data, "reden": "Melding ter plaatse van de buren"})
    assert done.status_code == 302
    assert Finding.objects.get().address.source == "ter_plaatse"


def test_a_shared_partner_records_findings_for_his_own_organisation(town):
    control = ready(town)
    services.share_control(town["access"], control, town["orgs"]["inspectie"], basis="Convenant integrale controles art. 4")
    assign(town["inspecteur"], control)
    client = verified_client(town["inspecteur"])
    assert client.get(reverse("controls:field_list", args=[control.pk])).status_code == 200
    response = client.post(reverse("controls:field_finding", args=[control.pk]), {
        "adres": control.addresses.first().pk, "kind": "tewerkstelling", "text": "Twee werknemers zonder TWV",
        "organisation": control.owner_id})  # he cannot record on behalf of the municipality
    assert response.status_code == 302
    assert Finding.objects.get().organisation == town["orgs"]["inspectie"]
    # but he does not plan
    assert client.post(reverse("controls:status", args=[control.pk]), {"actie": "uitvoeren"}).status_code == 403


# --- point 4 through the pages ----------------------------------------------------------------------

def test_findings_become_a_signal_and_an_action_from_the_control_file(town):
    control = ready(town)
    access = town["access"]
    finding = services.record_finding(access, control, kind="aangetroffen", text="Nepsigaretten in de opslag",
                                      address=control.addresses.first().pk)
    client = verified_client(town["coordinator"])
    url = reverse("controls:followup", args=[control.pk])
    assert client.post(url, {"bevinding": finding.pk, "soort": "signaal"}).status_code == 302
    assert Signal.objects.visible_to(access).filter(channel="control").count() == 1
    refused = client.post(url, {"bevinding": finding.pk, "soort": "actie", "partner": town["orgs"]["inspectie"].pk,
                                "actie": "", "uiterlijk": ""})
    assert refused.status_code == 400 and "Beschrijf de vervolgactie" in refused.content.decode()
    ok = client.post(url, {"bevinding": finding.pk, "soort": "actie", "partner": town["orgs"]["inspectie"].pk,
                           "actie": "Douane informeren over nepsigaretten", "uiterlijk": (TODAY + timedelta(days=10)).isoformat()})
    assert ok.status_code == 302
    finding.refresh_from_db()
    assert finding.action.owner_organisation == town["orgs"]["inspectie"]
    assert AuditEntry.objects.filter(object_type="meetings.action", action="create", object_id=str(finding.action_id)).exists()


# --- point 5: reports ------------------------------------------------------------------------------

def test_the_report_counts_per_type_and_partner_with_yield_and_exports(town):
    access = town["access"]
    year = TODAY.year
    services.save_plan(access, year, target=12)
    control = ready(town, on=TODAY)
    services.record_finding(access, control, kind="tewerkstelling", text="Drie werknemers zonder TWV",
                            address=control.addresses.first().pk, organisation=town["orgs"]["inspectie"].pk, to_signal=True)
    services.execute(access, control)
    cancelled = plan(town, on=TODAY, kind="horeca", title="Horeca Centrum")
    services.cancel(access, cancelled, kind="capaciteit", reason="geen capaciteit Arbeidsinspectie",
                    partner=town["orgs"]["inspectie"])
    client = verified_client(town["burgemeester"])
    page = client.get(reverse("controls:report") + f"?jaar={year}")
    html = page.content.decode()
    assert page.status_code == 200 and "geen capaciteit Arbeidsinspectie" in html
    csv_response = client.get(reverse("controls:report") + f"?jaar={year}&formaat=csv")
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    rows = [line.split(";") for line in csv_response.content.decode("utf-8-sig").splitlines()]
    assert ["Uitgevoerd", "1"] in rows and ["Geannuleerd", "1"] in rows and ["Nieuwe signalen", "1"] in rows
    assert ["bedrijventerrein", "1", "1", "0", "0", "1", "1", "1", "0", "0", "0"] in rows
    assert ["horeca", "1", "0", "1", "0", "0", "0", "0", "0", "0", "0"] in rows
    # asked once, no answer recorded, took part in the executed one, one finding, one cancellation for capacity
    assert ["Arbeidsinspectie Test", "1", "0", "0", "1", "1", "1"] in rows
    entry = AuditEntry.objects.filter(action="export", object_type="controls.control").latest("seq")
    assert entry.detail == {"document": "rapportage integrale controles", "year": year, "format": "csv"}
    xlsx = client.get(reverse("controls:report") + f"?jaar={year}&formaat=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["Uitgevoerd", 1] in values
    assert client.get(reverse("controls:report") + "?jaar=twintig").status_code == 400
    assert client.get(reverse("controls:report") + f"?jaar={year}&formaat=pdf").status_code == 400
    assert verified_client(town["boa"]).get(reverse("controls:report")).status_code == 403


def test_the_report_of_another_municipality_is_its_own(town):
    ready(town, on=TODAY)
    client = verified_client(town["coordinator_b"])
    html = client.get(reverse("controls:report") + f"?jaar={TODAY.year}").content.decode()
    assert "Geen controles in dit jaar." in html


def test_no_view_of_the_boa_sees_another_boas_work_without_assignment(town):
    control = ready(town)
    response = verified_client(town["boa"]).get(reverse("controls:field_list", args=[control.pk]))
    assert response.status_code == 302 and "/doel/" in response["Location"]
    assert access_for_user(town["boa"]).clearance == 4


def test_the_start_page_shows_the_coming_controls_and_the_plan(town):
    services.save_plan(town["access"], TODAY.year, target=12)
    control = ready(town, on=TODAY)
    page = verified_client(town["boa"]).get(reverse("web:start")).content.decode()
    assert control.reference in page and reverse("controls:field_list", args=[control.pk]) in page
    assert "Jaarplan: 0 van 12 uitgevoerd" in page and 'href="/controles/"' in page  # the nav link
    assert 'href="/controles/"' not in verified_client(town["jurist"]).get(reverse("web:start")).content.decode()
