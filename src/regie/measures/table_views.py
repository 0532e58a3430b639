"""The calendar of legal terms and the annual tables (with their CSV, XLSX and PDF exports)."""

from __future__ import annotations

import calendar as calendar_module
from datetime import date, timedelta
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_date

from regie.accounts.decorators import role_required
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import current_access
from regie.partners.documents import PdfUnavailable, render_pdf

from . import services, tables
from .models import Measure
from .permissions import TABLE_READERS
from .views import needs_measures

table_reader = role_required(lambda role: role in TABLE_READERS)
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}
MONTHS = tables.MONTHS


def _month(value: str, today: date) -> date:
    try:
        year, month = (int(part) for part in value.split("-", 1))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


@needs_measures
def calendar(request):
    """Open terms per day of a month, and every term already past (over termijn) on top."""
    access = current_access()
    today = timezone.localdate()
    first = _month(request.GET.get("maand", ""), today)
    last = first.replace(day=calendar_module.monthrange(first.year, first.month)[1])
    overdue = list(services.deadlines(access, until=today - timedelta(days=1)))
    month = list(services.deadlines(access, since=max(first, today), until=last))
    days = [(day, list(steps)) for day, steps in groupby(month, key=lambda s: s.deadline)]
    record(AuditEntry.Action.LIST, model=Measure, request=request,
           detail={"agenda": first.strftime("%Y-%m"), "shown": sorted({s.measure_id for s in overdue + month})})
    previous = (first - timedelta(days=1)).replace(day=1)
    context = {
        "first": first, "month_label": f"{MONTHS[first.month - 1]} {first.year}", "overdue": overdue, "days": days,
        "previous": previous.strftime("%Y-%m"), "next": (last + timedelta(days=1)).strftime("%Y-%m"), "today": today,
    }
    return render(request, "measures/calendar.html", context)


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
    context = {"formats": FORMATS, "query_year": request.GET.get("jaar", ""), "query_from": request.GET.get("van", "")}
    try:
        peildatum = parse_date(request.GET.get("peildatum", "") or "") if request.GET.get("peildatum") else None
        if request.GET.get("peildatum") and peildatum is None:
            raise ValidationError("Geef de peildatum als jjjj-mm-dd.")
        if peildatum and peildatum > timezone.localdate():
            raise ValidationError("De peildatum ligt in de toekomst.")
        if fmt and fmt not in FORMATS:
            raise ValidationError("Kies het formaat csv, xlsx of pdf.")
        result = tables.build(organisation, last_year=_year(request.GET.get("jaar")), first_year=_year(request.GET.get("van")),
                              peildatum=peildatum)
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
        return render(request, "measures/tables.html", context, status=400)
    columns = result.columns
    detail = {"van": columns[0].year, "tot": columns[-1].year, "peildatum": result.peildatum.isoformat()}
    context.update({"tables": result, "query": request.GET.urlencode()})
    if not fmt:
        record(AuditEntry.Action.LIST, model=Measure, request=request, detail={"jaartabellen": True, **detail})
        return render(request, "measures/tables.html", context)
    name = f"jaartabellen-maatregelen-{columns[0].year}-{columns[-1].year}"
    if fmt == "pdf":
        try:
            body = render_pdf(render_to_string("measures/tables_print.html", {"tables": result}))
        except PdfUnavailable as exc:
            messages.error(request, str(exc))
            return render(request, "measures/tables.html", context, status=503)
    else:
        body = tables.to_csv(result) if fmt == "csv" else tables.to_xlsx(result)
    record(AuditEntry.Action.EXPORT, model=Measure, access=current_access(), request=request,
           detail={"document": "jaartabellen maatregelen", "format": fmt, **detail})
    content_type, extension = FORMATS[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
