"""The dashboard of a plan (issue 11, point 3): per pillar and theme, each goal's target against
its realisation in the year and cumulatively over the plan period, and the change against the
year before. Figures come from the indicator catalogue or from hand-entered measurements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from . import indicators
from .models import Goal, Plan
from .status import GoalStatus, TargetKind, describe, evaluate

#: units whose yearly figures add up; shares, medians and survey percentages do not
ADDITIVE_UNITS = {"aantal", "personen", "dossiers", "controles"}


def unit_of(goal: Goal) -> str:
    found = indicators.definition(goal.indicator_code) if goal.indicator_code else None
    return found.unit if found else (goal.unit or "aantal")


def indicator_label(goal: Goal) -> str:
    found = indicators.definition(goal.indicator_code) if goal.indicator_code else None
    if found:
        return found.label
    return goal.manual_label or (f"onbekende indicator ({goal.indicator_code})" if goal.indicator_code else "handmatig")


def source_of(goal: Goal) -> str:
    found = indicators.definition(goal.indicator_code) if goal.indicator_code else None
    return f"Regie: {found.source}" if found else "handmatig ingevoerd"


def year_value(goal: Goal, organisation, year: int, peildatum: date) -> Decimal | int | None:
    """The goal's figure for ``year``, up to the peildatum; None for a year not yet begun."""
    start, end = date(year, 1, 1), min(date(year, 12, 31), peildatum)
    if start > peildatum:
        return None
    if goal.indicator_code:
        return indicators.compute(goal.indicator_code, organisation, start, end)
    latest = [m for m in goal.measurements.all() if start <= m.reference_date <= end]
    return latest[-1].value if latest else None


def cumulative_value(goal: Goal, organisation, first_year: int, year: int, peildatum: date):
    """The sum of the yearly figures from the plan's first year through ``year``, for additive units."""
    if unit_of(goal) not in ADDITIVE_UNITS:
        return None
    values = [year_value(goal, organisation, y, peildatum) for y in range(first_year, year + 1)]
    known = [v for v in values if v is not None]
    return sum(known) if known else None


@dataclass
class GoalRow:
    goal: Goal
    indicator: str
    unit: str
    source: str
    baseline: Decimal | None
    target: str
    realised: Decimal | int | None
    previous: Decimal | int | None
    cumulative: Decimal | int | None
    computed_status: GoalStatus
    status: GoalStatus
    overridden: bool

    @property
    def change(self):
        if self.realised is None or self.previous is None:
            return None
        return self.realised - self.previous

    @property
    def status_label(self) -> str:
        return GoalStatus(self.status).label


@dataclass
class ThemeBlock:
    pillar: str
    theme: str
    priority: int
    rows: list[GoalRow] = field(default_factory=list)


@dataclass
class Dashboard:
    plan: Plan
    year: int
    peildatum: date
    blocks: list[ThemeBlock]

    @property
    def rows(self) -> list[GoalRow]:
        return [row for block in self.blocks for row in block.rows]

    def totals(self) -> dict[str, int]:
        counts = {status.value: 0 for status in GoalStatus}
        for row in self.rows:
            counts[row.status] += 1
        return counts


def goal_row(goal: Goal, plan: Plan, organisation, year: int, peildatum: date) -> GoalRow:
    realised = year_value(goal, organisation, year, peildatum)
    previous = year_value(goal, organisation, year - 1, peildatum)
    cumulative = cumulative_value(goal, organisation, plan.first_year, year, peildatum)
    measured = cumulative if goal.scope == Goal.Scope.CUMULATIVE else realised
    computed = evaluate(goal.target_kind, measured, target=goal.target_value, upper=goal.target_upper,
                        baseline=goal.baseline_value)
    status = GoalStatus(goal.status_override) if goal.status_override else computed
    return GoalRow(
        goal=goal, indicator=indicator_label(goal), unit=unit_of(goal), source=source_of(goal),
        baseline=goal.baseline_value,
        target=describe(goal.target_kind, target=goal.target_value, upper=goal.target_upper, text=goal.target_text,
                        unit=unit_of(goal)) + (" (cumulatief)" if goal.scope == Goal.Scope.CUMULATIVE and goal.target_kind
                                                not in (TargetKind.QUALITATIVE, TargetKind.NOT_SET) else ""),
        realised=realised, previous=previous, cumulative=cumulative, computed_status=computed, status=status,
        overridden=bool(goal.status_override),
    )


def build(plan: Plan, year: int, peildatum: date) -> Dashboard:
    """The dashboard of ``plan`` (a visible one: the caller fetched it through the scoped manager)."""
    organisation = plan.owner
    blocks = []
    for pillar in plan.pillars.all():
        for theme in pillar.themes.all():
            block = ThemeBlock(pillar.name, theme.name, theme.priority)
            for goal in theme.goals.prefetch_related("measurements"):
                block.rows.append(goal_row(goal, plan, organisation, year, peildatum))
            blocks.append(block)
    return Dashboard(plan, year, peildatum, blocks)


def goals_of(plans) -> list[tuple[Plan, Goal]]:
    return [(plan, goal) for plan in plans for pillar in plan.pillars.all() for theme in pillar.themes.all()
            for goal in theme.goals.all()]
