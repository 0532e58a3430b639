"""Issue 5, point 7: documents of a measure are type-checked by content, stored outside the web
root, downloaded only through the measure's checks, and every download is logged."""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from regie.accounts.models import Assignment
from regie.audit.models import AuditEntry
from regie.measures.models import MeasureDocument
from tests.conftest import verified_client
from tests.measures.conftest import measure

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (8, 8), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Camera van de melder"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 0.0)}  # GPS IFD
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def upload(client, m, name, data, kind="besluit"):
    return client.post(reverse("measures:document_upload", args=[m.pk]),
                       {"kind": kind, "description": "Besluit sluiting", "file": SimpleUploadedFile(name, data)})


def test_a_pdf_decision_is_stored_outside_the_web_root_and_audited(town, access, media):
    m = measure(access, town["orgs"]["a"])
    response = upload(verified_client(town["jurist"]), m, "besluit Jan Jansen.pdf", PDF)
    assert response.status_code == 302
    document = MeasureDocument.objects.get(measure=m)
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    stored = Path(document.file.path)
    assert stored.read_bytes() == PDF and media in stored.parents
    assert "Jansen" not in document.file.name  # the uploader's file name is not kept
    assert not str(stored).startswith(str(Path(django_settings.STATIC_ROOT or "/nonexistent")))
    entry = AuditEntry.objects.get(object_type="measures.measuredocument", action=AuditEntry.Action.CREATE)
    assert entry.detail["measure"] == m.pk and entry.detail["sha256"] == document.sha256


def test_a_photo_loses_its_metadata(town, access):
    m = measure(access, town["orgs"]["a"])
    data = jpeg_with_gps()
    assert b"Camera van de melder" in data
    upload(verified_client(town["jurist"]), m, "foto.jpg", data, kind="foto")
    document = MeasureDocument.objects.get(measure=m)
    stored = Path(document.file.path).read_bytes()
    assert document.content_type == "image/jpeg" and b"Camera van de melder" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("besluit.pdf", b"Dit is geen PDF maar tekst.", "Alleen PDF-documenten en foto"),
        ("script.pdf", PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /JS (app.alert(1)) >>"), "scripts"),
        ("half.pdf", b"%PDF-1.4\n1 0 obj", "beschadigd of onvolledig"),
        ("kapot.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "beschadigd of onvolledig"),
        ("pagina.html", b"<html><script>alert(1)</script></html>", "Alleen PDF-documenten en foto"),
    ],
)
def test_wrong_or_dangerous_files_are_refused(town, access, name, data, message):
    m = measure(access, town["orgs"]["a"])
    client = verified_client(town["jurist"])
    response = upload(client, m, name, data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert message in page
    assert not MeasureDocument.objects.exists()


def test_a_file_above_the_limit_is_refused(town, access, settings):
    settings.REGIE_UPLOAD_MAX_BYTES = 50
    m = measure(access, town["orgs"]["a"])
    client = verified_client(town["jurist"])
    response = upload(client, m, "groot.pdf", PDF + b"%" * 100)
    assert "te groot" in client.get(response["Location"]).content.decode()
    assert not MeasureDocument.objects.exists()


def test_download_only_through_the_checks_and_every_download_is_logged(town, access):
    m = measure(access, town["orgs"]["a"])
    upload(verified_client(town["jurist"]), m, "besluit.pdf", PDF)
    document = MeasureDocument.objects.get()
    url = reverse("measures:document", args=[m.pk, document.pk])
    response = verified_client(town["jurist"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;") and m.reference in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    views = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW, object_type="measures.measure", detail__document=document.pk)
    assert views.count() == 1 and views.get().username == town["jurist"].username
    # the burgemeester, not assigned: states a purpose first; another municipality: 404; a boa: 403
    assert verified_client(town["burgemeester"]).get(url)["Location"].startswith(reverse("audit:purpose"))
    assert verified_client(town["jurist_b"]).get(url).status_code == 404
    assert verified_client(town["boa"]).get(url).status_code == 403
    assert verified_client(town["jurist"]).get(reverse("measures:document", args=[m.pk, document.pk + 1])).status_code == 404
    assert views.count() == 1
    # readers may download, but not upload
    Assignment.objects.create(user=town["analist"], content_type_id=_ct(), object_id=m.pk)
    analist = verified_client(town["analist"])
    assert analist.get(url).status_code == 200
    assert upload(analist, m, "besluit.pdf", PDF).status_code == 403


def _ct():
    from django.contrib.contenttypes.models import ContentType

    from regie.measures.models import Measure

    return ContentType.objects.get_for_model(Measure).pk


def test_no_url_serves_the_media_folder(town, access):
    m = measure(access, town["orgs"]["a"])
    upload(verified_client(town["jurist"]), m, "besluit.pdf", PDF)
    document = MeasureDocument.objects.get()
    response = verified_client(town["jurist"]).get(f"/{django_settings.MEDIA_URL.strip('/')}/{document.file.name}".replace("//", "/"))
    assert response.status_code == 404
