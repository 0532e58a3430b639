"""Figures over the resilience registers (issue 12, point 8): reach of the awareness sessions per
year and department, onboarding completion, capacity against the reference, budget against
spending. Aggregates only. Every function takes the access to read with (a user's, or
:func:`regie.resilience.services.org_access` for the indicator catalogue and the council report).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from regie.accounts.models import User
from regie.organisations.access import Access

from . import onboarding
from .models import (
    AwarenessSession,
    BudgetLine,
    BudgetSpending,
    CapacityLine,
    CapacityReference,
    OnboardingCompletion,
    SessionAttendance,
)


def _attendance(access: Access, start=None, end=None):
    sessions = AwarenessSession.objects.visible_to(access)
    if start is not None:
        sessions = sessions.filter(held_on__gte=start)
    if end is not None:
        sessions = sessions.filter(held_on__lte=end)
    return SessionAttendance.objects.filter(session__in=sessions)


def reach(access: Access, start=None, end=None) -> dict:
    """{"years": {year: (sessions, attendees)}, "departments": {(year, department): attendees}, "total": n}."""
    sessions = AwarenessSession.objects.visible_to(access)
    if start is not None:
        sessions = sessions.filter(held_on__gte=start)
    if end is not None:
        sessions = sessions.filter(held_on__lte=end)
    per_year_sessions = defaultdict(int)
    for held_on in sessions.values_list("held_on", flat=True):
        per_year_sessions[held_on.year] += 1
    per_year_people = defaultdict(int)
    departments: dict[tuple[int, str], int] = defaultdict(int)
    for held_on, department, n in _attendance(access, start, end).values_list("session__held_on", "department__name", "attendees"):
        per_year_people[held_on.year] += n
        departments[(held_on.year, department)] += n
    years = {year: (per_year_sessions[year], per_year_people[year]) for year in sorted(per_year_sessions)}
    return {"years": years, "departments": dict(sorted(departments.items())), "total": sum(per_year_people.values())}


def attendees(access: Access, start, end) -> int:
    return _attendance(access, start, end).aggregate(n=Sum("attendees"))["n"] or 0


def completion(access: Access) -> tuple[int, int, Decimal | None]:
    """(completed, employees, percentage) of the current onboarding module in the organisation."""
    employees = User.objects.filter(organisation_id=access.organisation_id, is_active=True).count()
    done = OnboardingCompletion.objects.visible_to(access).filter(
        owner_id=access.organisation_id, version=onboarding.VERSION, user__is_active=True).count()
    if not employees:
        return done, employees, None
    return done, employees, (Decimal(done * 100) / employees).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Capacity:
    year: int
    fte: Decimal
    vacancy_fte: Decimal
    backlog: int
    reference: Decimal | None
    reference_source: str

    @property
    def gap(self) -> Decimal | None:
        return None if self.reference is None else self.reference - self.fte


def capacity(access: Access, year: int) -> Capacity:
    lines = CapacityLine.objects.visible_to(access).filter(year=year).aggregate(
        fte=Sum("fte"), vacancy=Sum("vacancy_fte"), backlog=Sum("backlog"), n=Count("pk"))
    reference = CapacityReference.objects.visible_to(access).filter(year=year).first()
    return Capacity(year, lines["fte"] or Decimal("0"), lines["vacancy"] or Decimal("0"), lines["backlog"] or 0,
                    reference.fte if reference else None, reference.source if reference else "")


def capacity_years(access: Access) -> list[int]:
    years = set(CapacityLine.objects.visible_to(access).values_list("year", flat=True))
    years |= set(CapacityReference.objects.visible_to(access).values_list("year", flat=True))
    return sorted(years)


@dataclass(frozen=True)
class BudgetYear:
    year: int
    incidental: Decimal
    structural: Decimal
    spent: Decimal

    @property
    def total(self) -> Decimal:
        return self.incidental + self.structural


def budget(access: Access) -> list[BudgetYear]:
    """Per year: the budget (incidental, structural) and what was spent, over all visible lines."""
    lines = list(BudgetLine.objects.visible_to(access))
    spent = defaultdict(Decimal)
    for year, amount in BudgetSpending.objects.filter(line__in=lines).values_list("year", "amount"):
        spent[year] += amount
    rows: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal("0"), Decimal("0")])
    for line in lines:
        for year in range(line.first_year, line.last_year + 1):
            rows[year][0 if line.nature == BudgetLine.Nature.INCIDENTAL else 1] += line.amount_per_year
    return [BudgetYear(year, inc, struc, spent[year]) for year, (inc, struc) in sorted(rows.items())]


def budget_per_goal(access: Access) -> list[tuple]:
    """[(goal or None, budget over the period, spent)]: spending set against the goals it serves,
    goals in plan order, lines without a goal last."""
    result: dict = defaultdict(lambda: [None, Decimal("0"), Decimal("0")])
    for line in BudgetLine.objects.visible_to(access).select_related("goal__theme__pillar__plan").prefetch_related("spending"):
        years = line.last_year - line.first_year + 1
        entry = result[line.goal_id]
        entry[0] = line.goal
        entry[1] += line.amount_per_year * years
        entry[2] += sum((s.amount for s in line.spending.all()), Decimal("0"))
    return [tuple(result[key]) for key in sorted(result, key=lambda k: (k is None, k or 0))]


def spent(access: Access, start, end) -> Decimal:
    return BudgetSpending.objects.filter(
        line__in=BudgetLine.objects.visible_to(access), year__gte=start.year, year__lte=end.year,
    ).aggregate(n=Sum("amount"))["n"] or Decimal("0")
