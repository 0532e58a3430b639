"""The subjects API: CRUD through the services, audited, with the purpose gate on one record."""

import pytest

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.subjects.models import Address, Company
from tests.conftest import token_client

from .conftest import MODELS, PAYLOADS, VALID_BSN, assign, make_address, make_company, make_person

KINDS = list(MODELS)


@pytest.fixture
def api(coordinator):
    return token_client(coordinator)


def test_list_is_paginated_ordered_and_logged(orgs, api):
    people = [make_person(orgs["a"], name) for name in ("Cees", "Anna", "Bert")]
    response = api.get("/api/v1/personen/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert [row["id"] for row in data["results"]] == sorted(p.pk for p in people)
    assert set(data["results"][0]) == {
        "id", "first_names", "initials", "surname_prefix", "surname", "birth_date", "bsn", "address", "owner", "confidentiality",
    }
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LIST)
    assert sorted(entry.detail["shown"]) == sorted(p.pk for p in people)


def test_search_with_zoek(orgs, api):
    make_company(orgs["a"], "Alfa", kvk_number="11112222")
    beta = make_company(orgs["a"], "Beta", kvk_number="33334444")
    data = api.get("/api/v1/bedrijven/?zoek=3333").json()
    assert [row["id"] for row in data["results"]] == [beta.pk]
    assert AuditEntry.objects.get(action=AuditEntry.Action.SEARCH).detail["q"] == "3333"


@pytest.mark.parametrize("kind", KINDS)
def test_create_retrieve_update_delete(orgs, coordinator, api, kind):
    model = MODELS[kind]
    created = api.post(f"/api/v1/{kind}/", PAYLOADS[kind], format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    obj = model.unscoped.get(pk=pk)
    assert obj.owner == orgs["a"]
    assert created.json()["owner"] == orgs["a"].pk

    # the creator is assigned: no purpose needed
    retrieved = api.get(f"/api/v1/{kind}/{pk}/")
    assert retrieved.status_code == 200
    assert retrieved.json() == created.json()

    updated = api.patch(f"/api/v1/{kind}/{pk}/", {"confidentiality": 2}, format="json")
    assert updated.status_code == 200
    obj.refresh_from_db()
    assert obj.confidentiality == 2

    assert api.put(f"/api/v1/{kind}/{pk}/", {**PAYLOADS[kind], "confidentiality": 3}, format="json").status_code == 200
    obj.refresh_from_db()
    assert obj.confidentiality == 3

    deleted = api.delete(f"/api/v1/{kind}/{pk}/")
    assert deleted.status_code == 204
    assert not model.unscoped.filter(pk=pk).exists()
    assert api.get(f"/api/v1/{kind}/{pk}/").status_code == 404

    label = model._meta.label_lower
    logged = list(AuditEntry.objects.filter(object_type=label, object_id=str(pk)).values_list("action", flat=True))
    assert logged == ["create", "view", "update", "update", "delete"]
    updates = AuditEntry.objects.filter(object_type=label, object_id=str(pk), action="update").order_by("seq")
    assert [u.detail for u in updates] == [{"fields": ["confidentiality"]}] * 2


def test_postcode_is_normalised(api):
    response = api.post("/api/v1/adressen/", PAYLOADS["adressen"], format="json")
    assert response.json()["postcode"] == "1234AB"
    assert Address.unscoped.get().postcode == "1234AB"


def test_bsn_is_masked_for_the_analist(orgs, make_user):
    analist = make_user(role=Role.ANALIST, org=orgs["a"])
    person = make_person(orgs["a"], bsn=VALID_BSN)
    assign(analist, person)
    client = token_client(analist)
    assert client.get(f"/api/v1/personen/{person.pk}/").json()["bsn"] == "*****2333"
    assert client.get("/api/v1/personen/").json()["results"][0]["bsn"] == "*****2333"


def test_coordinator_sees_the_full_bsn(orgs, coordinator, api):
    person = make_person(orgs["a"], bsn=VALID_BSN)
    assign(coordinator, person)
    assert api.get(f"/api/v1/personen/{person.pk}/").json()["bsn"] == VALID_BSN


def test_linking_a_visible_address(orgs, api):
    address = make_address(orgs["a"])
    response = api.post("/api/v1/bedrijven/", {**PAYLOADS["bedrijven"], "address": address.pk}, format="json")
    assert response.status_code == 201
    assert Company.unscoped.get().address == address


def test_deleting_an_address_unlinks_its_residents(orgs, coordinator, api):
    address = make_address(orgs["a"])
    person = make_person(orgs["a"], address=address)
    assign(coordinator, address)
    assert api.delete(f"/api/v1/adressen/{address.pk}/").status_code == 204
    person.refresh_from_db()
    assert person.address is None


def test_non_numeric_id_is_404(api):
    assert api.get("/api/v1/personen/abc/").status_code == 404
    assert api.get("/api/v1/personen/99999999999999999999999/").status_code == 404
