"""The privacy officer's audit-log screen and API: own organisation only, searchable, itself logged."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.subjects.models import Person
from tests.conftest import as_user, token_client, verified_client

from .helpers import assert_who, last_entry

A = AuditEntry.Action
URL = "/audit-log/"
API = "/api/v1/audit-log/"


@pytest.fixture
def history(coordinator, colleague, outsider, subjects):
    """Reads in Aastad by two users, and in Bedorp by its own coordinator."""
    person, foreign = subjects["person"], subjects["foreign"]
    with as_user(coordinator):
        record(A.VIEW, obj=person, purpose="Onderzoek in een casus: casus 2026-014")
        record(A.EXPORT, model=Person, detail={"rows": 1})
    with as_user(colleague):
        record(A.LIST, model=Person)
        record(A.VIEW, obj=subjects["company"])
    with as_user(outsider):
        record(A.VIEW, obj=foreign, purpose="Bibob-onderzoek: geheim dossier Bedorp")
    return {"person": person, "foreign": foreign}


def rows(response, without=("privacy-aastad",)):
    """The (username, action) pairs on the result page, leaving out the officer's own sign-in and searches."""
    return [(e.username, e.action) for e in response.context["page"] if e.username not in without]


READS_IN_AASTAD = 4


class TestAccess:
    @pytest.mark.parametrize("role", [r for r in Role if r != Role.PRIVACY])
    def test_other_roles_get_403(self, orgs, make_user, role):
        user = make_user(role=role, org=orgs["a"])
        client = verified_client(user)
        assert client.get(URL).status_code == 403
        assert client.get(URL, {"username": user.username}).status_code == 403
        assert not AuditEntry.objects.filter(action=A.SEARCH).exists()

    @pytest.mark.parametrize("role", [r for r in Role if r != Role.PRIVACY])
    def test_other_roles_get_403_from_the_api(self, orgs, make_user, role):
        user = make_user(role=role, org=orgs["a"])
        response = token_client(user).get(API)
        assert response.status_code == 403
        assert response.json()["detail"] == "Alleen de privacy officer leest het audit-log."
        assert not AuditEntry.objects.filter(action=A.SEARCH).exists()

    def test_anonymous_is_sent_to_login(self, db):
        response = Client().get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith("/inloggen/")

    def test_unverified_privacy_officer_must_give_the_code_first(self, privacy_officer):
        client = Client()
        client.force_login(privacy_officer, backend="django.contrib.auth.backends.ModelBackend")
        assert client.get(URL)["Location"].startswith("/inloggen/tweede-factor/")

    def test_privacy_officer_gets_the_form_without_results(self, privacy_officer, history):
        response = verified_client(privacy_officer).get(URL)
        assert response.status_code == 200
        assert "Audit-log" in response.content.decode()
        assert response.context["searched"] is False
        assert not AuditEntry.objects.filter(action=A.SEARCH).exists()

    def test_privacy_officer_without_organisation_sees_nothing(self, make_user, history):
        officer = make_user(role=Role.PRIVACY, org=None)
        # failed sign-ins and system entries carry no organisation either
        record(A.LOGIN_FAILED, access=None, username="iemand")
        response = verified_client(officer).get(URL, {"action": ""})
        assert response.status_code == 200
        assert rows(response) == []
        assert token_client(officer).get(API).json()["count"] == 0


class TestSearchScreen:
    @pytest.fixture
    def client(self, privacy_officer):
        return verified_client(privacy_officer)

    def test_shows_only_own_organisation(self, client, history, coordinator, colleague, outsider):
        response = client.get(URL, {"username": "", "action": ""})
        assert response.status_code == 200
        users = {username for username, _ in rows(response)}
        assert {coordinator.username, colleague.username} <= users
        assert outsider.username not in users
        html = response.content.decode()
        assert outsider.username not in html
        assert "geheim dossier Bedorp" not in html

    def test_other_organisation_cannot_be_searched_for(self, client, history, outsider):
        for query in ({"username": outsider.username}, {"object_type": "subjects.person", "object_id": str(history["foreign"].pk)}):
            response = client.get(URL, query)
            assert response.status_code == 200
            assert rows(response) == []

    def test_search_by_user(self, client, history, coordinator):
        response = client.get(URL, {"username": coordinator.username.upper()})
        assert rows(response) == [(coordinator.username, A.EXPORT), (coordinator.username, A.VIEW)]
        assert "casus 2026-014" in response.content.decode()  # the purpose is shown

    def test_search_by_object(self, client, history, coordinator):
        response = client.get(URL, {"object_type": "subjects.person", "object_id": str(history["person"].pk)})
        assert rows(response) == [(coordinator.username, A.VIEW)]

    def test_search_by_action(self, client, history, colleague):
        response = client.get(URL, {"action": A.LIST})
        assert rows(response) == [(colleague.username, A.LIST)]

    def test_search_by_period(self, client, history):
        today = timezone.localdate()
        day = timedelta(days=1)
        assert len(rows(client.get(URL, {"date_from": today.isoformat(), "date_to": today.isoformat()}))) == READS_IN_AASTAD
        assert len(rows(client.get(URL, {"date_from": (today - day).isoformat()}))) == READS_IN_AASTAD
        assert rows(client.get(URL, {"date_from": (today + day).isoformat()})) == []
        assert rows(client.get(URL, {"date_to": (today - day).isoformat()})) == []

    def test_end_before_start_is_a_dutch_400(self, client, history):
        before = AuditEntry.objects.count()
        response = client.get(URL, {"date_from": "2026-03-10", "date_to": "2026-03-01"})
        assert response.status_code == 400
        assert "De einddatum ligt vóór de begindatum." in response.content.decode()
        assert AuditEntry.objects.count() == before  # nothing searched, so nothing logged

    @pytest.mark.parametrize(
        "query",
        [
            {"date_from": "2026-02-30"},
            {"date_to": "gisteren"},
            {"object_type": "accounts.user"},
            {"action": "hacken"},
            {"username": "x" * 151},
            {"username": "nul\x00byte"},
        ],
    )
    def test_invalid_input_is_400_not_500(self, client, history, query):
        response = client.get(URL, query)
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()

    def test_bad_page_number_is_harmless(self, client, history):
        for page in ("abc", "-1", "99999"):
            assert client.get(URL, {"action": "", "pagina": page}).status_code == 200

    def test_the_search_itself_is_logged(self, client, history, privacy_officer, coordinator):
        client.get(URL, {"username": coordinator.username, "date_from": timezone.localdate().isoformat()})
        entry = last_entry()
        assert entry.action == A.SEARCH
        assert_who(entry, privacy_officer)
        assert entry.object_type == "audit.auditentry"
        assert entry.detail == {"username": coordinator.username, "date_from": timezone.localdate().isoformat()}
        # and the privacy officer's own searches are found in turn
        response = client.get(URL, {"username": privacy_officer.username})
        assert (privacy_officer.username, A.SEARCH) in rows(response, without=())


class TestApi:
    @pytest.fixture
    def api(self, privacy_officer):
        return token_client(privacy_officer)

    def test_lists_only_own_organisation(self, api, history, outsider):
        response = api.get(API)
        assert response.status_code == 200
        results = response.json()["results"]
        assert len([r for r in results if r["username"] != "privacy-aastad"]) == READS_IN_AASTAD
        assert {r["organisation_name"] for r in results} == {"Gemeente Aastad"}
        assert outsider.username not in response.content.decode()

    def test_filters(self, api, history, coordinator, colleague, outsider):
        def names(**params):
            return [(r["username"], r["action"]) for r in api.get(API, params).json()["results"]]

        assert names(gebruiker=coordinator.username) == [(coordinator.username, A.EXPORT), (coordinator.username, A.VIEW)]
        assert names(objecttype="subjects.person", objectid=str(history["person"].pk)) == [(coordinator.username, A.VIEW)]
        assert names(objecttype="subjects.company") == [(colleague.username, A.VIEW)]
        assert names(gebruiker=outsider.username) == []
        assert names(objecttype="subjects.person", objectid=str(history["foreign"].pk)) == []

    def test_list_is_logged(self, api, history, privacy_officer, coordinator):
        api.get(API, {"gebruiker": coordinator.username})
        entry = last_entry()
        assert entry.action == A.SEARCH
        assert_who(entry, privacy_officer)
        assert entry.object_type == "audit.auditentry"
        assert entry.detail == {"gebruiker": coordinator.username}

    def test_retrieve_own_and_not_other_organisation(self, api, history, privacy_officer, outsider):
        own = AuditEntry.objects.filter(organisation_id=privacy_officer.organisation_id).first()
        other = AuditEntry.objects.get(username=outsider.username)

        response = api.get(f"{API}{own.seq}/")
        assert response.status_code == 200
        assert response.json()["seq"] == own.seq
        entry = last_entry()
        assert entry.action == A.VIEW and entry.object_id == str(own.seq)
        assert_who(entry, privacy_officer)

        response = api.get(f"{API}{other.seq}/")
        assert response.status_code == 404
        assert "geheim dossier" not in response.content.decode()

    @pytest.mark.parametrize("params", [{"gebruiker": "nul\x00byte"}, {"objectid": "\x00"}, {"x" * 300: "y" * 5000}, {"pagina": "abc"}, {"page": "abc"}])
    def test_odd_parameters_are_never_a_500(self, api, history, params):
        response = api.get(API, params)
        assert response.status_code in (200, 400, 404)

    def test_no_writes(self, api, history):
        assert api.post(API, {"username": "x"}, format="json").status_code == 405
        seq = AuditEntry.objects.filter(organisation_name="Gemeente Aastad").first().seq
        assert api.delete(f"{API}{seq}/").status_code == 405
        assert api.patch(f"{API}{seq}/", {"username": "x"}, format="json").status_code == 405
