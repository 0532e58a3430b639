"""API authentication: hashed tokens, and sessions only with the second factor."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from regie.accounts.models import ApiToken
from regie.accounts.roles import Role
from tests.conftest import token_client

DATA_URLS = ["/api/v1/ik/", "/api/v1/personen/", "/api/v1/organisaties/"]


def assert_refused_without_data(response, status=401):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"detail"}
    assert "Jansen" not in response.content.decode()
    return body["detail"]


def test_valid_token_identifies_user_and_organisation(orgs, coordinator):
    response = token_client(coordinator).get("/api/v1/ik/")
    assert response.status_code == 200
    assert response.json() == {
        "username": "coordinator-a",
        "role": "coordinator",
        "organisation": orgs["a"].pk,
        "organisation_name": "Gemeente Aastad",
        "clearance": 7,
    }


def test_token_is_stored_hashed_and_use_is_recorded(coordinator):
    token, raw = ApiToken.issue(coordinator, "test")
    assert raw.startswith("rg_")
    assert token.digest == ApiToken.hash(raw) != raw
    assert token.prefix == raw[:8]
    assert not ApiToken.objects.filter(digest=raw).exists()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")  # Bearer works as well
    assert client.get("/api/v1/ik/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("url", DATA_URLS)
def test_no_credentials_is_401(db, person, url):
    response = APIClient().get(url)
    assert_refused_without_data(response)
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    "header",
    [
        "Token rg_vervalst-token-dat-niet-bestaat",
        "Bearer rg_vervalst-token-dat-niet-bestaat",
        "Token",
        "Token een twee",
        "Token ",
    ],
)
@pytest.mark.parametrize("url", DATA_URLS)
def test_forged_or_malformed_token_is_401(coordinator, person, header, url):
    ApiToken.issue(coordinator, "bestaand")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    detail = assert_refused_without_data(client.get(url))
    assert detail in ("Ongeldig of verlopen token.", "Ongeldige Authorization-header.")


def test_non_ascii_token_is_401(coordinator):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token rg_tökén".encode().decode("latin-1"))
    assert_refused_without_data(client.get("/api/v1/ik/"))


def test_a_token_that_differs_in_one_character_is_401(coordinator, person):
    _, raw = ApiToken.issue(coordinator, "test")
    forged = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {forged}")
    assert_refused_without_data(client.get("/api/v1/personen/"))


def _client_for(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


@pytest.mark.parametrize("url", DATA_URLS)
def test_expired_token_is_401(coordinator, person, url):
    _, raw = ApiToken.issue(coordinator, "test", expires_at=timezone.now() - timedelta(seconds=1))
    assert assert_refused_without_data(_client_for(raw).get(url)) == "Ongeldig of verlopen token."


def test_token_works_until_it_expires(coordinator):
    token, raw = ApiToken.issue(coordinator, "test", expires_at=timezone.now() + timedelta(hours=1))
    client = _client_for(raw)
    assert client.get("/api/v1/ik/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_refused_without_data(client.get("/api/v1/ik/"))


@pytest.mark.parametrize("url", DATA_URLS)
def test_revoked_token_is_401(coordinator, person, url):
    token, raw = ApiToken.issue(coordinator, "test")
    client = _client_for(raw)
    assert client.get(url).status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    assert_refused_without_data(client.get(url))


def test_token_of_deactivated_user_is_401(coordinator, person):
    _, raw = ApiToken.issue(coordinator, "test")
    coordinator.is_active = False
    coordinator.save()
    assert_refused_without_data(_client_for(raw).get("/api/v1/personen/"))


def test_writes_with_a_bad_token_change_nothing(coordinator, person):
    client = _client_for("rg_vervalst")
    assert client.post("/api/v1/personen/", {"surname": "Nieuw"}, format="json").status_code == 401
    assert client.delete(f"/api/v1/personen/{person.pk}/").status_code == 401
    from regie.subjects.models import Person

    assert list(Person.unscoped.values_list("surname", flat=True)) == ["Jansen"]


# --- sessions ---------------------------------------------------------------------------------


def session_client(user, verified):
    client = APIClient()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if verified:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
    return client


@pytest.mark.parametrize("url", DATA_URLS)
def test_session_without_second_factor_is_refused(coordinator, person, url):
    assert_refused_without_data(session_client(coordinator, verified=False).get(url))


def test_session_with_second_factor_is_accepted(coordinator, person):
    from tests.api.conftest import assign

    assign(coordinator, person)
    client = session_client(coordinator, verified=True)
    assert client.get("/api/v1/ik/").json()["username"] == "coordinator-a"
    assert client.get(f"/api/v1/personen/{person.pk}/").json()["surname"] == "Jansen"


def test_session_needs_csrf_for_writes(coordinator):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=coordinator).persistent_id
    session.save()
    response = client.post("/api/v1/personen/", {"surname": "Nieuw"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_role_without_personal_data_needs_no_second_factor_but_no_subjects_either(orgs, make_user, person):
    raadslid = make_user(role=Role.RAADSLID, org=orgs["a"], device=False)
    client = session_client(raadslid, verified=False)
    assert client.get("/api/v1/ik/").json()["role"] == "raadslid"
    assert client.get("/api/v1/personen/").status_code == 403
