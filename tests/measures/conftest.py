"""Gemeente A and B with the default catalogue of measures, users per role, and helpers to build
measures through the services."""

from __future__ import annotations

from datetime import date

import pytest

from regie.accounts.access import access_for_user
from regie.accounts.roles import Role
from regie.intake import services as intake
from regie.measures import services
from regie.measures.models import MeasureDomain, MeasureKind

WEIGHING = {
    "suitability": "Sluiting beëindigt de handel vanuit het pand en herstelt de openbare orde.",
    "necessity": "Een waarschuwing in 2024 hielp niet; een lichter middel volstaat niet meer.",
    "proportionality": "Drie maanden is de kortste duur uit het beleid; de huurder houdt elders onderdak.",
    "strategy_step": "tweede",
}


@pytest.fixture
def town(orgs, make_user):
    for org in (orgs["a"], orgs["b"]):
        services.install_default_catalogue(org)
    intake.install_default_rules(orgs["a"])
    a = orgs["a"]
    people = {
        "jurist": make_user(role=Role.JURIST, org=a, first_name="Joost", last_name="ter Horst"),
        "coordinator": make_user(role=Role.COORDINATOR, org=a, first_name="Carla", last_name="de Wit"),
        "analist": make_user(role=Role.ANALIST, org=a),
        "burgemeester": make_user(role=Role.BURGEMEESTER, org=a),
        "boa": make_user(role=Role.BOA, org=a),
        "bibob": make_user(role=Role.BIBOB, org=a),
        "raadslid": make_user(role=Role.RAADSLID, org=a, device=False),
        "beheerder": make_user(role=Role.BEHEERDER, org=a, device=False),
        "privacy": make_user(role=Role.PRIVACY, org=a),
        "partner": make_user(role=Role.PARTNER, org=orgs["politie"]),
        "jurist_b": make_user(role=Role.JURIST, org=orgs["b"]),
        "coordinator_b": make_user(role=Role.COORDINATOR, org=orgs["b"]),
    }
    return {"orgs": orgs, **people}


@pytest.fixture
def access(town):
    return access_for_user(town["jurist"])


def kind(org, code: str) -> MeasureKind:
    return MeasureKind.objects.get(organisation=org, code=code)


def domain(org, code: str) -> MeasureDomain:
    return MeasureDomain.objects.get(organisation=org, code=code)


def measure(access, org, kind_code="sluiting-13b", domain_code="drugspanden", description="Hennepkwekerij Kanaalweg 12",
            **fields):
    return services.open_measure(access, kind=kind(org, kind_code), domain=domain(org, domain_code),
                                 description=description, **fields)


def closure(access, org, **fields):
    """A 13b closure with its weighing and duration, ready for its steps."""
    return measure(access, org, closure_months=3, **{**WEIGHING, **fields})


def walk_to_decision(access, m, start: date, *, urgent=False):
    """rapportage → voornemen → zienswijze → besluit, a few days apart, from ``start``."""
    from datetime import timedelta

    services.add_step(access, m, "rapportage", on=start, source="politie")
    services.add_step(access, m, "voornemen", on=start + timedelta(days=3))
    services.add_step(access, m, "zienswijze", on=start + timedelta(days=10), note="Zienswijze ontvangen per brief.")
    return services.add_step(access, m, "besluit", on=start + timedelta(days=20))
