"""Signing in: password and second factor in one step, lock-out and safe redirects."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from tests.conftest import current_code, verified_client

from .helpers import LOGIN, LOGOUT, START, is_verified_session, login, signed_in_user_id, wrong_code

INVALID = "Gebruikersnaam of wachtwoord is onjuist, of de verificatiecode klopt niet."


def assert_not_signed_in(client):
    assert signed_in_user_id(client) is None
    response = client.get(START)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_login_page_is_dutch_and_asks_for_all_three(db, client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="nl"' in html
    for label in ("Gebruikersnaam", "Wachtwoord", "Verificatiecode"):
        assert label in html
    assert 'name="otp_token"' in html


def test_password_and_code_lead_to_start_page_with_verified_session(orgs, make_user):
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    client = Client()

    response = login(client, user, current_code(user))

    assert response.status_code == 302
    assert response["Location"] == START
    assert signed_in_user_id(client) == str(user.pk)
    assert is_verified_session(client)
    start = client.get(START)
    assert start.status_code == 200
    assert user.get_role_display() in start.content.decode()


def test_wrong_password_is_refused_with_dutch_message(orgs, make_user):
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    client = Client()

    response = login(client, user, current_code(user), password="Niet-het-goede-wachtwoord-1")

    assert response.status_code == 400
    assert INVALID in response.content.decode()
    assert_not_signed_in(client)


def test_deactivated_account_cannot_sign_in(orgs, make_user):
    user = make_user(role=Role.RAADSLID, org=orgs["a"], device=False, is_active=False)
    client = Client()
    response = login(client, user)
    assert response.status_code == 400
    assert_not_signed_in(client)


def test_unknown_user_gets_the_same_message(db):
    client = Client()
    response = client.post(LOGIN, {"username": "bestaat-niet", "password": "Wat-dan-ook-12345", "otp_token": "123456"})
    assert response.status_code == 400
    assert INVALID in response.content.decode()
    assert_not_signed_in(client)


@pytest.mark.parametrize("how", ["missing", "wrong", "not-a-number"])
def test_second_factor_role_without_valid_code_is_refused(orgs, make_user, how):
    user = make_user(role=Role.ANALIST, org=orgs["a"])
    code = {"missing": "", "wrong": wrong_code(user), "not-a-number": "abcdef"}[how]
    client = Client()

    response = login(client, user, code)

    assert response.status_code == 400
    # the same message as a wrong password: no hint which factor was wrong
    assert INVALID in response.content.decode()
    assert_not_signed_in(client)


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.RAADSLID, Role.BEHEERDER, Role.MEDEWERKER)])
def test_every_personal_data_role_needs_the_code(orgs, make_user, role):
    user = make_user(role=role, org=orgs["a"])
    client = Client()
    assert login(client, user, "").status_code == 400
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize("role", [Role.RAADSLID, Role.BEHEERDER, Role.MEDEWERKER])
def test_role_without_personal_data_signs_in_with_password_only(orgs, make_user, role):
    user = make_user(role=role, org=orgs["a"], device=False)
    client = Client()

    response = login(client, user)

    assert response.status_code == 302
    assert response["Location"] == START
    assert signed_in_user_id(client) == str(user.pk)
    assert client.get(START).status_code == 200


def test_second_factor_role_without_device_gets_dutch_error(orgs, make_user):
    user = make_user(role=Role.JURIST, org=orgs["a"], device=False)
    # an unconfirmed device (set up but never confirmed) does not count
    TOTPDevice.objects.create(user=user, name="half", confirmed=False)
    client = Client()

    response = login(client, user, "123456")

    assert response.status_code == 400
    assert "geen tweede factor ingesteld" in response.content.decode()
    assert_not_signed_in(client)


def test_replayed_code_is_refused(orgs, make_user):
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    code = current_code(user)
    first = Client()
    assert login(first, user, code).status_code == 302
    first.post(LOGOUT)

    # the same code again (within its 30 s step, or the tolerated step after it)
    second = Client()
    response = login(second, user, code)

    assert response.status_code == 400
    assert INVALID in response.content.decode()
    assert_not_signed_in(second)


def test_login_page_sends_signed_in_user_to_start(orgs, make_user):
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    response = verified_client(user).get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == START


class TestLockout:
    def _failures(self, user):
        return sum(a.failures_since_start for a in AccessAttempt.objects.filter(username=user.username))

    def test_five_wrong_passwords_lock_the_account_even_for_the_right_credentials(self, orgs, make_user):
        user = make_user(role=Role.COORDINATOR, org=orgs["a"])
        client = Client()
        statuses = [login(client, user, "", password=f"Fout-wachtwoord-{i}-xyz").status_code for i in range(5)]

        assert statuses[:4] == [400] * 4
        assert statuses[4] == 429
        locked = login(Client(), user, current_code(user))

        assert locked.status_code == 429
        assert "Account tijdelijk geblokkeerd" in locked.content.decode()
        # the cool-off in plain Dutch, not as an ISO 8601 duration
        assert f"Probeer het over {settings.AXES_COOLOFF_TIME.seconds // 60} minuten opnieuw" in locked.content.decode()
        assert "PT15M" not in locked.content.decode()
        assert signed_in_user_id(client) is None
        assert Client().get(START).status_code == 302

    def test_wrong_second_factor_counts_towards_lockout(self, orgs, make_user):
        user = make_user(role=Role.BOA, org=orgs["a"])
        client = Client()
        bad = wrong_code(user)
        statuses = [login(client, user, bad).status_code for _ in range(5)]

        assert statuses == [400, 400, 400, 400, 429]
        assert self._failures(user) >= 5
        locked = Client()
        response = login(locked, user, current_code(user))
        assert response.status_code == 429
        assert "Account tijdelijk geblokkeerd" in response.content.decode()
        assert signed_in_user_id(locked) is None

    def test_failures_below_the_limit_do_not_lock(self, orgs, make_user):
        user = make_user(role=Role.COORDINATOR, org=orgs["a"])
        client = Client()
        for i in range(4):
            assert login(client, user, "", password=f"Fout-{i}-wachtwoord").status_code == 400
        response = login(client, user, current_code(user))
        assert response.status_code == 302
        assert signed_in_user_id(client) == str(user.pk)
        # a successful sign-in starts the count afresh
        assert self._failures(user) == 0

    def test_one_address_trying_many_accounts_is_locked(self, orgs, make_user):
        users = [make_user(role=Role.COORDINATOR, org=orgs["a"]) for _ in range(6)]
        client = Client()
        for user in users[:5]:
            login(client, user, "", password="Geraden-wachtwoord-1")
        response = login(client, users[5], current_code(users[5]))
        assert response.status_code == 429
        assert signed_in_user_id(client) is None

    def test_lockout_is_logged(self, orgs, make_user):
        user = make_user(role=Role.COORDINATOR, org=orgs["a"])
        for i in range(5):
            login(Client(), user, "", password=f"Fout-{i}-wachtwoord")
        login(Client(), user, current_code(user))
        failed = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED, username=user.username)
        assert failed.count() == 6
        assert not AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN, user_id=user.pk).exists()


class TestRedirectAfterLogin:
    @pytest.mark.parametrize(
        "target",
        [
            "https://evil.example",
            "https://evil.example/start/",
            "//evil.example/",
            "///evil.example",
            "/\\evil.example",
            "http:evil.example",
            "javascript:alert(1)",
        ],
    )
    def test_foreign_next_is_not_followed(self, orgs, make_user, target):
        user = make_user(role=Role.RAADSLID, org=orgs["a"], device=False)
        client = Client()
        response = login(client, user, next_url=target)
        assert response.status_code == 302
        assert response["Location"] == START
        assert signed_in_user_id(client) == str(user.pk)

    def test_foreign_next_in_query_string_is_not_followed(self, orgs, make_user):
        user = make_user(role=Role.RAADSLID, org=orgs["a"], device=False)
        client = Client()
        response = client.post(
            f"{LOGIN}?next=https://evil.example", {"username": user.username, "password": "Een-lang-testwachtwoord-42"}
        )
        assert response.status_code == 302
        assert response["Location"] == START

    def test_local_next_is_followed(self, orgs, make_user):
        user = make_user(role=Role.COORDINATOR, org=orgs["a"])
        client = Client()
        response = login(client, user, current_code(user), next_url="/subjecten/personen/")
        assert response.status_code == 302
        assert response["Location"] == "/subjecten/personen/"
        assert client.get(response["Location"]).status_code == 200

    def test_login_page_keeps_next_from_redirect(self, db, client):
        redirect = client.get("/subjecten/personen/")
        assert redirect.status_code == 302
        page = client.get(redirect["Location"])
        assert page.status_code == 200
        assert 'name="next" value="/subjecten/personen/"' in page.content.decode()
