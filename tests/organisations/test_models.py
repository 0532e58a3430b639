"""Organisations, regions with dated membership, and shares as plain models."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from regie.organisations.models import Organisation, Region, RegionMembership, Share
from regie.subjects.models import Person

JAN_2020 = date(2020, 1, 1)
JAN_2023 = date(2023, 1, 1)
JAN_2025 = date(2025, 1, 1)


@pytest.fixture
def regions(db):
    riec = Region.objects.create(name="RIEC-regio Test", kind=Region.Kind.RIEC_REGIO)
    return {
        "riec": riec,
        "riec2": Region.objects.create(name="RIEC-regio Anders", kind=Region.Kind.RIEC_REGIO),
        "noord": Region.objects.create(name="District Noord", kind=Region.Kind.DISTRICT, parent=riec),
        "zuid": Region.objects.create(name="District Zuid", kind=Region.Kind.DISTRICT, parent=riec),
    }


def membership(org, region, start, end=None, save=True):
    m = RegionMembership(organisation=org, region=region, valid_from=start, valid_until=end)
    m.full_clean()
    if save:
        m.save()
    return m


def test_organisation_name_is_unique(orgs):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="Gemeente Aastad", kind=Organisation.Kind.GEMEENTE)


def test_organisations_are_ordered_by_name_and_print_their_name(orgs):
    assert [o.name for o in Organisation.objects.all()] == sorted(o.name for o in orgs.values())
    assert str(orgs["a"]) == "Gemeente Aastad"


def test_region_hierarchy(regions):
    assert set(regions["riec"].children.all()) == {regions["noord"], regions["zuid"]}
    assert regions["noord"].parent == regions["riec"]


def test_dated_membership_moves_a_municipality_between_districts(orgs, regions):
    a = orgs["a"]
    membership(a, regions["noord"], JAN_2020, JAN_2023)
    membership(a, regions["zuid"], JAN_2023)

    assert list(a.regions_on(date(2022, 12, 31))) == [regions["noord"]]
    # valid_until is exclusive: on the day of the move only the new district counts
    assert list(a.regions_on(JAN_2023)) == [regions["zuid"]]
    assert list(a.regions_on(date(2019, 12, 31))) == []
    assert list(regions["noord"].members_on(date(2021, 6, 1))) == [a]
    assert list(regions["noord"].members_on(JAN_2025)) == []
    assert list(regions["zuid"].members_on(JAN_2025)) == [a]


def test_dated_membership_conditions_hold_for_one_and_the_same_membership(orgs, regions):
    # a left noord in 2023; b is an open-ended member of noord; a moved on to zuid
    membership(orgs["a"], regions["noord"], JAN_2020, JAN_2023)
    membership(orgs["a"], regions["zuid"], JAN_2023)
    membership(orgs["b"], regions["noord"], JAN_2020)

    assert list(orgs["a"].regions_on(JAN_2025)) == [regions["zuid"]]
    assert list(regions["noord"].members_on(JAN_2025)) == [orgs["b"]]
    assert list(regions["noord"].members_on(date(2021, 1, 1))) == [orgs["a"], orgs["b"]]


def test_membership_of_different_kinds_may_overlap(orgs, regions):
    membership(orgs["a"], regions["noord"], JAN_2020)
    membership(orgs["a"], regions["riec"], JAN_2020)
    assert set(orgs["a"].regions_on(JAN_2025)) == {regions["noord"], regions["riec"]}


@pytest.mark.parametrize(
    "existing, new",
    [
        ((JAN_2020, None), (JAN_2023, None)),  # open-ended overlaps anything later
        ((JAN_2020, JAN_2025), (JAN_2023, None)),  # starts inside
        ((JAN_2023, None), (JAN_2020, date(2023, 1, 2))),  # ends one day into the other
        ((JAN_2020, JAN_2025), (date(2021, 1, 1), date(2022, 1, 1))),  # contained
        ((date(2021, 1, 1), date(2022, 1, 1)), (JAN_2020, JAN_2025)),  # contains
    ],
)
def test_overlapping_membership_of_the_same_kind_is_refused(orgs, regions, existing, new):
    membership(orgs["a"], regions["noord"], *existing)
    with pytest.raises(ValidationError) as err:
        membership(orgs["a"], regions["zuid"], *new)
    assert "al lid van District Noord" in str(err.value)


def test_adjacent_memberships_do_not_overlap(orgs, regions):
    membership(orgs["a"], regions["noord"], JAN_2020, JAN_2023)
    membership(orgs["a"], regions["zuid"], JAN_2023, JAN_2025)
    membership(orgs["a"], regions["noord"], JAN_2025)
    # ... and one before the first
    membership(orgs["a"], regions["zuid"], date(2010, 1, 1), JAN_2020)
    assert RegionMembership.objects.filter(organisation=orgs["a"]).count() == 4


def test_overlap_is_per_organisation(orgs, regions):
    membership(orgs["a"], regions["noord"], JAN_2020)
    membership(orgs["b"], regions["zuid"], JAN_2020)
    membership(orgs["b"], regions["riec2"], JAN_2020)


def test_a_membership_does_not_overlap_itself_when_edited(orgs, regions):
    m = membership(orgs["a"], regions["noord"], JAN_2020)
    m.valid_until = JAN_2025
    m.full_clean()
    m.save()
    assert list(orgs["a"].regions_on(JAN_2025)) == []


@pytest.mark.parametrize("end", [JAN_2020, date(2019, 1, 1)])
def test_end_must_lie_after_start(orgs, regions, end):
    with pytest.raises(ValidationError) as err:
        membership(orgs["a"], regions["noord"], JAN_2020, end, save=False)
    assert err.value.message_dict["valid_until"] == ["De einddatum moet na de begindatum liggen."]


def test_incomplete_membership_is_a_validation_error_not_a_crash(orgs, regions):
    with pytest.raises(ValidationError) as err:
        RegionMembership(organisation=orgs["a"], valid_from=JAN_2020).full_clean()
    assert "region" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        RegionMembership(organisation=orgs["a"], region=regions["noord"], valid_until=JAN_2020).full_clean()
    assert "valid_from" in err.value.message_dict


def test_share_points_at_its_record_and_describes_itself(orgs, make_user):
    person = Person.unscoped.create(owner=orgs["a"], surname="Jansen")
    coordinator = make_user(org=orgs["a"])
    share = Share.objects.create(
        content_type=ContentType.objects.get_for_model(Person),
        object_id=person.pk,
        organisation=orgs["politie"],
        basis="Convenant RIEC, art. 5",
        granted_by=coordinator,
    )
    assert share.record == person
    assert share.valid_until is None
    assert share.valid_from <= timezone.now()
    assert str(share) == f"person #{person.pk} gedeeld met Politie Testeenheid"
    assert list(orgs["politie"].shares_received.all()) == [share]
