"""Gemeente A and B with users per role, a department with a contact person in each."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from regie.accounts.access import access_for_user
from regie.accounts.models import Assignment
from regie.accounts.roles import Role
from regie.resilience import services


@pytest.fixture
def town(orgs, make_user):
    a, b = orgs["a"], orgs["b"]
    people = {
        "coordinator": make_user(role=Role.COORDINATOR, org=a, first_name="Carla", last_name="de Wit"),
        "analist": make_user(role=Role.ANALIST, org=a),
        "burgemeester": make_user(role=Role.BURGEMEESTER, org=a),
        "beheerder": make_user(role=Role.BEHEERDER, org=a, device=False),
        "jurist": make_user(role=Role.JURIST, org=a),
        "medewerker": make_user(role=Role.MEDEWERKER, org=a, device=False, first_name="Mila", last_name="Bakker",
                                department="Burgerzaken"),
        "partner": make_user(role=Role.PARTNER, org=orgs["politie"]),
        "coordinator_b": make_user(role=Role.COORDINATOR, org=b),
        "medewerker_b": make_user(role=Role.MEDEWERKER, org=b, device=False),
        "burgemeester_b": make_user(role=Role.BURGEMEESTER, org=b),
    }
    depts = {
        "a": services.add_department(access_for_user(people["coordinator"]), "Burgerzaken"),
        "b": services.add_department(access_for_user(people["coordinator_b"]), "Vergunningen"),
    }
    services.add_contact(access_for_user(people["coordinator"]), depts["a"], name="Ilse Kramer", function="Senior burgerzaken",
                         email="ilse@aastad.invalid")
    services.add_contact(access_for_user(people["coordinator_b"]), depts["b"], name="Bart Bedorp", function="Jurist")
    return {"orgs": orgs, "depts": depts, **people}


def acc(user):
    return access_for_user(user)


def assign(user, obj):
    Assignment.objects.get_or_create(user=user, content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


def make_goal(user, title="Twaalf integrale controles per jaar"):
    """A goal in an uitvoeringsplan of ``user``'s municipality (regie.plans), for budget lines and projects."""
    from datetime import date
    from decimal import Decimal

    from regie.plans import services as plans

    access = access_for_user(user)
    ivp = plans.create_plan(access, kind="ivp", title="IVP 2023–2026", first_year=2023, last_year=2026)
    plan = plans.create_plan(access, kind="uitvoeringsplan", title="Uitvoeringsplan 2025", parent=ivp,
                             first_year=2025, last_year=2025)
    theme = plans.add_theme(access, plans.add_pillar(access, plan, name="Aanpakken"), name="Drugscriminaliteit")
    return plans.add_goal(access, theme, title=title, indicator_code="controls.held", target_kind="minimum",
                          target_value=Decimal(12), deadline=date(2025, 12, 31), owner="Team OOV")
