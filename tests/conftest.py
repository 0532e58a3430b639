"""Shared fixtures: two municipalities and a partner, users per role, verified clients."""

from __future__ import annotations

import secrets
from contextlib import contextmanager

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from regie.accounts.access import access_for_user
from regie.accounts.models import ApiToken, User
from regie.accounts.roles import Role
from regie.organisations.access import use_access
from regie.organisations.models import Organisation

PASSWORD = "Een-lang-testwachtwoord-42"


@pytest.fixture(autouse=True)
def fresh_registry_index():
    """The registry index is kept per process between requests (subjects.registry_index); each
    test starts without one, so no test sees another test's (rolled back) registry."""
    from regie.subjects import registry_index

    registry_index.clear()
    yield
    registry_index.clear()


@pytest.fixture
def orgs(db):
    return {
        "a": Organisation.objects.create(name="Gemeente Aastad", kind=Organisation.Kind.GEMEENTE, code="GM9991"),
        "b": Organisation.objects.create(name="Gemeente Bedorp", kind=Organisation.Kind.GEMEENTE, code="GM9992"),
        "politie": Organisation.objects.create(name="Politie Testeenheid", kind=Organisation.Kind.POLITIE),
    }


@pytest.fixture
def make_user(db):
    counter = {"n": 0}

    def make(role=Role.COORDINATOR, org=None, username=None, device=True, **extra):
        counter["n"] += 1
        user = User(username=username or f"{role}-{counter['n']}", role=role, organisation=org, **extra)
        user.set_password(PASSWORD)
        user.save()
        if device:
            TOTPDevice.objects.create(user=user, name="test", key=secrets.token_hex(20), confirmed=True)
        return user

    return make


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def verified_client(user) -> Client:
    """A browser client signed in with both factors (without spending the TOTP code)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def token_client(user) -> APIClient:
    _, raw = ApiToken.issue(user, "test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


@contextmanager
def as_user(user):
    with use_access(access_for_user(user)) as access:
        yield access


@pytest.fixture
def login_client():
    return verified_client


@pytest.fixture
def api_client_for():
    return token_client


def restore_standard_themes() -> None:
    """The national theme catalogue comes from a data migration; the flush after a transactional
    test empties it, so tests that run after one put it back (as the migration does)."""
    from regie.intake.catalogue import STANDARD_THEMES
    from regie.intake.models import Theme

    for code, group, name in STANDARD_THEMES:
        Theme.objects.get_or_create(organisation=None, code=code, defaults={"group": group, "name": name})
