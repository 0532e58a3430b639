"""Pages of the weerbare organisatie: the overview and the registers. Thin: lists through the
scoped managers, one record through the record gate, writes through :mod:`.services`.

A register page shows its rows and, for the coördinator and the functioneel beheerder, a form
that posts back to the same page. The onboarding module and the contact persons, which every
employee sees, are in :mod:`.onboarding_views`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from regie.accounts.decorators import role_required
from regie.audit.gate import PurposeRequired, open_record
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import current_access
from regie.organisations.models import Organisation
from regie.web.forms import errors_to_form

from . import figures, services
from .forms import (
    BudgetLineForm,
    CapacityForm,
    EvaluationForm,
    IncidentForm,
    PartnerForm,
    ProjectForm,
    ReferenceForm,
    SafeguardForm,
    SessionForm,
    SpendingForm,
    TrackForm,
)
from .models import (
    AwarenessSession,
    BudgetLine,
    CapacityLine,
    CapacityReference,
    Department,
    IntegrityIncident,
    Project,
    SafeguardRule,
)
from .permissions import INTEGRITY_KEEPERS, MANAGERS, READERS

reader = role_required(lambda role: role in READERS)
integrity_keeper = role_required(lambda role: role in INTEGRITY_KEEPERS)


def _write(request, form, call, done: str, allowed=MANAGERS) -> bool:
    """Validate ``form`` and call the service; a Dutch error lands on the form. True when written."""
    if request.user.role not in allowed:
        raise PermissionDenied
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        errors_to_form(form, exc)
        return False
    messages.success(request, done)
    return True


def _partners():
    return Organisation.objects.exclude(kind=Organisation.Kind.GEMEENTE).filter(active=True).order_by("name")


def _own_departments():
    return Department.objects.filter(owner_id=current_access().organisation_id)


@reader
def overview(request):
    access = current_access()
    year = timezone.localdate().year
    years = figures.capacity_years(access)
    context = {
        "reach": figures.reach(access),
        "completion": figures.completion(access),
        "capacity": figures.capacity(access, years[-1] if years else year),
        "budget": figures.budget(access),
        "may_manage": request.user.role in MANAGERS,
        "may_see_integrity": request.user.role in INTEGRITY_KEEPERS,
    }
    record(AuditEntry.Action.LIST, model=AwarenessSession, request=request, detail={"page": "overzicht"})
    return render(request, "resilience/overview.html", context)


@reader
def sessions(request):
    access = current_access()
    departments = list(_own_departments())
    form = SessionForm(request.POST or None, departments=departments, partners=_partners())
    if request.method == "POST":
        if _write(request, form, lambda d: services.add_session(
                access, topic=d["topic"], audience=d["audience"], held_on=d["held_on"], organiser=d["organiser"],
                partners=d["partners"], attendance=form.attendance(), request=request), "De sessie is vastgelegd."):
            return redirect("resilience:sessions")
    rows = AwarenessSession.objects.prefetch_related("attendance__department", "partners")
    record(AuditEntry.Action.LIST, model=AwarenessSession, request=request)
    return render(request, "resilience/sessions.html", {
        "rows": rows, "reach": figures.reach(access), "form": form, "may_manage": request.user.role in MANAGERS,
    }, status=400 if request.method == "POST" else 200)


@reader
def capacity(request):
    access = current_access()
    form = CapacityForm(request.POST if request.POST.get("what") == "line" else None)
    reference_form = ReferenceForm(request.POST if request.POST.get("what") == "reference" else None)
    if request.method == "POST":
        if request.POST.get("what") == "reference":
            ok = _write(request, reference_form, lambda d: services.set_capacity_reference(access, request=request, **d),
                        "De referentie is vastgelegd.")
        else:
            ok = _write(request, form, lambda d: services.add_capacity(access, request=request, **d), "De capaciteit is vastgelegd.")
        if ok:
            return redirect("resilience:capacity")
    record(AuditEntry.Action.LIST, model=CapacityLine, request=request)
    return render(request, "resilience/capacity.html", {
        "rows": CapacityLine.objects.all(), "references": CapacityReference.objects.all(),
        "years": [figures.capacity(access, y) for y in figures.capacity_years(access)],
        "form": form, "reference_form": reference_form, "may_manage": request.user.role in MANAGERS,
    }, status=400 if request.method == "POST" else 200)


def _goals(access):
    """The goals a budget line or project may serve: the visible plans of the own municipality."""
    from regie.plans.services import visible_goals

    return visible_goals(access).filter(theme__pillar__plan__owner_id=access.organisation_id)


def _with_results(rows):
    """Budget per goal with the goal's result this year (the plans dashboard's figure and status)."""
    from regie.plans.services import goal_results

    today = timezone.localdate()
    return [(goal, budget, spent, goal_results(goal, today.year, today) if goal is not None else None)
            for goal, budget, spent in rows]


@reader
def budget(request):
    access = current_access()
    lines = BudgetLine.objects.prefetch_related("spending")
    form = BudgetLineForm(request.POST if request.POST.get("what") == "line" else None, goals=_goals(access))
    spending_form = SpendingForm(request.POST if request.POST.get("what") == "spending" else None,
                                 lines=BudgetLine.objects.filter(owner_id=access.organisation_id))
    if request.method == "POST":
        if request.POST.get("what") == "spending":
            ok = _write(request, spending_form, lambda d: services.record_spending(
                access, d["line"], year=d["year"], amount=d["amount"], note=d["note"], request=request), "De besteding is vastgelegd.")
        else:
            ok = _write(request, form, lambda d: services.add_budget_line(access, request=request, **d), "De begrotingspost is vastgelegd.")
        if ok:
            return redirect("resilience:budget")
    record(AuditEntry.Action.LIST, model=BudgetLine, request=request)
    return render(request, "resilience/budget.html", {
        "lines": lines, "years": figures.budget(access), "per_goal": _with_results(figures.budget_per_goal(access)),
        "form": form, "spending_form": spending_form, "may_manage": request.user.role in MANAGERS,
    }, status=400 if request.method == "POST" else 200)


@reader
def safeguards(request):
    access = current_access()
    form = SafeguardForm(request.POST if request.POST.get("what") == "rule" else None)
    if request.method == "POST":
        if request.POST.get("what") == "toggle":
            if request.user.role not in MANAGERS:
                raise PermissionDenied
            try:
                services.set_enforced(access, request.POST.get("rule"), request.POST.get("enforced") == "1", request=request)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("resilience:safeguards")
        if _write(request, form, lambda d: services.add_safeguard(access, request=request, **d), "De waarborg is vastgelegd."):
            return redirect("resilience:safeguards")
    record(AuditEntry.Action.LIST, model=SafeguardRule, request=request)
    return render(request, "resilience/safeguards.html", {
        "rows": SafeguardRule.objects.all(), "form": form, "may_manage": request.user.role in MANAGERS,
    }, status=400 if request.method == "POST" else 200)


@integrity_keeper
def incidents(request):
    access = current_access()
    form = IncidentForm(request.POST or None)
    if request.method == "POST":
        if _write(request, form, lambda d: services.record_incident(access, request=request, **d), "Het incident is vastgelegd.",
                  allowed=INTEGRITY_KEEPERS):
            return redirect("resilience:incidents")
    rows = IntegrityIncident.objects.all()
    record(AuditEntry.Action.LIST, model=IntegrityIncident, request=request, detail={"shown": [r.pk for r in rows]})
    return render(request, "resilience/incidents.html", {"rows": rows, "form": form},
                  status=400 if request.method == "POST" else 200)


@integrity_keeper
def incident_detail(request, pk):
    try:
        incident = open_record(request, IntegrityIncident.objects.all(), pk)
    except PurposeRequired as gate:
        return gate.response
    return render(request, "resilience/incident_detail.html", {"incident": incident})


@reader
def projects(request):
    access = current_access()
    form = ProjectForm(request.POST or None, goals=_goals(access))
    if request.method == "POST":
        if _write(request, form, lambda d: services.add_project(access, request=request, **d), "Het project is vastgelegd."):
            return redirect("resilience:projects")
    record(AuditEntry.Action.LIST, model=Project, request=request)
    return render(request, "resilience/projects.html", {
        "rows": Project.objects.prefetch_related("tracks"), "form": form, "may_manage": request.user.role in MANAGERS,
    }, status=400 if request.method == "POST" else 200)


@reader
def project_detail(request, pk):
    try:
        project = open_record(request, Project.objects.all(), pk)
    except PurposeRequired as gate:
        return gate.response
    access = current_access()
    what = request.POST.get("what")
    forms = {
        "track": TrackForm(request.POST if what == "track" else None),
        "partner": PartnerForm(request.POST if what == "partner" else None, partners=_partners()),
        "evaluation": EvaluationForm(request.POST if what == "evaluation" else None),
    }
    calls = {
        "track": lambda d: services.set_track(access, project, request=request, **d),
        "partner": lambda d: services.add_project_partner(access, project, request=request, **d),
        "evaluation": lambda d: services.add_evaluation(access, project, request=request, **d),
    }
    if request.method == "POST":
        if what not in forms:
            messages.error(request, "Kies wat u wilt vastleggen.")
            return redirect("resilience:project", project.pk)
        if _write(request, forms[what], calls[what], "Het project is bijgewerkt."):
            return redirect("resilience:project", project.pk)
    context = {
        "project": project,
        "tracks": project.tracks.all(),
        "partners": [(row, Organisation.objects.filter(pk=row.organisation_id).first()) for row in project.partners.all()],
        "evaluations": project.evaluations.all(),
        "forms": forms,
        "may_manage": request.user.role in MANAGERS and project.owner_id == access.organisation_id,
    }
    return render(request, "resilience/project_detail.html", context, status=400 if request.method == "POST" else 200)
