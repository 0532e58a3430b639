"""Gemeente A and B with the default Bibob catalogue, users per role, and helpers to walk a file
through its steps with the services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from regie.accounts.access import access_for_user
from regie.accounts.roles import Role
from regie.bibob import services
from regie.bibob.models import BibobDomain
from regie.subjects.models import Address, Company, Person


@pytest.fixture
def town(orgs, make_user):
    for org in (orgs["a"], orgs["b"]):
        services.install_default_catalogue(org)
    a = orgs["a"]
    people = {
        "bibob": make_user(role=Role.BIBOB, org=a, first_name="Bea", last_name="van den Heuvel"),
        "jurist": make_user(role=Role.JURIST, org=a, first_name="Joost", last_name="ter Horst"),
        "jurist2": make_user(role=Role.JURIST, org=a),
        "coordinator": make_user(role=Role.COORDINATOR, org=a),
        "analist": make_user(role=Role.ANALIST, org=a),
        "burgemeester": make_user(role=Role.BURGEMEESTER, org=a),
        "boa": make_user(role=Role.BOA, org=a),
        "raadslid": make_user(role=Role.RAADSLID, org=a, device=False),
        "partner": make_user(role=Role.PARTNER, org=orgs["politie"]),
        "bibob_b": make_user(role=Role.BIBOB, org=orgs["b"]),
    }
    address = Address.objects.create(owner=a, street="Markt", house_number=3, postcode="1234AB", city="Aastad")
    company = Company.objects.create(owner=a, name="Café De Gouden Leeuw", legal_form=Company.LegalForm.BV,
                                     kvk_number="87654321", address=address)
    person = Person.objects.create(owner=a, first_names="Karel", surname="Tap", address=address)
    return {"orgs": orgs, **people, "address": address, "company": company, "person": person}


@pytest.fixture
def access(town):
    return access_for_user(town["bibob"])


def domain(org, code="horeca-alcohol") -> BibobDomain:
    return BibobDomain.objects.get(organisation=org, code=code)


def new_file(access, org, received_on: date, code="horeca-alcohol", kind="aanvraag", **fields):
    return services.open_file(access, domain=domain(org, code), description=fields.pop("description", "Café De Gouden Leeuw"),
                              received_on=received_on, kind=kind, **fields)


def to_research(access, file, start: date):
    """form received (day 2), complete (day 5), research started (day 6)."""
    services.add_step(access, file, "formulier", on=start + timedelta(days=2))
    services.add_step(access, file, "volledigheid", on=start + timedelta(days=5), complete=True)
    return services.add_step(access, file, "onderzoek", on=start + timedelta(days=6))


def assess(access, file, on: date, degree="geen"):
    return services.add_step(access, file, "beoordeling", on=on, degree=degree,
                             finding="Geen aanwijzingen voor strafbare feiten in de zakelijke relaties.")
