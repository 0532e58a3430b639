"""Rows and people for the partners tests. Rows are written through the escape hatch, as setup,
so the code under test is the only thing that reads through the frame."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from regie.accounts.models import Assignment
from regie.accounts.roles import Role
from regie.organisations.models import Organisation, Share
from regie.partners.models import ContactPerson, PartnerProfile
from regie.subjects.models import Person

MISSING_PK = 987654321


@pytest.fixture
def partner_orgs(orgs):
    """The municipalities and police of tests/conftest.py plus a few partners."""
    return {
        **orgs,
        "riec": Organisation.objects.create(name="RIEC Test", kind=Organisation.Kind.RIEC),
        "woco": Organisation.objects.create(name="Woningstichting Test", kind=Organisation.Kind.WONINGCORPORATIE),
        "fiscus": Organisation.objects.create(name="Belastingdienst Test", kind=Organisation.Kind.BELASTINGDIENST),
        "politie2": Organisation.objects.create(name="Politie Andere Eenheid", kind=Organisation.Kind.POLITIE),
    }


@pytest.fixture
def people(partner_orgs, make_user):
    o = partner_orgs
    return {
        "coordinator": make_user(role=Role.COORDINATOR, org=o["a"]),
        "beheerder": make_user(role=Role.BEHEERDER, org=o["a"]),
        "analist": make_user(role=Role.ANALIST, org=o["a"]),
        "jurist": make_user(role=Role.JURIST, org=o["a"]),
        "burgemeester": make_user(role=Role.BURGEMEESTER, org=o["a"]),
        "boa": make_user(role=Role.BOA, org=o["a"]),
        "raadslid": make_user(role=Role.RAADSLID, org=o["a"]),
        "medewerker": make_user(role=Role.MEDEWERKER, org=o["a"]),
        "partner": make_user(role=Role.PARTNER, org=o["politie"]),
        "partner2": make_user(role=Role.PARTNER, org=o["politie2"]),
        "partner_riec": make_user(role=Role.PARTNER, org=o["riec"]),
        "coordinator_b": make_user(role=Role.COORDINATOR, org=o["b"]),
    }


def make_profile(owner, partner, level=3, **extra):
    values = {"legal_basis": "Convenant RIEC Test 2023, art. 5 lid 2", "may_receive": ["onderwerp"], **extra}
    return PartnerProfile.unscoped.create(owner=owner, partner=partner, confidentiality=level, **values)


def make_contact(profile, name="Anouk Verbeek", **extra):
    return ContactPerson.objects.create(profile=profile, name=name, **extra)


def make_person(org, surname="Jansen", level=4):
    return Person.unscoped.create(owner=org, surname=surname, first_names="Piet", confidentiality=level)


def share(obj, org):
    return Share.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk, organisation=org,
        basis="Convenant RIEC Test 2023, art. 5 lid 2",
    )


def assign(user, obj):
    Assignment.objects.create(user=user, content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
