"""Editing a person whose address the editor may not see keeps the link (no silent data loss)."""

from regie.accounts.models import Assignment
from regie.accounts.roles import Role
from regie.subjects.models import Person
from tests.conftest import verified_client

from .conftest import make_address, make_person


def test_hidden_address_link_survives_an_edit(orgs, make_user):
    jurist = make_user(role=Role.JURIST, org=orgs["a"])  # clearance 6
    secret_address = make_address(orgs["a"], level=7)
    person = make_person(orgs["a"], "Jansen", address=secret_address)
    Assignment.objects.create(user=jurist, record=person)
    client = verified_client(jurist)
    form_page = client.get(f"/subjecten/personen/{person.pk}/wijzigen/").content.decode()
    assert 'name="address"' not in form_page and secret_address.street not in form_page
    response = client.post(f"/subjecten/personen/{person.pk}/wijzigen/", {"surname": "Jansen-de Wit", "confidentiality": 4})
    assert response.status_code == 302
    person = Person.unscoped.get(pk=person.pk)
    assert person.surname == "Jansen-de Wit" and person.address_id == secret_address.pk
