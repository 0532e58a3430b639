"""One person per BSN per municipality: a second one is a clear Dutch 400, never a 500 or a
silent duplicate, also when the existing person lies above the caller's clearance (which the
scoped manager, and so Django's own constraint check, cannot see)."""

import pytest

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.subjects.models import DUPLICATE_BSN, Person
from tests.conftest import token_client, verified_client

BSN = "999990019"
PAYLOAD = {"first_names": "Piet", "surname": "Pietersen", "bsn": BSN, "confidentiality": 4}


@pytest.mark.parametrize("level", [4, 8])  # visible to the coordinator (clearance 7), and above it
def test_a_second_person_with_a_bsn_is_a_400_through_the_api(orgs, make_user, level):
    existing = Person.unscoped.create(owner=orgs["a"], surname="Jansen", bsn=BSN, confidentiality=level)
    coordinator = make_user(role=Role.COORDINATOR, org=orgs["a"])
    response = token_client(coordinator).post("/api/v1/personen/", PAYLOAD, format="json")
    assert response.status_code == 400
    assert response.json() == {"bsn": [DUPLICATE_BSN]}
    assert list(Person.unscoped.filter(bsn=BSN)) == [existing]
    assert not AuditEntry.objects.filter(action="create", object_type="subjects.person").exists()


@pytest.mark.parametrize("level", [4, 8])
def test_a_second_person_with_a_bsn_is_a_form_error(orgs, make_user, level):
    Person.unscoped.create(owner=orgs["a"], surname="Jansen", bsn=BSN, confidentiality=level)
    coordinator = make_user(role=Role.COORDINATOR, org=orgs["a"])
    response = verified_client(coordinator).post("/subjecten/personen/nieuw/", PAYLOAD)
    assert response.status_code == 400
    assert DUPLICATE_BSN in response.content.decode()
    assert Person.unscoped.filter(bsn=BSN).count() == 1


def test_changing_a_bsn_into_one_the_owner_already_has_is_a_400(orgs, make_user):
    Person.unscoped.create(owner=orgs["a"], surname="Jansen", bsn=BSN)
    other = Person.unscoped.create(owner=orgs["a"], surname="Bakker", bsn="999990020")
    coordinator = make_user(role=Role.COORDINATOR, org=orgs["a"])
    from tests.api.conftest import assign

    assign(coordinator, other)
    api = token_client(coordinator)
    response = api.patch(f"/api/v1/personen/{other.pk}/", {"bsn": BSN}, format="json")
    assert response.status_code == 400 and response.json() == {"bsn": [DUPLICATE_BSN]}
    other.refresh_from_db()
    assert other.bsn == "999990020"
    # saving the person unchanged, with its own BSN, is no conflict
    assert api.patch(f"/api/v1/personen/{other.pk}/", {"surname": "Bakker-de Wit"}, format="json").status_code == 200


def test_another_municipality_may_register_the_same_bsn(orgs, make_user):
    Person.unscoped.create(owner=orgs["a"], surname="Jansen", bsn=BSN)
    coordinator_b = make_user(role=Role.COORDINATOR, org=orgs["b"])
    response = token_client(coordinator_b).post("/api/v1/personen/", PAYLOAD, format="json")
    assert response.status_code == 201
    assert sorted(Person.unscoped.filter(bsn=BSN).values_list("owner_id", flat=True)) == sorted([orgs["a"].pk, orgs["b"].pk])


def test_persons_without_a_bsn_are_not_limited(orgs, make_user):
    coordinator = make_user(role=Role.COORDINATOR, org=orgs["a"])
    api = token_client(coordinator)
    for _ in range(2):
        assert api.post("/api/v1/personen/", {**PAYLOAD, "bsn": ""}, format="json").status_code == 201
    assert Person.unscoped.filter(surname="Pietersen", bsn="").count() == 2
