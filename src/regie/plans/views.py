"""Pages of the plans room: the plans and their dashboard, goals, recommendations and the
three-year overview, each exportable to CSV and XLSX. Thin: reads through the scoped managers
(a raadslid through :func:`permissions.reading_access`), writes through :mod:`regie.plans.services`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from regie.accounts.decorators import role_required
from regie.audit.gate import get_visible
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import current_access
from regie.web.forms import errors_to_form

from . import dashboard, indicators, services, tables
from .forms import (
    ActionForm,
    ActionStatusForm,
    BaselineForm,
    GoalForm,
    MeasurementForm,
    PillarForm,
    PlanForm,
    RecommendationForm,
    StatusForm,
    ThemeForm,
    UpdateForm,
)
from .models import Goal, Pillar, Plan, PlanAction, Recommendation, Theme
from .permissions import READERS, WRITERS, may_write, reading_access

reader = role_required(lambda role: role in READERS)
writer = role_required(lambda role: role in WRITERS)
FORMATS = {"csv": ("text/csv; charset=utf-8", "csv"),
           "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")}
BAD_QUERY = "Geef een jaartal tussen 2000 en 2100 en kies het formaat csv of xlsx."


def _plans(request):
    return Plan.objects.visible_to(reading_access(request.user))


def _recommendations(request):
    return Recommendation.objects.visible_to(reading_access(request.user)).prefetch_related("updates")


def _goals(request):
    return Goal.objects.filter(theme__pillar__plan__in=_plans(request)).select_related("theme__pillar__plan")




def _query(request):
    """(year, format) from the query string, or None for bad input."""
    year_text = request.GET.get("jaar", "") or str(timezone.localdate().year)
    fmt = request.GET.get("formaat", "")
    if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100 or (fmt and fmt not in FORMATS):
        return None
    return int(year_text), fmt


def _export(request, sheets, model, name: str, fmt: str, detail: dict) -> HttpResponse:
    body = tables.to_csv(sheets) if fmt == "csv" else tables.to_xlsx(sheets)
    record(AuditEntry.Action.EXPORT, model=model, access=current_access(), request=request,
           detail={"document": name, "format": fmt, **detail})
    content_type, extension = FORMATS[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- plans --------------------------------------------------------------------------------------

@reader
def plan_list(request):
    plans = list(_plans(request))
    # a parent the reader may not see (a more confidential IVP) is not named
    titles = {p.pk: p.title for p in plans}
    rows = [(plan, titles.get(plan.parent_id, "—" if plan.parent_id is None else "(niet zichtbaar)")) for plan in plans]
    record(AuditEntry.Action.LIST, model=Plan, access=current_access(), request=request)
    return render(request, "plans/list.html", {"rows": rows, "may_write": request.user.role in WRITERS})


@writer
def plan_create(request):
    ivps = list(Plan.objects.filter(kind=Plan.Kind.IVP, owner_id=current_access().organisation_id))
    form = PlanForm(request.POST or None, ivps=ivps)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parent = next((p for p in ivps if p.pk == data["parent"]), None)
        try:
            plan = services.create_plan(current_access(), kind=data["kind"], title=data["title"], parent=parent,
                                        first_year=data["first_year"], last_year=data["last_year"],
                                        vision=data["vision"], adopted_on=data["adopted_on"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "Het plan is aangemaakt.")
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/form.html", {"form": form, "title": "Nieuw plan"}, status=400 if form.errors else 200)


def _part_forms(plan, data=None, which=None):
    pillars = list(plan.pillars.all())
    themes = list(Theme.objects.filter(pillar__plan=plan).select_related("pillar"))
    made = {}
    for key, cls in (("pijler", PillarForm), ("thema", ThemeForm), ("actie", ActionForm), ("doel", GoalForm)):
        form = cls(data if key == which else None, prefix=key)
        if "pillar" in form.fields:
            form.fields["pillar"].choices = [(p.pk, p.name) for p in pillars]
        if "theme" in form.fields:
            form.fields["theme"].choices = [(t.pk, f"{t.pillar.name} – {t.name}") for t in themes]
        made[key] = form
    return made


@reader
def plan_detail(request, pk):
    plan = get_visible(_plans(request), pk)
    query = _query(request)
    if query is None:
        messages.error(request, BAD_QUERY)
        return render(request, "plans/detail.html", {"plan": plan, "board": None}, status=400)
    year, fmt = query
    board = dashboard.build(plan, year, timezone.localdate())
    if fmt:
        return _export(request, [tables.dashboard_sheet(board)], Plan, f"dashboard-plan-{plan.pk}-{year}", fmt,
                       {"plan": plan.pk, "year": year})
    record(AuditEntry.Action.VIEW, obj=plan, access=current_access(), request=request, detail={"year": year})
    return render(request, "plans/detail.html", _detail_context(request, plan, board))


def _detail_context(request, plan, board, forms=None):
    editable = may_write(current_access(), plan.owner_id)
    return {
        "plan": plan, "board": board, "editable": editable, "children": list(_plans(request).filter(parent=plan)),
        "parent": _plans(request).filter(pk=plan.parent_id).first() if plan.parent_id else None,
        "actions": [(a, ActionStatusForm(prefix=f"actie-{a.pk}", initial={"status": a.status, "deviation_reason": a.deviation_reason})
                     if editable else None)
                    for a in PlanAction.objects.filter(theme__pillar__plan=plan).select_related("theme__pillar")],
        "forms": forms or (_part_forms(plan) if editable else {}),
    }


@writer
def plan_add(request, pk):
    plan = get_visible(Plan.objects.all(), pk)
    which = request.POST.get("onderdeel", "")
    forms = _part_forms(plan, request.POST, which)
    form = forms.get(which)
    if request.method != "POST" or form is None:
        messages.error(request, "Kies wat u wilt toevoegen: pijler, thema, actie of doel.")
        return redirect("plans:detail", pk=plan.pk)
    if form.is_valid():
        data = dict(form.cleaned_data)
        access = current_access()
        try:
            if which == "pijler":
                services.add_pillar(access, plan, **data)
            else:
                theme_id = data.pop("theme", None)
                if which == "thema":
                    pillar = Pillar.objects.get(plan=plan, pk=data.pop("pillar"))
                    services.add_theme(access, pillar, **data)
                else:
                    theme = Theme.objects.get(pillar__plan=plan, pk=theme_id)
                    if which == "actie":
                        services.add_action(access, theme, **data)
                    else:
                        services.add_goal(access, theme, **data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "Opgeslagen.")
            return redirect("plans:detail", pk=plan.pk)
    board = dashboard.build(plan, timezone.localdate().year, timezone.localdate())
    return render(request, "plans/detail.html", _detail_context(request, plan, board, forms), status=400)


@writer
def action_status(request, pk):
    action = get_visible(PlanAction.objects.filter(theme__pillar__plan__in=Plan.objects.all()), pk)
    plan = action.theme.pillar.plan
    form = ActionStatusForm(request.POST or None, prefix=f"actie-{action.pk}")
    if request.method != "POST":
        return redirect("plans:detail", pk=plan.pk)
    if form.is_valid():
        try:
            services.set_action_status(current_access(), action, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "De status van de actie is vastgelegd.")
            return redirect("plans:detail", pk=plan.pk)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    board = dashboard.build(plan, timezone.localdate().year, timezone.localdate())
    return render(request, "plans/detail.html", _detail_context(request, plan, board), status=400)


# --- goals --------------------------------------------------------------------------------------

@reader
def goal_list(request):
    query = _query(request)
    if query is None:
        messages.error(request, BAD_QUERY)
        return render(request, "plans/goals.html", {"boards": []}, status=400)
    year, fmt = query
    boards = [dashboard.build(plan, year, timezone.localdate()) for plan in _plans(request)]
    if fmt:
        return _export(request, [tables.dashboard_sheet(b) for b in boards], Goal, f"doelen-{year}", fmt, {"year": year})
    record(AuditEntry.Action.LIST, model=Goal, access=current_access(), request=request, detail={"year": year})
    return render(request, "plans/goals.html", {"boards": boards, "year": year})


def _goal_context(request, goal, forms=None):
    plan = goal.theme.pillar.plan
    editable = may_write(current_access(), plan.owner_id)
    today = timezone.localdate()
    return {
        "goal": goal, "plan": plan, "editable": editable,
        "row": dashboard.goal_row(goal, plan, plan.owner, today.year, today),
        "definition": indicators.definition(goal.indicator_code) if goal.indicator_code else None,
        "revisions": goal.baseline_revisions.all(), "measurements": goal.measurements.all(),
        "forms": forms or ({"nulmeting": BaselineForm(prefix="nulmeting"), "meting": MeasurementForm(prefix="meting"),
                            "status": StatusForm(prefix="status")} if editable else {}),
    }


@reader
def goal_detail(request, pk):
    goal = get_visible(_goals(request), pk)
    record(AuditEntry.Action.VIEW, obj=goal.theme.pillar.plan, access=current_access(), request=request, detail={"goal": goal.pk})
    return render(request, "plans/goal.html", _goal_context(request, goal))


@writer
def goal_change(request, pk):
    goal = get_visible(Goal.objects.filter(theme__pillar__plan__in=Plan.objects.all()), pk)
    which = request.POST.get("wat", "")
    classes = {"nulmeting": BaselineForm, "meting": MeasurementForm, "status": StatusForm}
    if request.method != "POST" or which not in classes:
        messages.error(request, "Kies wat u wilt vastleggen: nulmeting, meting of status.")
        return redirect("plans:goal", pk=goal.pk)
    form = classes[which](request.POST, prefix=which)
    if form.is_valid():
        data, access = form.cleaned_data, current_access()
        try:
            if which == "nulmeting":
                services.restate_baseline(access, goal, **data)
            elif which == "meting":
                services.add_measurement(access, goal, **data)
            else:
                services.override_status(access, goal, **data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "Opgeslagen.")
            return redirect("plans:goal", pk=goal.pk)
    goal.refresh_from_db()
    forms = {"nulmeting": BaselineForm(prefix="nulmeting"), "meting": MeasurementForm(prefix="meting"),
             "status": StatusForm(prefix="status"), which: form}
    return render(request, "plans/goal.html", _goal_context(request, goal, forms), status=400)


# --- recommendations ----------------------------------------------------------------------------

@reader
def recommendation_list(request):
    fmt = request.GET.get("formaat", "")
    if fmt and fmt not in FORMATS:
        messages.error(request, BAD_QUERY)
        fmt = None
    recs = list(_recommendations(request))
    if fmt:
        return _export(request, [tables.recommendations_sheet(recs)], Recommendation, "aanbevelingen", fmt, {})
    form = RecommendationForm(request.POST or None) if request.user.role in WRITERS else None
    if request.method == "POST":
        if form is None:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                rec = services.add_recommendation(current_access(), **form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, "De aanbeveling is vastgelegd.")
                return redirect("plans:recommendation", pk=rec.pk)
    else:
        record(AuditEntry.Action.LIST, model=Recommendation, access=current_access(), request=request)
    status = 400 if (form is not None and form.errors) or fmt is None else 200
    return render(request, "plans/recommendations.html", {"recs": recs, "form": form, "today": timezone.localdate()},
                  status=status)


@reader
def recommendation_detail(request, pk):
    rec = get_visible(_recommendations(request), pk)
    record(AuditEntry.Action.VIEW, obj=rec, access=current_access(), request=request)
    editable = may_write(current_access(), rec.owner_id)
    return render(request, "plans/recommendation.html", {
        "rec": rec, "updates": rec.updates.all(), "one_year_due": services.one_year_due(rec),
        "form": UpdateForm() if editable else None, "today": timezone.localdate()})


@writer
def recommendation_update(request, pk):
    rec = get_visible(Recommendation.objects.all(), pk)
    if request.method != "POST":
        return redirect("plans:recommendation", pk=rec.pk)
    form = UpdateForm(request.POST)
    if form.is_valid():
        try:
            services.add_update(current_access(), rec, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "De stand van zaken is vastgelegd.")
            return redirect("plans:recommendation", pk=rec.pk)
    return render(request, "plans/recommendation.html", {
        "rec": rec, "updates": rec.updates.all(), "one_year_due": services.one_year_due(rec), "form": form,
        "today": timezone.localdate()}, status=400)


@reader
def overview(request):
    fmt = request.GET.get("formaat", "")
    if fmt and fmt not in FORMATS:
        messages.error(request, BAD_QUERY)
        return render(request, "plans/overview.html", {"sheet": None}, status=400)
    today = timezone.localdate()
    sheet = tables.overview_sheet(list(_recommendations(request)), today)
    if fmt:
        return _export(request, [sheet], Recommendation, "overzicht-aanbevelingen", fmt, {"peildatum": today.isoformat()})
    record(AuditEntry.Action.LIST, model=Recommendation, access=current_access(), request=request, detail={"overzicht": 3})
    return render(request, "plans/overview.html", {"sheet": sheet, "export": reverse("plans:overview")})
