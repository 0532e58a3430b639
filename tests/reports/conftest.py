"""Two member municipalities and a non-member, a RIEC with its region, users, and quick builders
for signals and cases (straight into the tables: these tests count, they do not test intake)."""

from datetime import UTC, date, datetime
from itertools import count

import pytest

from regie.accounts.roles import Role
from regie.cases.models import Case, Intervention
from regie.intake.models import Signal, Theme
from regie.organisations.models import Organisation, Region, RegionMembership
from tests.conftest import restore_standard_themes

_numbers = count(1)


@pytest.fixture
def town(orgs, make_user):
    restore_standard_themes()
    riec = Organisation.objects.create(name="RIEC Testregio", kind=Organisation.Kind.RIEC)
    c = Organisation.objects.create(name="Gemeente Cestad", kind=Organisation.Kind.GEMEENTE, code="GM9993")
    region = Region.objects.create(name="RIEC-regio Test", kind=Region.Kind.RIEC_REGIO)
    district = Region.objects.create(name="District Test-Noord", kind=Region.Kind.DISTRICT, parent=region)
    RegionMembership.objects.create(organisation=orgs["a"], region=region, valid_from=date(2018, 1, 1))
    RegionMembership.objects.create(organisation=orgs["b"], region=district, valid_from=date(2018, 1, 1))
    RegionMembership.objects.create(organisation=riec, region=region, valid_from=date(2018, 1, 1))
    RegionMembership.objects.create(organisation=orgs["politie"], region=region, valid_from=date(2018, 1, 1))
    users = {role: make_user(role=role, org=orgs["a"]) for role in Role.values}
    users["riec_coordinator"] = make_user(role=Role.COORDINATOR, org=riec)
    users["riec_analist"] = make_user(role=Role.ANALIST, org=riec)
    users["riec_jurist"] = make_user(role=Role.JURIST, org=riec)
    users["coordinator_b"] = make_user(role=Role.COORDINATOR, org=orgs["b"])
    return {"orgs": {**orgs, "riec": riec, "c": c}, "users": users}


def at(year, month=3, day=10):
    return datetime(year, month, day, 10, tzinfo=UTC)


def make_signals(org, n, *, year, theme=None, channel="counter", label="", month=3, source=None, text="Hennepgeur"):
    made = []
    for _ in range(n):
        signal = Signal.unscoped.create(
            owner=org, reference=f"SIG-T-{next(_numbers):05d}", received_at=at(year, month), channel=channel,
            text=f"{text} bij Jan Jansen", label=label, source_organisation=source,
        )
        if theme:
            signal.themes.add(Theme.objects.get(organisation=None, code=theme))
        made.append(signal)
    return made


def make_cases(org, n, *, opened, closed=None, reason="", phase=Case.Phase.ANALYSIS, level=Case.Escalation.LOCAL,
               interventions=(), partner=None):
    made = []
    for _ in range(n):
        case = Case.unscoped.create(
            owner=org, reference=f"CAS-T-{next(_numbers):05d}", title="Casus Piet Pietersen", opened_at=opened,
            closed_at=closed, closed_reason=reason, phase=Case.Phase.CLOSED if closed else phase, escalation_level=level,
        )
        for domain in interventions:
            Intervention.objects.create(case=case, partner=partner or org, domain=domain, description="Controle",
                                        created_at=opened)
        made.append(case)
    return made
