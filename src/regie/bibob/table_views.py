"""The annual Bibob tables (with their CSV and XLSX exports) and the catalogue of domains."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date

from regie.accounts.decorators import role_required
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import current_access

from . import catalogue, tables
from .models import BibobDomain, BibobFile
from .permissions import CREATORS, TABLE_READERS

table_reader = role_required(lambda role: role in TABLE_READERS)
catalogue_manager = role_required(lambda role: role in CREATORS)
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def _year(value):
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        raise ValidationError("Geef een jaartal, bijvoorbeeld 2024.")
    return int(value)


@table_reader
def annual_tables(request):
    organisation = request.user.organisation
    if organisation is None:
        raise PermissionDenied
    fmt = request.GET.get("formaat", "")
    context = {"query_year": request.GET.get("jaar", ""), "query_from": request.GET.get("van", "")}
    try:
        raw = request.GET.get("peildatum", "")
        peildatum = parse_date(raw) if raw else None
        if raw and peildatum is None:
            raise ValidationError("Geef de peildatum als jjjj-mm-dd.")
        if peildatum and peildatum > timezone.localdate():
            raise ValidationError("De peildatum ligt in de toekomst.")
        if fmt and fmt not in FORMATS:
            raise ValidationError("Kies het formaat csv of xlsx.")
        result = tables.build(organisation, last_year=_year(request.GET.get("jaar")),
                              first_year=_year(request.GET.get("van")), peildatum=peildatum)
    except (ValidationError, ValueError) as exc:
        context["error"] = " ".join(getattr(exc, "messages", [str(exc)]))
        return render(request, "bibob/tables.html", context, status=400)
    detail = {"van": result.columns[0].year, "tot": result.columns[-1].year, "peildatum": result.peildatum.isoformat()}
    context.update({"tables": result, "query": request.GET.urlencode()})
    if not fmt:
        record(AuditEntry.Action.LIST, model=BibobFile, request=request, detail={"jaartabellen": True, **detail})
        return render(request, "bibob/tables.html", context)
    body = tables.to_csv(result) if fmt == "csv" else tables.to_xlsx(result)
    record(AuditEntry.Action.EXPORT, model=BibobFile, access=current_access(), request=request,
           detail={"document": "jaartabellen Bibob", "format": fmt, **detail})
    content_type, extension = FORMATS[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="jaartabellen-bibob-{result.columns[0].year}-{result.columns[-1].year}.{extension}"')
    response["X-Content-Type-Options"] = "nosniff"
    return response


@catalogue_manager
def domain_catalogue(request):
    """The municipality's Bibob domains: which the local policy covers, their table group and term."""
    access = current_access()
    if request.method == "POST":
        try:
            if request.POST.get("what") == "install":
                added = catalogue.install_for(access, request=request)
                messages.success(request, f"{added} domein{'en' if added != 1 else ''} toegevoegd.")
            else:
                raw = request.POST.get("item", "")
                item = BibobDomain.objects.filter(organisation_id=access.organisation_id,
                                                  pk=int(raw) if raw.isdigit() else 0).first()
                if item is None:
                    raise ValidationError("Onbekend domein.")
                weeks = request.POST.get("decision_weeks", "")
                if not weeks.isdigit():
                    raise ValidationError("Geef de beslistermijn in hele weken.")
                weeks = int(weeks)
                catalogue.update_domain(access, item, request=request, in_policy=request.POST.get("in_policy") == "on",
                                        group=request.POST.get("group", item.group), decision_weeks=weeks)
                messages.success(request, f"Domein ‘{item.name}’ bijgewerkt.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, "bibob/catalogue.html",
                          {"domains": catalogue.domains_for(access.organisation_id, active_only=False)}, status=400)
        return redirect("bibob:catalogue")
    return render(request, "bibob/catalogue.html", {"domains": catalogue.domains_for(access.organisation_id, active_only=False)})
