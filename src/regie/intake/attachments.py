"""Photos sent with a signal: checked with Pillow, re-encoded without metadata, stored privately.

A resident's photo can carry EXIF data (GPS position, camera serial number, time) that points
at the reporter. Every accepted photo is therefore decoded and written anew from its pixels
only, so no metadata, comment or profile survives. Only JPEG and PNG are accepted, up to
``settings.REGIE_UPLOAD_MAX_BYTES``. Files live under ``MEDIA_ROOT/attachments``, which no
URL serves: :func:`regie.intake.views.attachment_download` hands them out after a check.
"""

from __future__ import annotations

import hashlib
import io
import logging
import warnings
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from . import services
from .models import Attachment, Signal

log = logging.getLogger(__name__)

#: Pillow format -> (content type, extension)
FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
EXTENSIONS = {".jpg", ".jpeg", ".png"}
#: a decoded photo larger than this is refused (a small file can decode to gigabytes)
MAX_PIXELS = 50_000_000

WRONG_TYPE = "Alleen foto's in JPEG- of PNG-formaat kunnen worden meegestuurd."
NOT_AN_IMAGE = "Het bestand is geen geldige JPEG- of PNG-foto. Kies een andere foto of verstuur de melding zonder foto."


def too_large_message() -> str:
    return f"De foto is te groot. Het maximum is {settings.REGIE_UPLOAD_MAX_BYTES // (1024 * 1024)} MB."


@dataclass(frozen=True)
class CleanPhoto:
    """A checked photo, re-encoded; ready to store."""

    data: bytes
    content_type: str
    extension: str

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def clean_photo(upload) -> CleanPhoto:
    """Check an uploaded file and return it re-encoded without metadata; ValidationError if refused."""
    if upload.size is None or upload.size > settings.REGIE_UPLOAD_MAX_BYTES:
        raise ValidationError(too_large_message(), code="too_large")
    name = (upload.name or "").lower()
    if not any(name.endswith(ext) for ext in EXTENSIONS):
        raise ValidationError(WRONG_TYPE, code="wrong_type")
    try:
        return _reencode(upload)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - untrusted input: any decoder failure is a refusal, not a 500
        log.info("photo refused: %s", type(exc).__name__)
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from exc


def _reencode(upload) -> CleanPhoto:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in FORMATS:
                raise ValidationError(WRONG_TYPE, code="wrong_type")
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(too_large_message(), code="too_large")
            probe.verify()  # structure and checksums; the image cannot be used afterwards
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format
            image.load()
            # apply the EXIF orientation to the pixels before the EXIF block is dropped
            image = ImageOps.exif_transpose(image)
            mode = _target_mode(fmt, image)
            pixels = image.convert(mode) if image.mode != mode else image
            # a new image from the raw pixels only: no info, EXIF, XMP, ICC profile or text chunks
            clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    buffer = io.BytesIO()
    if fmt == "JPEG":
        clean.save(buffer, format="JPEG", quality=90)
    else:
        clean.save(buffer, format="PNG")
    content_type, extension = FORMATS[fmt]
    return CleanPhoto(buffer.getvalue(), content_type, extension)


def _target_mode(fmt: str, image: Image.Image) -> str:
    if fmt == "JPEG":
        return "L" if image.mode == "L" else "RGB"
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        return "RGBA"
    return "L" if image.mode == "L" else "RGB"


class PhotoField(forms.FileField):
    """An optional photo; its cleaned value is a :class:`CleanPhoto` (or None), never the raw upload."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Foto (als u die heeft)")
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            f"Een foto in JPEG- of PNG-formaat, maximaal {settings.REGIE_UPLOAD_MAX_BYTES // (1024 * 1024)} MB. "
            "Wij verwijderen de gegevens die in een foto verborgen zitten, zoals de plek waar hij is gemaakt.",
        )
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": "image/jpeg,image/png"}))
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        return clean_photo(upload)


def store(signal: Signal, photo: CleanPhoto, *, access: Access, request=None) -> Attachment:
    """Write ``photo`` for ``signal`` and audit it; the file is removed again if the row fails."""
    attachment = Attachment(signal=signal, content_type=photo.content_type, size=photo.size, sha256=photo.sha256)
    attachment.file.save(f"photo{photo.extension}", ContentFile(photo.data), save=False)
    try:
        attachment.save()
        record(AuditEntry.Action.CREATE, obj=attachment, access=access, request=request,
               detail={"signal": signal.pk, "size": photo.size})
    except BaseException:
        delete_files([attachment.file.name])
        raise
    return attachment


def register_with_photo(owner, data: services.SignalInput, photo: CleanPhoto | None, *, actor: Access | None,
                        request=None) -> services.Registered:
    """:func:`services.register` plus the optional photo, all or nothing (no row without file, no stray file)."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            registered = services.register(owner, data, actor=actor, request=request)
            if photo is not None:
                attachment = store(registered.signal, photo, access=actor or services.registry_access(owner), request=request)
                stored.append(attachment.file.name)
    except BaseException:
        delete_files(stored)
        raise
    return registered


def delete_files(names) -> None:
    """Remove stored files; a file already gone is fine, a failure is logged (never raised)."""
    for name in names:
        if not name:
            continue
        try:
            Attachment.file.field.storage.delete(name)
        except OSError:
            log.exception("could not delete attachment file %s", name)
