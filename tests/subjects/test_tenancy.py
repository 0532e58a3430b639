"""Tenancy through the public surface: another municipality's records do not exist for you.

A user of gemeente A gets exactly the same answer for gemeente B's record as for an id that
does not exist, in every UI and API operation, and B's rows are never read, changed or logged
as read. Lists, searches and exports never contain B's rows.
"""

import csv
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.forms.models import model_to_dict

from regie.audit.models import AuditEntry, PurposeDeclaration
from regie.audit.services import declare_purpose
from regie.accounts.access import access_for_user
from tests.conftest import token_client, verified_client

from .conftest import MISSING_PK, MODELS, PAYLOADS, assert_same, assign, make_person

KINDS = list(MODELS)
PURPOSE = "casus Onderzoek in casus 2026-014 naar dit adres"


def snapshot(obj):
    model = type(obj)
    row = model.unscoped.filter(pk=obj.pk).first()
    return None if row is None else model_to_dict(row)


def assert_untouched(obj, before):
    model = type(obj)
    assert snapshot(obj) == before, "gemeente B's row was changed"
    assert not AuditEntry.objects.filter(object_type=model._meta.label_lower, object_id=str(obj.pk)).exists()
    assert not PurposeDeclaration.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=obj.pk
    ).exists()


UI_OPERATIONS = {
    "detail": lambda c, kind, pk: c.get(f"/subjecten/{kind}/{pk}/"),
    "edit-form": lambda c, kind, pk: c.get(f"/subjecten/{kind}/{pk}/wijzigen/"),
    "edit-post": lambda c, kind, pk: c.post(f"/subjecten/{kind}/{pk}/wijzigen/", PAYLOADS[kind]),
    "edit-post-invalid": lambda c, kind, pk: c.post(f"/subjecten/{kind}/{pk}/wijzigen/", {}),
    "delete": lambda c, kind, pk: c.post(f"/subjecten/{kind}/{pk}/verwijderen/"),
}

API_OPERATIONS = {
    "retrieve": lambda c, kind, pk: c.get(f"/api/v1/{kind}/{pk}/"),
    "retrieve-with-purpose": lambda c, kind, pk: c.get(f"/api/v1/{kind}/{pk}/", HTTP_REGIE_DOEL=PURPOSE),
    "retrieve-bad-purpose": lambda c, kind, pk: c.get(f"/api/v1/{kind}/{pk}/", HTTP_REGIE_DOEL="onzin"),
    "put": lambda c, kind, pk: c.put(f"/api/v1/{kind}/{pk}/", PAYLOADS[kind], format="json", HTTP_REGIE_DOEL=PURPOSE),
    "patch": lambda c, kind, pk: c.patch(f"/api/v1/{kind}/{pk}/", {"confidentiality": 1}, format="json", HTTP_REGIE_DOEL=PURPOSE),
    "patch-invalid": lambda c, kind, pk: c.patch(f"/api/v1/{kind}/{pk}/", {"confidentiality": "x"}, format="json"),
    "delete": lambda c, kind, pk: c.delete(f"/api/v1/{kind}/{pk}/", HTTP_REGIE_DOEL=PURPOSE),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("operation", list(UI_OPERATIONS))
def test_ui_other_municipality_is_indistinguishable_from_missing(tenants, coordinator, kind, operation):
    other = tenants["b"][kind]
    before = snapshot(other)
    client = verified_client(coordinator)
    forbidden = UI_OPERATIONS[operation](client, kind, other.pk)
    missing = UI_OPERATIONS[operation](client, kind, MISSING_PK)
    assert forbidden.status_code == 404
    assert b"Niet gevonden" in forbidden.content
    assert_same(forbidden, missing)
    assert_untouched(other, before)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("operation", list(API_OPERATIONS))
def test_api_other_municipality_is_indistinguishable_from_missing(tenants, coordinator, kind, operation):
    other = tenants["b"][kind]
    before = snapshot(other)
    client = token_client(coordinator)
    forbidden = API_OPERATIONS[operation](client, kind, other.pk)
    missing = API_OPERATIONS[operation](client, kind, MISSING_PK)
    assert forbidden.status_code == 404
    assert forbidden.json() == {"detail": "Niet gevonden."}
    assert_same(forbidden, missing)
    assert_untouched(other, before)


def test_own_record_is_reachable_with_the_same_client(tenants, coordinator):
    """The 404s above are about tenancy, not a broken client: a's own record does open."""
    own = tenants["a"]["personen"]
    assign(coordinator, own)
    assert verified_client(coordinator).get(f"/subjecten/personen/{own.pk}/").status_code == 200
    assert token_client(coordinator).get(f"/api/v1/personen/{own.pk}/").status_code == 200


def test_assignment_and_purpose_do_not_open_another_municipalitys_record(tenants, coordinator):
    other = tenants["b"]["personen"]
    assign(coordinator, other)
    declare_purpose(access_for_user(coordinator), other, "casus", "Onderzoek naar iets anders")
    ui = verified_client(coordinator)
    api = token_client(coordinator)
    assert_same(ui.get(f"/subjecten/personen/{other.pk}/"), ui.get(f"/subjecten/personen/{MISSING_PK}/"))
    assert api.get(f"/api/v1/personen/{other.pk}/").status_code == 404
    # nor does the purpose page accept it
    ct = ContentType.objects.get_for_model(type(other)).pk
    assert_same(ui.get(f"/doel/?type={ct}&id={other.pk}"), ui.get(f"/doel/?type={ct}&id={MISSING_PK}"))


@pytest.mark.parametrize("kind", KINDS)
def test_lists_and_searches_hold_only_own_rows(tenants, coordinator, kind):
    own, other = tenants["a"][kind], tenants["b"][kind]
    ui = verified_client(coordinator)
    api = token_client(coordinator)
    # a and b's rows are built alike, so a search for a's term would match b's row too
    term = str(own).split()[0]
    assert term in str(other)
    for query in ("", f"?q={term}"):
        response = ui.get(f"/subjecten/{kind}/{query}")
        assert response.status_code == 200
        assert [obj.pk for obj, _ in response.context["rows"]] == [own.pk]
        assert response.context["page"].paginator.count == 1
    for query in ("", f"?zoek={term}"):
        data = api.get(f"/api/v1/{kind}/{query}").json()
        assert [row["id"] for row in data["results"]] == [own.pk]
        assert data["count"] == 1


@pytest.mark.parametrize("kind", KINDS)
def test_export_never_contains_other_municipalitys_rows(tenants, orgs, coordinator, kind):
    b_extra = MODELS[kind].unscoped.filter(owner=orgs["b"]).values_list("pk", flat=True)
    response = verified_client(coordinator).get(f"/subjecten/{kind}/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][0] == "nummer"
    exported = {int(row[0]) for row in rows[1:]}
    assert exported == {tenants["a"][kind].pk}
    assert not exported & set(b_extra)
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).get()
    assert entry.detail["rows"] == 1
    assert entry.organisation_id == orgs["a"].pk


def test_export_with_search_of_other_municipalitys_name_is_empty(orgs, coordinator):
    make_person(orgs["b"], "Uniekenaam")
    response = verified_client(coordinator).get("/subjecten/personen/export.csv?q=Uniekenaam")
    assert response.status_code == 200
    assert b"Uniekenaam" not in response.content
    assert response.content.decode().strip().splitlines() == ["nummer;Naam;Geboortedatum;Adres"]


def test_api_create_cannot_claim_another_owner(orgs, coordinator):
    response = token_client(coordinator).post(
        "/api/v1/personen/", {**PAYLOADS["personen"], "owner": orgs["b"].pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["owner"] == orgs["a"].pk
    assert MODELS["personen"].unscoped.get(pk=response.json()["id"]).owner == orgs["a"]


def test_api_update_cannot_move_a_record_to_another_owner(tenants, orgs, coordinator):
    own = tenants["a"]["personen"]
    assign(coordinator, own)
    response = token_client(coordinator).patch(f"/api/v1/personen/{own.pk}/", {"owner": orgs["b"].pk}, format="json")
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.owner == orgs["a"]


@pytest.mark.parametrize("kind", ["personen", "bedrijven"])
def test_cannot_link_another_municipalitys_address(tenants, coordinator, kind):
    other_address = tenants["b"]["adressen"]
    model = MODELS[kind]
    count = model.unscoped.count()
    payload = {**PAYLOADS[kind], "address": other_address.pk}
    ui = verified_client(coordinator).post(f"/subjecten/{kind}/nieuw/", payload)
    assert ui.status_code == 400
    assert "address" in ui.context["form"].errors
    api = token_client(coordinator).post(f"/api/v1/{kind}/", payload, format="json")
    assert api.status_code == 400
    assert "address" in api.json()
    assert model.unscoped.count() == count
    # while a's own address can be linked
    ok = token_client(coordinator).post(f"/api/v1/{kind}/", {**payload, "address": tenants["a"]["adressen"].pk}, format="json")
    assert ok.status_code == 201
