"""Documents of a measure: upload by its editors, download only through the measure's checks.

The measure is loaded through the record gate (404 when missing, of another municipality or
above the user's clearance), the same purpose rule as the measure page applies, every download
is logged, and the file goes out as an attachment with ``nosniff``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from regie.audit.gate import PurposeRequired, get_visible
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import current_access

from . import documents
from .forms import DocumentForm
from .models import Measure
from .views import has_purpose, measure_for_change, needs_measures, writer


@writer
@require_POST
def document_upload(request, pk):
    try:
        measure = measure_for_change(request, pk)
    except PurposeRequired as gate:
        return gate.response
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Kies de soort document en een bestand. " + " ".join(
            str(e) for errors in form.errors.values() for e in errors))
        return redirect("measures:detail", measure.pk)
    try:
        document = documents.store(current_access(), measure, form.cleaned_data["file"], kind=form.cleaned_data["kind"],
                                   description=form.cleaned_data["description"], request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Het document ({document.get_kind_display()}) is toegevoegd.")
    return redirect("measures:detail", measure.pk)


@needs_measures
def document_download(request, pk, doc_pk):
    measure = get_visible(Measure.objects.all(), pk)
    document = measure.documents.filter(pk=doc_pk).first()
    if document is None:
        raise Http404
    if not has_purpose(measure):
        query = urlencode({"type": ContentType.objects.get_for_model(Measure).pk, "id": measure.pk,
                           "next": request.get_full_path()})
        return redirect(f"{reverse('audit:purpose')}?{query}")
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    record(AuditEntry.Action.VIEW, obj=measure, request=request,
           detail={"document": document.pk, "kind": document.kind, "sha256": document.sha256})
    response = FileResponse(
        handle, as_attachment=True, filename=f"{measure.reference}-{document.kind}-{document.pk}{document.extension}",
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
