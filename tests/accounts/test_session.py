"""Sessions end after SESSION_COOKIE_AGE without activity; logging out is POST-only and final."""

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.conf.env import REGISTRY
from tests.conftest import current_code, verified_client

from .helpers import LOGIN, LOGOUT, START, login, signed_in_user_id

EXPIRED = "Uw sessie is verlopen. Log opnieuw in."
IDLE = 120


def _session_row(client):
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def _age_session(client, seconds_ago=1):
    """Let the session go idle: its server-side expiry moves into the past."""
    Session.objects.filter(pk=_session_row(client).pk).update(expire_date=timezone.now() - timedelta(seconds=seconds_ago))


@pytest.fixture
def signed_in(orgs, make_user):
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    client = Client()
    with override_settings(SESSION_COOKIE_AGE=IDLE):
        assert login(client, user, current_code(user)).status_code == 302
        yield user, client


def test_idle_timeout_is_fifteen_minutes_by_default():
    assert REGISTRY["REGIE_SESSION_IDLE_SECONDS"].default == "900"
    assert settings.SESSION_COOKIE_AGE == int(os.environ.get("REGIE_SESSION_IDLE_SECONDS", 900))
    # idle, not absolute: every request moves the expiry on
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_each_request_pushes_the_expiry_forward(signed_in):
    _, client = signed_in
    Session.objects.filter(pk=_session_row(client).pk).update(expire_date=timezone.now() + timedelta(seconds=5))

    assert client.get(START).status_code == 200

    remaining = (_session_row(client).expire_date - timezone.now()).total_seconds()
    assert IDLE - 10 < remaining <= IDLE


def test_idle_session_no_longer_works_and_login_says_it_expired(signed_in):
    user, client = signed_in
    assert client.get(START).status_code == 200
    _age_session(client)

    response = client.get(START)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.content.decode().count(EXPIRED) == 1
    assert client.get("/subjecten/personen/").status_code == 302


def test_login_page_with_stale_session_cookie_says_it_expired(signed_in):
    _, client = signed_in
    _age_session(client)
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert EXPIRED in page.content.decode()


def test_fresh_visitor_is_not_told_about_an_expired_session(db):
    page = Client().get(LOGIN)
    assert page.status_code == 200
    assert EXPIRED not in page.content.decode()


def test_idle_session_is_refused_by_the_api(signed_in):
    _, client = signed_in
    assert client.get("/api/v1/ik/").status_code == 200
    _age_session(client)
    response = client.get("/api/v1/ik/")
    assert response.status_code == 401
    assert "username" not in response.json()


def test_session_is_not_expired_early(signed_in):
    _, client = signed_in
    Session.objects.filter(pk=_session_row(client).pk).update(expire_date=timezone.now() + timedelta(seconds=30))
    assert client.get(START).status_code == 200


def test_session_cannot_write_to_the_api_without_csrf_token(orgs, make_user):
    """A verified browser session is no licence for a cross-site POST to the API."""
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    api = APIClient(enforce_csrf_checks=True)
    api.cookies = verified_client(user).cookies
    assert api.get("/api/v1/ik/").status_code == 200

    response = api.post("/api/v1/personen/", {"surname": "Pietersen"}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).exists()


class TestLogout:
    def test_get_does_not_log_out(self, signed_in):
        user, client = signed_in
        response = client.get(LOGOUT)
        assert response.status_code == 405
        assert signed_in_user_id(client) == str(user.pk)
        assert client.get(START).status_code == 200

    def test_post_ends_the_session(self, signed_in):
        user, client = signed_in
        old_key = client.cookies[settings.SESSION_COOKIE_NAME].value

        response = client.post(LOGOUT)

        assert response.status_code == 302
        assert response["Location"] == LOGIN
        assert not Session.objects.filter(session_key=old_key).exists()
        assert client.get(START).status_code == 302
        page = client.get(LOGIN)
        assert "U bent uitgelogd." in page.content.decode()
        # the old cookie, replayed from elsewhere, opens nothing
        thief = Client()
        thief.cookies[settings.SESSION_COOKIE_NAME] = old_key
        assert thief.get(START).status_code == 302
        assert thief.get("/api/v1/ik/").status_code == 401
        assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGOUT, user_id=user.pk).count() == 1

    def test_logout_needs_the_csrf_token(self, orgs, make_user):
        user = make_user(role=Role.RAADSLID, org=orgs["a"], device=False)
        client = Client(enforce_csrf_checks=True)
        page = client.get(LOGIN)
        token = page.context["csrf_token"]
        client.post(LOGIN, {"username": user.username, "password": "Een-lang-testwachtwoord-42", "csrfmiddlewaretoken": str(token)})
        assert signed_in_user_id(client) == str(user.pk)

        assert client.post(LOGOUT).status_code == 403  # a foreign page cannot log the user out
        assert signed_in_user_id(client) == str(user.pk)
