"""Risk-location pages and the area indicators overview. Thin: look-ups through the scoped manager and the record gate, writes
through :mod:`regie.areas.risk`."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from regie.accounts.decorators import role_required
from regie.accounts.roles import AREAS, CASES, SUBJECTS, Role, spec
from regie.audit.gate import PurposeRequired, open_record
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.measures.models import Measure
from regie.organisations.access import current_access
from regie.subjects.models import Address
from regie.web.forms import errors_to_form

from . import indicators, risk
from .forms import MeasureLinkForm, RiskLocationForm, StatusForm
from .models import AreaIndicator, Buurt, Wijk
from .risk_models import RiskLocation

WRITERS = {Role.COORDINATOR, Role.ANALIST}
readers = role_required(lambda role: CASES in spec(role).categories)
writer = role_required(lambda role: role in WRITERS)


def _filtered(request):
    status, kind = request.GET.get("status", ""), request.GET.get("soort", "")
    qs = RiskLocation.objects.all()
    if status in RiskLocation.Status.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    if kind in RiskLocation.Kind.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    return qs, status, kind


@readers
def risk_list(request):
    qs, status, kind = _filtered(request)
    page = Paginator(qs, 25).get_page(request.GET.get("pagina"))
    buurten = {b.pk: b for b in Buurt.objects.filter(pk__in=[r.buurt_id for r in page if r.buurt_id])}
    for row in page:
        row.visible_buurt = buurten.get(row.buurt_id)
    counts = risk.counts_per_year(RiskLocation.objects.all())
    record(AuditEntry.Action.LIST, model=RiskLocation, request=request,
           detail={"status": status, "soort": kind, "shown": [r.pk for r in page]})
    context = {
        "page": page, "status": status, "kind": kind, "statuses": RiskLocation.Status.choices,
        "kinds": RiskLocation.Kind.choices, "query": urlencode({k: v for k, v in (("status", status), ("soort", kind)) if v}),
        "counts": counts, "columns": [label for _, label in risk.COLUMNS], "may_write": request.user.role in WRITERS,
    }
    return render(request, "areas/risk_list.html", context)


@readers
def risk_export(request):
    rows = risk.counts_per_year(RiskLocation.objects.all())
    record(AuditEntry.Action.EXPORT, model=RiskLocation, request=request, detail={"export": "risicolocaties per status per jaar", "rows": len(rows)})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="risicolocaties-per-jaar.csv"'
    writer_ = csv.writer(response, delimiter=";")
    writer_.writerow(["Jaar", *[label for _, label in risk.COLUMNS]])
    for row in rows:
        writer_.writerow([row["year"], *row["counts"]])
    return response


def _address_for(form):
    data = form.cleaned_data
    if not data.get("postcode"):
        return None
    address = Address.objects.filter(postcode=data["postcode"], house_number=data["house_number"]).order_by("pk").first()
    if address is None:
        form.add_error("postcode", "Dit adres staat niet in het register (of u mag het niet zien).")
    return address


@writer
def risk_create(request):
    access = current_access()
    form = RiskLocationForm(request.POST or None, clearance=access.clearance)
    if request.method == "POST" and form.is_valid():
        address = _address_for(form)
        if not form.errors:
            data = form.cleaned_data
            try:
                location = risk.create_location(
                    access, kind=data["kind"], name=data["name"], address=address, buurt=data["buurt"],
                    branch=data["branch"], description=data["description"], confidentiality=data["confidentiality"],
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, "Risicolocatie vastgelegd (nulmeting).")
                return redirect("areas:risk_detail", pk=location.pk)
    return render(request, "areas/risk_form.html", {"form": form, "creating": True})


def _open(request, pk):
    return open_record(request, RiskLocation.objects.all(), pk)


@readers
def risk_detail(request, pk):
    try:
        location = _open(request, pk)
    except PurposeRequired as gate:
        return gate.response
    context = {
        "location": location,
        "address": Address.objects.filter(pk=location.address_id).first() if location.address_id else None,
        "buurt": Buurt.objects.filter(pk=location.buurt_id).first() if location.buurt_id else None,
        "events": location.events.all(),
        "measures": Measure.objects.filter(pk__in=risk.measure_ids(location)),
        "may_write": request.user.role in WRITERS and location.owner_id == current_access().organisation_id,
        "status_form": StatusForm(initial={"status": next(iter(sorted(risk.TRANSITIONS[location.status])), "")}),
        "link_form": MeasureLinkForm(),
    }
    return render(request, "areas/risk_detail.html", context)


@writer
def risk_edit(request, pk):
    access = current_access()
    try:
        location = _open(request, pk)
    except PurposeRequired as gate:
        return gate.response
    address = Address.objects.filter(pk=location.address_id).first() if location.address_id else None
    initial = {"kind": location.kind, "name": location.name, "branch": location.branch, "description": location.description,
               "buurt": location.buurt_id, "confidentiality": location.confidentiality,
               "postcode": address.postcode if address else "", "house_number": address.house_number if address else None}
    form = RiskLocationForm(request.POST or None, initial=initial, clearance=access.clearance)
    if request.method == "POST" and form.is_valid():
        new_address = _address_for(form)
        if not form.errors:
            data = form.cleaned_data
            fields = {"kind": data["kind"], "name": data["name"], "branch": data["branch"], "description": data["description"],
                      "confidentiality": data["confidentiality"]}
            # an address or buurt the editor may not see is kept unless he names another one
            if new_address is not None or address is not None or location.address_id is None:
                fields["address"] = new_address
            if data["buurt"] is not None or location.buurt_id is None or Buurt.objects.filter(pk=location.buurt_id).exists():
                fields["buurt"] = data["buurt"]
            try:
                risk.update_location(access, location, **fields)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, "Risicolocatie bijgewerkt.")
                return redirect("areas:risk_detail", pk=location.pk)
    return render(request, "areas/risk_form.html", {"form": form, "creating": False, "location": location})


@require_POST
@writer
def risk_status(request, pk):
    access = current_access()
    try:
        location = _open(request, pk)
    except PurposeRequired as gate:
        return gate.response
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            risk.change_status(access, location, form.cleaned_data["status"], on=form.cleaned_data["on"],
                               reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "Status gewijzigd.")
            return redirect("areas:risk_detail", pk=location.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("areas:risk_detail", pk=location.pk)


@require_POST
@writer
def risk_link_measure(request, pk):
    access = current_access()
    try:
        location = _open(request, pk)
    except PurposeRequired as gate:
        return gate.response
    form = MeasureLinkForm(request.POST)
    if form.is_valid():
        measure = Measure.objects.filter(reference=form.cleaned_data["reference"].strip()).first()
        if measure is None:
            messages.error(request, "Onbekende maatregel (of u mag hem niet zien).")
        else:
            try:
                risk.link_measure(access, location, measure)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"Maatregel {measure.reference} gekoppeld.")
    else:
        messages.error(request, "Vul het kenmerk van de maatregel in.")
    return redirect("areas:risk_detail", pk=location.pk)


areas_readers = role_required(lambda role: AREAS in spec(role).categories)


def _own_figures(access) -> dict[str, dict[str, int]]:
    """Regie's own counts per wijk and buurt code, only of the categories the role may see."""
    buurten = {b.pk: b for b in Buurt.objects.all()}
    wijk_codes = dict(Wijk.objects.values_list("pk", "code"))
    figures: dict[str, dict[str, int]] = {}

    def add(buurt_id, label, n):
        buurt = buurten.get(buurt_id)
        if buurt is None:
            return
        for code in (buurt.code, wijk_codes.get(buurt.wijk_id)):
            if code:
                figures.setdefault(code, {}).setdefault(label, 0)
                figures[code][label] += n

    if SUBJECTS in access.categories:
        for buurt_id, n in Address.objects.values_list("buurt_id").annotate(n=Count("pk")).values_list("buurt_id", "n"):
            add(buurt_id, "Adressen in Regie", n)
    if CASES in access.categories:
        for buurt_id, n in RiskLocation.objects.values_list("buurt_id").annotate(n=Count("pk")).values_list("buurt_id", "n"):
            add(buurt_id, "Risicolocaties", n)
    return figures


@areas_readers
def indicator_overview(request):
    access = current_access()
    names = {**dict(Wijk.objects.values_list("code", "name")), **dict(Buurt.objects.values_list("code", "name"))}
    areas = indicators.overview(access, _own_figures(access))
    for area in areas:
        area["name"] = names.get(area["code"], "gemeente" if area["code"].startswith("GM") else "")
    record(AuditEntry.Action.LIST, model=AreaIndicator, request=request, detail={"gebieden": len(areas)})
    return render(request, "areas/indicators.html", {"areas": areas})
