from pathlib import Path

import pytest

from regie.accounts.roles import Role
from regie.intake import services

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def town(orgs, make_user):
    """Two municipalities with the default triage rules, and the people who (may not) import."""
    services.install_default_rules(orgs["a"])
    services.install_default_rules(orgs["b"])
    return {
        "orgs": orgs,
        "a": orgs["a"],
        "b": orgs["b"],
        "coordinator": make_user(role=Role.COORDINATOR, org=orgs["a"]),
        "analist": make_user(role=Role.ANALIST, org=orgs["a"]),
        "medewerker": make_user(role=Role.MEDEWERKER, org=orgs["a"]),
        "boa": make_user(role=Role.BOA, org=orgs["a"]),
        "beheerder": make_user(role=Role.BEHEERDER, org=orgs["a"]),
        "jurist": make_user(role=Role.JURIST, org=orgs["a"]),
        "partner": make_user(role=Role.PARTNER, org=orgs["politie"]),
        "coordinator_b": make_user(role=Role.COORDINATOR, org=orgs["b"]),
    }
