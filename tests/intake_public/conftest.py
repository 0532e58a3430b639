"""Fixtures for the public form, photos, feedback and retention: a private media root, a clean cache."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, PngImagePlugin


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test writes its uploads to its own directory, and starts with empty rate-limit counters."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    cache.clear()
    yield root
    cache.clear()


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


GPS_LATITUDE = (52.0, 22.0, 30.5)


def jpeg_with_gps(size=(64, 48)) -> bytes:
    """A real JPEG carrying EXIF: camera make/model, a comment, and a GPS position."""
    image = Image.new("RGB", size, (180, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpionCam"
    exif[ExifTags.Base.Model] = "Serienummer-XJ-4455"
    exif[ExifTags.Base.ImageDescription] = "Gemaakt vanuit mijn slaapkamer"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 53.0, 10.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, comment=b"Jan Jansen, Dorpsstraat 1")
    return buffer.getvalue()


def png_with_text() -> bytes:
    image = Image.new("RGBA", (32, 32), (10, 200, 10, 128))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jan Jansen")
    info.add_text("Location", "52.3745,4.8897")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def secrets_on_page(html: str) -> list[str]:
    """The reference and, if shown, the feedback code on the thanks page."""
    return re.findall(r'<strong class="regie-secret">([^<]+)</strong>', html)
