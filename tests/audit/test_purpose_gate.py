"""Opening a record you are not assigned to asks for a purpose first, and logs it with the view."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from regie.accounts.models import User
from regie.accounts.roles import Role
from regie.audit.models import AuditEntry, PurposeDeclaration
from regie.subjects.models import Person
from tests.conftest import token_client, verified_client

from .helpers import assert_who, assign, entries, last_entry

A = AuditEntry.Action
EXPLANATION = "Casus 2026-014, voorbereiding LOO van 12 maart"
PURPOSE_TEXT = f"Onderzoek in een casus: {EXPLANATION}"


def detail_url(person):
    return f"/subjecten/personen/{person.pk}/"


def purpose_url(obj):
    ct = ContentType.objects.get_for_model(type(obj))
    return f"/doel/?type={ct.pk}&id={obj.pk}&next={detail_url(obj)}"


class TestPages:
    def test_unassigned_user_is_sent_to_the_purpose_form(self, colleague, subjects):
        person = subjects["person"]
        client = verified_client(colleague)

        response = client.get(detail_url(person))

        assert response.status_code == 302
        location = urlparse(response["Location"])
        assert location.path == "/doel/"
        query = parse_qs(location.query)
        assert query["id"] == [str(person.pk)]
        assert query["next"] == [detail_url(person)]
        assert ContentType.objects.get_for_id(int(query["type"][0])).model_class() is Person
        assert not AuditEntry.objects.filter(action=A.VIEW).exists()  # nothing was shown

        form = client.get(response["Location"])
        assert form.status_code == 200
        assert "Waarvoor opent u dit dossier?" in form.content.decode()
        assert "Visser" not in form.content.decode()  # the form names the record, not the person

    def test_edit_page_is_gated_too(self, colleague, subjects):
        response = verified_client(colleague).get(f"/subjecten/personen/{subjects['person'].pk}/wijzigen/")
        assert response.status_code == 302
        assert response["Location"].startswith("/doel/")

    @pytest.mark.parametrize(
        "explanation, message",
        [
            ("te kort", "Geef een toelichting van minstens 10 tekens."),
            ("         x", "Geef een toelichting van minstens 10 tekens."),
            ("", "Dit veld is vereist."),
        ],
    )
    def test_too_short_explanation_is_refused_in_dutch(self, colleague, subjects, explanation, message):
        person = subjects["person"]
        client = verified_client(colleague)

        response = client.post(purpose_url(person), {"purpose": "casus", "explanation": explanation})

        assert response.status_code == 400
        assert message in response.content.decode()
        assert not PurposeDeclaration.objects.exists()
        assert not AuditEntry.objects.filter(action=A.PURPOSE).exists()
        assert client.get(detail_url(person)).status_code == 302  # still gated

    def test_unknown_purpose_is_refused(self, colleague, subjects):
        response = verified_client(colleague).post(
            purpose_url(subjects["person"]), {"purpose": "nieuwsgierig", "explanation": EXPLANATION}
        )
        assert response.status_code == 400
        assert not PurposeDeclaration.objects.exists()

    def test_valid_purpose_is_logged_and_carried_by_the_views(self, colleague, subjects):
        person = subjects["person"]
        client = verified_client(colleague)

        response = client.post(purpose_url(person), {"purpose": "casus", "explanation": EXPLANATION})

        assert response.status_code == 302
        assert response["Location"] == detail_url(person)
        declaration = PurposeDeclaration.objects.get()
        assert (declaration.user_id, declaration.object_id, declaration.purpose) == (colleague.pk, person.pk, "casus")
        stated = last_entry()
        assert stated.action == A.PURPOSE
        assert_who(stated, colleague)
        assert (stated.object_type, stated.object_id) == ("subjects.person", str(person.pk))
        assert stated.purpose == PURPOSE_TEXT

        for _ in range(2):
            page = client.get(detail_url(person))
            assert page.status_code == 200
            assert "Visser" in page.content.decode()
        views = entries(action=A.VIEW, object_id=str(person.pk))
        assert len(views) == 2
        for view in views:
            assert_who(view, colleague)
            assert view.purpose == PURPOSE_TEXT

    def test_purpose_is_per_user_and_per_record(self, colleague, make_user, orgs, subjects):
        person = subjects["person"]
        other_person = Person.objects.create(owner=orgs["a"], surname="De Vries")
        client = verified_client(colleague)
        client.post(purpose_url(person), {"purpose": "casus", "explanation": EXPLANATION})

        assert client.get(detail_url(other_person)).status_code == 302
        third = make_user(role=Role.ANALIST, org=orgs["a"])
        assert verified_client(third).get(detail_url(person)).status_code == 302

    def test_purpose_expires(self, colleague, subjects):
        person = subjects["person"]
        client = verified_client(colleague)
        client.post(purpose_url(person), {"purpose": "casus", "explanation": EXPLANATION})
        assert client.get(detail_url(person)).status_code == 200

        PurposeDeclaration.objects.update(valid_until=timezone.now() - timedelta(seconds=1))

        assert client.get(detail_url(person)).status_code == 302

    def test_assigned_user_is_not_asked(self, coordinator, subjects):
        person = subjects["person"]
        assign(coordinator, person)

        response = verified_client(coordinator).get(detail_url(person))

        assert response.status_code == 200
        assert not AuditEntry.objects.filter(action=A.PURPOSE).exists()
        view = last_entry()
        assert view.action == A.VIEW and view.purpose == ""
        assert_who(view, coordinator)

    def test_creator_is_assigned(self, coordinator):
        client = verified_client(coordinator)
        response = client.post("/subjecten/personen/nieuw/", {"surname": "Nieuw", "confidentiality": 4})
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200

    def test_purpose_form_for_another_municipalitys_person_is_404(self, colleague, subjects):
        foreign = subjects["foreign"]
        client = verified_client(colleague)
        assert client.get(purpose_url(foreign)).status_code == 404
        response = client.post(purpose_url(foreign), {"purpose": "casus", "explanation": EXPLANATION})
        assert response.status_code == 404
        assert not PurposeDeclaration.objects.exists()
        assert not AuditEntry.objects.filter(action=A.PURPOSE).exists()

    @pytest.mark.parametrize("query", ["type=abc&id=1", "type=999999&id=1", "id=1", "type={user_ct}&id={user}", "type={person_ct}&id=abc"])
    def test_purpose_form_with_bad_or_non_record_type_is_404(self, colleague, subjects, query):
        query = query.format(
            user_ct=ContentType.objects.get_for_model(User).pk,
            user=colleague.pk,
            person_ct=ContentType.objects.get_for_model(Person).pk,
        )
        assert verified_client(colleague).get(f"/doel/?{query}").status_code == 404

    def test_purpose_form_does_not_redirect_to_foreign_hosts(self, colleague, subjects):
        person = subjects["person"]
        ct = ContentType.objects.get_for_model(Person)
        response = verified_client(colleague).post(
            f"/doel/?type={ct.pk}&id={person.pk}&next=https://evil.example/",
            {"purpose": "casus", "explanation": EXPLANATION},
        )
        assert response.status_code == 302
        assert response["Location"] == "/start/"


class TestApi:
    HEADER = "HTTP_REGIE_DOEL"

    def test_unassigned_read_without_purpose_is_refused(self, colleague, subjects):
        response = token_client(colleague).get(f"/api/v1/personen/{subjects['person'].pk}/")
        assert response.status_code == 403
        assert "Regie-Doel" in response.json()["detail"]
        assert not AuditEntry.objects.filter(action__in=[A.VIEW, A.PURPOSE]).exists()

    @pytest.mark.parametrize("header", ["casus", "casus kort", "nieuwsgierig " + EXPLANATION, "  "])
    def test_invalid_purpose_header_is_400(self, colleague, subjects, header):
        response = token_client(colleague).get(f"/api/v1/personen/{subjects['person'].pk}/", **{self.HEADER: header})
        assert response.status_code == 400
        assert "Regie-Doel" in response.json()
        assert "surname" not in response.json()
        assert not PurposeDeclaration.objects.exists()

    def test_valid_purpose_header_is_logged_with_the_view(self, colleague, subjects):
        person = subjects["person"]
        api = token_client(colleague)
        response = api.get(f"/api/v1/personen/{person.pk}/", **{self.HEADER: f"casus {EXPLANATION}"})

        assert response.status_code == 200
        assert response.json()["surname"] == "Visser"
        stated, view = entries(action__in=[A.PURPOSE, A.VIEW])
        assert stated.action == A.PURPOSE and view.action == A.VIEW
        for entry in (stated, view):
            assert_who(entry, colleague)
            assert entry.object_id == str(person.pk)
            assert entry.purpose == PURPOSE_TEXT
        # the stated purpose holds for the next read, without the header
        assert api.get(f"/api/v1/personen/{person.pk}/").status_code == 200
        assert last_entry().purpose == PURPOSE_TEXT

    def test_assigned_user_is_not_asked(self, coordinator, subjects):
        assign(coordinator, subjects["person"])
        assert token_client(coordinator).get(f"/api/v1/personen/{subjects['person'].pk}/").status_code == 200
        assert not AuditEntry.objects.filter(action=A.PURPOSE).exists()
