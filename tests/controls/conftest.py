"""Gemeente A with its lokaal overleg, partners, a wijk with addresses, users per role, and
helpers to plan a control through the services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from regie.accounts.access import access_for_user
from regie.accounts.roles import Role
from regie.areas.models import Buurt, Wijk
from regie.controls import services
from regie.intake import services as intake
from regie.meetings import services as meetings
from regie.meetings.models import Forum
from regie.organisations.models import Organisation
from regie.subjects.models import Address

TODAY = timezone.localdate()


@pytest.fixture
def town(orgs, make_user):
    a = orgs["a"]
    intake.install_default_rules(a)
    inspectie = Organisation.objects.create(name="Arbeidsinspectie Test", kind=Organisation.Kind.ARBEIDSINSPECTIE)
    wijk = Wijk.objects.create(owner=a, code="WK999101", name="Bedrijvenpark", confidentiality=1)
    buurt = Buurt.objects.create(owner=a, wijk=wijk, code="BU99910101", name="De Raaf", confidentiality=1)
    addresses = [
        Address.objects.create(owner=a, street="Industrieweg", house_number=n, postcode="1234AB", city="Aastad", buurt=buurt)
        for n in range(1, 13)
    ]
    people = {
        "coordinator": make_user(role=Role.COORDINATOR, org=a, first_name="Carla", last_name="de Wit"),
        "analist": make_user(role=Role.ANALIST, org=a),
        "boa": make_user(role=Role.BOA, org=a, first_name="Bram", last_name="Jansen"),
        "burgemeester": make_user(role=Role.BURGEMEESTER, org=a),
        "jurist": make_user(role=Role.JURIST, org=a),
        "bibob": make_user(role=Role.BIBOB, org=a),
        "raadslid": make_user(role=Role.RAADSLID, org=a, device=False),
        "privacy": make_user(role=Role.PRIVACY, org=a),
        "beheerder": make_user(role=Role.BEHEERDER, org=a, device=False),
        "partner": make_user(role=Role.PARTNER, org=orgs["politie"]),
        "inspecteur": make_user(role=Role.PARTNER, org=inspectie),
        "coordinator_b": make_user(role=Role.COORDINATOR, org=orgs["b"]),
        "boa_b": make_user(role=Role.BOA, org=orgs["b"]),
    }
    meetings.install_default_forums(a)
    access = access_for_user(people["coordinator"])
    forum = Forum.objects.visible_to(access).get(kind=Forum.Kind.LOCAL)
    return {"orgs": {**orgs, "inspectie": inspectie}, **people, "access": access, "forum": forum, "wijk": wijk,
            "buurt": buurt, "addresses": addresses}


def plan(town, *, on: date | None = None, goals: str = "Zicht op illegale tewerkstelling\nBewoning van bedrijfspanden",
         kind: str = "bedrijventerrein", title: str = "Bedrijvenpark De Raaf", **fields):
    return services.plan_control(town["access"], planned_on=on or TODAY + timedelta(days=7), kind=kind, title=title,
                                 goals=goals, **fields)


def ready(town, **fields):
    """A confirmed control with the inspectorate taking part and two addresses on the list."""
    access = town["access"]
    control = plan(town, **fields)
    services.ask_partner(access, control, town["orgs"]["inspectie"], people=2)
    services.add_participant(access, control, organisation=town["orgs"]["inspectie"], role="toezicht arbeidsmarkt",
                             powers="Arbeidsomstandighedenwet, Wet arbeid vreemdelingen", people=2)
    for address in town["addresses"][:2]:
        services.add_address(access, control, address, source="gekozen", reason="Signalen van de wijkboa")
    return services.confirm(access, control)
