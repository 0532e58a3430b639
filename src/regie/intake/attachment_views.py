"""Serving a signal's photo: never by URL of the file, always through the signal's checks.

The signal is loaded through the record gate (404 when missing or of another tenant), the
same purpose rule as the signal page applies, the view is audited, and the file goes out as a
download with ``nosniff`` so a browser never renders it inline as something else.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse

from regie.accounts.decorators import role_required
from regie.accounts.roles import SIGNALS, spec
from regie.audit.gate import get_visible, is_assigned
from regie.audit.models import AuditEntry
from regie.audit.services import active_purpose, record
from regie.organisations.access import current_access

from .models import Signal

needs_signals = role_required(lambda role: SIGNALS in spec(role).categories)


@needs_signals
def attachment_download(request, pk, attachment_pk):
    signal = get_visible(Signal.objects.all(), pk)
    attachment = signal.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    access = current_access()
    if not is_assigned(access, signal) and active_purpose(access, signal) is None:
        # the same rule as opening the signal itself: state a purpose first
        ct = ContentType.objects.get_for_model(Signal)
        query = urlencode({"type": ct.pk, "id": signal.pk, "next": request.get_full_path()})
        return redirect(f"{reverse('audit:purpose')}?{query}")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    record(AuditEntry.Action.VIEW, obj=signal, request=request,
           detail={"attachment": attachment.pk, "sha256": attachment.sha256})
    extension = ".png" if attachment.content_type == "image/png" else ".jpg"
    response = FileResponse(
        handle, as_attachment=True, filename=f"{signal.reference}-foto-{attachment.pk}{extension}",
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
