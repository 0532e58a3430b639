"""Bundles through the partner API (POST /api/v1/signalen/bundel/): up to 100 signals in one
request, all or none, each validated, linked, triaged and audited as a single delivery."""

import pytest

from regie.accounts.roles import Role
from regie.audit.chain import verify
from regie.audit.models import AuditEntry
from regie.intake import services
from regie.intake.models import Signal, SignalEvent, SignalSubject
from regie.organisations.models import Share
from regie.subjects.models import Address, Company, Person
from tests.conftest import token_client

BUNDLE = "/api/v1/signalen/bundel/"


def _signal(town, n=0, **change):
    body = {
        "gemeente": town["orgs"]["a"].pk,
        "omschrijving": f"Hennepgeur bij loods {n}",
        "adres": {"postcode": "1234 AB", "huisnummer": n + 1},
        "themas": ["drugs-productie"],
        "subjecten": [{"soort": "persoon", "naam": "Kees de Boer", "bsn": "999990019"}],
    }
    body.update(change)
    return body


def _nothing_stored():
    assert Signal.unscoped.count() == 0
    assert Person.unscoped.count() == Address.unscoped.count() == Company.unscoped.count() == 0
    assert SignalEvent.objects.count() == SignalSubject.objects.count() == Share.objects.count() == 0
    assert not AuditEntry.objects.filter(action="create").exists()


def test_a_partner_delivers_a_bundle_and_gets_a_receipt_per_signal_in_order(town):
    api = token_client(town["partner"])
    response = api.post(BUNDLE, {"signalen": [_signal(town, n) for n in range(3)]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["aantal"] == 3
    stored = {s.reference: s for s in Signal.unscoped.all()}
    assert [r["kenmerk"] for r in body["signalen"]] and set(stored) == {r["kenmerk"] for r in body["signalen"]}
    for n, receipt in enumerate(body["signalen"]):
        signal = stored[receipt["kenmerk"]]
        assert receipt["id"] == signal.pk and receipt["status"] == "ontvangen"
        assert signal.text == f"Hennepgeur bij loods {n}"  # the order of the bundle
        assert signal.channel == "partner" and signal.owner == town["orgs"]["a"]
        assert signal.source_organisation == town["orgs"]["politie"] and receipt["voorgesteld_label"] == "ondermijning"
        assert signal.address.house_number == n + 1
        assert list(signal.events.values_list("kind", flat=True)) == ["ontvangen"]
    # the partner may follow each of its signals, and nothing else
    listed = api.get("/api/v1/signalen/").json()
    assert sorted(row["id"] for row in listed["results"]) == sorted(s.pk for s in stored.values())


def test_each_signal_of_a_bundle_has_its_own_audit_entry_and_the_chain_holds(town):
    api = token_client(town["partner"])
    response = api.post(BUNDLE, {"signalen": [_signal(town, n) for n in range(4)]}, format="json")
    assert response.status_code == 201
    entries = AuditEntry.objects.filter(action="create", object_type="intake.signal")
    assert sorted(int(e.object_id) for e in entries) == sorted(Signal.unscoped.values_list("pk", flat=True))
    for entry in entries:
        assert entry.username == town["partner"].username and entry.organisation_id == town["orgs"]["politie"].pk
        assert entry.detail == {"channel": "partner", "mentions": 1, "bundel": 4}
        assert entry.ip_address == "127.0.0.1"
    assert verify()[1] is None


def test_a_bundle_links_one_new_person_for_a_bsn_named_twice(town):
    api = token_client(town["partner"])
    response = api.post(BUNDLE, {"signalen": [_signal(town, 0), _signal(town, 1)]}, format="json")
    assert response.status_code == 201
    person = Person.unscoped.get(bsn="999990019")
    methods = [m.method for m in SignalSubject.objects.filter(person=person).order_by("signal__pk")]
    assert methods == ["nieuw", "bsn"]  # as two deliveries one after the other would
    # the address too: new for the first signal, found for the second (other house numbers: two)
    api.post(BUNDLE, {"signalen": [_signal(town, 5), _signal(town, 5)]}, format="json")
    assert Address.unscoped.filter(house_number=6).count() == 1


@pytest.mark.parametrize(
    "bad, field, message",
    [
        ({"omschrijving": ""}, "omschrijving", "mag niet leeg zijn"),
        ({"themas": ["bestaat-niet"]}, "themas", "Onbekend thema"),
        ({"subjecten": [{"soort": "persoon", "naam": "X", "bsn": "123456789"}]}, "subjecten", "burgerservicenummer"),
        ({"adres": {"postcode": "ABCD 12", "huisnummer": 1}}, "adres", "postcode"),
        ({"subjecten": [{"soort": "persoon", "naam": "Jan " + "de Vries" * 20}]}, "surname", "120 tekens"),
    ],
)
def test_one_bad_signal_refuses_the_whole_bundle_with_errors_per_index(town, bad, field, message):
    api = token_client(town["partner"])
    signals = [_signal(town, 0), _signal(town, 1, **bad), _signal(town, 2)]
    response = api.post(BUNDLE, {"signalen": signals}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body["signalen"]) == {"1"}
    assert field in body["signalen"]["1"] and message.lower() in str(body["signalen"]["1"]).lower()
    assert body["detail"] == "1 van de 3 signalen is ongeldig; er is niets opgeslagen."
    _nothing_stored()


def test_every_bad_signal_is_named_in_one_answer(town):
    """A field error, a municipality outside the region and an unknown theme: all three at once."""
    api = token_client(town["partner"])
    signals = [
        _signal(town, 0, omschrijving=""),
        _signal(town, 1),
        _signal(town, 2, gemeente=town["orgs"]["b"].pk),
        _signal(town, 3, themas=["bestaat-niet"]),
    ]
    response = api.post(BUNDLE, {"signalen": signals}, format="json")
    assert response.status_code == 400
    errors = response.json()["signalen"]
    assert set(errors) == {"0", "2", "3"}
    assert "gedeelde regio" in str(errors["2"]) and "Onbekend thema" in str(errors["3"])
    assert response.json()["detail"] == "3 van de 4 signalen zijn ongeldig; er is niets opgeslagen."
    _nothing_stored()


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"signalen": []}, "niet leeg"),
        ({"signalen": [{"gemeente": 1, "omschrijving": "x"}] * 101}, "niet meer dan 100 elementen"),
        ({"signalen": "geen lijst"}, "lijst"),
        ({}, "vereist"),
        ([{"omschrijving": "x"}], "dictionary"),
    ],
)
def test_a_bundle_that_is_not_a_list_of_1_to_100_is_refused_in_dutch(town, payload, message):
    response = token_client(town["partner"]).post(BUNDLE, payload, format="json")
    assert response.status_code == 400
    assert message in str(response.json())
    _nothing_stored()


def test_a_bundle_is_json_only(town):
    response = token_client(town["partner"]).post(BUNDLE, {"signalen": "x"})  # multipart form
    assert response.status_code == 415
    _nothing_stored()


def test_a_bundle_may_mix_municipalities_of_the_region_only(town):
    """Gemeente B is not in the police's region: its signal is refused, and with it the bundle;
    without it the bundle is stored, each signal for its own municipality."""
    from datetime import date

    from regie.organisations.models import Organisation, Region, RegionMembership

    c = Organisation.objects.create(name="Gemeente Cedorp", kind=Organisation.Kind.GEMEENTE, code="GM9993")
    services.install_default_rules(c)
    RegionMembership.objects.create(organisation=c, region=Region.objects.get(), valid_from=date(2020, 1, 1))
    api = token_client(town["partner"])
    mixed = [_signal(town, 0), _signal(town, 1, gemeente=c.pk), _signal(town, 2, gemeente=town["orgs"]["b"].pk)]
    assert api.post(BUNDLE, {"signalen": mixed}, format="json").status_code == 400
    _nothing_stored()
    response = api.post(BUNDLE, {"signalen": mixed[:2]}, format="json")
    assert response.status_code == 201
    owners = {s.owner_id for s in Signal.unscoped.all()}
    assert owners == {town["orgs"]["a"].pk, c.pk}
    # each municipality's registry is its own: the same BSN is a person in each
    assert sorted(Person.unscoped.filter(bsn="999990019").values_list("owner_id", flat=True)) == sorted(owners)


def test_the_municipality_itself_may_deliver_a_bundle_on_its_own_channel(town):
    response = token_client(town["coordinator"]).post(BUNDLE, {"signalen": [_signal(town, 0)]}, format="json")
    assert response.status_code == 201
    signal = Signal.unscoped.get()
    assert signal.channel == "api" and signal.source_organisation is None
    assert not Share.objects.exists()


@pytest.mark.parametrize("role, status", [(Role.JURIST, 403), (Role.BIBOB, 403), (Role.MEDEWERKER, 403)])
def test_roles_that_may_not_deliver_get_403_for_a_bundle(town, make_user, role, status):
    user = make_user(role=role, org=town["orgs"]["a"])
    response = token_client(user).post(BUNDLE, {"signalen": [_signal(town, 0)]}, format="json")
    assert response.status_code == status
    _nothing_stored()


def test_another_municipality_cannot_deliver_into_a(town):
    response = token_client(town["coordinator_b"]).post(BUNDLE, {"signalen": [_signal(town, 0)]}, format="json")
    assert response.status_code == 400 and "gedeelde regio" in str(response.json())
    _nothing_stored()


def test_without_a_token_a_bundle_is_401(town, client):
    response = client.post(BUNDLE, {"signalen": [_signal(town, 0)]}, content_type="application/json")
    assert response.status_code == 401
    _nothing_stored()
