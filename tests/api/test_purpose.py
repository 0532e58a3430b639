"""The purpose gate of the API: one record you are not assigned to needs a stated purpose, in
the ``Regie-Doel`` header, before it is shown or changed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from regie.audit.models import AuditEntry, PurposeDeclaration
from regie.subjects.models import Person
from tests.conftest import token_client

from .conftest import assign

REFUSED = "U bent niet aan dit object toegewezen. Geef een doel op in de header Regie-Doel."
MALFORMED = {"Regie-Doel": "Geef een geldige doelcode en een toelichting van minstens 10 tekens."}


@pytest.fixture
def api(coordinator):
    return token_client(coordinator)


def entries(person, action):
    return AuditEntry.objects.filter(object_type="subjects.person", object_id=str(person.pk), action=action)


def test_unassigned_record_without_header_is_403_with_dutch_message(api, person):
    response = api.get(f"/api/v1/personen/{person.pk}/")
    assert response.status_code == 403
    assert response.json() == {"detail": REFUSED}
    assert "Jansen" not in response.content.decode()
    assert not PurposeDeclaration.objects.exists()
    assert not entries(person, "view").exists()


def test_valid_header_opens_the_record_and_records_the_purpose(api, coordinator, person):
    response = api.get(f"/api/v1/personen/{person.pk}/", HTTP_REGIE_DOEL="bibob Bibob-onderzoek aanvraag 2026-07")
    assert response.status_code == 200
    assert response.json()["surname"] == "Jansen"

    declaration = PurposeDeclaration.objects.get()
    assert (declaration.user, declaration.object_id, declaration.purpose) == (coordinator, person.pk, "bibob")
    assert declaration.explanation == "Bibob-onderzoek aanvraag 2026-07"
    assert declaration.valid_until > timezone.now()
    assert entries(person, "purpose").get().purpose == "Bibob-onderzoek: Bibob-onderzoek aanvraag 2026-07"
    assert entries(person, "view").get().purpose == "Bibob-onderzoek: Bibob-onderzoek aanvraag 2026-07"

    # the stated purpose holds for a while: no header needed for the next look
    again = api.get(f"/api/v1/personen/{person.pk}/")
    assert again.status_code == 200
    assert PurposeDeclaration.objects.count() == 1


def test_purpose_expires(api, person):
    assert api.get(f"/api/v1/personen/{person.pk}/", HTTP_REGIE_DOEL="casus Onderzoek in casus 12").status_code == 200
    PurposeDeclaration.objects.update(valid_until=timezone.now() - timedelta(seconds=1))
    assert api.get(f"/api/v1/personen/{person.pk}/").status_code == 403


def test_purpose_is_per_user(api, orgs, make_user, person):
    assert api.get(f"/api/v1/personen/{person.pk}/", HTTP_REGIE_DOEL="casus Onderzoek in casus 12").status_code == 200
    colleague = token_client(make_user(role="analist", org=orgs["a"]))
    assert colleague.get(f"/api/v1/personen/{person.pk}/").status_code == 403


def test_purpose_is_per_record(api, orgs, person):
    other = Person.unscoped.create(owner=orgs["a"], surname="Bakker")
    assert api.get(f"/api/v1/personen/{person.pk}/", HTTP_REGIE_DOEL="casus Onderzoek in casus 12").status_code == 200
    assert api.get(f"/api/v1/personen/{other.pk}/").status_code == 403


@pytest.mark.parametrize(
    "header",
    [
        "onbekend Een toelichting die lang genoeg is",  # unknown code
        "casus kort",  # explanation under 10 characters
        "casus",  # no explanation
        "casus           ",  # only spaces
        " Onderzoek in casus 12",  # no code
        "CASUS Onderzoek in casus 12",  # codes are lower case
    ],
)
def test_malformed_header_is_400_and_records_nothing(api, person, header):
    response = api.get(f"/api/v1/personen/{person.pk}/", HTTP_REGIE_DOEL=header)
    assert response.status_code == 400
    assert response.json() == MALFORMED
    assert "Jansen" not in response.content.decode()
    assert not PurposeDeclaration.objects.exists()
    assert not entries(person, "view").exists()


def test_long_explanation_is_cut_not_refused(api, person):
    response = api.get(f"/api/v1/personen/{person.pk}/", HTTP_REGIE_DOEL="casus " + "x" * 2000)
    assert response.status_code == 200
    assert len(PurposeDeclaration.objects.get().explanation) == 500


def test_assigned_user_needs_no_header(api, coordinator, person):
    assign(coordinator, person)
    assert api.get(f"/api/v1/personen/{person.pk}/").status_code == 200
    assert not PurposeDeclaration.objects.exists()


def test_writes_to_an_unassigned_record_need_a_purpose_too(api, person):
    assert api.patch(f"/api/v1/personen/{person.pk}/", {"surname": "Anders"}, format="json").status_code == 403
    assert api.delete(f"/api/v1/personen/{person.pk}/").status_code == 403
    person.refresh_from_db()
    assert person.surname == "Jansen"
    response = api.patch(
        f"/api/v1/personen/{person.pk}/", {"surname": "Anders"}, format="json", HTTP_REGIE_DOEL="casus Correctie van de naam"
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.surname == "Anders"


def test_list_needs_no_purpose(api, person):
    response = api.get("/api/v1/personen/")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_missing_record_with_header_is_404_and_declares_nothing(api):
    response = api.get("/api/v1/personen/987654321/", HTTP_REGIE_DOEL="casus Onderzoek in casus 12")
    assert response.status_code == 404
    assert not PurposeDeclaration.objects.exists()
