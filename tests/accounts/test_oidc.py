"""Single sign-on (OIDC): on only when configured, and it never creates or guesses accounts."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client

from regie.accounts.models import User
from regie.accounts.oidc import RegieOIDCBackend
from regie.accounts.roles import Role

from .helpers import SECOND_FACTOR, START

IDP = {
    "OIDC_RP_CLIENT_ID": "regie-test",
    "OIDC_RP_CLIENT_SECRET": "geheim",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example/jwks",
}

# Runs in a fresh process: settings read the environment once, at start-up.
PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.test import Client

settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"  # no database needed
out = {"enabled": settings.OIDC_ENABLED, "backends": list(settings.AUTHENTICATION_BACKENDS)}
try:
    out["url"] = reverse("oidc_authentication_init")
except NoReverseMatch:
    out["url"] = None
try:
    resolve("/oidc/authenticate/")
    out["resolves"] = True
except Resolver404:
    out["resolves"] = False
client = Client()
response = client.get("/oidc/authenticate/")
out["status"] = response.status_code
out["location"] = response.get("Location", "")
out["login_page"] = client.get("/inloggen/").content.decode()
print(json.dumps(out))
"""


def start_probe(directory, extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "regie.settings",
            "REGIE_DATA_DIR": str(directory),
            "DATABASE_URL": "sqlite://:memory:",
            **extra_env,
        }
    )
    return subprocess.Popen(
        [sys.executable, "-c", PROBE], env=env, cwd=directory, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.fixture(scope="module")
def probes(tmp_path_factory):
    """Both configurations, started side by side (each is a fresh Django process)."""
    started = {
        name: start_probe(tmp_path_factory.mktemp(name), extra)
        for name, extra in (("with_sso", IDP), ("without_sso", {}))
    }
    results = {}
    for name, process in started.items():
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        results[name] = json.loads(stdout.strip().splitlines()[-1])
    return results


def test_sso_is_active_when_configured(probes):
    out = probes["with_sso"]

    assert out["enabled"] is True
    assert "regie.accounts.oidc.RegieOIDCBackend" in out["backends"]
    # the lock-out backend still comes first
    assert out["backends"][0] == "axes.backends.AxesStandaloneBackend"
    assert out["url"] == "/oidc/authenticate/"
    assert out["resolves"] is True
    assert out["status"] == 302
    assert out["location"].startswith("https://idp.example/authorize?")
    assert "client_id=regie-test" in out["location"]
    assert "state=" in out["location"] and "nonce=" in out["location"]
    assert 'href="/oidc/authenticate/"' in out["login_page"]
    assert "single sign-on" in out["login_page"]


def test_sso_is_absent_without_client_id(probes):
    out = probes["without_sso"]

    assert out["enabled"] is False
    assert not any("oidc" in backend.lower() for backend in out["backends"])
    assert out["url"] is None
    assert out["resolves"] is False
    assert out["status"] == 404
    assert "/oidc/" not in out["login_page"]
    assert "single sign-on" not in out["login_page"]


class IdpStandIn(RegieOIDCBackend):
    """The backend with the provider's userinfo answer given, instead of fetched over the network."""

    claims: dict = {}

    def get_userinfo(self, access_token, id_token, payload):
        return self.claims


@pytest.fixture
def backend(settings):
    for name, value in IDP.items():
        setattr(settings, name, value)
    settings.OIDC_RP_SIGN_ALGO = "RS256"

    def make(claims):
        instance = IdpStandIn()
        instance.claims = claims
        return instance

    return make


class TestClaims:
    def test_matches_by_email_case_insensitively(self, orgs, make_user, backend):
        user = make_user(role=Role.ANALIST, org=orgs["a"], email="A.Analist@Aastad.nl")
        make_user(role=Role.ANALIST, org=orgs["a"], email="iemand.anders@aastad.nl")

        found = list(backend({}).filter_users_by_claims({"email": " a.analist@aastad.nl "}))

        assert found == [user]

    @pytest.mark.parametrize("claims", [{}, {"email": ""}, {"email": None}, {"email": "   "}, {"sub": "123"}])
    def test_no_email_matches_nobody(self, orgs, make_user, backend, claims):
        make_user(role=Role.ANALIST, org=orgs["a"], email="")  # a user without e-mail must not match either
        assert list(backend({}).filter_users_by_claims(claims)) == []

    def test_inactive_account_is_not_matched(self, orgs, make_user, backend):
        make_user(role=Role.ANALIST, org=orgs["a"], email="weg@aastad.nl", is_active=False)
        assert list(backend({}).filter_users_by_claims({"email": "weg@aastad.nl"})) == []

    def test_unknown_email_creates_no_user(self, orgs, make_user, backend):
        make_user(role=Role.ANALIST, org=orgs["a"], email="bekend@aastad.nl")
        before = User.objects.count()

        user = backend({"email": "nieuw@elders.example", "sub": "x"}).get_or_create_user("at", "it", {})

        assert user is None
        assert User.objects.count() == before
        assert not User.objects.filter(email__iexact="nieuw@elders.example").exists()

    def test_known_email_returns_the_existing_account_unchanged(self, orgs, make_user, backend):
        existing = make_user(role=Role.JURIST, org=orgs["a"], email="jurist@aastad.nl")
        before = User.objects.count()

        user = backend({"email": "JURIST@aastad.nl", "given_name": "Ander"}).get_or_create_user("at", "it", {})

        assert user == existing
        assert User.objects.count() == before
        existing.refresh_from_db()
        assert existing.role == Role.JURIST and existing.organisation == orgs["a"]

    def test_ambiguous_email_signs_in_nobody(self, orgs, make_user, backend):
        make_user(role=Role.JURIST, org=orgs["a"], email="dubbel@aastad.nl")
        make_user(role=Role.COORDINATOR, org=orgs["b"], email="Dubbel@aastad.nl")
        with pytest.raises(SuspiciousOperation):
            backend({"email": "dubbel@aastad.nl"}).get_or_create_user("at", "it", {})

    def test_create_user_never_creates(self, db, backend):
        assert backend({}).create_user({"email": "x@y.example"}) is None
        assert not User.objects.exists()


OIDC_BACKEND = "regie.accounts.oidc.RegieOIDCBackend"


@pytest.fixture
def sso_settings(settings):
    for name, value in IDP.items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, OIDC_BACKEND]
    return settings


def test_sso_sign_in_still_needs_the_regie_code(orgs, make_user, sso_settings):
    sso_settings.OIDC_TRUST_PROVIDER_MFA = False
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    client = Client()
    client.force_login(user, backend=OIDC_BACKEND)
    response = client.get(START)
    assert response.status_code == 302
    assert response["Location"].startswith(SECOND_FACTOR)


def test_trusted_provider_mfa_counts_for_sso_only(orgs, make_user, sso_settings):
    sso_settings.OIDC_TRUST_PROVIDER_MFA = True
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    sso = Client()
    sso.force_login(user, backend=OIDC_BACKEND)
    assert sso.get(START).status_code == 200

    # a password-only session gains nothing from the provider setting
    password_only = Client()
    password_only.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert password_only.get(START)["Location"].startswith(SECOND_FACTOR)
