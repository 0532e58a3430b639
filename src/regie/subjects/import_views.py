"""Pages to import register extracts and FollowTheMoney files, and to download the FtM export.
Thin: the work is in :mod:`.imports`, :mod:`.ftm_import` and :mod:`.ftm`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from regie.accounts.decorators import role_required
from regie.organisations.access import current_access

from . import ftm, ftm_import, imports
from .forms import RegisterImportForm
from .imports.csvfile import MAX_BYTES
from .permissions import IMPORTERS, may_export

ERRORS_SHOWN = 1000
_SESSION_KEY = "subjects_import_result"


@role_required(lambda role: role in IMPORTERS)
def register_import(request):
    """Upload a KvK, BAG or BRP extract or an FtM file: all of it, or nothing and every error listed."""
    if request.user.organisation is None:
        raise PermissionDenied
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "errors_shown": ERRORS_SHOWN}
    if request.method == "POST":
        if form.is_valid():
            upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
            data = upload.read(MAX_BYTES + 1)
            if kind == "ftm":
                result = ftm_import.run(current_access(), data, filename=upload.name or "", request=request)
            else:
                result = imports.run(current_access(), kind, data, filename=upload.name or "", request=request)
            if result.ok:
                request.session[_SESSION_KEY] = {"kind": kind, "counts": result.counts}
                messages.success(request, "Het bestand is ingelezen.")
                return redirect("subjects:import")
            context["errors"] = result.messages
        return render(request, "subjects/import.html", context, status=400)
    result = request.session.pop(_SESSION_KEY, None)
    if result:
        context["counts"] = [(name.replace("_", " "), n) for name, n in result["counts"].items()]
    return render(request, "subjects/import.html", context)


@role_required(lambda role: may_export(role))
def ftm_export(request):
    """What the caller may see, as FtM JSON lines (never a BSN); audited as an export."""
    lines = ftm.export_lines(current_access(), request=request)
    response = HttpResponse("".join(line + "\n" for line in lines), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="regie-followthemoney.jsonl"'
    return response
