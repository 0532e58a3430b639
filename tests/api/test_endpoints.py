"""The frame's own API endpoints (who am I, organisations, audit log) and a sweep that no
input, from any caller, produces a server error."""

import pytest
from rest_framework.test import APIClient

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import system_access
from regie.organisations.models import Organisation
from regie.subjects.models import Address, Company, Person
from tests.conftest import as_user, token_client

from .conftest import assign


def test_organisation_registry_lists_active_tenants_without_personal_data(orgs, coordinator):
    Organisation.objects.create(name="Opgeheven gemeente", kind=Organisation.Kind.GEMEENTE, active=False)
    data = token_client(coordinator).get("/api/v1/organisaties/").json()
    assert [row["name"] for row in data["results"]] == ["Gemeente Aastad", "Gemeente Bedorp", "Politie Testeenheid"]
    assert set(data["results"][0]) == {"id", "name", "kind", "code"}


def test_organisation_registry_is_read_only(orgs, coordinator):
    client = token_client(coordinator)
    assert client.post("/api/v1/organisaties/", {"name": "Nep", "kind": "gemeente"}, format="json").status_code == 405
    assert client.delete(f"/api/v1/organisaties/{orgs['b'].pk}/").status_code == 405
    assert Organisation.objects.count() == 3


# --- audit log ------------------------------------------------------------------------------


@pytest.fixture
def logged(orgs, make_user):
    """One entry per organisation, written as a user of that organisation."""
    a_user = make_user(role=Role.COORDINATOR, org=orgs["a"], username="jan-a")
    b_user = make_user(role=Role.COORDINATOR, org=orgs["b"], username="piet-b")
    for user in (a_user, b_user):
        with as_user(user):
            record(AuditEntry.Action.LIST, model=Person, detail={"marker": user.username})
    return a_user, b_user


def test_privacy_officer_reads_only_own_organisations_log(orgs, make_user, logged):
    officer = make_user(role=Role.PRIVACY, org=orgs["a"])
    client = token_client(officer)
    data = client.get("/api/v1/audit-log/").json()
    assert data["results"], "the officer sees a's entries"
    assert {row["organisation_name"] for row in data["results"]} == {"Gemeente Aastad"}
    assert "piet-b" not in str(data)
    b_entry = AuditEntry.objects.get(username="piet-b")
    a_entry = AuditEntry.objects.get(username="jan-a")
    assert client.get(f"/api/v1/audit-log/{a_entry.seq}/").json()["username"] == "jan-a"
    forbidden = client.get(f"/api/v1/audit-log/{b_entry.seq}/")
    missing = client.get("/api/v1/audit-log/987654321/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()
    # filtering on b's user name does not reach across either
    assert client.get("/api/v1/audit-log/?gebruiker=piet-b").json()["count"] == 0
    # reading the log is itself logged
    assert AuditEntry.objects.filter(username=officer.username, action=AuditEntry.Action.SEARCH).exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.BURGEMEESTER, Role.RAADSLID, Role.MEDEWERKER])
def test_only_the_privacy_officer_reads_the_log(orgs, make_user, logged, role):
    response = token_client(make_user(role=role, org=orgs["a"])).get("/api/v1/audit-log/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Alleen de privacy officer leest het audit-log."}


def test_audit_log_cannot_be_written_through_the_api(orgs, make_user, logged):
    client = token_client(make_user(role=Role.PRIVACY, org=orgs["a"]))
    seq = AuditEntry.objects.get(username="jan-a").seq
    assert client.delete(f"/api/v1/audit-log/{seq}/").status_code == 405
    assert client.post("/api/v1/audit-log/", {}, format="json").status_code == 405
    assert AuditEntry.objects.filter(seq=seq).exists()


# --- no input is a server error -------------------------------------------------------------
# Every answer below must be a 2xx, 3xx or 4xx; the test client re-raises a server error, so a
# 500 fails the test with its traceback.

WEIRD_IDS = ["0", "abc", "99999999999999999999999999"]
WEIRD_BODIES = [
    [],
    "tekst",
    {"surname": None, "confidentiality": None, "address": None, "owner": None},
    {"surname": "X" * 10_000, "bsn": "1" * 100, "birth_date": "2026-13-45"},
    {"surname": "Nul\x00teken", "bsn": "11122\x00333", "postcode": "1234\x00AB"},
    {"surname": ["lijst"], "confidentiality": {"a": 1}, "address": [1, 2], "house_number": 1e30},
    {"name": "X", "legal_form": None, "kvk_number": 12345678, "address": "1 OR 1=1", "house_number": 2**63},
]
QUERIES = [
    "?page=abc",
    "?page=99999999999999999999",
    "?zoek=%00",
    "?zoek=%25%27%22%3B--" + "x" * 500,
    "?format=api",
    "?gebruiker=%00&objecttype=%00&objectid=%00&%00=%00",
]
COLLECTIONS = ["personen", "bedrijven", "adressen", "organisaties", "audit-log", "ik"]


@pytest.fixture
def sweep_rows(orgs, coordinator):
    with system_access("testopzet"):
        address = Address.objects.create(owner=orgs["a"], street="Kerkstraat", house_number=1, postcode="1234AB", city="Aastad")
        person = Person.objects.create(owner=orgs["a"], surname="Jansen", address=address)
        company = Company.objects.create(owner=orgs["a"], name="Alfa", legal_form="bv", address=address)
        Person.objects.create(owner=orgs["b"], surname="Bakker")
    for obj in (address, person, company):
        assign(coordinator, obj)
    return {"personen": person, "bedrijven": company, "adressen": address}


@pytest.fixture
def callers(orgs, make_user, coordinator):
    forged = APIClient()
    forged.credentials(HTTP_AUTHORIZATION="Token rg_vervalst")
    return {
        "coordinator": token_client(coordinator),
        "boa": token_client(make_user(role=Role.BOA, org=orgs["a"])),
        "privacy": token_client(make_user(role=Role.PRIVACY, org=orgs["a"])),
        "forged": forged,
    }


def _no_error(response):
    assert response.status_code < 500, response.content[:300]
    return response.status_code


@pytest.mark.parametrize("who", ["coordinator", "privacy", "forged"])
def test_odd_queries_on_collections(sweep_rows, callers, who):
    client = callers[who]
    for path in COLLECTIONS:
        for query in QUERIES:
            _no_error(client.get(f"/api/v1/{path}/{query}"))
        _no_error(client.head(f"/api/v1/{path}/"))
        _no_error(client.options(f"/api/v1/{path}/"))


@pytest.mark.parametrize("kind", ["personen", "bedrijven", "adressen"])
def test_odd_bodies_are_refused_not_crashed(sweep_rows, callers, kind):
    client = callers["coordinator"]
    url = f"/api/v1/{kind}/{sweep_rows[kind].pk}/"
    for body in WEIRD_BODIES:
        assert 400 <= _no_error(client.post(f"/api/v1/{kind}/", body, format="json")) < 500
        assert 400 <= _no_error(client.put(url, body, format="json")) < 500
        _no_error(client.patch(url, body, format="json"))
    assert _no_error(client.generic("POST", f"/api/v1/{kind}/", "{kapot", content_type="application/json")) == 400
    assert _no_error(client.generic("PATCH", url, "a=1", content_type="text/plain")) == 415
    model = {"personen": Person, "bedrijven": Company, "adressen": Address}[kind]
    assert model.unscoped.filter(owner__name="Gemeente Aastad").count() == 1  # nothing created


@pytest.mark.parametrize("who", ["coordinator", "boa", "forged"])
def test_odd_ids_and_headers_on_single_records(sweep_rows, callers, who):
    client = callers[who]
    for kind, obj in sweep_rows.items():
        for pk in [str(obj.pk), *WEIRD_IDS]:
            url = f"/api/v1/{kind}/{pk}/"
            for header in ("", "onzin", "casus " + "x" * 5000):
                extra = {"HTTP_REGIE_DOEL": header} if header else {}
                _no_error(client.get(url, **extra))
            _no_error(client.options(url))
            _no_error(client.patch(url, {"confidentiality": 1}, format="json"))
        for pk in WEIRD_IDS:
            _no_error(client.delete(f"/api/v1/{kind}/{pk}/"))
    assert Person.unscoped.filter(surname="Bakker").exists()


@pytest.mark.parametrize("url", ["/api/v1/personen/1.5/", "/api/v1/audit-log/abc/", "/api/v1/bestaat-niet/"])
def test_an_unknown_api_url_is_a_json_404(coordinator, url):
    response = token_client(coordinator).get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_an_unknown_page_url_is_still_the_html_404(coordinator, login_client):
    response = login_client(coordinator).get("/bestaat-niet/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
