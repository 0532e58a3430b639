"""The partners room's demo step: a profile per demo partner, contacts, and one police flag."""

import random

import pytest

from regie.accounts.roles import Role
from regie.demo.builder import PARTNERS, Summary
from regie.organisations.models import Organisation
from regie.partners import demo
from regie.partners.models import ContactPerson, NoInterventionFlag, PartnerProfile
from regie.partners.sharing import FIELD_GROUPS

from .conftest import make_person, share


@pytest.fixture
def town(db, make_user):
    gemeente = Organisation.objects.create(name="Gemeente Ravenstede", kind=Organisation.Kind.GEMEENTE)
    partners = {name: Organisation.objects.create(name=name, kind=kind) for name, kind in PARTNERS}
    police = partners["Politie eenheid Middenland"]
    users = {
        "beheerder": make_user(role=Role.BEHEERDER, org=gemeente, username="beheerder"),
        "partner": make_user(role=Role.PARTNER, org=police, username="partner"),
    }
    person = make_person(gemeente, surname="Gedeeld")
    share(person, police)
    return gemeente, users, partners, person


def test_every_demo_partner_gets_a_profile_and_the_police_flag_a_shared_person(town):
    gemeente, users, partners, person = town
    summary = Summary()
    demo.build(gemeente, users, partners, random.Random(7), summary)
    profiles = {p.partner.name: p for p in PartnerProfile.unscoped.filter(owner=gemeente)}
    assert set(profiles) == set(partners) and len(profiles) == 8
    for profile in profiles.values():
        profile.full_clean()  # every demo profile passes the validation a user would meet
        assert profile.legal_basis and profile.tasks and profile.powers
        assert set(profile.may_receive) <= set(FIELD_GROUPS)
        assert profile.contacts.exists()
        assert all(c.email.endswith(".example") for c in profile.contacts.all())
    assert profiles["Woningstichting Ravenwonen"].may_receive == ["onderwerp", "locatie"]
    assert set(profiles["Politie eenheid Middenland"].may_receive) == set(FIELD_GROUPS)
    [flag] = NoInterventionFlag.objects.all()
    assert flag.target == person and flag.set_by_organisation.name == "Politie eenheid Middenland" and flag.active
    assert summary.counts["partnerprofielen"] == 8
    assert summary.counts["contactpersonen partners"] == ContactPerson.objects.count()
    assert summary.counts["markeringen niet interveniëren"] == 1


def test_the_demo_step_is_reproducible_from_the_seed(town):
    gemeente, users, partners, _ = town
    demo.build(gemeente, users, partners, random.Random(7), Summary())
    first = sorted(ContactPerson.objects.values_list("profile__partner__name", "name", "function", "email", "phone"))
    ContactPerson.objects.all().delete()
    NoInterventionFlag.objects.all().delete()
    PartnerProfile.unscoped.all().delete()
    demo.build(gemeente, users, partners, random.Random(7), Summary())
    again = sorted(ContactPerson.objects.values_list("profile__partner__name", "name", "function", "email", "phone"))
    assert first == again and len(first) >= 8
