"""Documents of a measure (issue 5, point 7): decisions, rapportages and photos.

The type is decided by the content, never by the file name or the browser's word: a PDF starts
with ``%PDF-`` and ends with ``%%EOF``, a photo must decode as JPEG or PNG. Photos are written
anew from their pixels, so no EXIF (GPS position, camera serial number) survives, as in the
intake room (:mod:`regie.intake.attachments`). A PDF that carries JavaScript or launch actions is
refused. Files live under ``MEDIA_ROOT/measures`` with a random name; no URL serves that
folder: :func:`regie.measures.document_views.download` hands them out after the checks and logs
every download.
"""

from __future__ import annotations

import hashlib
import io
import logging
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from .models import Measure, MeasureDocument
from .permissions import may_edit

log = logging.getLogger(__name__)

PDF = "application/pdf"
IMAGES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
MAX_PIXELS = 50_000_000
#: PDF names that make a reader run something
ACTIVE_PDF = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile")

WRONG_TYPE = "Alleen PDF-documenten en foto's in JPEG- of PNG-formaat kunnen worden toegevoegd."
ACTIVE_CONTENT = "Dit PDF-document bevat scripts of ingesloten bestanden en wordt daarom geweigerd."
BROKEN = "Het bestand is beschadigd of onvolledig. Kies een ander bestand."


def too_large_message() -> str:
    return f"Het bestand is te groot. Het maximum is {settings.REGIE_UPLOAD_MAX_BYTES // (1024 * 1024)} MB."


@dataclass(frozen=True)
class CleanFile:
    data: bytes
    content_type: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def sniff(data: bytes) -> str | None:
    """The content type the first bytes announce: PDF, JPEG, PNG, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def check(upload) -> CleanFile:
    """Check an uploaded file by its content; returns what to store, or raises ValidationError."""
    if upload is None:
        raise ValidationError({"file": "Kies een bestand."})
    if upload.size is None or upload.size > settings.REGIE_UPLOAD_MAX_BYTES:
        raise ValidationError({"file": too_large_message()})
    upload.seek(0)
    data = upload.read(settings.REGIE_UPLOAD_MAX_BYTES + 1)
    if len(data) > settings.REGIE_UPLOAD_MAX_BYTES:
        raise ValidationError({"file": too_large_message()})
    kind = sniff(data)
    if kind is None:
        raise ValidationError({"file": WRONG_TYPE})
    if kind == PDF:
        return _check_pdf(data)
    try:
        return _reencode(data)
    except ValidationError:
        raise
    except Exception as exc:
        log.info("measure photo refused: %s", type(exc).__name__)
        raise ValidationError({"file": BROKEN}) from exc


def _check_pdf(data: bytes) -> CleanFile:
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError({"file": BROKEN})
    if any(name in data for name in ACTIVE_PDF):
        raise ValidationError({"file": ACTIVE_CONTENT})
    return CleanFile(data, PDF, ".pdf")


def _reencode(data: bytes) -> CleanFile:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in IMAGES:
                raise ValidationError({"file": WRONG_TYPE})
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError({"file": too_large_message()})
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format
            image.load()
            image = ImageOps.exif_transpose(image)
            mode = "RGBA" if fmt == "PNG" and image.mode in ("RGBA", "LA", "PA") else ("L" if image.mode == "L" else "RGB")
            pixels = image.convert(mode) if image.mode != mode else image
            clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    buffer = io.BytesIO()
    clean.save(buffer, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    content_type, extension = IMAGES[fmt]
    return CleanFile(buffer.getvalue(), content_type, extension)


def store(access: Access, measure: Measure, upload, *, kind: str, description: str = "", request=None) -> MeasureDocument:
    """Check and store a document for ``measure`` and audit it: all or nothing (no row without
    its file, no file without its row)."""
    if not may_edit(access, measure):
        raise PermissionDenied("Alleen de jurist of de coördinator van de gemeente voegt documenten toe.")
    if kind not in MeasureDocument.Kind.values:
        raise ValidationError({"kind": "Kies de soort document."})
    clean = check(upload)
    document = MeasureDocument(
        measure=measure, kind=kind, description=(description or "").strip()[:200], content_type=clean.content_type,
        size=len(clean.data), sha256=clean.sha256, uploaded_by_id=access.user_id,
    )
    document.file.save(f"document{clean.extension}", ContentFile(clean.data), save=False)
    try:
        with transaction.atomic():
            document.full_clean(exclude=["measure", "uploaded_by", "file"])
            document.save()
            record(AuditEntry.Action.CREATE, obj=document, access=access, request=request,
                   detail={"measure": measure.pk, "kind": kind, "size": document.size, "sha256": document.sha256})
    except BaseException:
        delete_files([document.file.name])
        raise
    return document


def delete_files(names) -> None:
    """Remove stored files; a file already gone is fine, a failure is logged (never raised)."""
    for name in names:
        if not name:
            continue
        try:
            MeasureDocument.file.field.storage.delete(name)
        except OSError:
            log.exception("could not delete measure document %s", name)
