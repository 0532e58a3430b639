"""Fixtures for the audit tests: people in two municipalities and their subjects."""

from __future__ import annotations

import pytest

from regie.accounts.roles import Role
from regie.subjects.models import Address, Company, Person


@pytest.fixture
def coordinator(orgs, make_user):
    return make_user(role=Role.COORDINATOR, org=orgs["a"], username="coordinator-aastad")


@pytest.fixture
def colleague(orgs, make_user):
    """Same organisation and role as the coordinator, but assigned to nothing."""
    return make_user(role=Role.COORDINATOR, org=orgs["a"], username="collega-aastad")


@pytest.fixture
def outsider(orgs, make_user):
    return make_user(role=Role.COORDINATOR, org=orgs["b"], username="coordinator-bedorp")


@pytest.fixture
def privacy_officer(orgs, make_user):
    return make_user(role=Role.PRIVACY, org=orgs["a"], username="privacy-aastad")


@pytest.fixture
def subjects(orgs):
    """One person, company and address owned by Aastad, and a person owned by Bedorp."""
    address = Address.objects.create(owner=orgs["a"], street="Kerkstraat", house_number=1, postcode="1234AB", city="Aastad")
    return {
        "person": Person.objects.create(owner=orgs["a"], surname="Visser", first_names="Jan", address=address),
        "company": Company.objects.create(owner=orgs["a"], name="Visser Handel", legal_form="bv"),
        "address": address,
        "foreign": Person.objects.create(owner=orgs["b"], surname="Bakker", first_names="Els"),
    }
