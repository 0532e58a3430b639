"""A signed-in but unverified user of a second-factor role reaches nothing but the code page."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.organisations.access import system_access
from regie.subjects.models import Person
from tests.conftest import current_code

from .helpers import LOGIN, LOGOUT, SECOND_FACTOR, START, is_verified_session, signed_in_user_id, wrong_code

PAGES = ["/start/", "/account/", "/subjecten/personen/", "/subjecten/personen/nieuw/", "/audit-log/", "/doel/?type=1&id=1"]


def unverified_client(user, client_class=Client):
    """Signed in with the password only, as after SSO without trusted MFA."""
    client = client_class()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def unverified(orgs, make_user):
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    return user, unverified_client(user)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_redirects_to_the_second_factor(unverified, path):
    _, client = unverified
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{SECOND_FACTOR}?next={path.split('?')[0]}"


def test_posting_elsewhere_is_redirected_too(unverified, orgs):
    _, client = unverified
    response = client.post("/subjecten/personen/nieuw/", {"surname": "Pietersen", "confidentiality": 4})
    assert response.status_code == 302
    assert response["Location"].startswith(SECOND_FACTOR)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).exists()


@pytest.mark.parametrize("path", ["/api/v1/ik/", "/api/v1/personen/", "/api/v1/audit-log/", "/api/v1/organisaties/"])
def test_api_refuses_the_unverified_session(orgs, make_user, path):
    user = make_user(role=Role.PRIVACY, org=orgs["a"])
    client = unverified_client(user, APIClient)
    response = client.get(path)
    assert response.status_code == 401
    assert "results" not in response.json()


def test_api_refuses_unverified_writes(orgs, make_user):
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    client = unverified_client(user, APIClient)
    response = client.post("/api/v1/personen/", {"surname": "Pietersen"}, format="json")
    assert response.status_code in (401, 403)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).exists()
    with system_access("test: check nothing was written"):
        assert not Person.objects.exists()


def test_code_page_and_logout_stay_reachable(unverified):
    user, client = unverified
    page = client.get(SECOND_FACTOR)
    assert page.status_code == 200
    assert "Bevestig met uw tweede factor" in page.content.decode()
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert signed_in_user_id(client) is None


def test_right_code_verifies_the_session_and_follows_next(unverified):
    user, client = unverified
    response = client.post(f"{SECOND_FACTOR}?next=/subjecten/personen/", {"otp_token": current_code(user)})

    assert response.status_code == 302
    assert response["Location"] == "/subjecten/personen/"
    assert is_verified_session(client)
    assert client.get("/subjecten/personen/").status_code == 200
    assert client.get(START).status_code == 200
    api = APIClient()
    api.cookies = client.cookies
    assert api.get("/api/v1/ik/").json()["username"] == user.username


def test_wrong_code_is_refused_in_dutch(unverified):
    user, client = unverified
    response = client.post(SECOND_FACTOR, {"otp_token": wrong_code(user)})
    assert response.status_code == 400
    assert "De verificatiecode klopt niet of is verlopen." in response.content.decode()
    assert not is_verified_session(client)
    assert client.get(START)["Location"].startswith(SECOND_FACTOR)


def test_wrong_code_on_the_code_page_is_logged_and_counted(unverified):
    """A wrong second factor is a failed sign-in wherever it is entered (audit log and lock-out)."""
    user, client = unverified
    client.post(SECOND_FACTOR, {"otp_token": wrong_code(user)})
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED, username=user.username).count() == 1
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 1


def test_five_wrong_codes_lock_the_code_page_too(unverified):
    user, client = unverified
    bad = wrong_code(user)
    statuses = [client.post(SECOND_FACTOR, {"otp_token": bad}).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    # the device's own throttle wears off within seconds; the lock-out lasts (AXES_COOLOFF_TIME)
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)

    response = client.post(SECOND_FACTOR, {"otp_token": current_code(user)})

    assert response.status_code == 429
    assert "Account tijdelijk geblokkeerd" in response.content.decode()
    assert not is_verified_session(client)
    assert client.get(START)["Location"].startswith(SECOND_FACTOR)


def test_wrong_code_throttles_the_next_attempt(unverified):
    """django-otp's throttle: right after a wrong code even the right one is refused (no brute force)."""
    user, client = unverified
    client.post(SECOND_FACTOR, {"otp_token": wrong_code(user)})
    response = client.post(SECOND_FACTOR, {"otp_token": current_code(user)})
    assert response.status_code == 400
    assert not is_verified_session(client)


def test_replayed_code_is_refused_on_the_code_page(orgs, make_user):
    user = make_user(role=Role.BIBOB, org=orgs["a"])
    code = current_code(user)
    first = unverified_client(user)
    assert first.post(SECOND_FACTOR, {"otp_token": code}).status_code == 302
    second = unverified_client(user)
    response = second.post(SECOND_FACTOR, {"otp_token": code})
    assert response.status_code == 400
    assert not is_verified_session(second)


def test_code_page_does_not_redirect_to_foreign_hosts(unverified):
    user, client = unverified
    response = client.post(f"{SECOND_FACTOR}?next=https://evil.example/", {"otp_token": current_code(user)})
    assert response.status_code == 302
    assert response["Location"] == START


def test_code_page_sends_anonymous_visitors_to_login(db):
    response = Client().get(SECOND_FACTOR)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("role", [Role.RAADSLID, Role.BEHEERDER, Role.MEDEWERKER])
def test_roles_without_personal_data_are_not_asked(orgs, make_user, role):
    user = make_user(role=role, org=orgs["a"], device=False)
    client = unverified_client(user)
    assert client.get(START).status_code == 200
