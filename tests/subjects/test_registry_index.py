"""The cached registry index behind screening and incremental matching: every write is seen by
the next call, no other organisation or lower clearance is ever handed it, and a second call
reads no registry rows."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regie.accounts.roles import Role
from regie.subjects import registry_index, review, screening, services
from regie.subjects.models import Address, MatchCandidate, Person
from tests.conftest import as_user

from .conftest import make_address, make_person, share
from .test_review import candidate_for

PURPOSE = "casus Onderzoek naar huisjesmelkerij Kerkstraat"


@pytest.fixture
def registry(orgs):
    home = make_address(orgs["a"], street="Kerkstraat", house_number=12, postcode="1234AB", city="Aastad")
    jan = make_person(orgs["a"], "Berg", first_names="Jan", surname_prefix="van der", birth_date=date(1980, 3, 12), address=home)
    for i in range(30):
        make_person(orgs["a"], f"Achternaam{i}", first_names="Piet", birth_date=date(1950 + i, 1, 1))
    return {"jan": jan, "home": home}


def _screen(user, name="Jan van der Berg", **kwargs):
    kwargs.setdefault("kind", "persoon")
    with as_user(user) as access:
        return [c.subject for c in screening.screen(access, name=name, purpose=PURPOSE, **kwargs)]


def _built():
    return registry_index.stats["built"]


def test_second_screening_reads_no_registry_rows(registry, coordinator):
    with CaptureQueriesContext(connection) as first:
        assert _screen(coordinator)[0] == registry["jan"]
    built = _built()
    with CaptureQueriesContext(connection) as second:
        assert _screen(coordinator)[0] == registry["jan"]
    assert _built() == built
    with CaptureQueriesContext(connection) as third:
        _screen(coordinator)
    # the registry's persons and their addresses are read once; later calls read the fingerprint
    # (two aggregates), the candidates shown and write the audit row
    assert len(second.captured_queries) <= len(first.captured_queries) - 2
    assert len(second.captured_queries) == len(third.captured_queries) <= 8
    assert not any('"subjects_person"."first_names"' in q["sql"] and " IN (" not in q["sql"] for q in second.captured_queries)


def test_created_subject_is_seen_by_the_next_screening_without_a_rebuild(registry, coordinator):
    assert _screen(coordinator, name="Karel Appel") == []
    built, updated = _built(), registry_index.stats["updated"]
    with as_user(coordinator) as access:
        home = services.save(access, Address(street="Dorpsstraat", house_number=5, postcode="1234AB", city="Aastad"),
                             ["street"])
        karel = services.save(access, Person(first_names="Karel", surname="Appel", address=home), ["surname"])
    assert _screen(coordinator, name="Karel Appel") == [karel]
    assert _built() == built  # brought up to date from the changed rows
    assert registry_index.stats["updated"] > updated


def test_edited_subject_is_seen_by_the_next_screening(registry, coordinator):
    assert _screen(coordinator)[0] == registry["jan"]
    jan = registry["jan"]
    jan.surname = "Appelboom"
    with as_user(coordinator) as access:
        services.save(access, jan, ["surname"])
    assert registry["jan"] not in _screen(coordinator)
    assert _screen(coordinator, name="Jan Appelboom")[0] == jan


def test_edited_address_is_seen_by_the_next_screening(registry, coordinator):
    assert _screen(coordinator)[0] == registry["jan"]
    home = registry["home"]
    home.street, home.house_number, home.postcode = "Molenweg", 3, "9999ZZ"
    with as_user(coordinator) as access:
        services.save(access, home, ["street", "house_number", "postcode"])
        found = screening.screen(access, kind="persoon", name="Jan van der Berg", address_text="Molenweg 3, 9999 ZZ",
                                 purpose=PURPOSE)
    assert "adres gelijk" in found[0].reasons


def test_deleted_subject_is_gone_from_the_next_screening(registry, coordinator):
    assert _screen(coordinator)[0] == registry["jan"]
    pk = registry["jan"].pk  # delete() clears it on the instance
    with as_user(coordinator) as access:
        services.delete(access, registry["jan"])
        index = registry_index.get(access, "persoon")
    assert pk is not None and pk not in index.position
    assert _screen(coordinator) == []


def test_merge_after_a_screening_gives_what_a_fresh_index_gives(orgs, registry, coordinator):
    twin = make_person(orgs["a"], "Berg", initials="J.", surname_prefix="vd", birth_date=date(1980, 3, 12))
    before = _screen(coordinator)
    assert {registry["jan"], twin} <= set(before)
    candidate = candidate_for(orgs["a"], registry["jan"], twin)
    with as_user(coordinator) as access:
        review.judge(access, candidate, MatchCandidate.Status.SAME, survivor_id=registry["jan"].pk, reason="Zelfde persoon")
    cached = _screen(coordinator)
    registry_index.clear()
    assert cached == _screen(coordinator)
    # and matching on entry no longer proposes the merged-away twin
    with as_user(coordinator) as access:
        newcomer = services.save(access, Person(first_names="Jan", surname_prefix="van der", surname="Berg",
                                                birth_date=date(1980, 3, 12)), ["surname"])
    proposed = MatchCandidate.objects.visible_to(access).filter(source=MatchCandidate.Source.REGISTRATION)
    pairs = {(c.left_id, c.right_id) for c in proposed}
    assert (registry["jan"].pk, newcomer.pk) in pairs
    assert not any(twin.pk in pair and newcomer.pk in pair for pair in pairs)


def test_another_organisation_never_gets_the_cached_index(orgs, registry, coordinator, make_user):
    other = make_user(role=Role.COORDINATOR, org=orgs["b"])
    theirs = make_person(orgs["b"], "Berg", first_names="Jan", surname_prefix="van der", birth_date=date(1980, 3, 12))
    assert registry["jan"] in _screen(coordinator)
    assert _screen(other) == [theirs]
    with as_user(other) as access:
        index = registry_index.get(access, "persoon")
    assert set(index.position) == {theirs.pk}


def test_a_share_is_seen_by_the_next_screening_of_the_partner(orgs, registry, coordinator, make_user):
    other = make_user(role=Role.COORDINATOR, org=orgs["b"])
    assert _screen(other) == []
    share(registry["jan"], orgs["b"])
    assert _screen(other) == [registry["jan"]]


def test_a_lower_clearance_never_gets_the_index_of_a_higher_one(orgs, registry, coordinator, make_user):
    secret = make_person(orgs["a"], "Berg", first_names="Jan", surname_prefix="van der", birth_date=date(1980, 3, 12), level=7)
    boa = make_user(role=Role.BOA, org=orgs["a"])  # clearance 4
    assert secret in _screen(coordinator)
    assert secret not in _screen(boa)
    with as_user(boa) as access:
        index = registry_index.get(access, "persoon")
    assert secret.pk not in index.position and registry["jan"].pk in index.position


def test_raising_confidentiality_hides_the_subject_from_the_cached_index(orgs, registry, coordinator, make_user):
    boa = make_user(role=Role.BOA, org=orgs["a"])
    assert registry["jan"] in _screen(boa)
    jan = registry["jan"]
    jan.confidentiality = 7
    with as_user(coordinator) as access:
        services.save(access, jan, ["confidentiality"])
    assert registry["jan"] not in _screen(boa)
    with as_user(boa) as access:
        assert jan.pk not in registry_index.get(access, "persoon").position


def test_the_cache_is_bounded(orgs, registry, make_user):
    users = [make_user(role=role, org=orgs[org]) for org in ("a", "b")
             for role in (Role.COORDINATOR, Role.BOA, Role.JURIST, Role.BURGEMEESTER, Role.PARTNER)]
    for user in users:
        with as_user(user) as access:
            registry_index.get(access, "persoon")
            registry_index.get(access, "bedrijf")
    assert len(registry_index._cache) == registry_index.MAX_ENTRIES
