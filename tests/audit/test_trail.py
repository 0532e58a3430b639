"""Every read and write of a subject, through the pages and the API, lands in the audit log."""

import pytest
from django.test import Client

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.subjects.models import Person
from tests.conftest import PASSWORD, as_user, current_code, token_client, verified_client

from .helpers import assert_who, assign, entries, last_entry

A = AuditEntry.Action
PERSON = "subjects.person"


def only_new(before_seq, **filters):
    return [e for e in entries(**filters) if e.seq > before_seq]


def head_seq():
    entry = last_entry()
    return entry.seq if entry else 0


class TestPages:
    @pytest.fixture
    def client(self, coordinator, subjects):
        assign(coordinator, subjects["person"])
        return verified_client(coordinator)

    def test_list(self, client, coordinator, subjects):
        response = client.get("/subjecten/personen/")
        assert response.status_code == 200
        entry = last_entry()
        assert entry.action == A.LIST
        assert_who(entry, coordinator)
        assert entry.object_type == PERSON
        assert entry.detail["shown"] == [subjects["person"].pk]  # never the other municipality's person
        assert entry.ip_address == "127.0.0.1"

    @pytest.mark.parametrize("htmx", [False, True])
    def test_search(self, client, coordinator, subjects, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.get("/subjecten/personen/", {"q": "Viss"}, headers=headers)
        assert response.status_code == 200
        entry = last_entry()
        assert entry.action == A.SEARCH
        assert_who(entry, coordinator)
        assert entry.detail["q"] == "Viss"
        assert entry.detail["shown"] == [subjects["person"].pk]

    @pytest.mark.parametrize("kind, key, label", [("personen", "person", PERSON), ("bedrijven", "company", "subjects.company"), ("adressen", "address", "subjects.address")])
    def test_view(self, coordinator, subjects, kind, key, label):
        obj = subjects[key]
        assign(coordinator, obj)
        response = verified_client(coordinator).get(f"/subjecten/{kind}/{obj.pk}/")
        assert response.status_code == 200
        entry = last_entry()
        assert entry.action == A.VIEW
        assert_who(entry, coordinator)
        assert (entry.object_type, entry.object_id) == (label, str(obj.pk))
        assert entry.purpose == ""  # assigned: no purpose needed

    def test_export(self, client, coordinator, subjects):
        response = client.get("/subjecten/personen/export.csv")
        assert response.status_code == 200
        assert "Visser" in response.content.decode()
        assert "Bakker" not in response.content.decode()
        entry = last_entry()
        assert entry.action == A.EXPORT
        assert_who(entry, coordinator)
        assert entry.object_type == PERSON
        assert entry.detail == {"q": "", "rows": 1, "format": "csv"}

    def test_create(self, client, coordinator):
        before = head_seq()
        response = client.post(
            "/subjecten/personen/nieuw/", {"first_names": "Piet", "surname": "Pietersen", "confidentiality": 4}
        )
        assert response.status_code == 302
        created = [e for e in only_new(before) if e.action == A.CREATE]
        assert len(created) == 1
        assert_who(created[0], coordinator)
        assert created[0].object_type == PERSON
        with as_user(coordinator):
            person = Person.objects.get(surname="Pietersen")
        assert created[0].object_id == str(person.pk)
        assert "surname" in created[0].detail["fields"]

    def test_invalid_create_writes_nothing(self, client):
        before = head_seq()
        response = client.post("/subjecten/personen/nieuw/", {"surname": "", "confidentiality": 4})
        assert response.status_code == 400
        assert not [e for e in only_new(before) if e.action == A.CREATE]

    def test_update(self, client, coordinator, subjects):
        person = subjects["person"]
        before = head_seq()
        response = client.post(
            f"/subjecten/personen/{person.pk}/wijzigen/",
            {"first_names": "Johannes", "surname": "Visser", "address": person.address_id, "confidentiality": 4},
        )
        assert response.status_code == 302
        updated = [e for e in only_new(before) if e.action == A.UPDATE]
        assert len(updated) == 1
        assert_who(updated[0], coordinator)
        assert (updated[0].object_type, updated[0].object_id) == (PERSON, str(person.pk))
        assert updated[0].detail["fields"] == ["first_names"]

    def test_delete(self, client, coordinator, subjects):
        person = subjects["person"]
        response = client.post(f"/subjecten/personen/{person.pk}/verwijderen/")
        assert response.status_code == 302
        entry = last_entry()
        assert entry.action == A.DELETE
        assert_who(entry, coordinator)
        assert (entry.object_type, entry.object_id) == (PERSON, str(person.pk))

    def test_other_municipalitys_person_is_404_and_not_shown(self, client, subjects):
        before = head_seq()
        foreign = subjects["foreign"]
        assert client.get(f"/subjecten/personen/{foreign.pk}/").status_code == 404
        assert client.post(f"/subjecten/personen/{foreign.pk}/verwijderen/").status_code == 404
        assert not [e for e in only_new(before) if e.object_id == str(foreign.pk)]


class TestApi:
    @pytest.fixture
    def api(self, coordinator, subjects):
        assign(coordinator, subjects["person"])
        return token_client(coordinator)

    def test_list(self, api, coordinator, subjects):
        response = api.get("/api/v1/personen/")
        assert response.status_code == 200
        entry = last_entry()
        assert entry.action == A.LIST
        assert_who(entry, coordinator)
        assert entry.object_type == PERSON
        assert entry.detail["shown"] == [subjects["person"].pk]

    def test_search(self, api, coordinator):
        assert api.get("/api/v1/personen/", {"zoek": "viss"}).status_code == 200
        entry = last_entry()
        assert entry.action == A.SEARCH
        assert_who(entry, coordinator)
        assert entry.detail["q"] == "viss"

    def test_view(self, api, coordinator, subjects):
        person = subjects["person"]
        response = api.get(f"/api/v1/personen/{person.pk}/")
        assert response.status_code == 200
        entry = last_entry()
        assert entry.action == A.VIEW
        assert_who(entry, coordinator)
        assert (entry.object_type, entry.object_id) == (PERSON, str(person.pk))

    def test_create_update_delete(self, api, coordinator):
        before = head_seq()
        created = api.post("/api/v1/personen/", {"surname": "Jansen", "first_names": "Kees"}, format="json")
        assert created.status_code == 201, created.content
        pk = created.json()["id"]
        assert api.patch(f"/api/v1/personen/{pk}/", {"first_names": "Cornelis"}, format="json").status_code == 200
        assert api.delete(f"/api/v1/personen/{pk}/").status_code == 204

        writes = [e for e in only_new(before) if e.action in (A.CREATE, A.UPDATE, A.DELETE)]
        assert [e.action for e in writes] == [A.CREATE, A.UPDATE, A.DELETE]
        for entry in writes:
            assert_who(entry, coordinator)
            assert (entry.object_type, entry.object_id) == (PERSON, str(pk))
        assert writes[1].detail["fields"] == ["first_names"]

    def test_refused_write_writes_nothing(self, orgs, make_user):
        boa = make_user(role=Role.BOA, org=orgs["a"])
        before = head_seq()
        response = token_client(boa).post("/api/v1/personen/", {"surname": "Nee"}, format="json")
        assert response.status_code == 403
        assert not [e for e in only_new(before) if e.action == A.CREATE]


class TestSignInEvents:
    def test_login_failed_login_and_logout_are_logged(self, coordinator):
        client = Client()
        client.post("/inloggen/", {"username": coordinator.username, "password": "Fout-wachtwoord-123"})
        failed = last_entry()
        assert failed.action == A.LOGIN_FAILED
        assert failed.username == coordinator.username
        # the actor is unknown, but the attempt is on an account of this organisation: its privacy officer sees it
        assert failed.user_id is None and failed.organisation_id == coordinator.organisation_id
        assert failed.ip_address == "127.0.0.1"

        client.post("/inloggen/", {"username": coordinator.username, "password": PASSWORD, "otp_token": current_code(coordinator)})
        login = last_entry()
        assert login.action == A.LOGIN
        assert_who(login, coordinator)
        assert login.ip_address == "127.0.0.1"

        client.post("/uitloggen/")
        logout = last_entry()
        assert logout.action == A.LOGOUT
        assert_who(logout, coordinator)

    def test_wrong_second_factor_is_logged_as_failed_login(self, coordinator):
        Client().post("/inloggen/", {"username": coordinator.username, "password": PASSWORD, "otp_token": ""})
        entry = last_entry()
        assert entry.action == A.LOGIN_FAILED
        assert entry.username == coordinator.username
        assert not AuditEntry.objects.filter(action=A.LOGIN).exists()

    def test_failed_login_for_unknown_name_is_logged(self, db):
        Client().post("/inloggen/", {"username": "niemand-bekend", "password": "Iets-anders-123"})
        entry = last_entry()
        assert entry.action == A.LOGIN_FAILED
        assert entry.username == "niemand-bekend"
        assert entry.user_id is None
