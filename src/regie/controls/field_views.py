"""The field list on a phone-sized screen (one card per address, large tap targets, htmx posts
that swap one card), where findings lead, and the year report with its exports."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from regie.accounts.decorators import role_required
from regie.audit.gate import PurposeRequired, open_record
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import current_access
from regie.organisations.models import Organisation

from . import services, tables
from .forms import FindingForm
from .models import Control, Finding
from .permissions import REPORT_READERS, may_record
from .views import _refused, control_for_change, field_worker

report_reader = role_required(lambda role: role in REPORT_READERS)
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def _finding_partners(access, control: Control) -> list[Organisation]:
    if access.role == "partner":
        return list(Organisation.objects.filter(pk=access.organisation_id))
    ids = {control.owner_id} | set(control.participants.values_list("organisation_id", flat=True)) | set(
        control.requests.values_list("organisation_id", flat=True))
    own = list(Organisation.objects.filter(pk=control.owner_id))
    return own + list(Organisation.objects.filter(pk__in=ids - {control.owner_id}).order_by("name"))


def _card_context(access, control: Control, row, form=None, error: str = "") -> dict:
    return {"control": control, "row": row, "findings": list(row.findings.select_related("organisation", "signal")) if row else [],
            "form": form or FindingForm(partners=_finding_partners(access, control)), "error": error,
            "may_record": may_record(access, control) and control.in_the_field}


@field_worker
def field_list(request, pk):
    try:
        control = open_record(request, Control.objects.all(), pk)
    except PurposeRequired as gate:
        return gate.response
    access = current_access()
    rows = list(control.addresses.select_related("address"))
    cards = [_card_context(access, control, row) for row in rows]
    context = {"control": control, "cards": cards, "new_form": FindingForm(partners=_finding_partners(access, control)),
               "may_record": may_record(access, control) and control.in_the_field,
               "visited": sum(1 for r in rows if r.visited), "total": len(rows)}
    return render(request, "controls/field_list.html", context)


def _field_response(request, control: Control, row, error: str = "", form=None):
    access = current_access()
    if request.headers.get("HX-Request"):
        # htmx swaps only 2xx answers: the card comes back with the message in it, marked as an error
        response = render(request, "controls/_card.html", _card_context(access, control, row, form, error))
        if error:
            response["HX-Reswap"] = "outerHTML"
        return response
    if error:
        messages.error(request, error)
        context = {"control": control, "cards": [_card_context(access, control, r) for r in control.addresses.select_related("address")],
                   "new_form": form or FindingForm(partners=_finding_partners(access, control)),
                   "may_record": may_record(access, control) and control.in_the_field, "visited": 0, "total": 0}
        return render(request, "controls/field_list.html", context, status=400)
    return redirect("controls:field_list", control.pk)


@field_worker
def field_visited(request, pk):
    if request.method != "POST":
        return redirect("controls:field_list", pk)
    try:
        control = control_for_change(request, pk)
    except PurposeRequired as gate:
        return gate.response
    row_id = request.POST.get("adres", "")
    try:
        row = services.mark_visited(current_access(), control, row_id, visited=request.POST.get("bezocht", "1") == "1",
                                    letter=request.POST.get("brief") == "1" if "brief" in request.POST else None, request=request)
    except ValidationError as exc:
        return _field_response(request, control, control.addresses.filter(pk=row_id if row_id.isdigit() else 0).first(),
                               " ".join(exc.messages))
    return _field_response(request, control, row)


@field_worker
def field_finding(request, pk):
    """A finding at an address on the list (``adres``) or at another address with a reason."""
    if request.method != "POST":
        return redirect("controls:field_list", pk)
    try:
        control = control_for_change(request, pk)
    except PurposeRequired as gate:
        return gate.response
    access = current_access()
    form = FindingForm(request.POST, partners=_finding_partners(access, control))
    row_id = request.POST.get("adres", "")
    row = control.addresses.filter(pk=row_id).first() if row_id.isdigit() else None
    if not form.is_valid():
        return _field_response(request, control, row, "Controleer de bevinding: het aantal personen is een getal.", form)
    new_address = None
    if not row_id:
        new_address = {key: request.POST.get(key, "").strip() for key in ("postcode", "house_number", "house_letter", "street")}
    data = form.cleaned_data
    try:
        finding = services.record_finding(
            access, control, kind=data["kind"], text=data["text"], persons=data["persons"], organisation=data["organisation"] or None,
            address=row_id or None, new_address=new_address, reason=request.POST.get("reden", ""), to_signal=data["to_signal"],
            request=request)
    except ValidationError as exc:
        return _field_response(request, control, row, " ".join(exc.messages), form)
    text = "Bevinding vastgelegd." + (f" Nieuw signaal {finding.signal.reference} staat in de intake." if finding.signal_id else "")
    if request.headers.get("HX-Request") and row is not None:
        response = render(request, "controls/_card.html", {**_card_context(access, control, row), "notice": text})
        return response
    messages.success(request, text)
    return redirect("controls:field_list", control.pk)


def _parse_date(value: str):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@field_worker
def finding_followup(request, pk):
    """Turn a finding (``bevinding``) into a signal, a measure or a follow-up action for a partner."""
    if request.method != "POST":
        return redirect("controls:detail", pk)
    try:
        control = control_for_change(request, pk)
    except PurposeRequired as gate:
        return gate.response
    access = current_access()
    finding_id = request.POST.get("bevinding", "")
    finding = Finding.objects.filter(control=control, pk=finding_id if finding_id.isdigit() else 0).first()
    what = request.POST.get("soort", "")
    try:
        if finding is None:
            raise ValidationError("Onbekende bevinding.")
        if what == "signaal":
            signal = services.finding_to_signal(access, finding, request=request)
            messages.success(request, f"Nieuw signaal {signal.reference} staat in de intake.")
        elif what == "maatregel":
            kind, domain = request.POST.get("maatregel_soort", ""), request.POST.get("domein", "")
            measure = services.finding_to_measure(access, finding, kind=kind if kind.isdigit() else None,
                                                  domain=domain if domain.isdigit() else None,
                                                  description=request.POST.get("omschrijving", ""), request=request)
            messages.success(request, f"Maatregel {measure.reference} is vastgelegd.")
        elif what == "actie":
            organisation = request.POST.get("partner", "")
            services.finding_to_action(access, finding, organisation=organisation if organisation.isdigit() else None,
                                       description=request.POST.get("actie", ""),
                                       due_on=_parse_date(request.POST.get("uiterlijk", "")), request=request)
            messages.success(request, "Vervolgactie afgesproken; zij komt terug in het overleg.")
        else:
            raise ValidationError("Kies signaal, maatregel of actie.")
    except ValidationError as exc:
        return _refused(request, control, exc)
    return redirect("controls:detail", control.pk)


@report_reader
def report(request):
    organisation = request.user.organisation
    access = current_access()
    year_text = request.GET.get("jaar", "") or str(timezone.localdate().year)
    fmt = request.GET.get("formaat", "")
    if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100 or (fmt and fmt not in FORMATS) or organisation is None:
        messages.error(request, "Geef een jaartal tussen 2000 en 2100 en kies het formaat csv of xlsx.")
        return render(request, "controls/report.html", {"year": year_text, "result": None}, status=400)
    result = tables.build(organisation, int(year_text))
    if not fmt:
        record(AuditEntry.Action.LIST, model=Control, access=access, request=request, detail={"rapportage": int(year_text)})
        return render(request, "controls/report.html", {"year": int(year_text), "result": result,
                                                        "kind_columns": tables.KIND_COLUMNS,
                                                        "partner_columns": tables.PARTNER_COLUMNS})
    body = tables.to_csv(result) if fmt == "csv" else tables.to_xlsx(result)
    record(AuditEntry.Action.EXPORT, model=Control, access=access, request=request,
           detail={"document": "rapportage integrale controles", "year": int(year_text), "format": fmt})
    content_type, extension = FORMATS[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="integrale-controles-{year_text}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

