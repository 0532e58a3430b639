"""Need-to-know within and across organisations: role categories, clearance, shares, writers."""

import pytest

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from tests.conftest import token_client, verified_client

from .conftest import MISSING_PK, MODELS, PAYLOADS, assert_same, assign, make_address, make_person, share

KINDS = list(MODELS)
NO_SUBJECTS = [Role.RAADSLID, Role.MEDEWERKER, Role.PRIVACY, Role.BEHEERDER]
WRITERS = [Role.COORDINATOR, Role.ANALIST, Role.BIBOB, Role.JURIST]
READ_ONLY = [Role.BOA, Role.PARTNER, Role.BURGEMEESTER]


# --- roles without the subjects category ----------------------------------------------------


@pytest.mark.parametrize("role", NO_SUBJECTS)
def test_role_without_subjects_category_is_refused_in_the_ui(tenants, orgs, make_user, role):
    user = make_user(role=role, org=orgs["a"])
    client = verified_client(user)
    own = tenants["a"]["personen"]
    for url in (
        "/subjecten/personen/",
        "/subjecten/personen/?q=Jansen",
        f"/subjecten/personen/{own.pk}/",
        f"/subjecten/personen/{MISSING_PK}/",
        "/subjecten/personen/nieuw/",
        f"/subjecten/personen/{own.pk}/wijzigen/",
        "/subjecten/personen/export.csv",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Jansen" not in response.content
    assert client.post("/subjecten/personen/nieuw/", PAYLOADS["personen"]).status_code == 403
    assert client.post(f"/subjecten/personen/{own.pk}/verwijderen/").status_code == 403
    assert MODELS["personen"].unscoped.filter(pk=own.pk).exists()
    assert MODELS["personen"].unscoped.count() == 2
    # and nothing was logged as read
    assert not AuditEntry.objects.filter(object_type="subjects.person").exists()


@pytest.mark.parametrize("role", NO_SUBJECTS)
@pytest.mark.parametrize("kind", KINDS)
def test_role_without_subjects_category_is_refused_in_the_api(tenants, orgs, make_user, role, kind):
    client = token_client(make_user(role=role, org=orgs["a"]))
    own = tenants["a"][kind]
    for response in (
        client.get(f"/api/v1/{kind}/"),
        client.get(f"/api/v1/{kind}/{own.pk}/", HTTP_REGIE_DOEL="casus Onderzoek naar dit subject"),
        client.post(f"/api/v1/{kind}/", PAYLOADS[kind], format="json"),
        client.delete(f"/api/v1/{kind}/{own.pk}/"),
    ):
        assert response.status_code == 403
        assert response.json() == {"detail": "Uw rol geeft geen toegang tot deze gegevens."}
    assert MODELS[kind].unscoped.count() == 2


# --- clearance ------------------------------------------------------------------------------


@pytest.fixture
def levels(orgs):
    return {level: make_person(orgs["a"], f"Niveau{level}", level) for level in (4, 7, 8)}


def test_boa_cannot_see_a_level_7_person(levels, orgs, make_user):
    boa = make_user(role=Role.BOA, org=orgs["a"])
    for person in levels.values():
        assign(boa, person)
    ui, api = verified_client(boa), token_client(boa)

    listed = ui.get("/subjecten/personen/")
    assert [obj.pk for obj, _ in listed.context["rows"]] == [levels[4].pk]
    assert b"Niveau7" not in listed.content
    assert [row["id"] for row in api.get("/api/v1/personen/").json()["results"]] == [levels[4].pk]
    assert ui.get("/subjecten/personen/?q=Niveau7").context["page"].paginator.count == 0

    assert ui.get(f"/subjecten/personen/{levels[4].pk}/").status_code == 200
    assert_same(ui.get(f"/subjecten/personen/{levels[7].pk}/"), ui.get(f"/subjecten/personen/{MISSING_PK}/"))
    assert_same(api.get(f"/api/v1/personen/{levels[7].pk}/"), api.get(f"/api/v1/personen/{MISSING_PK}/"))
    assert api.get(f"/api/v1/personen/{levels[7].pk}/").status_code == 404


def test_export_respects_clearance(levels, orgs, make_user):
    analist = make_user(role=Role.ANALIST, org=orgs["a"])  # clearance 7
    content = verified_client(analist).get("/subjecten/personen/export.csv").content.decode()
    assert "Niveau4" in content and "Niveau7" in content
    assert "Niveau8" not in content


def test_burgemeester_sees_every_level(levels, orgs, make_user):
    burgemeester = make_user(role=Role.BURGEMEESTER, org=orgs["a"])  # clearance 8
    data = token_client(burgemeester).get("/api/v1/personen/").json()
    assert sorted(row["id"] for row in data["results"]) == sorted(p.pk for p in levels.values())


@pytest.mark.parametrize("kind", KINDS)
def test_confidentiality_above_own_clearance_is_rejected(orgs, make_user, kind):
    jurist = make_user(role=Role.JURIST, org=orgs["a"])  # clearance 6
    model = MODELS[kind]
    ui = verified_client(jurist)

    form = ui.get(f"/subjecten/{kind}/nieuw/")
    offered = [value for value, _ in form.context["form"].fields["confidentiality"].choices]
    assert offered == [1, 2, 3, 4, 5, 6]

    response = ui.post(f"/subjecten/{kind}/nieuw/", {**PAYLOADS[kind], "confidentiality": 7})
    assert response.status_code == 400
    assert "confidentiality" in response.context["form"].errors
    assert "geen beschikbare keuze" in response.content.decode()

    response = token_client(jurist).post(f"/api/v1/{kind}/", {**PAYLOADS[kind], "confidentiality": 7}, format="json")
    assert response.status_code == 400
    assert response.json() == {"confidentiality": ["Dit niveau ligt boven uw eigen rubricering."]}
    assert model.unscoped.count() == 0

    # exactly the own clearance is allowed
    response = token_client(jurist).post(f"/api/v1/{kind}/", {**PAYLOADS[kind], "confidentiality": 6}, format="json")
    assert response.status_code == 201


def test_raising_an_existing_record_above_own_clearance_is_rejected(orgs, make_user):
    jurist = make_user(role=Role.JURIST, org=orgs["a"])
    person = make_person(orgs["a"], "Verhoging", 5)
    assign(jurist, person)
    response = token_client(jurist).patch(f"/api/v1/personen/{person.pk}/", {"confidentiality": 8}, format="json")
    assert response.status_code == 400
    response = verified_client(jurist).post(f"/subjecten/personen/{person.pk}/wijzigen/", {"surname": "Verhoging", "confidentiality": 8})
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.confidentiality == 5


# --- partners see only what is shared with them ---------------------------------------------


@pytest.fixture
def partner(orgs, make_user):
    return make_user(role=Role.PARTNER, org=orgs["politie"])  # clearance 5


def test_partner_sees_only_shared_records(orgs, partner):
    shared = make_person(orgs["a"], "Gedeeld", 4)
    not_shared = make_person(orgs["a"], "Nietgedeeld", 4)
    too_secret = make_person(orgs["a"], "Tegeheim", 7)
    share(shared, orgs["politie"])
    share(too_secret, orgs["politie"])
    assign(partner, shared)
    ui, api = verified_client(partner), token_client(partner)

    assert [obj.pk for obj, _ in ui.get("/subjecten/personen/").context["rows"]] == [shared.pk]
    assert [row["id"] for row in api.get("/api/v1/personen/").json()["results"]] == [shared.pk]
    assert ui.get(f"/subjecten/personen/{shared.pk}/").status_code == 200
    assert api.get(f"/api/v1/personen/{shared.pk}/").json()["surname"] == "Gedeeld"
    for hidden in (not_shared, too_secret):
        assert_same(ui.get(f"/subjecten/personen/{hidden.pk}/"), ui.get(f"/subjecten/personen/{MISSING_PK}/"))
        assert api.get(f"/api/v1/personen/{hidden.pk}/").status_code == 404


def test_partner_loses_sight_when_the_share_expires(orgs, partner):
    from datetime import timedelta

    from django.utils import timezone

    person = make_person(orgs["a"], "Verlopen", 4)
    grant = share(person, orgs["politie"])
    assign(partner, person)
    api = token_client(partner)
    assert api.get(f"/api/v1/personen/{person.pk}/").status_code == 200
    grant.valid_until = timezone.now() - timedelta(seconds=1)
    grant.save()
    assert api.get(f"/api/v1/personen/{person.pk}/").status_code == 404
    assert api.get("/api/v1/personen/").json()["count"] == 0


def test_a_share_grants_reading_not_writing(orgs, make_user):
    """A coordinator of gemeente b may read a's shared record, but not change or delete it."""
    person = make_person(orgs["a"], "Gedeeld", 4)
    share(person, orgs["b"])
    other = make_user(role=Role.COORDINATOR, org=orgs["b"])
    assign(other, person)
    ui, api = verified_client(other), token_client(other)
    assert ui.get(f"/subjecten/personen/{person.pk}/").status_code == 200

    assert ui.post(f"/subjecten/personen/{person.pk}/wijzigen/", {"surname": "Overschreven", "confidentiality": 4}).status_code == 403
    assert ui.post(f"/subjecten/personen/{person.pk}/verwijderen/").status_code == 403
    assert api.patch(f"/api/v1/personen/{person.pk}/", {"surname": "Overschreven"}, format="json").status_code == 403
    assert api.delete(f"/api/v1/personen/{person.pk}/").status_code == 403
    person.refresh_from_db()
    assert person.surname == "Gedeeld"
    assert not AuditEntry.objects.filter(action__in=["update", "delete"]).exists()


# --- related records are shown only when visible themselves ---------------------------------


def test_address_of_a_visible_person_is_hidden_when_the_address_is_not_visible(orgs, make_user, partner):
    secret_address = make_address(orgs["a"], "Geheimestraat", 7)
    person = make_person(orgs["a"], "Bewoner", 4, address=secret_address)
    share(person, orgs["politie"])
    boa = make_user(role=Role.BOA, org=orgs["a"])  # clearance 4
    for user in (boa, partner):
        assign(user, person)
        ui, api = verified_client(user), token_client(user)
        listed = ui.get("/subjecten/personen/")
        assert [obj.pk for obj, _ in listed.context["rows"]] == [person.pk]
        assert b"Geheimestraat" not in listed.content
        detail = ui.get(f"/subjecten/personen/{person.pk}/")
        assert detail.status_code == 200
        assert b"Bewoner" in detail.content
        assert b"Geheimestraat" not in detail.content
        assert api.get(f"/api/v1/personen/{person.pk}/").json()["address"] is None
        assert api.get("/api/v1/personen/").json()["results"][0]["address"] is None
    # the coordinator (clearance 7) does see the address
    coordinator = make_user(role=Role.COORDINATOR, org=orgs["a"])
    assign(coordinator, person)
    assert b"Geheimestraat" in verified_client(coordinator).get(f"/subjecten/personen/{person.pk}/").content
    assert b"Geheimestraat" in verified_client(coordinator).get("/subjecten/personen/export.csv").content
    assert token_client(coordinator).get(f"/api/v1/personen/{person.pk}/").json()["address"] == secret_address.pk


def test_export_hides_an_invisible_address(orgs, make_user):
    secret_address = make_address(orgs["a"], "Geheimestraat", 8)
    make_person(orgs["a"], "Bewoner", 4, address=secret_address)
    analist = make_user(role=Role.ANALIST, org=orgs["a"])  # clearance 7
    content = verified_client(analist).get("/subjecten/personen/export.csv").content.decode()
    assert "Bewoner" in content
    assert "Geheimestraat" not in content


# --- writers and read-only roles ------------------------------------------------------------


@pytest.mark.parametrize("role", WRITERS)
@pytest.mark.parametrize("kind", KINDS)
def test_writer_roles_may_create(orgs, make_user, role, kind):
    user = make_user(role=role, org=orgs["a"])
    response = verified_client(user).post(f"/subjecten/{kind}/nieuw/", PAYLOADS[kind])
    assert response.status_code == 302
    obj = MODELS[kind].unscoped.get()
    assert response["Location"] == f"/subjecten/{kind}/{obj.pk}/"
    assert obj.owner == orgs["a"]
    # a second person needs another BSN: one person per BSN per owner
    second = {**PAYLOADS[kind], "bsn": "999990019"} if kind == "personen" else PAYLOADS[kind]
    response = token_client(user).post(f"/api/v1/{kind}/", second, format="json")
    assert response.status_code == 201
    assert MODELS[kind].unscoped.count() == 2


@pytest.mark.parametrize("role", READ_ONLY)
def test_read_only_roles_may_read_but_not_write(tenants, orgs, make_user, role):
    own = tenants["a"]["personen"]
    if role == Role.PARTNER:
        user = make_user(role=role, org=orgs["politie"])
        share(own, orgs["politie"])
    else:
        user = make_user(role=role, org=orgs["a"])
    assign(user, own)
    ui, api = verified_client(user), token_client(user)
    assert ui.get("/subjecten/personen/").status_code == 200
    assert ui.get(f"/subjecten/personen/{own.pk}/").status_code == 200
    assert b"Wijzigen" not in ui.get(f"/subjecten/personen/{own.pk}/").content
    assert b"Nieuw:" not in ui.get("/subjecten/personen/").content
    assert api.get(f"/api/v1/personen/{own.pk}/").status_code == 200

    assert ui.get("/subjecten/personen/nieuw/").status_code == 403
    assert ui.post("/subjecten/personen/nieuw/", PAYLOADS["personen"]).status_code == 403
    assert ui.post(f"/subjecten/personen/{own.pk}/wijzigen/", {"surname": "X", "confidentiality": 4}).status_code == 403
    assert ui.post(f"/subjecten/personen/{own.pk}/verwijderen/").status_code == 403
    for response in (
        api.post("/api/v1/personen/", PAYLOADS["personen"], format="json"),
        api.patch(f"/api/v1/personen/{own.pk}/", {"surname": "X"}, format="json"),
        api.delete(f"/api/v1/personen/{own.pk}/"),
    ):
        assert response.status_code == 403
        assert response.json() == {"detail": "Uw rol mag subjecten niet wijzigen."}
    own.refresh_from_db()
    assert own.surname == "Jansen"
    assert MODELS["personen"].unscoped.count() == 2


@pytest.mark.parametrize("role", [Role.BOA, Role.BIBOB, Role.JURIST, Role.BURGEMEESTER, Role.PARTNER])
def test_only_coordinator_and_analist_may_export(orgs, make_user, role):
    response = verified_client(make_user(role=role, org=orgs["a"])).get("/subjecten/personen/export.csv")
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_writer_without_organisation_cannot_create(make_user):
    """A user outside any organisation has nobody to own the record: refused, not a crash."""
    user = make_user(role=Role.COORDINATOR, org=None)
    assert verified_client(user).post("/subjecten/personen/nieuw/", PAYLOADS["personen"]).status_code == 403
    assert token_client(user).post("/api/v1/personen/", PAYLOADS["personen"], format="json").status_code == 403
    assert MODELS["personen"].unscoped.count() == 0
