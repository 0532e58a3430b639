"""The council report (public and besloten, HTML and PDF) and the RIEC's regional view.

Every view and every download is written to the audit log with the year and the variant.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from regie.accounts.decorators import role_required
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.models import Organisation

from . import exports
from . import regional as regional_report
from . import report as council_report
from .pdf import PdfUnavailable, render_pdf
from .permissions import BESLOTEN_READERS, PUBLIC_READERS


def _municipality(request) -> Organisation:
    organisation = request.user.organisation
    if organisation is None or organisation.kind != Organisation.Kind.GEMEENTE:
        raise PermissionDenied
    return organisation


def _audit(request, organisation, action, detail: dict) -> None:
    record(action, model=Organisation, object_id=organisation.pk, request=request, detail=detail)


def _download(body: bytes, content_type: str, name: str, *, no_store: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    if no_store:
        response["Cache-Control"] = "no-store"
    return response


def _format(request) -> str:
    """The table format asked for with ?formaat= ("" for the page); ValidationError for another."""
    fmt = request.GET.get("formaat", "")
    if fmt and fmt not in exports.FORMATS:
        raise ValidationError(exports.UNKNOWN_FORMAT)
    return fmt


def _council(request, *, besloten: bool, pdf: bool):
    organisation = _municipality(request)
    variant = "besloten" if besloten else "openbaar"
    names = ("reports:besloten", "reports:besloten_pdf") if besloten else ("reports:council", "reports:council_pdf")
    context = {"besloten": besloten, "query_year": request.GET.get("jaar", ""), "pdf_url": reverse(names[1])}
    if not besloten and request.user.role in BESLOTEN_READERS:
        context.update(other_url=reverse("reports:besloten"), other_label="Besloten variant (college en driehoek)")
    elif besloten:
        context.update(other_url=reverse("reports:council"), other_label="Openbare raadsrapportage")
    try:
        year, peildatum = council_report.period(request.GET.get("jaar"))
        fmt = "" if pdf else _format(request)
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
        return render(request, "reports/council.html", context, status=400)
    report = council_report.build(organisation, year, peildatum, besloten=besloten)
    detail = {"rapportage": "raad", "variant": variant, "jaar": year, "peildatum": peildatum.isoformat(),
              "formaat": "pdf" if pdf else fmt or "html"}
    context["report"] = report
    if fmt:
        body, content_type = exports.render(fmt, exports.council_sheets(report))
        _audit(request, organisation, AuditEntry.Action.EXPORT, detail)
        name = f"{'besloten-' if besloten else ''}jaarrapportage-ondermijning-{year}-tabellen.{fmt}"
        return _download(body, content_type, name, no_store=besloten)
    if not pdf:
        _audit(request, organisation, AuditEntry.Action.VIEW, detail)
        return render(request, "reports/council.html", context)
    try:
        body = render_pdf(render_to_string("reports/council_print.html", {"report": report}))
    except PdfUnavailable as exc:
        context["error"] = str(exc)
        return render(request, "reports/council.html", context, status=503)
    _audit(request, organisation, AuditEntry.Action.EXPORT, detail)
    name = f"{'besloten-' if besloten else ''}jaarrapportage-ondermijning-{year}.pdf"
    return _download(body, "application/pdf", name, no_store=besloten)


public_reader = role_required(lambda role: role in PUBLIC_READERS)
besloten_reader = role_required(lambda role: role in BESLOTEN_READERS)


@public_reader
def council(request):
    return _council(request, besloten=False, pdf=False)


@public_reader
def council_pdf(request):
    return _council(request, besloten=False, pdf=True)


@besloten_reader
def besloten(request):
    return _council(request, besloten=True, pdf=False)


@besloten_reader
def besloten_pdf(request):
    return _council(request, besloten=True, pdf=True)


@role_required(lambda role: role in regional_report.REGIONAL_ROLES)
def regional(request):
    if not regional_report.may_view(request.user):
        raise PermissionDenied
    organisation = request.user.organisation
    context = {"query_year": request.GET.get("jaar", "")}
    try:
        year, peildatum = council_report.period(request.GET.get("jaar"))
        fmt = _format(request)
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
        return render(request, "reports/regional.html", context, status=400)
    result = regional_report.build(organisation, year, peildatum)
    detail = {"rapportage": "regionaal", "jaar": year, "peildatum": peildatum.isoformat(), "gemeenten": result.members,
              "formaat": fmt or "html"}
    if fmt:
        body, content_type = exports.render(fmt, exports.regional_sheets(result))
        _audit(request, organisation, AuditEntry.Action.EXPORT, detail)
        return _download(body, content_type, f"regionaal-beeld-ondermijning-{year}.{fmt}")
    _audit(request, organisation, AuditEntry.Action.VIEW, detail)
    context["report"] = result
    return render(request, "reports/regional.html", context)
