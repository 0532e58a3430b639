"""Point 8: the figures feed the plans' indicator catalogue and the council report's section
"Weerbare organisatie"; and the demo step builds the seed-like registers."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from regie.demo.builder import Summary
from regie.plans import indicators
from regie.reports import sections
from regie.resilience import demo, figures, onboarding, services
from regie.resilience.models import (
    BudgetLine,
    IntegrityIncident,
    Project,
    SafeguardRule,
)
from regie.resilience.safeguards import DECISION_13B, requires_second_person

from .conftest import acc


def _fill(town):
    access = acc(town["coordinator"])
    services.add_session(access, topic="A", audience="B", held_on=date(2024, 3, 1), organiser="C",
                         attendance={town["depts"]["a"]: 17})
    services.add_capacity(access, year=2024, team="OOV", function="Beleid", fte="2.3")
    services.set_capacity_reference(access, year=2024, fte="3.5", source="Vergelijkbare gemeenten")
    line = services.add_budget_line(access, title="UP", nature="incidenteel", first_year=2023, last_year=2026, amount_per_year="185000")
    services.record_spending(access, line, year=2024, amount="150000")
    services.complete_onboarding(acc(town["medewerker"]), town["medewerker"], {q.key: q.correct for q in onboarding.QUESTIONS})


@pytest.mark.django_db
def test_indicators_are_registered_and_computed_per_organisation(town):
    _fill(town)
    a, b = town["orgs"]["a"], town["orgs"]["b"]
    year = (date(2024, 1, 1), date(2024, 12, 31))
    assert indicators.compute("resilience.awareness_attendees", a, *year) == 17
    assert indicators.compute("resilience.awareness_attendees", b, *year) == 0
    assert indicators.compute("resilience.capacity_fte", a, *year) == Decimal("2.3")
    assert indicators.compute("resilience.capacity_gap", a, *year) == Decimal("1.2")
    assert indicators.compute("resilience.budget_spent", a, *year) == Decimal("150000")
    assert indicators.compute("resilience.onboarding_completion", a, *year) == Decimal("16.7")  # 1 of 6
    assert indicators.compute("resilience.capacity_gap", b, *year) is None  # no reference there
    assert indicators.definition("resilience.budget_spent").unit == "euro"


@pytest.mark.django_db
def test_council_report_section(town):
    _fill(town)
    section = sections.SECTIONS["resilience"]
    assert section.title == "Weerbare organisatie"
    tables = {t.title: t for t in section.build(town["orgs"]["a"], 2024, date(2025, 3, 1))}
    sessions = tables["Bewustwordingssessies voor medewerkers"]
    assert sessions.counts is True and dict(sessions.rows)["Deelnemers"] == [17]
    capacity = tables["Capaciteit voor de aanpak van ondermijning"]
    assert capacity.counts is False and dict(capacity.rows)["Referentie vergelijkbare gemeenten"] == [Decimal("3.5")]
    budget = tables["Budget ondermijning"]
    assert budget.counts is False and budget.columns == ["2023", "2024"]
    assert dict(budget.rows)["Besteed (€)"] == [Decimal("0"), Decimal("150000")]
    other = {t.title: t for t in section.build(town["orgs"]["b"], 2024, date(2025, 3, 1))}
    assert "Bewustwordingssessies voor medewerkers" not in other  # nothing of A's in B's report


@pytest.mark.django_db
def test_demo_step_builds_the_seed_like_registers(town):
    users = {"coordinator": town["coordinator_b"], "burgemeester": town["burgemeester_b"]}
    partners = {"RIEC Middenland": town["orgs"]["politie"]}
    summary = Summary()
    demo.build(town["orgs"]["b"], users, partners, random.Random(3), summary)
    access = acc(town["coordinator_b"])
    reach = figures.reach(access)
    assert sum(n for n, _ in reach["years"].values()) == 7 and reach["total"] == 140
    assert set(reach["years"]) == {2023, 2024}
    capacity = figures.capacity(access, 2023)
    assert capacity.fte == Decimal("2.30") and capacity.reference == Decimal("3.5")
    budget = {row.year: row for row in figures.budget(access)}
    assert set(budget) == {2023, 2024, 2025, 2026}
    assert all(row.incidental == Decimal("185000") for row in budget.values())
    assert BudgetLine.unscoped.get().nature == BudgetLine.Nature.INCIDENTAL
    assert requires_second_person(town["orgs"]["b"], DECISION_13B)
    assert not requires_second_person(town["orgs"]["a"], DECISION_13B)
    assert SafeguardRule.unscoped.count() == 2 and IntegrityIncident.unscoped.count() == 1
    project = Project.unscoped.get()
    assert project.tracks.count() == 3
    assert summary.counts["bewustwordingssessies"] == 7
