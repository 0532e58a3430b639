"""Cases handled (new, closed, running) and interventions by domain, per year; for the besloten
variant the running cases by phase and escalation level. Counts only, under an organisation access.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from regie.accounts.roles import CASES
from regie.cases.models import Case, Intervention

from ..sections import ReportTable
from .common import access_for, last_day, local_day, partial_columns, years_for

NEW = "Nieuw geopend"
CLOSED = "Afgesloten"
RUNNING = "Lopend aan het eind van het jaar"


@dataclass
class CaseCounts:
    handled: Counter = field(default_factory=Counter)
    closed_reasons: Counter = field(default_factory=Counter)
    interventions: Counter = field(default_factory=Counter)

    def __add__(self, other: CaseCounts) -> CaseCounts:
        return CaseCounts(self.handled + other.handled, self.closed_reasons + other.closed_reasons,
                          self.interventions + other.interventions)


def _cases(organisation):
    access = access_for(organisation, "raadsrapportage casussen", CASES)
    return Case.objects.visible_to(access).filter(owner_id=organisation.pk)


def counts(organisation, years: list[int], peildatum: date) -> CaseCounts:
    result = CaseCounts()
    cases = _cases(organisation)
    reasons = dict(Case.ClosedReason.choices)
    for opened_at, closed_at, reason in cases.values_list("opened_at", "closed_at", "closed_reason"):
        opened = local_day(opened_at)
        closed = local_day(closed_at) if closed_at else None
        if closed and closed > peildatum:
            closed = None
        for year in years:
            end = last_day(year, peildatum)
            if opened > end:
                continue
            if opened.year == year:
                result.handled[(NEW, year)] += 1
            if closed and closed.year == year:
                result.handled[(CLOSED, year)] += 1
                result.closed_reasons[(reasons.get(reason, reason or "Onbekend"), year)] += 1
            if closed is None or closed > end:
                result.handled[(RUNNING, year)] += 1
    domains = dict(Intervention.Domain.choices)
    for created_at, domain in Intervention.objects.filter(case__in=cases).values_list("created_at", "domain"):
        day = local_day(created_at)
        if day.year in years and day <= peildatum:
            result.interventions[(domains.get(domain, domain).capitalize(), day.year)] += 1
    return result


def tables(data: CaseCounts, years: list[int], peildatum: date) -> list[ReportTable]:
    columns = [str(y) for y in years]
    partial = partial_columns(years, peildatum)
    chart = len(years) - 1

    def rows(counter, names=None):
        names = names or sorted({name for name, _ in counter})
        return [(name, [counter[(name, y)] for y in years]) for name in names]

    return [
        ReportTable("Casussen", columns, rows(data.handled, [NEW, CLOSED, RUNNING]), partial_columns=partial,
                    chart_column=chart, note="Lopend: geopend en op de laatste dag van het jaar (of de peildatum) nog niet afgesloten."),
        ReportTable("Afgesloten casussen naar reden", columns, rows(data.closed_reasons), partial_columns=partial),
        ReportTable("Interventies per domein", columns, rows(data.interventions), partial_columns=partial,
                    chart_column=chart, note="Interventies uit de interventiematrix, in het jaar waarin ze zijn afgesproken."),
    ]


def section(organisation, year: int, peildatum: date) -> list[ReportTable]:
    years = years_for(year)
    return tables(counts(organisation, years, peildatum), years, peildatum)


def besloten_section(organisation, year: int, peildatum: date) -> list[ReportTable]:
    """The cases running at the end of the year (or the peildatum) by phase and by escalation level,
    as they stand now (the phase history is on each case's timeline, not summed here)."""
    end = last_day(year, peildatum)
    running = [
        (phase, level) for opened_at, closed_at, phase, level in _cases(organisation).values_list(
            "opened_at", "closed_at", "phase", "escalation_level")
        if local_day(opened_at) <= end and (closed_at is None or local_day(closed_at) > end)
    ]
    phases = Counter(phase for phase, _ in running)
    levels = Counter(level for _, level in running)
    return [
        ReportTable("Lopende casussen naar huidige fase", ["Aantal"],
                    [(label.capitalize(), [phases[value]]) for value, label in Case.Phase.choices if value != Case.Phase.CLOSED],
                    chart_column=0),
        ReportTable("Lopende casussen naar opschaling", ["Aantal"],
                    [(label, [levels[value]]) for value, label in Case.Escalation.choices]),
    ]
