"""Every write of the plans room: validate (Dutch errors), write, audit — in one transaction."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from . import indicators
from .models import (
    BaselineRevision,
    Goal,
    ManualMeasurement,
    Pillar,
    Plan,
    PlanAction,
    Recommendation,
    RecommendationUpdate,
    Theme,
)
from .permissions import may_write
from .status import GoalStatus, TargetKind

#: seed 000 "Tot slot": report to the council within three months; update after a year
APPROACH_MONTHS = 3
ONE_YEAR_MONTHS = 12
MIN_YEAR, MAX_YEAR = 2000, 2100


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _require(access: Access, owner_id: int) -> None:
    if not may_write(access, owner_id):
        raise PermissionDenied("U mag de plannen van deze gemeente niet wijzigen.")


def _save(obj, access: Access, action: str, audited, detail: dict) -> None:
    obj.full_clean()
    obj.save()
    record(action, obj=audited, access=access, detail=detail)


# --- the hierarchy ------------------------------------------------------------------------------

@transaction.atomic
def create_plan(access: Access, *, kind: str, title: str, first_year: int, last_year: int, parent: Plan | None = None,
                vision: str = "", adopted_on: date | None = None, confidentiality: int | None = None) -> Plan:
    _require(access, access.organisation_id)
    if first_year is None or last_year is None or not (MIN_YEAR <= first_year <= last_year <= MAX_YEAR):
        raise ValidationError({"last_year": "Geef een periode met jaartallen tussen 2000 en 2100; het laatste jaar "
                                            "ligt niet voor het eerste."})
    if kind == Plan.Kind.EXECUTION:
        if parent is None or parent.kind != Plan.Kind.IVP or parent.owner_id != access.organisation_id:
            raise ValidationError({"parent": "Een uitvoeringsplan hoort bij een IVP van de eigen gemeente."})
        if last_year - first_year > 1:
            raise ValidationError({"last_year": "Een uitvoeringsplan beslaat één of twee jaar."})
        if first_year < parent.first_year or last_year > parent.last_year:
            raise ValidationError({"first_year": f"Het uitvoeringsplan valt buiten de periode van het IVP ({parent.period})."})
    elif parent is not None:
        raise ValidationError({"parent": "Een IVP is zelf geen onderdeel van een ander plan."})
    plan = Plan(owner_id=access.organisation_id, kind=kind, title=title, first_year=first_year, last_year=last_year,
                parent=parent, vision=vision, adopted_on=adopted_on)
    if confidentiality is not None:
        plan.confidentiality = confidentiality
    _save(plan, access, AuditEntry.Action.CREATE, plan, {"kind": kind, "period": plan.period})
    return plan


@transaction.atomic
def add_pillar(access: Access, plan: Plan, *, name: str, position: int = 0) -> Pillar:
    _require(access, plan.owner_id)
    pillar = Pillar(plan=plan, name=name, position=position)
    _save(pillar, access, AuditEntry.Action.UPDATE, plan, {"pillar_added": name})
    return pillar


@transaction.atomic
def add_theme(access: Access, pillar: Pillar, *, name: str, priority: int = 1) -> Theme:
    _require(access, pillar.plan.owner_id)
    theme = Theme(pillar=pillar, name=name, priority=priority)
    _save(theme, access, AuditEntry.Action.UPDATE, pillar.plan, {"theme_added": name, "pillar": pillar.pk})
    return theme


def _check_action(action: PlanAction) -> None:
    if action.status in PlanAction.DEVIATIONS and not action.deviation_reason.strip():
        raise ValidationError({"deviation_reason": "Geef de reden van de afwijking van het plan."})


@transaction.atomic
def add_action(access: Access, theme: Theme, *, title: str, owner: str, origin: str = PlanAction.Origin.NEW,
               partners: str = "", status: str = PlanAction.Status.PLANNED, deviation_reason: str = "") -> PlanAction:
    plan = theme.pillar.plan
    _require(access, plan.owner_id)
    action = PlanAction(theme=theme, title=title, owner=owner, origin=origin, partners=partners, status=status,
                        deviation_reason=deviation_reason)
    _check_action(action)
    _save(action, access, AuditEntry.Action.UPDATE, plan, {"action_added": title, "theme": theme.pk})
    return action


@transaction.atomic
def set_action_status(access: Access, action: PlanAction, *, status: str, deviation_reason: str = "") -> PlanAction:
    plan = action.theme.pillar.plan
    _require(access, plan.owner_id)
    before = action.status
    action.status, action.deviation_reason = status, deviation_reason
    _check_action(action)
    _save(action, access, AuditEntry.Action.UPDATE, plan, {"action": action.pk, "status": [before, status]})
    return action


# --- goals --------------------------------------------------------------------------------------

def _check_goal(goal: Goal) -> None:
    errors = {}
    if goal.indicator_code and indicators.definition(goal.indicator_code) is None:
        errors["indicator_code"] = "Deze indicator staat niet in de catalogus."
    if not goal.indicator_code and not goal.manual_label.strip():
        errors["manual_label"] = "Kies een indicator uit de catalogus of geef een eigen (handmatige) indicator."
    kind = goal.target_kind
    if kind in (TargetKind.EXACT, TargetKind.MINIMUM, TargetKind.MAXIMUM, TargetKind.RANGE, TargetKind.PERCENT) \
            and goal.target_value is None:
        errors["target_value"] = "Geef de streefwaarde."
    if kind == TargetKind.RANGE and goal.target_value is not None and (
            goal.target_upper is None or goal.target_upper < goal.target_value):
        errors["target_upper"] = "Geef een bovengrens die niet lager is dan de ondergrens."
    if kind == TargetKind.PERCENT:
        if goal.baseline_value is None:
            errors["baseline_value"] = "Een percentage van de nulmeting vraagt een nulmeting."
        if goal.target_value == 0:
            errors["target_value"] = "Geef een verandering in procenten, bijvoorbeeld -5 of 10."
        elif goal.target_value is not None and goal.target_value <= -100:
            errors["target_value"] = "Een daling van 100 procent of meer kan niet."
    if kind == TargetKind.QUALITATIVE and not goal.target_text.strip():
        errors["target_text"] = "Beschrijf de kwalitatieve streefwaarde."
    if errors:
        raise ValidationError(errors)


GOAL_FIELDS = ("title", "action", "indicator_code", "manual_label", "unit", "target_kind", "target_value",
               "target_upper", "target_text", "scope", "deadline", "owner")


@transaction.atomic
def add_goal(access: Access, theme: Theme, *, baseline_value: Decimal | None = None, baseline_year: int | None = None,
             **fields) -> Goal:
    plan = theme.pillar.plan
    _require(access, plan.owner_id)
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"unknown goal fields: {sorted(unknown)}")
    action = fields.get("action")
    if action is not None and action.theme_id != theme.pk:
        raise ValidationError({"action": "De actie hoort niet bij dit thema."})
    goal = Goal(theme=theme, baseline_value=baseline_value, baseline_year=baseline_year, **fields)
    goal.full_clean()
    _check_goal(goal)
    goal.save()
    if baseline_value is not None:
        BaselineRevision.objects.create(goal=goal, value=baseline_value, year=baseline_year, reason="Eerste nulmeting",
                                        by_id=access.user_id)
    record(AuditEntry.Action.UPDATE, obj=plan, access=access, detail={"goal_added": goal.pk, "title": goal.title})
    return goal


@transaction.atomic
def restate_baseline(access: Access, goal: Goal, *, value: Decimal, year: int | None, reason: str) -> BaselineRevision:
    """Restate the baseline (e.g. a changed registration method, seed 002 fn 42); the old values
    stay in the history."""
    plan = goal.theme.pillar.plan
    _require(access, plan.owner_id)
    if value is None:
        raise ValidationError({"value": "Geef de nieuwe nulmeting."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Geef de reden van de herziening."})
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": "Geef een jaartal tussen 2000 en 2100."})
    before = goal.baseline_value
    revision = BaselineRevision(goal=goal, value=value, year=year, reason=reason.strip(), by_id=access.user_id)
    revision.full_clean()
    goal.baseline_value, goal.baseline_year = value, year
    goal.full_clean()
    _check_goal(goal)
    goal.save(update_fields=["baseline_value", "baseline_year"])
    revision.save()
    record(AuditEntry.Action.UPDATE, obj=plan, access=access,
           detail={"goal": goal.pk, "baseline": [None if before is None else str(before), str(value)], "reason": reason.strip()})
    return revision


@transaction.atomic
def add_measurement(access: Access, goal: Goal, *, value: Decimal, source: str, reference_date: date) -> ManualMeasurement:
    plan = goal.theme.pillar.plan
    _require(access, plan.owner_id)
    if goal.indicator_code:
        raise ValidationError({"value": "Dit doel wordt berekend uit de registratie; een handmatige meting kan niet."})
    measurement = ManualMeasurement(goal=goal, value=value, source=(source or "").strip(), reference_date=reference_date,
                                    entered_by_id=access.user_id)
    measurement.full_clean()
    measurement.save()
    record(AuditEntry.Action.UPDATE, obj=plan, access=access,
           detail={"goal": goal.pk, "measurement": str(value), "source": measurement.source, "on": reference_date.isoformat()})
    return measurement


@transaction.atomic
def override_status(access: Access, goal: Goal, *, status: str, reason: str) -> Goal:
    """Set the status by hand (qualitative goals, or a computed status that misleads); an empty
    status returns to the computed one."""
    plan = goal.theme.pillar.plan
    _require(access, plan.owner_id)
    if status and status not in GoalStatus.values:
        raise ValidationError({"status": "Kies een geldige status."})
    if status and not (reason or "").strip():
        raise ValidationError({"reason": "Geef de reden waarom u de status met de hand vaststelt."})
    goal.status_override, goal.override_reason = status, (reason or "").strip() if status else ""
    goal.save(update_fields=["status_override", "override_reason"])
    record(AuditEntry.Action.UPDATE, obj=plan, access=access, detail={"goal": goal.pk, "status_override": status})
    return goal


# --- recommendations ----------------------------------------------------------------------------

@transaction.atomic
def add_recommendation(access: Access, *, report_title: str, number: int, text: str, decision: str, decided_on: date,
                       responsible: str, addressee: str = Recommendation.Addressee.COLLEGE) -> Recommendation:
    _require(access, access.organisation_id)
    if decided_on is None:
        raise ValidationError({"decided_on": "Geef de datum van het raadsbesluit."})
    rec = Recommendation(
        owner_id=access.organisation_id, report_title=report_title, number=number, text=text, decision=decision,
        decided_on=decided_on, responsible=responsible, addressee=addressee, approach_due=add_months(decided_on, APPROACH_MONTHS),
        status=Recommendation.Status.CLOSED if decision == Recommendation.Decision.REJECTED else Recommendation.Status.OPEN,
    )
    _save(rec, access, AuditEntry.Action.CREATE, rec, {"report": report_title, "number": number, "decision": decision})
    return rec


def one_year_due(rec: Recommendation) -> date:
    return add_months(rec.decided_on, ONE_YEAR_MONTHS)


@transaction.atomic
def add_update(access: Access, rec: Recommendation, *, kind: str, on: date, status: str, text: str) -> RecommendationUpdate:
    """A status update; the plan of approach and the one-year update also date the recommendation."""
    _require(access, rec.owner_id)
    if on is not None and on < rec.decided_on:
        raise ValidationError({"on": "De datum ligt voor het raadsbesluit."})
    update = RecommendationUpdate(recommendation=rec, kind=kind, on=on, status=status, text=(text or "").strip(),
                                  by_id=access.user_id)
    update.full_clean()
    if kind == RecommendationUpdate.Kind.ONE_YEAR and rec.one_year_update_on is not None:
        raise ValidationError({"kind": "De stand na een jaar is al vastgelegd; leg een nieuwe stand van zaken vast."})
    update.save()
    rec.status = status
    if kind == RecommendationUpdate.Kind.APPROACH and rec.approach_sent_on is None:
        rec.approach_sent_on = on
    if kind == RecommendationUpdate.Kind.ONE_YEAR:
        rec.one_year_update_on = on
    rec.save(update_fields=["status", "approach_sent_on", "one_year_update_on", "updated_at"])
    record(AuditEntry.Action.UPDATE, obj=rec, access=access, detail={"update": kind, "status": status, "on": on.isoformat()})
    return update


def visible_goals(access: Access):
    """The goals of the plans ``access`` may see, for other rooms that link to a goal (e.g. a budget line)."""
    return (Goal.objects.filter(theme__pillar__plan__in=Plan.objects.visible_to(access))
            .select_related("theme__pillar__plan").order_by("theme__pillar__plan__first_year", "pk"))


def goal_results(goal: Goal, year: int, peildatum: date):
    """The dashboard row of ``goal`` (a visible one) in ``year``: realised figure and status."""
    from .dashboard import goal_row

    plan = goal.theme.pillar.plan
    return goal_row(goal, plan, plan.owner, year, peildatum)
