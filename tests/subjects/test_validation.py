"""Bad input is refused with a Dutch message, a 400, and nothing written — UI and API alike."""

import pytest

from regie.audit.models import AuditEntry
from tests.conftest import token_client, verified_client

from .conftest import MODELS, PAYLOADS, assign, make_person

POSTCODE = "Geen geldige postcode (vier cijfers en twee letters, bijvoorbeeld 1234 AB)."
BSN = "Geen geldig burgerservicenummer (negen cijfers die de elfproef doorstaan)."
KVK = "Een KvK-nummer bestaat uit acht cijfers."
REQUIRED_UI = "Dit veld is verplicht."

CASES = [
    ("adressen", "postcode", "12345", POSTCODE),
    ("adressen", "postcode", "0123 AB", POSTCODE),  # no leading zero
    ("adressen", "postcode", "1234 SS", POSTCODE),  # SA, SD and SS are not issued
    ("adressen", "postcode", "ABCD 12", POSTCODE),
    ("personen", "bsn", "123456789", BSN),  # fails the elfproef
    ("personen", "bsn", "12345678", BSN),
    ("personen", "bsn", "abcdefghi", BSN),
    ("bedrijven", "kvk_number", "1234567", KVK),
    ("bedrijven", "kvk_number", "1234567a", KVK),
]


def nothing_written(kind):
    assert MODELS[kind].unscoped.count() == 0
    assert not AuditEntry.objects.filter(action__in=["create", "update"]).exists()


@pytest.mark.parametrize("kind, field, value, message", CASES)
def test_ui_refuses_bad_identifiers(coordinator, kind, field, value, message):
    response = verified_client(coordinator).post(f"/subjecten/{kind}/nieuw/", {**PAYLOADS[kind], field: value})
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert message in html
    assert "Controleer de gemarkeerde velden." in html
    nothing_written(kind)


@pytest.mark.parametrize("kind, field, value, message", CASES)
def test_api_refuses_bad_identifiers(coordinator, kind, field, value, message):
    response = token_client(coordinator).post(f"/api/v1/{kind}/", {**PAYLOADS[kind], field: value}, format="json")
    assert response.status_code == 400
    assert message in response.json()[field]
    nothing_written(kind)


def test_api_update_with_bad_identifier_changes_nothing(orgs, coordinator):
    person = make_person(orgs["a"], "Jansen")
    assign(coordinator, person)
    response = token_client(coordinator).patch(f"/api/v1/personen/{person.pk}/", {"bsn": "123456789", "surname": "Anders"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"bsn": [BSN]}
    person.refresh_from_db()
    assert (person.surname, person.bsn) == ("Jansen", "")


def test_ui_update_with_bad_identifier_changes_nothing(orgs, coordinator):
    person = make_person(orgs["a"], "Jansen")
    assign(coordinator, person)
    response = verified_client(coordinator).post(
        f"/subjecten/personen/{person.pk}/wijzigen/", {"surname": "Anders", "bsn": "123456789", "confidentiality": 4}
    )
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.surname == "Jansen"


@pytest.mark.parametrize(
    "kind, payload, field",
    [
        ("personen", {"surname": "", "confidentiality": 4}, "surname"),
        ("personen", {**PAYLOADS["personen"], "birth_date": "31-02-1980"}, "birth_date"),
        ("bedrijven", {**PAYLOADS["bedrijven"], "legal_form": "ltd"}, "legal_form"),
        ("adressen", {**PAYLOADS["adressen"], "house_number": "twaalf"}, "house_number"),
        ("adressen", {**PAYLOADS["adressen"], "house_number": -1}, "house_number"),
        ("adressen", {**PAYLOADS["adressen"], "confidentiality": 9}, "confidentiality"),
        ("personen", {**PAYLOADS["personen"], "address": "abc"}, "address"),
    ],
)
def test_other_bad_input_is_a_400_in_both(coordinator, kind, payload, field):
    ui = verified_client(coordinator).post(f"/subjecten/{kind}/nieuw/", payload)
    assert ui.status_code == 400
    assert field in ui.context["form"].errors
    api = token_client(coordinator).post(f"/api/v1/{kind}/", payload, format="json")
    assert api.status_code == 400
    assert field in api.json()
    nothing_written(kind)


def test_api_rejects_a_body_that_is_not_json(coordinator):
    response = token_client(coordinator).generic(
        "POST", "/api/v1/personen/", "{niet json", content_type="application/json"
    )
    assert response.status_code == 400
    nothing_written("personen")
