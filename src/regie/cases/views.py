"""Case pages. Thin: look-ups through the scoped manager and the record gate, writes through
:mod:`regie.cases.services`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from regie.accounts.decorators import role_required
from regie.accounts.roles import spec
from regie.audit.gate import PurposeRequired, get_visible, is_assigned, open_record
from regie.audit.models import AuditEntry
from regie.audit.services import active_purpose, record
from regie.intake import services as intake
from regie.intake.models import Signal
from regie.organisations.access import current_access
from regie.subjects.models import Address, Company, Person

from . import services
from .forms import (
    CaseForm,
    FeedbackForm,
    InterventionForm,
    LinkSignalForm,
    NewCaseForm,
    PhaseForm,
    ShareForm,
    SubjectForm,
    initial_of,
)
from .interventions import DOMAINS
from .models import Case
from .permissions import READERS, REPORTERS, WRITERS, may_edit, may_report

needs_cases = role_required(lambda role: role in READERS)
writer = role_required(lambda role: role in WRITERS)
reporter = role_required(lambda role: role in REPORTERS)


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _purpose_redirect(request, obj, next_url: str):
    query = urlencode({"type": ContentType.objects.get_for_model(type(obj)).pk, "id": obj.pk, "next": next_url})
    return redirect(f"{reverse('audit:purpose')}?{query}")


def _has_purpose(obj) -> bool:
    access = current_access()
    return is_assigned(access, obj) or active_purpose(access, obj) is not None


def _case_for_change(request, pk) -> Case:
    """The visible case for a write: 404 as for a missing one; the purpose form first when the
    user is not assigned (the view itself is not logged, the write is)."""
    case = get_visible(Case.objects.all(), pk)
    if not _has_purpose(case):
        raise PurposeRequired(_purpose_redirect(request, case, reverse("cases:detail", args=[case.pk])))
    return case


def _editable(request, case: Case) -> Case:
    if not may_edit(current_access(), case):
        raise PermissionDenied
    return case


def _theme_choices(access):
    return [(t.code, str(t)) for t in intake.catalogue_for(access.organisation_id)]


@needs_cases
def case_list(request):
    access = current_access()
    phase, theme, mine = request.GET.get("fase", ""), request.GET.get("thema", ""), request.GET.get("mijn") == "1"
    qs = Case.objects.all().prefetch_related("themes")
    if phase in Case.Phase.values:
        qs = qs.filter(phase=phase)
    elif phase == "open":
        qs = qs.exclude(phase=Case.Phase.CLOSED)
    if theme:
        qs = qs.filter(themes__code=theme).distinct()
    if mine:
        qs = qs.filter(coordinator_id=access.user_id)
    page = Paginator(qs.order_by("-opened_at", "-pk"), 25).get_page(request.GET.get("pagina"))
    record(AuditEntry.Action.LIST, model=Case, request=request,
           detail={"fase": phase, "thema": theme, "mijn": mine, "shown": [c.pk for c in page]})
    query = urlencode({k: v for k, v in (("fase", phase), ("thema", theme), ("mijn", "1" if mine else "")) if v})
    context = {
        "page": page, "phase": phase, "theme": theme, "mine": mine, "query": query,
        "phases": Case.Phase.choices, "themes": intake.catalogue_for(access.organisation_id) if access.organisation_id else [],
        "may_create": request.user.role in WRITERS,
        "due": services.due_for_discussion(access).count(),
    }
    return render(request, "cases/list.html", context)


def _signals_from_references(request, form, references: list[str]) -> list[Signal] | None:
    """The referenced signals, each visible and opened with a purpose (or assigned); else form errors."""
    found = {s.reference: s for s in Signal.objects.filter(reference__in=references)}
    result = []
    for ref in references:
        signal = found.get(ref)
        if signal is None:
            form.add_error("signal_references", f"Onbekend signaal: {ref}.")
        elif not _has_purpose(signal):
            form.add_error("signal_references", f"Open signaal {ref} eerst en geef een doel op.")
        else:
            result.append(signal)
    return None if form.errors else result


@writer
def case_create(request):
    access = current_access()
    source = None
    if request.GET.get("signaal"):
        try:
            source = open_record(request, Signal.objects.all(), request.GET["signaal"])
        except PurposeRequired as gate:
            return gate.response
    initial = {}
    if source is not None:
        initial = {"title": f"Casus naar aanleiding van {source.reference}", "themes": [t.code for t in source.themes.all()],
                   "signal_references": source.reference}
    form = NewCaseForm(request.POST or None, initial=initial, theme_choices=_theme_choices(access),
                       organisation_id=access.organisation_id, clearance=access.clearance)
    if request.method == "POST" and form.is_valid():
        signals = _signals_from_references(request, form, form.cleaned_data["signal_references"])
        if signals is not None:
            try:
                case = services.open_case(
                    access, signals=signals, themes=form.cleaned_data["themes"], note=form.cleaned_data["note"],
                    request=request, **form.case_fields(),
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, f"Casus {case.reference} is geopend.")
                return redirect("cases:detail", case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/form.html", {"form": form, "source": source, "creating": True}, status=status)


def _visible_subjects(case: Case):
    """The case's subjects as (row, record or None): a record the caller may not see stays hidden."""
    rows = list(case.subjects.all())
    visible = {
        "person": Person.objects.in_bulk([r.person_id for r in rows if r.person_id]),
        "company": Company.objects.in_bulk([r.company_id for r in rows if r.company_id]),
        "address": Address.objects.in_bulk([r.address_id for r in rows if r.address_id]),
    }
    result = []
    for row in rows:
        kind = next((k for k in ("person", "company", "address") if getattr(row, f"{k}_id")), None)
        result.append((row, kind, visible[kind].get(getattr(row, f"{kind}_id")) if kind else None))
    return result


@needs_cases
def case_detail(request, pk):
    try:
        case = open_record(request, Case.objects.select_related("coordinator"), pk)
    except PurposeRequired as gate:
        return gate.response
    access = current_access()
    editable = may_edit(access, case)
    links = list(case.signal_links.all())
    signals = Signal.objects.filter(pk__in=[link.signal_id for link in links]).order_by("received_at")
    rows = services.matrix(case)
    context = {
        "case": case,
        "subjects": _visible_subjects(case),
        "signals": signals,
        "hidden_signals": len(links) - signals.count(),
        "themes": case.themes.all(),
        "matrix": rows,
        "domains": DOMAINS,
        "interventions": [(i, may_report(access, i)) for row in rows for cell in row.cells for i in cell],
        "events": case.events.select_related("by"),
        "lead_time": services.lead_time_days(case),
        "may_edit": editable,
        "user_categories": spec(request.user.role).categories,
    }
    if editable:
        context["shares"] = services.shared_with(case)
        context["share_form"] = ShareForm(owner_id=case.owner_id)
        context["open_phases"] = [(v, l) for v, l in Case.Phase.choices if v != case.phase]
        context["closed_reasons"] = Case.ClosedReason.choices
        context["escalations"] = [(v, l) for v, l in Case.Escalation.choices if v != case.escalation_level]
    return render(request, "cases/detail.html", context)


@writer
def case_edit(request, pk):
    try:
        case = _editable(request, open_record(request, Case.objects.all(), pk))
    except PurposeRequired as gate:
        return gate.response
    access = current_access()
    kwargs = {"theme_choices": _theme_choices(access), "organisation_id": case.owner_id, "clearance": access.clearance}
    initial = {**{name: getattr(case, name) for name in CaseForm.base_fields if name != "themes"},
               "themes": [t.code for t in case.themes.all()]}
    what = request.POST.get("what", "case")
    form = CaseForm(request.POST if what == "case" else None, initial=initial, **kwargs)
    link_form = LinkSignalForm(request.POST if what == "signal" else None, prefix="signaal")
    subject_form = SubjectForm(request.POST if what == "subject" else None, prefix="subject")
    if request.method == "POST":
        done = None
        if what == "case" and form.is_valid():
            done = _apply(form, lambda: services.update_case(
                access, case, request=request, themes=form.cleaned_data["themes"], **form.case_fields()), "De casus is bijgewerkt.")
        elif what == "signal" and link_form.is_valid():
            done = _link(request, case, link_form)
        elif what == "subject" and subject_form.is_valid():
            done = _add_subject(request, case, subject_form)
        if done:
            messages.success(request, done)
            return redirect("cases:detail", case.pk)
    context = {"form": form, "link_form": link_form, "subject_form": subject_form, "case": case, "creating": False}
    return render(request, "cases/form.html", context, status=400 if request.method == "POST" else 200)


def _apply(form, write, message: str) -> str | None:
    try:
        write()
    except ValidationError as exc:
        _errors_to_form(form, exc)
        return None
    return message


def _link(request, case: Case, form) -> str | None:
    reference = form.cleaned_data["reference"]
    signal = Signal.objects.filter(reference=reference).first()
    if signal is None:
        form.add_error("reference", f"Onbekend signaal: {reference}.")
        return None
    if not _has_purpose(signal):
        form.add_error("reference", f"Open signaal {reference} eerst en geef een doel op.")
        return None
    return _apply(form, lambda: services.link_signal(current_access(), case, signal, request=request),
                  f"Signaal {reference} is gekoppeld.")


SUBJECT_LOOKUPS = {
    "bsn": lambda value: Person.objects.filter(bsn=value).first(),
    "kvk": lambda value: Company.objects.filter(kvk_number=value).first(),
    "adres": lambda value: Address.objects.filter(postcode=value[0], house_number=value[1]).order_by("pk").first(),
}


def _add_subject(request, case: Case, form) -> str | None:
    kind, value = form.parsed()
    subject = SUBJECT_LOOKUPS[kind](value) if kind in SUBJECT_LOOKUPS else value
    if subject is None:
        form.add_error("identifier", "Niet gevonden in het register (of u mag het niet zien).")
        return None
    return _apply(form, lambda: services.add_subject(current_access(), case, subject, role=form.cleaned_data["role"],
                                                    request=request), "Het subject is toegevoegd.")


@writer
@require_POST
def case_phase(request, pk):
    """Phase, reopening and escalation: each its own service, with its own checks."""
    try:
        case = _editable(request, _case_for_change(request, pk))
    except PurposeRequired as gate:
        return gate.response
    form = PhaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Kies wat u wilt wijzigen.")
        return redirect("cases:detail", case.pk)
    d, access = form.cleaned_data, current_access()
    try:
        if d["what"] == "fase":
            services.set_phase(access, case, d["phase"], reason=d["reason"], note=d["note"], request=request)
            done = f"De casus is nu in de fase {case.get_phase_display()}."
        elif d["what"] == "heropenen":
            services.reopen(access, case, reason=d["note"], phase=d["phase"] or Case.Phase.ANALYSIS, request=request)
            done = "De casus is heropend."
        else:
            services.set_escalation(access, case, d["escalation_level"], note=d["note"], request=request)
            done = f"De casus ligt nu op het niveau {case.get_escalation_level_display()}."
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("cases:detail", case.pk)


@writer
@require_POST
def case_share(request, pk):
    try:
        case = _editable(request, _case_for_change(request, pk))
    except PurposeRequired as gate:
        return gate.response
    form = ShareForm(request.POST, owner_id=case.owner_id)
    if not form.is_valid():
        messages.error(request, "Kies een organisatie en noem de grondslag.")
        return redirect("cases:detail", case.pk)
    try:
        services.share_case(current_access(), case, form.cleaned_data["organisation"], basis=form.cleaned_data["basis"],
                            request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"De casus is gedeeld met {form.cleaned_data['organisation'].name}.")
    return redirect("cases:detail", case.pk)


@writer
def intervention_create(request, pk):
    try:
        case = _editable(request, _case_for_change(request, pk))
    except PurposeRequired as gate:
        return gate.response
    form = InterventionForm(request.POST or None, organisation_id=case.owner_id, initial={"partner": case.owner_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_intervention(current_access(), case, request=request, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "De interventie staat in de interventiematrix.")
            return redirect("cases:detail", case.pk)
    if request.method == "GET":  # the form shows the case's reference and title: a read
        record(AuditEntry.Action.VIEW, obj=case, request=request, detail={"pagina": "interventie toevoegen"})
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/intervention_form.html", {"form": form, "case": case, "item": None}, status=status)


@reporter
def intervention_edit(request, pk, int_pk):
    """The kernteam edits the whole intervention; the executing partner reports status and result."""
    try:
        case = _case_for_change(request, pk)
    except PurposeRequired as gate:
        return gate.response
    item = case.interventions.select_related("partner").filter(pk=int_pk).first()
    if item is None:
        raise Http404
    access = current_access()
    if not may_report(access, item):
        raise PermissionDenied
    form_class = InterventionForm if may_edit(access, case) else FeedbackForm
    kwargs = {"organisation_id": case.owner_id} if form_class is InterventionForm else {}
    form = form_class(request.POST or None, initial=initial_of(item, form_class), **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_intervention(access, item, request=request, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
            item.refresh_from_db()
        else:
            messages.success(request, "De interventie is bijgewerkt.")
            return redirect("cases:detail", case.pk)
    else:
        record(AuditEntry.Action.VIEW, obj=case, request=request, detail={"intervention": item.pk})
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/intervention_form.html", {"form": form, "case": case, "item": item}, status=status)

