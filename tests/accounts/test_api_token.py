"""API tokens: issued once by `regie api-token`, stored as a SHA-256 digest, refused with 401."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from regie.accounts.models import ApiToken
from regie.accounts.roles import Role

ME = "/api/v1/ik/"


def issue(username, *args):
    out = StringIO()
    call_command("api-token", username, *args, stdout=out)
    return out.getvalue().strip()


def api(raw, keyword="Token"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {raw}")
    return client


def assert_refused(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    body = response.json()
    assert "username" not in body
    assert body["detail"]


@pytest.fixture
def analyst(orgs, make_user):
    return make_user(role=Role.ANALIST, org=orgs["a"])


def test_issued_token_works_and_only_its_digest_is_stored(analyst):
    raw = issue(analyst.username, "--name", "koppeling")

    assert raw.startswith("rg_") and len(raw) > 40
    token = ApiToken.objects.get(user=analyst)
    assert token.name == "koppeling"
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().first().values()]
    assert raw not in stored
    assert all(raw[9:] not in value for value in stored)  # not even most of it
    assert token.prefix == raw[:8]

    response = api(raw).get(ME)

    assert response.status_code == 200
    assert response.json()["username"] == analyst.username
    assert response.json()["organisation"] == analyst.organisation_id


def test_bearer_keyword_works_too(analyst):
    raw = issue(analyst.username)
    assert api(raw, "Bearer").get(ME).status_code == 200


def test_use_is_recorded(analyst):
    raw = issue(analyst.username)
    assert ApiToken.objects.get(user=analyst).last_used_at is None
    api(raw).get(ME)
    assert ApiToken.objects.get(user=analyst).last_used_at is not None


def test_default_expiry_is_ninety_days_and_zero_means_never(analyst):
    issue(analyst.username)
    token = ApiToken.objects.get(user=analyst)
    assert abs((token.expires_at - timezone.now()) - timedelta(days=90)) < timedelta(minutes=1)
    issue(analyst.username, "--days", "0", "--name", "zonder-einde")
    assert ApiToken.objects.get(name="zonder-einde").expires_at is None


def test_each_issue_gives_a_different_token(analyst):
    assert issue(analyst.username) != issue(analyst.username)
    assert ApiToken.objects.filter(user=analyst).count() == 2


@pytest.mark.parametrize(
    "args, message",
    [(("bestaat-niet",), "Geen actieve gebruiker"), (("{user}", "--days", "-1"), "niet negatief")],
)
def test_command_refuses_bad_input(analyst, args, message):
    args = [a.format(user=analyst.username) for a in args]
    with pytest.raises(CommandError, match=message):
        issue(*args)
    assert not ApiToken.objects.exists()


def test_command_refuses_inactive_user(orgs, make_user):
    user = make_user(role=Role.ANALIST, org=orgs["a"], is_active=False)
    with pytest.raises(CommandError, match="Geen actieve gebruiker"):
        issue(user.username)


def test_expired_token_is_refused(analyst):
    raw = issue(analyst.username)
    ApiToken.objects.filter(user=analyst).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_refused(api(raw).get(ME))


def test_revoked_token_is_refused(analyst):
    raw = issue(analyst.username)
    assert api(raw).get(ME).status_code == 200
    ApiToken.objects.filter(user=analyst).update(revoked_at=timezone.now())
    assert_refused(api(raw).get(ME))


def test_token_of_deactivated_user_is_refused(analyst):
    raw = issue(analyst.username)
    analyst.is_active = False
    analyst.save()
    assert_refused(api(raw).get(ME))


def test_stored_digest_is_not_a_token(analyst):
    issue(analyst.username)
    digest = ApiToken.objects.get(user=analyst).digest
    assert_refused(api(digest).get(ME))


@pytest.mark.parametrize(
    "header",
    [
        "Token rg_dit-is-een-verzonnen-token-van-voldoende-lengte-123",
        "Token rg_",
        "Token",
        "Token twee delen",
        "Bearer ",
        "Token " + "x" * 5000,
        "Token r\u00e9g",
        "Token '; DROP TABLE accounts_apitoken; --",
    ],
)
def test_forged_or_malformed_tokens_get_401_never_500(analyst, header):
    issue(analyst.username)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    for path in (ME, "/api/v1/personen/", "/api/v1/audit-log/"):
        assert_refused(client.get(path))
    assert client.post("/api/v1/personen/", {"surname": "X"}, format="json").status_code == 401
    assert ApiToken.objects.count() == 1


def test_no_credentials_get_401(db):
    response = APIClient().get(ME)
    assert response.status_code == 401


def test_token_stands_in_for_both_factors_on_the_api_only(analyst):
    raw = issue(analyst.username)
    assert api(raw).get("/api/v1/personen/").status_code == 200
    # the browser pages do not accept a token: they need a signed-in, verified session
    response = api(raw).get("/start/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")
