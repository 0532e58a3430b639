"""The subjects pages through HTTP: list, search, detail with the purpose gate, create, edit,
delete and export, each audited."""

import csv
import io
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry, PurposeDeclaration
from regie.subjects.models import Address, Company, Person
from tests.conftest import verified_client

from .conftest import MISSING_PK, PAYLOADS, VALID_BSN, assign, make_address, make_company, make_person


@pytest.fixture
def client_a(coordinator):
    return verified_client(coordinator)


def actions(**filters):
    return list(AuditEntry.objects.filter(**filters).values_list("action", flat=True))


# --- access to the pages --------------------------------------------------------------------


def test_anonymous_is_sent_to_login(db, client):
    for url in ("/subjecten/personen/", "/subjecten/personen/1/", "/subjecten/personen/export.csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/inloggen/?next=")


def test_session_without_second_factor_is_sent_to_verify(orgs, make_user):
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    make_person(orgs["a"], "Jansen")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/subjecten/personen/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/tweede-factor/")
    assert b"Jansen" not in response.content


def test_unknown_kind_is_404(client_a):
    assert client_a.get("/subjecten/voertuigen/").status_code == 404
    assert client_a.get("/subjecten/voertuigen/1/").status_code == 404


# --- list and search ------------------------------------------------------------------------


def test_list_shows_own_rows_and_is_logged(orgs, client_a):
    address = make_address(orgs["a"], "Molenweg", house_number=7)
    make_person(orgs["a"], "Jansen", first_names="Jan", address=address)
    make_person(orgs["a"], "Bakker", first_names="Bea")
    response = client_a.get("/subjecten/personen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Jan Jansen" in html and "Bea Bakker" in html
    assert "Molenweg 7, 1234 AB Aastad" in html
    assert "2 personen" in html
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LIST)
    assert entry.object_type == "subjects.person"
    assert sorted(entry.detail["shown"]) == sorted(Person.unscoped.values_list("pk", flat=True))


def test_search_filters_and_is_logged_as_search(orgs, client_a):
    make_person(orgs["a"], "Jansen")
    make_person(orgs["a"], "Bakker")
    response = client_a.get("/subjecten/personen/?q=jans")
    assert [obj.surname for obj, _ in response.context["rows"]] == ["Jansen"]
    assert "gevonden voor “jans”" in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SEARCH)
    assert entry.detail["q"] == "jans"


@pytest.mark.parametrize("kind, make, term", [("bedrijven", make_company, "12345678"), ("adressen", make_address, "9999")])
def test_search_fields_per_kind(orgs, client_a, kind, make, term):
    if kind == "bedrijven":
        hit, miss = make(orgs["a"], "Alfa", kvk_number=term), make(orgs["a"], "Beta", kvk_number="87654321")
    else:
        hit, miss = make(orgs["a"], "Alfastraat", postcode="9999ZZ"), make(orgs["a"], "Betastraat")
    rows = client_a.get(f"/subjecten/{kind}/?q={term}").context["rows"]
    assert [obj.pk for obj, _ in rows] == [hit.pk]


def test_htmx_request_gets_only_the_results(orgs, client_a):
    make_person(orgs["a"], "Jansen")
    response = client_a.get("/subjecten/personen/?q=Jans", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<table" in html and "Jansen" in html
    assert "<html" not in html


def test_list_paginates(orgs, client_a):
    Person.unscoped.bulk_create([Person(owner=orgs["a"], surname=f"Naam{i:02d}") for i in range(30)])
    first = client_a.get("/subjecten/personen/")
    assert len(first.context["rows"]) == 25
    second = client_a.get("/subjecten/personen/?pagina=2")
    assert len(second.context["rows"]) == 5
    # a nonsense page number is the first page, not an error
    assert client_a.get("/subjecten/personen/?pagina=abc").status_code == 200


def test_writer_sees_create_and_export_actions(client_a):
    html = client_a.get("/subjecten/personen/").content.decode()
    assert "/subjecten/personen/nieuw/" in html
    assert "/subjecten/personen/export.csv" in html


# --- detail and the purpose gate ------------------------------------------------------------


def test_assigned_record_opens_and_is_logged(orgs, coordinator, client_a):
    person = make_person(orgs["a"], "Jansen", first_names="Jan", bsn=VALID_BSN)
    assign(coordinator, person)
    response = client_a.get(f"/subjecten/personen/{person.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Jan Jansen" in html
    assert VALID_BSN in html  # the coordinator sees the full BSN
    assert actions(object_type="subjects.person", object_id=str(person.pk)) == [AuditEntry.Action.VIEW]


@pytest.mark.parametrize("role", [Role.ANALIST, Role.BOA])
def test_bsn_is_masked_for_roles_that_do_not_need_it(orgs, make_user, role):
    user = make_user(role=role, org=orgs["a"])
    person = make_person(orgs["a"], "Jansen", bsn=VALID_BSN)
    assign(user, person)
    html = verified_client(user).get(f"/subjecten/personen/{person.pk}/").content.decode()
    assert VALID_BSN not in html
    assert "*****2333" in html


def test_unassigned_record_needs_a_purpose_first(orgs, coordinator, client_a):
    person = make_person(orgs["a"], "Jansen")
    url = f"/subjecten/personen/{person.pk}/"
    response = client_a.get(url)
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert target.path == "/doel/"
    assert parse_qs(target.query)["next"] == [url]
    assert not actions(action=AuditEntry.Action.VIEW, object_id=str(person.pk))

    form = client_a.get(response["Location"])
    assert form.status_code == 200
    too_short = client_a.post(response["Location"], {"purpose": "casus", "explanation": "kort"})
    assert too_short.status_code == 400
    assert "minstens 10 tekens" in too_short.content.decode()
    stated = client_a.post(response["Location"], {"purpose": "casus", "explanation": "Casus 2026-014, huisbezoek"})
    assert stated.status_code == 302
    assert stated["Location"] == url

    declaration = PurposeDeclaration.objects.get(user=coordinator, object_id=person.pk)
    assert declaration.purpose == "casus"
    detail = client_a.get(url)
    assert detail.status_code == 200
    view = AuditEntry.objects.get(action=AuditEntry.Action.VIEW, object_id=str(person.pk))
    assert view.purpose == "Onderzoek in een casus: Casus 2026-014, huisbezoek"


# --- create, edit, delete -------------------------------------------------------------------


def test_create_person_assigns_the_creator_and_logs_field_names(orgs, coordinator, client_a):
    address = make_address(orgs["a"])
    response = client_a.post(
        "/subjecten/personen/nieuw/",
        {**PAYLOADS["personen"], "birth_date": "1980-02-29", "address": address.pk, "confidentiality": 5},
    )
    person = Person.unscoped.get()
    assert response.status_code == 302
    assert response["Location"] == f"/subjecten/personen/{person.pk}/"
    assert (person.owner, person.surname, person.bsn, person.address, person.confidentiality) == (
        orgs["a"], "Pietersen", VALID_BSN, address, 5,
    )
    # the creator is assigned, so the record opens without a purpose
    assert client_a.get(response["Location"]).status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE)
    assert entry.object_id == str(person.pk)
    assert "bsn" in entry.detail["fields"] and "surname" in entry.detail["fields"]
    assert VALID_BSN not in str(entry.detail)  # names of fields, not their values


def test_create_address_normalises_postcode(client_a):
    response = client_a.post("/subjecten/adressen/nieuw/", {**PAYLOADS["adressen"], "house_letter": "a", "addition": "bis"})
    assert response.status_code == 302
    address = Address.unscoped.get()
    assert (address.postcode, address.house_letter, address.addition) == ("1234AB", "A", "BIS")
    assert str(address) == "Dorpsstraat 12A-BIS, 1234 AB Aastad"


def test_create_form_renders(client_a):
    response = client_a.get("/subjecten/bedrijven/nieuw/")
    assert response.status_code == 200
    assert "Nieuw: bedrijf" in response.content.decode()


def test_edit_changes_the_record_and_logs_the_changed_fields(orgs, coordinator, client_a):
    company = make_company(orgs["a"], "Oude Naam", kvk_number="12345678")
    assign(coordinator, company)
    form = client_a.get(f"/subjecten/bedrijven/{company.pk}/wijzigen/")
    assert form.status_code == 200
    assert "Oude Naam" in form.content.decode()
    response = client_a.post(
        f"/subjecten/bedrijven/{company.pk}/wijzigen/",
        {"name": "Nieuwe Naam", "legal_form": "bv", "kvk_number": "12345678", "confidentiality": 4},
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.name == "Nieuwe Naam"
    assert Company.unscoped.count() == 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert entry.detail["fields"] == ["name"]


def test_edit_of_unassigned_record_goes_through_the_purpose_gate(orgs, client_a):
    person = make_person(orgs["a"], "Jansen")
    response = client_a.post(f"/subjecten/personen/{person.pk}/wijzigen/", {"surname": "Anders", "confidentiality": 4})
    assert response.status_code == 302
    assert response["Location"].startswith("/doel/")
    person.refresh_from_db()
    assert person.surname == "Jansen"


def test_delete_removes_and_logs(orgs, coordinator, client_a):
    person = make_person(orgs["a"], "Jansen")
    assert client_a.get(f"/subjecten/personen/{person.pk}/verwijderen/").status_code == 405
    assert Person.unscoped.filter(pk=person.pk).exists()
    # not assigned: deleting asks for a purpose first, as opening does
    response = client_a.post(f"/subjecten/personen/{person.pk}/verwijderen/")
    assert response.status_code == 302 and response["Location"].startswith("/doel/")
    assert Person.unscoped.filter(pk=person.pk).exists()
    client_a.post(response["Location"], {"purpose": "casus", "explanation": "opschonen dubbele registratie"})
    response = client_a.post(f"/subjecten/personen/{person.pk}/verwijderen/")
    assert response.status_code == 302
    assert response["Location"] == "/subjecten/personen/"
    assert not Person.unscoped.filter(pk=person.pk).exists()
    assert actions(object_id=str(person.pk)) == [AuditEntry.Action.PURPOSE, AuditEntry.Action.DELETE]
    # a second delete is a plain 404
    assert client_a.post(f"/subjecten/personen/{person.pk}/verwijderen/").status_code == 404


def test_delete_of_missing_record_is_404(client_a):
    assert client_a.post(f"/subjecten/personen/{MISSING_PK}/verwijderen/").status_code == 404


# --- export ---------------------------------------------------------------------------------


def test_export_is_csv_of_the_search_and_logged(orgs, client_a):
    make_person(orgs["a"], "Jansen", first_names="Jan")
    make_person(orgs["a"], "Bakker")
    response = client_a.get("/subjecten/personen/export.csv?q=jans")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="regie-personen.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0] == ["nummer", "Naam", "Geboortedatum", "Adres"]
    assert [row[1] for row in rows[1:]] == ["Jan Jansen"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.detail == {"q": "jans", "rows": 1, "format": "csv"}


def test_export_neutralises_spreadsheet_formulas(orgs, client_a):
    make_company(orgs["a"], "=HYPERLINK(\"http://kwaad.example\")")
    content = client_a.get("/subjecten/bedrijven/export.csv").content.decode()
    assert "'=HYPERLINK" in content
    assert ";=HYPERLINK" not in content
