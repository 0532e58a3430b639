from datetime import date

import pytest

from regie.accounts.roles import Role
from regie.intake import services
from regie.organisations.models import Region, RegionMembership
from tests.conftest import verified_client


@pytest.fixture
def town(orgs, make_user):
    """Gemeente A with default triage rules, a region shared with the police, and its people."""
    services.install_default_rules(orgs["a"])
    services.install_default_rules(orgs["b"])
    region = Region.objects.create(name="RIEC-regio Test", kind=Region.Kind.RIEC_REGIO)
    RegionMembership.objects.create(organisation=orgs["a"], region=region, valid_from=date(2020, 1, 1))
    RegionMembership.objects.create(organisation=orgs["politie"], region=region, valid_from=date(2020, 1, 1))
    people = {
        "coordinator": make_user(role=Role.COORDINATOR, org=orgs["a"]),
        "analist": make_user(role=Role.ANALIST, org=orgs["a"]),
        "medewerker": make_user(role=Role.MEDEWERKER, org=orgs["a"]),
        "medewerker2": make_user(role=Role.MEDEWERKER, org=orgs["a"]),
        "boa": make_user(role=Role.BOA, org=orgs["a"]),
        "beheerder": make_user(role=Role.BEHEERDER, org=orgs["a"]),
        "partner": make_user(role=Role.PARTNER, org=orgs["politie"]),
        "coordinator_b": make_user(role=Role.COORDINATOR, org=orgs["b"]),
    }
    return {"orgs": orgs, **people}


def purpose_client(user, signal=None):
    """A verified client that is assigned to nothing; states a purpose when a signal is given."""
    client = verified_client(user)
    if signal is not None:
        response = client.post(
            f"/doel/?type={_ct(signal)}&id={signal.pk}&next=/signalen/{signal.pk}/",
            {"purpose": "overleg", "explanation": "voorbereiding lokaal overleg"},
        )
        assert response.status_code == 302, response.content.decode()[:500]
    return client


def _ct(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(type(obj)).pk
