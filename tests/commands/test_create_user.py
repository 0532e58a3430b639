import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from regie.accounts.models import User
from regie.audit.models import AuditEntry


def _create(*args):
    out = StringIO()
    call_command("create-user", *args, stdout=out)
    return out.getvalue()


def test_creates_user_with_password_and_totp_that_log_in(orgs, client):
    out = _create("a.jansen", "--organisation", orgs["a"].name, "--role", "analist", "--email", "a@x.invalid")
    user = User.objects.get(username="a.jansen")
    assert user.organisation == orgs["a"] and user.role == "analist"
    password = re.search(r"Startwachtwoord .*: (\S+)", out).group(1)
    assert "otpauth://totp/" in out
    device = TOTPDevice.objects.get(user=user)
    code = f"{totp(device.bin_key):06d}"
    response = client.post("/inloggen/", {"username": "a.jansen", "password": password, "otp_token": code})
    assert response.status_code == 302 and response["Location"] == "/start/"
    assert AuditEntry.objects.filter(action="create", object_type="accounts.user", object_id=str(user.pk)).exists()


def test_role_without_personal_data_gets_no_device(orgs):
    out = _create("raad1", "--organisation", orgs["a"].name, "--role", "raadslid")
    assert "TOTP" not in out
    assert not TOTPDevice.objects.filter(user__username="raad1").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["x", "--organisation", "Gemeente Nergens", "--role", "analist"], "bestaat niet"),
    ],
)
def test_bad_input_is_refused_in_dutch(orgs, args, message):
    with pytest.raises(CommandError, match=message):
        _create(*args)
    assert not User.objects.filter(username="x").exists()


def test_duplicate_username_is_refused(orgs):
    _create("dup", "--organisation", orgs["a"].name, "--role", "boa")
    with pytest.raises(CommandError, match="bestaat al"):
        _create("dup", "--organisation", orgs["a"].name, "--role", "boa")
