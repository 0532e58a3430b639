"""Gemeente A and B with users per role, and helpers to build a plan through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from regie.accounts.access import access_for_user
from regie.accounts.roles import Role
from regie.plans import services
from regie.plans.models import Plan


@pytest.fixture
def people(orgs, make_user):
    a, b = orgs["a"], orgs["b"]
    return {
        "coordinator": make_user(role=Role.COORDINATOR, org=a),
        "analist": make_user(role=Role.ANALIST, org=a),
        "burgemeester": make_user(role=Role.BURGEMEESTER, org=a),
        "raadslid": make_user(role=Role.RAADSLID, org=a, device=False),
        "beheerder": make_user(role=Role.BEHEERDER, org=a, device=False),
        "boa": make_user(role=Role.BOA, org=a),
        "jurist": make_user(role=Role.JURIST, org=a),
        "coordinator_b": make_user(role=Role.COORDINATOR, org=b),
    }


@pytest.fixture
def access(people):
    return access_for_user(people["coordinator"])


@pytest.fixture
def plan(access):
    """An IVP 2023–2026 with an uitvoeringsplan 2025, one pillar, theme, action and two goals."""
    ivp = services.create_plan(access, kind=Plan.Kind.IVP, title="IVP 2023–2026", first_year=2023, last_year=2026)
    up = services.create_plan(access, kind=Plan.Kind.EXECUTION, title="Uitvoeringsplan 2025", parent=ivp,
                              first_year=2025, last_year=2025)
    pillar = services.add_pillar(access, up, name="Aanpakken")
    theme = services.add_theme(access, pillar, name="Drugscriminaliteit", priority=1)
    action = services.add_action(access, theme, title="Maandelijkse integrale controle", owner="Team OOV",
                                 partners="Politie, Belastingdienst")
    services.add_goal(access, theme, title="Twaalf integrale controles per jaar", indicator_code="controls.held",
                      target_kind="minimum", target_value=Decimal(12), deadline=date(2025, 12, 31),
                      owner="Team OOV", action=action)
    services.add_goal(access, theme, title="Minder inwoners voelen zich onveilig", manual_label="% onveilig in de buurt",
                      unit="%", target_kind="maximum", target_value=Decimal(21), baseline_value=Decimal("22.7"),
                      baseline_year=2021, deadline=date(2025, 12, 31), owner="Team OOV")
    return up
