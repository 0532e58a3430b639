"""The scoped default manager: default deny, tenancy, need-to-know, clearance and shares."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from regie.accounts.access import access_for_request, access_for_user
from regie.accounts.roles import AREAS, ROLE_SPECS, SUBJECTS, Role
from regie.areas.models import Wijk
from regie.organisations.access import current_access, system_access, use_access
from regie.organisations.models import Share
from regie.subjects.models import Address, Company, Person
from tests.conftest import as_user


def person(org, surname, level=4, **extra):
    return Person.unscoped.create(owner=org, surname=surname, confidentiality=level, **extra)


def share(obj, org, **extra):
    return Share.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk, organisation=org,
        basis="Convenant RIEC, art. 5", **extra,
    )


def surnames(access=None):
    if access is None:
        return sorted(Person.objects.values_list("surname", flat=True))
    with use_access(access):
        return sorted(Person.objects.values_list("surname", flat=True))


@pytest.fixture
def rows(orgs):
    return {
        "a4": person(orgs["a"], "A-vier", 4),
        "a7": person(orgs["a"], "A-zeven", 7),
        "a8": person(orgs["a"], "A-acht", 8),
        "b4": person(orgs["b"], "B-vier", 4),
    }


# --- default deny ---------------------------------------------------------------------------


def test_without_access_context_nothing_is_visible(rows):
    assert current_access() is None
    assert Person.objects.count() == 0
    assert list(Person.objects.all()) == []
    assert not Person.objects.filter(pk=rows["a4"].pk).exists()
    with pytest.raises(Person.DoesNotExist):
        Person.objects.get(pk=rows["a4"].pk)
    assert Person.objects.visible_to(None).count() == 0
    # the escape hatch still sees every row (it exists for the security frame only)
    assert Person.unscoped.count() == 4


def test_reverse_relations_are_scoped_too(orgs, access_for):
    address = Address.unscoped.create(owner=orgs["a"], street="Kerkstraat", house_number=1, postcode="1234AB", city="Aastad")
    person(orgs["a"], "Bewoner", 4, address=address)
    person(orgs["a"], "Geheim", 8, address=address)
    assert address.residents.count() == 0
    with use_access(access_for(orgs["a"], clearance=7)):
        assert [p.surname for p in address.residents.all()] == ["Bewoner"]


def test_system_access_sees_everything_and_needs_a_reason(rows):
    with system_access("retentietaak"):
        assert Person.objects.count() == 4
        assert current_access().reason == "retentietaak"
    assert current_access() is None
    with pytest.raises(ValueError):
        system_access("")


def test_use_access_nests_and_restores(orgs, access_for):
    outer, inner = access_for(orgs["a"]), access_for(orgs["b"])
    with use_access(outer):
        with use_access(inner):
            assert current_access() is inner
        assert current_access() is outer
    assert current_access() is None


def test_context_is_restored_after_an_exception(orgs, access_for):
    with pytest.raises(RuntimeError), use_access(access_for(orgs["a"])):
        raise RuntimeError
    assert current_access() is None


# --- tenancy, clearance, category -----------------------------------------------------------


def test_own_organisation_only(rows, orgs, access_for):
    assert surnames(access_for(orgs["a"], clearance=8)) == ["A-acht", "A-vier", "A-zeven"]
    assert surnames(access_for(orgs["b"], clearance=8)) == ["B-vier"]
    assert surnames(access_for(orgs["politie"], clearance=8)) == []


@pytest.mark.parametrize("clearance, expected", [(3, []), (4, ["A-vier"]), (7, ["A-vier", "A-zeven"]), (8, ["A-acht", "A-vier", "A-zeven"])])
def test_confidentiality_up_to_clearance(rows, orgs, access_for, clearance, expected):
    assert surnames(access_for(orgs["a"], clearance=clearance)) == expected


def test_role_without_the_category_sees_nothing(rows, orgs, access_for):
    assert surnames(access_for(orgs["a"], clearance=8, categories={AREAS})) == []
    assert surnames(access_for(orgs["a"], clearance=8, categories=())) == []


def test_category_is_per_model(orgs, access_for):
    Wijk.unscoped.create(owner=orgs["a"], code="WK999101", name="Centrum")
    person(orgs["a"], "Jansen")
    areas_only = access_for(orgs["a"], clearance=3, categories={AREAS})
    with use_access(areas_only):
        assert Wijk.objects.count() == 1  # a new wijk is openbaar
        assert Person.objects.count() == 0
    subjects_only = access_for(orgs["a"], clearance=7, categories={SUBJECTS})
    with use_access(subjects_only):
        assert Wijk.objects.count() == 0
        assert Person.objects.count() == 1


def test_access_without_organisation_sees_nothing(rows, access_for):
    assert surnames(access_for(None, clearance=8)) == []


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.BOA, Role.PARTNER, Role.RAADSLID, Role.MEDEWERKER, Role.PRIVACY])
def test_real_roles(rows, orgs, make_user, role):
    user = make_user(role=role, org=orgs["a"])
    spec = ROLE_SPECS[role]
    expected = (
        sorted(p.surname for p in rows.values() if p.owner_id == orgs["a"].pk and p.confidentiality <= spec.clearance)
        if SUBJECTS in spec.categories
        else []
    )
    with as_user(user):
        assert surnames() == expected
    if role == Role.BOA:
        assert expected == ["A-vier"]  # clearance 4: the level-7 person is invisible


# --- shares ---------------------------------------------------------------------------------


def test_share_makes_one_record_visible_to_one_organisation(rows, orgs, access_for):
    share(rows["a4"], orgs["politie"])
    assert surnames(access_for(orgs["politie"], clearance=5)) == ["A-vier"]
    assert surnames(access_for(orgs["b"], clearance=5)) == ["B-vier"]  # not shared with b


def test_share_is_still_limited_by_clearance_and_category(rows, orgs, access_for):
    share(rows["a7"], orgs["politie"])
    assert surnames(access_for(orgs["politie"], clearance=5)) == []
    assert surnames(access_for(orgs["politie"], clearance=8, categories={AREAS})) == []
    assert surnames(access_for(orgs["politie"], clearance=7)) == ["A-zeven"]


def test_share_is_per_model(orgs, access_for):
    """A share of a company does not reveal the person that happens to have the same id."""
    company = Company.unscoped.create(owner=orgs["a"], name="Bakkerij", legal_form=Company.LegalForm.BV)
    namesake = person(orgs["a"], "Zelfde-id", 4, id=company.pk)
    share(company, orgs["politie"])
    with use_access(access_for(orgs["politie"], clearance=5)):
        assert list(Company.objects.all()) == [company]
        assert not Person.objects.filter(pk=namesake.pk).exists()


@pytest.mark.parametrize(
    "start, end, visible",
    [
        (-2, None, True),
        (-2, +2, True),
        (+1, None, False),  # not yet valid
        (-2, -1, False),  # expired
    ],
)
def test_share_validity_window(rows, orgs, access_for, start, end, visible):
    now = timezone.now()
    kwargs = {"valid_from": now + timedelta(days=start)}
    if end is not None:
        kwargs["valid_until"] = now + timedelta(days=end)
    share(rows["a4"], orgs["politie"], **kwargs)
    assert surnames(access_for(orgs["politie"], clearance=5)) == (["A-vier"] if visible else [])


def test_the_owner_still_sees_a_shared_record(rows, orgs, access_for):
    share(rows["a4"], orgs["b"])
    assert surnames(access_for(orgs["a"], clearance=4)) == ["A-vier"]
    assert surnames(access_for(orgs["b"], clearance=4)) == ["A-vier", "B-vier"]


# --- the access context built from a user ---------------------------------------------------


def test_access_for_user_reflects_role_and_organisation(orgs, make_user):
    user = make_user(role=Role.BOA, org=orgs["b"])
    access = access_for_user(user)
    assert (access.user_id, access.organisation_id, access.role) == (user.pk, orgs["b"].pk, Role.BOA)
    assert access.clearance == 4
    assert access.categories == ROLE_SPECS[Role.BOA].categories
    assert not access.system


def test_inactive_or_anonymous_user_has_no_access(orgs, make_user):
    from django.contrib.auth.models import AnonymousUser

    user = make_user(org=orgs["a"], is_active=False)
    assert access_for_user(user) is None
    assert access_for_user(AnonymousUser()) is None
    assert access_for_user(None) is None


def test_request_access_needs_the_second_factor_for_personal_data(orgs, make_user, rf):
    coordinator = make_user(role=Role.COORDINATOR, org=orgs["a"])
    request = rf.get("/")
    request.user = coordinator
    coordinator.is_verified = lambda: False
    assert access_for_request(request) is None
    coordinator.is_verified = lambda: True
    assert access_for_request(request).organisation_id == orgs["a"].pk
    # a role without personal data needs no second factor
    raadslid = make_user(role=Role.RAADSLID, org=orgs["a"], device=False)
    raadslid.is_verified = lambda: False
    request.user = raadslid
    assert access_for_request(request).role == Role.RAADSLID


def test_roles_without_subjects_category():
    for role in (Role.RAADSLID, Role.MEDEWERKER, Role.PRIVACY, Role.BEHEERDER):
        assert SUBJECTS not in ROLE_SPECS[role].categories
    for role, spec in ROLE_SPECS.items():
        assert 0 <= spec.clearance <= 8, role


@pytest.mark.parametrize("clearance", [4, 7, 8])
def test_visibility_through_a_path_is_the_parents_own(rows, orgs, access_for, clearance):
    """visibility_q with a prefix limits rows reached through a path (here a person's address,
    seen from the address) exactly as visible_to limits the parent: own rows up to the
    clearance, plus rows shared with the organisation; another organisation's rows never."""
    from regie.organisations.scoping import visibility_q

    homes = {key: Address.unscoped.create(owner=p.owner, street=f"Straat {key}", house_number=1, postcode="1234AB",
                                          city="Aastad") for key, p in rows.items()}
    for key, p in rows.items():
        Person.unscoped.filter(pk=p.pk).update(address=homes[key])
    share(rows["b4"], orgs["a"])
    access = access_for(orgs["a"], clearance=clearance)
    through = set(Address.unscoped.filter(visibility_q(Person, access, "residents__")).values_list("street", flat=True))
    direct = {f"Straat {key}" for key, p in rows.items() if Person.objects.visible_to(access).filter(pk=p.pk).exists()}
    assert through == direct
    assert "Straat b4" in through and ("Straat a8" in through) == (clearance >= 8)
    # default deny carries over: no access, no rows
    assert not Address.unscoped.filter(visibility_q(Person, None, "residents__")).exists()
