"""Every new route answers bad input with a Dutch 400, 404 or 429, never a 500, and writes nothing in part."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.datastructures import MultiValueDict

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.intake.models import Attachment, Signal
from tests.conftest import verified_client

from .conftest import jpeg_with_gps, stored_files, upload


def resident() -> Client:
    return Client(REMOTE_ADDR="192.0.2.44", raise_request_exception=False)


@pytest.mark.parametrize(
    "url",
    ["/melden/%00/", "/melden/GM%009991/", "/melden/" + "G" * 500 + "/", "/melden/GM-9991/", "/melden/%C3%A9/", "/melden/"],
)
def test_malformed_municipality_codes_are_404(orgs, url):
    for method in ("get", "post"):
        response = getattr(resident(), method)(url, {"text": "iets"})
        assert response.status_code == 404, (url, method)
        assert "Niet gevonden" in response.content.decode()
    assert Signal.unscoped.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"text": "nul\x00byte"},
        {"text": "ok", "postcode": "12\x0034AB", "house_number": "1"},
        {"text": "ok", "wants_feedback": "on", "email": "a\x00@example.org"},
        {"text": "ok", "house_number": "9" * 40},
        {"text": "ok", "reported_on": "0000-00-00"},
        {"text": "ok", "reported_on": "9999-99-99"},
        {"text": ["twee", "waarden"], "house_number": ["1", "2"]},
    ],
)
def test_hostile_form_input_is_a_400(orgs, data):
    response = resident().post("/melden/GM9991/", data)
    assert response.status_code in (200, 400)  # a second value may simply be ignored
    if response.status_code == 400:
        assert "Controleer de gemarkeerde velden" in response.content.decode() or "utrecht-form-field-error-message" in response.content.decode()
    else:
        assert Signal.unscoped.count() == 1


def test_nul_bytes_in_the_status_form_are_a_400(db):
    response = resident().post("/melden/status/", {"reference": "M-\x00", "code": "x\x00"})
    assert response.status_code == 400


def test_photo_sent_as_plain_text_field_is_ignored_not_a_crash(orgs):
    response = resident().post("/melden/GM9991/", {"text": "ok", "photo": "niet-een-bestand"})
    assert response.status_code == 200
    assert not Attachment.objects.exists()


def test_two_photos_keep_only_one_field_value(orgs, media_root):
    client = resident()
    files = MultiValueDict({"photo": [upload("a.jpg", jpeg_with_gps()), upload("b.jpg", jpeg_with_gps())]})
    response = client.post("/melden/GM9991/", {"text": "ok", **files})
    assert response.status_code in (200, 400)
    assert Attachment.objects.count() <= 1 and len(stored_files(media_root)) == Attachment.objects.count()


def test_too_many_fields_is_a_dutch_400(orgs, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    data = {f"veld{i}": "x" for i in range(60)}
    response = resident().post("/melden/GM9991/", {"text": "ok", **data})
    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.content.decode()
    assert Signal.unscoped.count() == 0


def test_too_many_files_is_a_dutch_400(orgs, settings, media_root):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = {f"f{i}": SimpleUploadedFile(f"{i}.jpg", b"x") for i in range(5)}
    response = resident().post("/melden/GM9991/", {"text": "ok", **files})
    assert response.status_code == 400
    assert Signal.unscoped.count() == 0 and stored_files(media_root) == []


def test_no_partial_write_when_the_audit_fails(orgs, media_root, monkeypatch):
    """register() writes signal, events and audit in one transaction: a failing step leaves nothing."""
    from regie.audit import chain

    def broken(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    # every audit write (one entry or a bundle's) ends in the chain's append_many
    monkeypatch.setattr(chain, "append_many", broken)
    client = resident()
    response = client.post("/melden/GM9991/", {"text": "ok", "photo": upload("a.jpg", jpeg_with_gps()),
                                              "wants_feedback": "on", "email": "x@example.org"})
    assert response.status_code == 500  # an internal fault, not bad input: but nothing was kept
    assert Signal.unscoped.count() == 0 and not AuditEntry.objects.filter(action="create").exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize("url", ["/signalen/abc/bijlagen/1/", "/signalen/1/bijlagen/abc/", "/signalen/999999999999999999999/bijlagen/1/"])
def test_malformed_attachment_urls_are_404(orgs, make_user, url):
    client = verified_client(make_user(role=Role.COORDINATOR, org=orgs["a"]))
    response = client.get(url)
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()
