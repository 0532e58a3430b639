"""What the resilience room contributes to the plans dashboard (the indicator catalogue) and to
the council report (issue 12, point 8). Registered from :meth:`ResilienceConfig.ready`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from regie.plans.indicators import IndicatorDefinition
from regie.plans.indicators import register as register_indicator
from regie.reports.sections import ReportSection, ReportTable
from regie.reports.sections import register as register_section

from . import figures
from .services import org_access


def _attendees(organisation, start: date, end: date):
    return figures.attendees(org_access(organisation), start, end)


def _completion(organisation, start: date, end: date):
    return figures.completion(org_access(organisation))[2]


def _fte(organisation, start: date, end: date):
    return figures.capacity(org_access(organisation), end.year).fte


def _fte_gap(organisation, start: date, end: date):
    return figures.capacity(org_access(organisation), end.year).gap


def _spent(organisation, start: date, end: date):
    return figures.spent(org_access(organisation), start, end)


INDICATORS = (
    IndicatorDefinition("resilience.awareness_attendees", "Deelnemers bewustwordingssessies", "personen",
                        "Som van de opkomst per afdeling van de sessies in de periode.", "Bewustwordingssessies", _attendees),
    IndicatorDefinition("resilience.onboarding_completion", "Introductie ondermijning afgerond", "%",
                        "Aandeel actieve medewerkers dat de huidige versie van de introductie heeft afgerond (peilmoment nu).",
                        "Introductie ondermijning", _completion),
    IndicatorDefinition("resilience.capacity_fte", "Capaciteit ondermijning", "fte",
                        "Som van de fte voor ondermijning in het laatste jaar van de periode.", "Capaciteit", _fte),
    IndicatorDefinition("resilience.capacity_gap", "Capaciteit onder de referentie", "fte",
                        "Referentie (vergelijkbare gemeenten) min de eigen fte in het laatste jaar van de periode.",
                        "Capaciteit", _fte_gap),
    IndicatorDefinition("resilience.budget_spent", "Besteed budget ondermijning", "euro",
                        "Som van de bestedingen op de begrotingsposten in de jaren van de periode.", "Begroting", _spent),
)


def _euro(value: Decimal) -> Decimal:
    return value.quantize(Decimal("1"))


def build_section(organisation, year: int, peildatum: date) -> list[ReportTable]:
    access = org_access(organisation)
    tables = []
    reach = figures.reach(access)
    years = [y for y in reach["years"] if y <= year][-4:]
    if years:
        tables.append(ReportTable(
            "Bewustwordingssessies voor medewerkers", [str(y) for y in years],
            [("Sessies", [reach["years"][y][0] for y in years]), ("Deelnemers", [reach["years"][y][1] for y in years])],
            counts=True, note="Bron: register bewustwordingssessies (opkomst per afdeling).",
            partial_columns=[i for i, y in enumerate(years) if y == peildatum.year],
        ))
    capacity = figures.capacity(access, year)
    tables.append(ReportTable(
        "Capaciteit voor de aanpak van ondermijning", ["fte"],
        [("Eigen formatie", [capacity.fte]), ("Vacatures", [capacity.vacancy_fte]),
         ("Referentie vergelijkbare gemeenten", [capacity.reference])],
        counts=False, note=capacity.reference_source or "Geen referentie vastgelegd.",
    ))
    budget = [row for row in figures.budget(access) if row.year <= year][-4:]
    if budget:
        tables.append(ReportTable(
            "Budget ondermijning", [str(row.year) for row in budget],
            [("Incidenteel (€)", [_euro(r.incidental) for r in budget]), ("Structureel (€)", [_euro(r.structural) for r in budget]),
             ("Besteed (€)", [_euro(r.spent) for r in budget])],
            counts=False, note="Bron: begrotingsposten en bestedingen; personeelskosten vallen onder de formatie.",
        ))
    percentage = figures.completion(access)[2]
    tables.append(ReportTable(
        "Introductie ondermijning voor medewerkers", ["waarde"],
        [("Afgerond (%)", [percentage])], counts=False,
        note="Aandeel actieve medewerkers met een account in Regie dat de introductie heeft afgerond.",
    ))
    return tables


SECTION = ReportSection("resilience", "Weerbare organisatie", 90, build_section)


def register_all() -> None:
    for definition in INDICATORS:
        register_indicator(definition)
    register_section(SECTION)
