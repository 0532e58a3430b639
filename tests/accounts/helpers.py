"""Small helpers shared by the authentication tests (no mocks: real forms, sessions, devices)."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

LOGIN = "/inloggen/"
SECOND_FACTOR = "/inloggen/tweede-factor/"
LOGOUT = "/uitloggen/"
START = "/start/"


def login(client: Client, user, code: str = "", password: str = PASSWORD, next_url: str | None = None):
    data = {"username": user.username, "password": password, "otp_token": code}
    url = LOGIN
    if next_url is not None:
        data["next"] = next_url
    return client.post(url, data)


def wrong_code(user) -> str:
    """A six-digit code that no step in the device's tolerance window accepts."""
    device = TOTPDevice.objects.get(user=user)
    valid = {
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=d):0{device.digits}d}"
        for d in range(-device.tolerance - 1, device.tolerance + 2)
    }
    for candidate in ("000000", "111111", "123456", "999999", "424242"):
        if candidate not in valid:
            return candidate
    raise AssertionError("no wrong code found")  # pragma: no cover


def signed_in_user_id(client: Client):
    """The user id in the client's server-side session, or None."""
    return client.session.get(SESSION_KEY)


def is_verified_session(client: Client) -> bool:
    return bool(client.session.get(DEVICE_ID_SESSION_KEY))
