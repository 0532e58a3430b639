"""Photos with a signal: JPEG/PNG only, at most REGIE_UPLOAD_MAX_BYTES, verified with Pillow,
re-encoded without metadata, stored outside the web root and served only through the signal."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from PIL import ExifTags, Image

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry, PurposeDeclaration
from regie.intake import attachments, services
from regie.intake.models import Attachment, Reporter, Signal
from tests.conftest import as_user, verified_client

from .conftest import jpeg_with_gps, png_with_text, stored_files, upload

TEXT = "Er staat een busje met jerrycans achter het pand, elke nacht."


def resident() -> Client:
    return Client(REMOTE_ADDR="203.0.113.5")


def send(photo, **extra):
    return resident().post("/melden/GM9991/", {"text": TEXT, "photo": photo, **extra})


def nothing_stored(media_root: Path) -> bool:
    return (
        Signal.unscoped.count() == 0 and not Attachment.objects.exists() and not Reporter.objects.exists()
        and stored_files(media_root) == []
    )


# --- metadata is stripped -----------------------------------------------------------------------

def test_gps_exif_is_stripped_from_a_jpeg(orgs, media_root):
    original = jpeg_with_gps()
    before = Image.open(io.BytesIO(original))
    assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo really carries a position
    assert b"SpionCam" in original and b"Jan Jansen" in original

    response = send(upload("IMG_jan_jansen_thuis.jpg", original))
    assert response.status_code == 200, response.content.decode()
    attachment = Attachment.objects.get()
    assert attachment.signal == Signal.unscoped.get()
    path = Path(attachment.file.path)
    assert path.is_file() and path.parent == media_root / "attachments"
    assert "jan" not in path.name.lower() and path.suffix == ".jpg"  # the reporter's file name is not kept
    stored = path.read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.size == before.size
    assert len(image.getexif()) == 0
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert "exif" not in image.info and "comment" not in image.info
    for marker in (b"Exif", b"SpionCam", b"Serienummer", b"slaapkamer", b"Jan Jansen"):
        assert marker not in stored
    # the row describes the stored (clean) file
    assert attachment.content_type == "image/jpeg"
    assert attachment.size == len(stored) == path.stat().st_size
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    # the pixels are still the photo
    assert image.convert("RGB").getpixel((5, 5))[0] > 150


def test_png_text_chunks_are_stripped_and_transparency_kept(orgs, media_root):
    response = send(upload("kaart.png", png_with_text(), "image/png"))
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    stored = Path(attachment.file.path).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "PNG" and image.mode == "RGBA"
    assert "Author" not in image.info and "Location" not in image.info
    assert b"Jan Jansen" not in stored and b"tEXt" not in stored
    assert attachment.content_type == "image/png" and attachment.file.name.endswith(".png")


def test_exif_orientation_is_applied_before_stripping(orgs):
    image = Image.new("RGB", (60, 20), (0, 0, 255))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # rotated 90° clockwise
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    clean = attachments.clean_photo(upload("x.jpeg", buffer.getvalue()))
    stored = Image.open(io.BytesIO(clean.data))
    assert stored.size == (20, 60) and len(stored.getexif()) == 0


# --- refused uploads: 400, a clear Dutch message, nothing stored --------------------------------

def test_wrong_type_is_refused(orgs, media_root):
    response = send(upload("verslag.pdf", b"%PDF-1.4 ...", "application/pdf"))
    assert response.status_code == 400
    assert attachments.WRONG_TYPE.replace("'", "&#x27;") in response.content.decode()
    assert nothing_stored(media_root)


def test_a_gif_named_jpg_is_refused(orgs, media_root):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    response = send(upload("foto.jpg", buffer.getvalue()))
    assert response.status_code == 400
    assert "JPEG- of PNG" in response.content.decode()
    assert nothing_stored(media_root)


@pytest.mark.parametrize(
    "data",
    [
        b"dit is helemaal geen foto, alleen tekst",
        b"\xff\xd8\xff\xe0" + b"\x00" * 200,  # a JPEG header and nothing behind it
        b"<?php system($_GET['c']); ?>",
    ],
)
def test_a_file_that_claims_jpg_but_is_no_image_is_refused(orgs, media_root, data):
    response = send(upload("foto.jpg", data))
    assert response.status_code == 400
    assert "geen geldige JPEG- of PNG-foto" in response.content.decode()
    assert nothing_stored(media_root)


def test_a_truncated_jpeg_is_refused(orgs, media_root):
    data = jpeg_with_gps(size=(400, 300))
    response = send(upload("foto.jpg", data[: len(data) // 2]))
    assert response.status_code == 400
    assert nothing_stored(media_root)


def test_an_empty_file_is_refused(orgs, media_root):
    response = send(upload("foto.jpg", b""))
    assert response.status_code == 400
    assert "leeg" in response.content.decode()
    assert nothing_stored(media_root)


def test_an_oversized_file_is_refused(orgs, media_root, settings):
    assert settings.REGIE_UPLOAD_MAX_BYTES == 10 * 1024 * 1024
    data = jpeg_with_gps() + b"\x00" * (settings.REGIE_UPLOAD_MAX_BYTES + 1)
    response = send(upload("groot.jpg", data))
    assert response.status_code == 400
    assert "De foto is te groot. Het maximum is 10 MB." in response.content.decode()
    assert nothing_stored(media_root)


def test_the_limit_comes_from_the_setting(orgs, media_root, settings):
    settings.REGIE_UPLOAD_MAX_BYTES = 1024 * 1024
    photo = jpeg_with_gps()
    assert send(upload("klein.jpg", photo)).status_code == 200
    settings.REGIE_UPLOAD_MAX_BYTES = len(photo) - 1
    response = send(upload("klein.jpg", photo))
    assert response.status_code == 400 and "te groot" in response.content.decode()
    assert Signal.unscoped.count() == 1 and Attachment.objects.count() == 1


def test_a_decompression_bomb_is_refused(orgs, media_root):
    buffer = io.BytesIO()
    Image.new("L", (8000, 8000)).save(buffer, format="PNG")  # small file, 64 megapixels
    response = send(upload("bom.png", buffer.getvalue(), "image/png"))
    assert response.status_code == 400
    assert nothing_stored(media_root)


def test_a_failure_after_the_file_was_written_leaves_no_file(orgs, media_root, monkeypatch):
    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(attachments, "record", broken_audit)
    photo = attachments.clean_photo(upload("foto.jpg", jpeg_with_gps()))
    data = services.SignalInput(channel="public", text=TEXT, anonymous=True)
    with pytest.raises(RuntimeError):
        attachments.register_with_photo(orgs["a"], data, photo, actor=None)
    assert nothing_stored(media_root)


def test_a_refused_signal_leaves_no_file(orgs, media_root):
    photo = attachments.clean_photo(upload("foto.jpg", jpeg_with_gps()))
    data = services.SignalInput(channel="public", text=TEXT, theme_codes=["bestaat-niet"])
    with pytest.raises(ValidationError):
        attachments.register_with_photo(orgs["a"], data, photo, actor=None)
    assert nothing_stored(media_root)


# --- the internal form ("Meld een vermoeden") accepts the same photo -----------------------------

def test_internal_report_with_a_photo(orgs, make_user, media_root):
    user = make_user(role=Role.MEDEWERKER, org=orgs["a"])
    client = verified_client(user)
    page = client.get("/meld-een-vermoeden/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="photo"' in page
    response = client.post("/meld-een-vermoeden/", {"text": TEXT, "photo": upload("foto.jpg", jpeg_with_gps())})
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert attachment.signal.channel == "internal"
    assert b"Exif" not in Path(attachment.file.path).read_bytes()


def test_internal_report_with_a_bad_photo_is_refused(orgs, make_user, media_root):
    user = make_user(role=Role.MEDEWERKER, org=orgs["a"])
    response = verified_client(user).post("/meld-een-vermoeden/", {"text": TEXT, "photo": upload("foto.jpg", b"geen foto")})
    assert response.status_code == 400
    assert "geen geldige JPEG- of PNG-foto" in response.content.decode()
    assert nothing_stored(media_root)


# --- shown on the signal page, served through the signal's checks -------------------------------

@pytest.fixture
def with_photo(orgs, media_root):
    assert send(upload("foto.jpg", jpeg_with_gps())).status_code == 200
    return Attachment.objects.select_related("signal").get()


def state_purpose(client, signal):
    response = client.get(f"/signalen/{signal.pk}/")
    assert response.status_code == 302 and "/doel/" in response["Location"]
    client.post(response["Location"], {"purpose": "overleg", "explanation": "voorbereiding LOO"})


def test_detail_page_links_the_photo_and_the_download_is_safe(orgs, make_user, with_photo):
    coordinator = make_user(role=Role.COORDINATOR, org=orgs["a"])
    client = verified_client(coordinator)
    signal = with_photo.signal
    state_purpose(client, signal)
    page = client.get(f"/signalen/{signal.pk}/").content.decode()
    url = f"/signalen/{signal.pk}/bijlagen/{with_photo.pk}/"
    assert url in page and "Bijlagen" in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment;")
    assert signal.reference in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body == Path(with_photo.file.path).read_bytes()
    entry = AuditEntry.objects.filter(action="view", object_type="intake.signal", object_id=str(signal.pk)).last()
    assert entry.detail["attachment"] == with_photo.pk and entry.user_id == coordinator.pk
    assert "voorbereiding LOO" in entry.purpose


def test_download_needs_a_stated_purpose_like_the_signal(orgs, make_user, with_photo):
    client = verified_client(make_user(role=Role.COORDINATOR, org=orgs["a"]))
    url = f"/signalen/{with_photo.signal_id}/bijlagen/{with_photo.pk}/"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/doel/")
    assert not AuditEntry.objects.filter(action="view").exists()


def test_another_tenant_gets_404(orgs, make_user, with_photo):
    other = make_user(role=Role.COORDINATOR, org=orgs["b"])
    client = verified_client(other)
    response = client.get(f"/signalen/{with_photo.signal_id}/bijlagen/{with_photo.pk}/")
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()


def test_attachment_of_another_signal_or_missing_is_404(orgs, make_user, with_photo):
    coordinator = make_user(role=Role.COORDINATOR, org=orgs["a"])
    client = verified_client(coordinator)
    with as_user(coordinator) as access:
        other = services.register(orgs["a"], services.SignalInput(channel="counter", text="Ander signaal"), actor=access).signal
    state_purpose(client, other)
    assert client.get(f"/signalen/{other.pk}/bijlagen/{with_photo.pk}/").status_code == 404
    assert client.get(f"/signalen/{other.pk}/bijlagen/999999/").status_code == 404


def test_file_gone_from_disk_is_404_not_500(orgs, make_user, with_photo):
    coordinator = make_user(role=Role.COORDINATOR, org=orgs["a"])
    client = verified_client(coordinator)
    state_purpose(client, with_photo.signal)
    Path(with_photo.file.path).unlink()
    assert client.get(f"/signalen/{with_photo.signal_id}/bijlagen/{with_photo.pk}/").status_code == 404


def test_employee_without_signal_rights_and_anonymous_cannot_download(orgs, make_user, with_photo):
    url = f"/signalen/{with_photo.signal_id}/bijlagen/{with_photo.pk}/"
    employee = verified_client(make_user(role=Role.MEDEWERKER, org=orgs["a"]))
    assert employee.get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/inloggen/")


def test_media_root_is_not_served(orgs, with_photo):
    name = with_photo.file.name
    for url in (f"/{name}", f"/media/{name}", f"/static/{name}"):
        assert Client().get(url).status_code in (302, 404)


def test_purpose_declared_for_the_signal_covers_the_download(orgs, make_user, with_photo):
    coordinator = make_user(role=Role.COORDINATOR, org=orgs["a"])
    client = verified_client(coordinator)
    state_purpose(client, with_photo.signal)
    assert PurposeDeclaration.objects.filter(user=coordinator).count() == 1
    assert client.get(f"/signalen/{with_photo.signal_id}/bijlagen/{with_photo.pk}/").status_code == 200
