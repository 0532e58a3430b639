"""The case pages through HTTP: list, open, detail, edit, phase, share, interventions; tenancy,
need-to-know, the purpose gate, bad input and the 'wat weten we al' section on a signal."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from regie.accounts.access import access_for_user
from regie.accounts.models import Assignment
from regie.audit.models import AuditEntry
from regie.cases import services
from regie.cases.models import Case, Intervention
from regie.intake.models import Signal
from regie.organisations.models import Share
from tests.conftest import as_user, verified_client

from .conftest import address, person


def assign(user, *objs):
    for obj in objs:
        Assignment.objects.get_or_create(user=user, content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
    return verified_client(user)


@pytest.fixture
def case(town, access, make_signal):
    with as_user(town["coordinator"]):
        return services.open_case(access, title="Loods Loodsweg", signals=[make_signal(mentions=[person()], address=address())],
                                  next_discussion_on=date(2026, 2, 1))


def test_list_shows_own_cases_filtered_and_is_audited(town, access, case):
    other = services.open_case(access, title="Horeca", themes=["horeca"])
    services.set_phase(access, other, "analyse")
    services.open_case(access_for_user(town["coordinator_b"]), title="Bij de buren")
    client = verified_client(town["coordinator"])
    page = client.get("/casussen/").content.decode()
    assert "Loods Loodsweg" in page and "Horeca" in page and "Bij de buren" not in page
    assert "2 casussen" in page
    page = client.get("/casussen/?fase=analyse").content.decode()
    assert "Horeca" in page and "Loods Loodsweg" not in page
    page = client.get("/casussen/?thema=horeca").content.decode()
    assert "Horeca" in page and "Loods Loodsweg" not in page
    assert "Geen casussen." in client.get("/casussen/?mijn=1").content.decode()
    services.update_case(access, other, coordinator=town["coordinator"])
    page = client.get("/casussen/?mijn=1").content.decode()
    assert "Horeca" in page and "Loods Loodsweg" not in page
    entry = AuditEntry.objects.filter(object_type="cases.case", action=AuditEntry.Action.LIST).last()
    assert entry.detail["shown"] == [other.pk]


@pytest.mark.parametrize("role", ["boa", "medewerker"])
def test_roles_without_the_category_are_refused(town, case, role):
    client = assign(town[role], case)
    assert client.get("/casussen/").status_code == 403
    assert client.get(f"/casussen/{case.pk}/").status_code == 403
    assert client.post(f"/casussen/{case.pk}/fase/", {"what": "fase", "phase": "analyse"}).status_code == 403


def test_another_municipality_gets_404_as_for_a_missing_case(town, case):
    client = assign(town["coordinator_b"], case)
    for url in (f"/casussen/{case.pk}/", f"/casussen/{case.pk}/bewerken/", f"/casussen/{case.pk}/interventies/nieuw/"):
        assert client.get(url).status_code == 404
        assert client.get(url.replace(str(case.pk), "999999")).status_code == 404
    response = client.post(f"/casussen/{case.pk}/fase/", {"what": "fase", "phase": "analyse"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.phase == "verkenning"


def test_detail_shows_subjects_signals_matrix_and_timeline(town, access, case):
    services.add_intervention(access, case, partner=town["orgs"]["politie"], domain="strafrechtelijk",
                              instrument="doorzoeking", description="Doorzoeking loods")
    signal = case.signal_links.get().signal
    client = assign(town["analist"], case)
    response = client.get(f"/casussen/{case.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kees de Vries" in page and "Loodsweg 10" in page and signal.reference in page
    assert "Interventiematrix" in page and "Politie Testeenheid" in page and "doorzoeking" in page
    assert "Casus geopend" in page and "Fase wijzigen" in page
    assert AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk), action=AuditEntry.Action.VIEW).exists()


def test_unassigned_user_states_a_purpose_first(town, case):
    client = verified_client(town["analist"])
    response = client.get(f"/casussen/{case.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/doel/")
    response = client.post(f"/casussen/{case.pk}/fase/", {"what": "fase", "phase": "analyse"})
    assert response.status_code == 302 and response["Location"].startswith("/doel/")
    case.refresh_from_db()
    assert case.phase == "verkenning"
    client.post(response["Location"], {"purpose": "overleg", "explanation": "voorbereiding lokaal overleg"})
    assert client.get(f"/casussen/{case.pk}/").status_code == 200


def test_partner_sees_a_case_only_when_shared_and_reports_back(town, access, case):
    item = services.add_intervention(access, case, partner=town["orgs"]["politie"], domain="strafrechtelijk",
                                     description="Inval")
    own = services.add_intervention(access, case, partner=town["orgs"]["a"], domain="bestuurlijk", description="Sluiting")
    client = assign(town["partner"], case)
    assert client.get(f"/casussen/{case.pk}/").status_code == 404
    assert "Loods Loodsweg" not in client.get("/casussen/").content.decode()
    services.share_case(access, case, town["orgs"]["politie"], basis="Convenant RIEC 2023, art. 5")
    page = client.get(f"/casussen/{case.pk}/").content.decode()
    assert "Loods Loodsweg" in page and "Inval" in page
    assert "Fase wijzigen" not in page and "Kees de Vries" not in page  # the person is not shared
    assert "Afgeschermd subject" in page
    assert client.get(f"/casussen/{case.pk}/bewerken/").status_code == 403
    assert client.get(f"/casussen/{case.pk}/interventies/{own.pk}/").status_code == 403
    response = client.post(f"/casussen/{case.pk}/interventies/{item.pk}/",
                           {"status": "uitgevoerd", "result": "Twee aanhoudingen"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.result) == ("uitgevoerd", "Twee aanhoudingen")
    # he cannot slip other fields in through the feedback form
    client.post(f"/casussen/{case.pk}/interventies/{item.pk}/", {"status": "uitgevoerd", "result": "x", "description": "y"})
    item.refresh_from_db()
    assert item.description == "Inval"


def test_create_from_a_signal(town, make_signal):
    signal = make_signal(themes=["witwassen"])
    client = assign(town["coordinator"], signal)
    page = client.get(f"/casussen/nieuw/?signaal={signal.pk}").content.decode()
    assert signal.reference in page and f"Casus naar aanleiding van {signal.reference}" in page
    response = client.post("/casussen/nieuw/", {
        "title": "Witwassen garage", "target_type": "bedrijf", "case_type": "integraal", "themes": ["witwassen"],
        "confidentiality": "4", "signal_references": signal.reference.lower(), "note": "LOO 3 maart",
    })
    case = Case.unscoped.get()
    assert response.status_code == 302 and response["Location"] == f"/casussen/{case.pk}/"
    assert case.signal_links.get().signal == signal and case.target_type == "bedrijf"
    signal.refresh_from_db()
    assert signal.status == Signal.Status.IN_CASE
    assert client.get(response["Location"]).status_code == 200  # the creator is assigned


def test_create_refuses_bad_input_without_writing(town, make_signal):
    foreign = make_signal(org=town["orgs"]["b"])
    unopened = make_signal()
    client = verified_client(town["coordinator"])
    base = {"title": "X", "target_type": "persoon", "case_type": "integraal", "confidentiality": "4"}
    for data, message in (
        ({**base, "title": ""}, "Dit veld is vereist"),
        ({**base, "signal_references": foreign.reference}, "Onbekend signaal"),
        ({**base, "signal_references": unopened.reference}, "geef een doel op"),
        ({**base, "confidentiality": "8"}, "Selecteer een geldige keuze"),
        ({**base, "case_type": "groot"}, "Selecteer een geldige keuze"),
    ):
        response = client.post("/casussen/nieuw/", data)
        assert response.status_code == 400 and message in response.content.decode(), message
    assert not Case.unscoped.exists()
    assert verified_client(town["jurist"]).get("/casussen/nieuw/").status_code == 403
    assert client.get(f"/casussen/nieuw/?signaal={foreign.pk}").status_code == 404


def test_edit_links_a_signal_and_adds_a_subject(town, access, case, make_signal):
    signal = make_signal(text="Nieuwe melding over de loods")
    client = assign(town["coordinator"], case, signal)
    assert client.get(f"/casussen/{case.pk}/bewerken/").status_code == 200
    response = client.post(f"/casussen/{case.pk}/bewerken/", {"what": "signal", "signaal-reference": signal.reference})
    assert response.status_code == 302
    assert case.signal_links.count() == 2
    response = client.post(f"/casussen/{case.pk}/bewerken/", {"what": "signal", "signaal-reference": signal.reference})
    assert response.status_code == 400 and "hoort al bij deze casus" in response.content.decode()
    response = client.post(f"/casussen/{case.pk}/bewerken/", {"what": "subject", "subject-identifier": "1234 AB 10", "subject-role": "pandeigenaar"})
    assert response.status_code == 400 and "al bij deze casus" in response.content.decode()  # the signal's location
    response = client.post(f"/casussen/{case.pk}/bewerken/", {"what": "subject", "subject-identifier": "99-XX-11", "subject-role": "subject"})
    assert response.status_code == 302 and case.subjects.filter(vehicle_plate="99XX11").exists()
    response = client.post(f"/casussen/{case.pk}/bewerken/", {"what": "subject", "subject-identifier": "999990019", "subject-role": "subject"})
    assert response.status_code == 400 and "Niet gevonden" in response.content.decode()
    response = client.post(f"/casussen/{case.pk}/bewerken/", {
        "what": "case", "title": "Loods en garage", "target_type": "locatie", "case_type": "multi", "confidentiality": "4",
    })
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.case_type, case.next_discussion_on) == ("Loods en garage", "multi", None)


def test_phase_page_closes_reopens_and_escalates_with_messages(town, case):
    client = assign(town["coordinator"], case)
    url = f"/casussen/{case.pk}/fase/"
    response = client.post(url, {"what": "fase", "phase": "afgesloten"}, follow=True)
    assert "Geef een reden om de casus af te sluiten." in response.content.decode()
    client.post(url, {"what": "fase", "phase": "afgesloten", "reason": "capaciteit"})
    case.refresh_from_db()
    assert (case.phase, case.closed_reason) == ("afgesloten", "capaciteit")
    page = client.get(f"/casussen/{case.pk}/").content.decode()
    assert "voortijdig wegens capaciteit" in page and "Casus heropenen" in page
    response = client.post(url, {"what": "fase", "phase": "analyse"}, follow=True)
    assert "alleen expliciet worden heropend" in response.content.decode()
    client.post(url, {"what": "heropenen", "phase": "analyse", "note": "Nieuwe informatie van de politie"})
    client.post(url, {"what": "opschaling", "escalation_level": "riec"})
    case.refresh_from_db()
    assert (case.phase, case.escalation_level) == ("analyse", "riec")
    assert client.get(url).status_code == 405
    assert client.post(url, {"what": "iets"}).status_code == 302


def test_share_page(town, case):
    client = assign(town["coordinator"], case)
    response = client.post(f"/casussen/{case.pk}/delen/", {"organisation": town["orgs"]["politie"].pk, "basis": ""}, follow=True)
    assert "noem de grondslag" in response.content.decode()
    client.post(f"/casussen/{case.pk}/delen/", {"organisation": town["orgs"]["politie"].pk, "basis": "Convenant RIEC, art. 5"})
    assert Share.objects.filter(organisation=town["orgs"]["politie"], object_id=case.pk).count() == 1
    assert assign(town["analist"], case).post(f"/casussen/{case.pk}/delen/", {}).status_code == 302
    assert assign(town["jurist"], case).post(f"/casussen/{case.pk}/delen/", {}).status_code == 403


def test_intervention_pages(town, case, access):
    client = assign(town["coordinator"], case)
    url = f"/casussen/{case.pk}/interventies/nieuw/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"partner": "999999", "domain": "bestuurlijk", "nature": "repressief",
                                 "description": "Sluiting", "status": "gepland"})
    assert response.status_code == 400 and "Onbekende partner" in response.content.decode()
    response = client.post(url, {"partner": town["orgs"]["a"].pk, "domain": "bestuurlijk", "nature": "repressief",
                                 "description": "Sluiting 13b", "status": "gepland", "planned_on": "2026-03-01"})
    assert response.status_code == 302
    item = Intervention.objects.get()
    edit = f"/casussen/{case.pk}/interventies/{item.pk}/"
    page = client.get(edit).content.decode()
    assert "Sluiting 13b" in page and 'value="2026-03-01"' in page
    data = {"partner": town["orgs"]["a"].pk, "domain": "bestuurlijk", "nature": "repressief", "description": "Sluiting 13b",
            "status": "uitgevoerd", "planned_on": "2026-03-01", "started_on": "2026-03-02", "done_on": "2026-03-01"}
    response = client.post(edit, data)
    assert response.status_code == 400 and "vóór de startdatum" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "gepland"
    response = client.post(edit, {**data, "done_on": "2026-03-04", "result": "Pand 3 maanden gesloten"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.result) == ("uitgevoerd", "Pand 3 maanden gesloten")
    assert client.get(f"/casussen/{case.pk}/interventies/999999/").status_code == 404
    assert "Pand 3 maanden gesloten" in client.get(f"/casussen/{case.pk}/").content.decode()


def test_signal_page_shows_cases_about_the_same_subjects(town, access, case, make_signal):
    # a new signal about the same building (another house letter would still be the same pand)
    later = make_signal(text="Weer hennepgeur", mentions=[person()], address=address())
    client = assign(town["coordinator"], later)
    page = client.get(f"/signalen/{later.pk}/").content.decode()
    assert "Casussen over dezelfde subjecten, hetzelfde adres of hetzelfde pand (1)" in page
    assert f"{case.reference} Loods Loodsweg (fase verkenning, 1 signaal, 0 interventies)" in page
    # the signal inside the case says so; a case of another municipality never shows
    own = case.signal_links.get().signal
    page = assign(town["coordinator"], own).get(f"/signalen/{own.pk}/").content.decode()
    assert "bevat dit signaal" in page
    neighbour = make_signal(org=town["orgs"]["b"], mentions=[person()], address=address())
    page = assign(town["coordinator_b"], neighbour).get(f"/signalen/{neighbour.pk}/").content.decode()
    assert "Casussen over dezelfde subjecten, hetzelfde adres of hetzelfde pand (0)" in page


def test_a_reader_sees_the_case_but_cannot_change_it(town, case):
    client = assign(town["jurist"], case)
    page = client.get(f"/casussen/{case.pk}/").content.decode()
    assert "Loods Loodsweg" in page and "Fase wijzigen" not in page and "Bewerken" not in page
    assert client.get(f"/casussen/{case.pk}/bewerken/").status_code == 403
    assert client.post(f"/casussen/{case.pk}/fase/", {"what": "fase", "phase": "analyse"}).status_code == 403
    assert client.get(f"/casussen/{case.pk}/interventies/nieuw/").status_code == 403
    case.refresh_from_db()
    assert case.phase == "verkenning"
