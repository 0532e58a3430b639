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
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
        return render(request, "reports/council.html", context, status=400)
    report = council_report.build(organisation, year, peildatum, besloten=besloten)
    detail = {"rapportage": "raad", "variant": variant, "jaar": year, "peildatum": peildatum.isoformat(),
              "formaat": "pdf" if pdf else "html"}
    context["report"] = report
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
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    if besloten:
        response["Cache-Control"] = "no-store"
    return response


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
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
        return render(request, "reports/regional.html", context, status=400)
    result = regional_report.build(organisation, year, peildatum)
    _audit(request, organisation, AuditEntry.Action.VIEW,
           {"rapportage": "regionaal", "jaar": year, "peildatum": peildatum.isoformat(), "gemeenten": result.members})
    context["report"] = result
    return render(request, "reports/regional.html", context)
