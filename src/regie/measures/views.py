"""Measure pages: the register, a measure with its steps, the step form. Thin: look-ups through
the scoped managers and the record gate, writes through :mod:`regie.measures.services`."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from regie.accounts.decorators import role_required
from regie.audit.gate import PurposeRequired, get_visible, is_assigned, open_record
from regie.audit.models import AuditEntry
from regie.audit.services import active_purpose, record
from regie.cases.models import Case
from regie.organisations.access import current_access
from regie.subjects.models import Address, Company, Person
from regie.web.forms import errors_to_form

from . import services, workflow
from .forms import DocumentForm, MeasureForm, StepForm
from .models import Measure, MeasureStep
from .permissions import READERS, WRITERS, may_edit

needs_measures = role_required(lambda role: role in READERS)
writer = role_required(lambda role: role in WRITERS)

#: a theme of the case suggests the domain of a new measure
THEME_DOMAIN = {
    "drugs-productie": "drugspanden", "drugs-handel": "drugspanden", "drugs-dealen": "drugsdealen",
    "illegale-prostitutie": "seksbranche", "seksuele-uitbuiting": "seksbranche", "explosies-geweld": "explosies",
    "uitkeringsfraude": "uitkeringen", "vastgoed": "huisvesting",
}


def has_purpose(obj) -> bool:
    access = current_access()
    return is_assigned(access, obj) or active_purpose(access, obj) is not None


def measure_for_change(request, pk) -> Measure:
    """The visible, editable measure for a write: 404 as for a missing one, 403 for a reader,
    and the purpose form first when the user is not assigned to it."""
    measure = get_visible(Measure.objects.select_related("kind", "domain"), pk)
    if not has_purpose(measure):
        query = urlencode({"type": ContentType.objects.get_for_model(Measure).pk, "id": measure.pk,
                           "next": reverse("measures:detail", args=[measure.pk])})
        raise PurposeRequired(redirect(f"{reverse('audit:purpose')}?{query}"))
    if not may_edit(current_access(), measure):
        raise PermissionDenied
    return measure


@needs_measures
def measure_list(request):
    access = current_access()
    org = access.organisation_id
    kinds, domains = services.kinds_for(org, active_only=False), services.domains_for(org, active_only=False)
    kind, domain, status = request.GET.get("soort", ""), request.GET.get("domein", ""), request.GET.get("status", "")
    qs = Measure.objects.select_related("kind", "domain")
    if kind.isdigit():
        qs = qs.filter(kind_id=int(kind))
    if domain.isdigit():
        qs = qs.filter(domain_id=int(domain))
    if status == "open":
        qs = qs.exclude(stage=MeasureStep.Kind.END)
    elif status == "einde":
        qs = qs.filter(stage=MeasureStep.Kind.END)
    page = Paginator(qs.order_by("-created_at", "-pk"), 25).get_page(request.GET.get("pagina"))
    record(AuditEntry.Action.LIST, model=Measure, request=request,
           detail={"soort": kind, "domein": domain, "status": status, "shown": [m.pk for m in page]})
    query = urlencode({k: v for k, v in (("soort", kind), ("domein", domain), ("status", status)) if v})
    context = {
        "page": page, "kinds": kinds, "domains": domains, "kind": kind, "domain": domain, "status": status,
        "query": query, "may_create": request.user.role in WRITERS,
        "overdue": services.deadlines(access, until=timezone.localdate() - timedelta(days=1)).count(),
    }
    return render(request, "measures/list.html", context)


def _initial_from_case(access, case: Case) -> dict:
    initial = {"case_reference": case.reference, "description": case.title[:200],
               "confidentiality": case.confidentiality}
    address_ids = [row.address_id for row in case.subjects.all() if row.address_id]
    address = Address.objects.filter(pk__in=address_ids).order_by("pk").first()
    if address is not None:
        initial["address"] = f"{address.postcode} {address.house_number}"
    codes = set(case.themes.values_list("code", flat=True))
    wanted = next((THEME_DOMAIN[c] for c in THEME_DOMAIN if c in codes), None)
    domain = services.domains_for(access.organisation_id).filter(code=wanted).first() if wanted else None
    if domain is not None:
        initial["domain"] = domain.pk
    return initial


def _relations(form) -> dict | None:
    """Case, address and subject of the form, each looked up through the scoped manager."""
    d = form.cleaned_data
    found = {"case": None, "address": None, "person": None, "company": None}
    if d["case_reference"]:
        case = Case.objects.filter(reference=d["case_reference"]).first()
        if case is None:
            form.add_error("case_reference", f"Onbekende casus: {d['case_reference']}.")
        elif not has_purpose(case):
            form.add_error("case_reference", f"Open casus {case.reference} eerst en geef een doel op.")
        else:
            found["case"] = case
    if d["address"]:
        postcode, number = d["address"]
        found["address"] = Address.objects.filter(postcode=postcode, house_number=number).order_by("pk").first()
        if found["address"] is None:
            form.add_error("address", "Dit adres staat niet in het register (of u mag het niet zien).")
    if d["subject"]:
        if len(d["subject"]) == 9:
            found["person"] = Person.objects.filter(bsn=d["subject"]).first()
        else:
            found["company"] = Company.objects.filter(kvk_number=d["subject"]).first()
        if found["person"] is None and found["company"] is None:
            form.add_error("subject", "Niet gevonden in het register (of u mag het niet zien).")
    return None if form.errors else found


def _form_kwargs(access) -> dict:
    org = access.organisation_id
    return {"kinds": services.kinds_for(org), "domains": services.domains_for(org), "clearance": access.clearance}


@writer
def measure_create(request):
    access = current_access()
    source = None
    if request.GET.get("casus"):
        try:
            source = open_record(request, Case.objects.all(), request.GET["casus"])
        except PurposeRequired as gate:
            return gate.response
    initial = _initial_from_case(access, source) if source is not None else {}
    form = MeasureForm(request.POST or None, initial=initial, **_form_kwargs(access))
    if request.method == "POST" and form.is_valid():
        related = _relations(form)
        if related is not None:
            try:
                measure = services.open_measure(access, request=request, **form.measure_fields(), **related)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, f"Maatregel {measure.reference} is vastgelegd. Leg nu de eerste stap vast.")
                return redirect("measures:detail", measure.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "measures/form.html", {"form": form, "source": source, "creating": True}, status=status)


def _visible_relations(measure: Measure) -> dict:
    """The measure's case and subjects as the caller may see them (None when hidden)."""
    return {
        "case": Case.objects.filter(pk=measure.case_id).first() if measure.case_id else None,
        "address": Address.objects.filter(pk=measure.address_id).first() if measure.address_id else None,
        "person": Person.objects.filter(pk=measure.person_id).first() if measure.person_id else None,
        "company": Company.objects.filter(pk=measure.company_id).first() if measure.company_id else None,
    }


@needs_measures
def measure_detail(request, pk):
    try:
        measure = open_record(request, Measure.objects.select_related("kind", "domain"), pk)
    except PurposeRequired as gate:
        return gate.response
    editable = may_edit(current_access(), measure)
    context = {
        "measure": measure,
        **_visible_relations(measure),
        "steps": measure.steps.select_related("by"),
        "next_steps": services.next_steps(measure) if editable else [],
        "documents": measure.documents.all(),
        "objection_until": workflow.objection_until(measure.decided_on),
        "missing_weighing": workflow.missing_weighing(measure) if measure.kind.is_closure or measure.kind.requires_weighing else {},
        "may_edit": editable,
        "awaiting_approval": services.awaiting_approval(measure),
        "may_approve": request.user.role in services.APPROVERS and measure.owner_id == current_access().organisation_id,
        "document_form": DocumentForm() if editable else None,
        "today": timezone.localdate(),
    }
    return render(request, "measures/detail.html", context)


def _initial_of(measure: Measure) -> dict:
    initial = {name: getattr(measure, name) for name in MeasureForm.MEASURE_FIELDS if name not in ("kind", "domain")}
    initial.update(kind=measure.kind_id, domain=measure.domain_id)
    related = _visible_relations(measure)
    if related["case"] is not None:
        initial["case_reference"] = related["case"].reference
    if related["address"] is not None:
        initial["address"] = f"{related['address'].postcode} {related['address'].house_number}"
    if related["person"] is not None:
        initial["subject"] = related["person"].bsn
    elif related["company"] is not None:
        initial["subject"] = related["company"].kvk_number
    return initial


@writer
def measure_edit(request, pk):
    try:
        measure = measure_for_change(request, pk)
    except PurposeRequired as gate:
        return gate.response
    access = current_access()
    kwargs = _form_kwargs(access)
    kwargs["kinds"] = list(kwargs["kinds"]) + ([measure.kind] if not measure.kind.active else [])
    kwargs["domains"] = list(kwargs["domains"]) + ([measure.domain] if not measure.domain.active else [])
    form = MeasureForm(request.POST or None, initial=_initial_of(measure), **kwargs)
    if request.method == "POST" and form.is_valid():
        related = _relations(form)
        if related is not None:
            try:
                services.update_measure(access, measure, request=request, **form.measure_fields(), **related)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, "De maatregel is bijgewerkt.")
                return redirect("measures:detail", measure.pk)
    else:
        record(AuditEntry.Action.VIEW, obj=measure, request=request, detail={"form": "bewerken"})
    status = 400 if request.method == "POST" else 200
    return render(request, "measures/form.html", {"form": form, "measure": measure, "creating": False}, status=status)


def _step_initial(measure: Measure, step: str) -> dict:
    initial = {"on": timezone.localdate()}
    if step == MeasureStep.Kind.DECISION:
        initial.update({name: getattr(measure, name) for name in services.STEP_FIELDS[step]})
    if step == MeasureStep.Kind.EXECUTION:
        initial.update({name: getattr(measure, name) for name in services.EXECUTION_FIELDS})
    return initial


@writer
def measure_step(request, pk):
    """Choose the next step (GET without ?soort=), show its form, record it (POST)."""
    try:
        measure = measure_for_change(request, pk)
    except PurposeRequired as gate:
        return gate.response
    allowed = services.next_steps(measure)
    step = request.POST.get("soort") or request.GET.get("soort") or ""
    if not step:
        record(AuditEntry.Action.VIEW, obj=measure, request=request, detail={"form": "stap kiezen"})
        return render(request, "measures/step_form.html", {"measure": measure, "allowed": allowed, "form": None})
    if step not in MeasureStep.Kind.values:
        messages.error(request, "Kies een geldige stap.")
        return redirect("measures:step", measure.pk)
    form = StepForm(request.POST or None, step=step, kind=measure.kind, initial=_step_initial(measure, step))
    if request.method == "POST" and form.is_valid():
        try:
            done = services.add_step(current_access(), measure, step, request=request, **form.step_fields())
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            text = f"Stap vastgelegd: {done.get_kind_display()} op {done.on:%d-%m-%Y}."
            if done.deadline:
                text += f" {done.get_term_display()[:1].upper()}{done.get_term_display()[1:]}: {done.deadline:%d-%m-%Y}."
            messages.success(request, text)
            return redirect("measures:detail", measure.pk)
    elif request.method == "GET":
        record(AuditEntry.Action.VIEW, obj=measure, request=request, detail={"form": step})
    context = {"measure": measure, "allowed": allowed, "form": form, "step": step,
               "step_label": MeasureStep.Kind(step).label, "step_allowed": step in dict(allowed)}
    return render(request, "measures/step_form.html", context, status=400 if request.method == "POST" else 200)


@role_required(lambda role: role in services.APPROVERS)
@require_POST
def measure_approve(request, pk):
    """Four eyes: a second person approves the besluit that waits for it (issue 12, point 6)."""
    measure = get_visible(Measure.objects.select_related("kind"), pk)
    if not has_purpose(measure):
        query = urlencode({"type": ContentType.objects.get_for_model(Measure).pk, "id": measure.pk,
                           "next": reverse("measures:detail", args=[measure.pk])})
        return redirect(f"{reverse('audit:purpose')}?{query}")
    try:
        services.approve_decision(current_access(), measure, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Het besluit is goedgekeurd door een tweede persoon.")
    return redirect("measures:detail", measure.pk)
