"""Another organisation's record looks exactly like one that does not exist."""

import pytest
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect

from regie.accounts.roles import Role
from regie.subjects.models import Person

from .support import registry, visit

pytestmark = pytest.mark.e2e


def _main_text(page) -> str:
    return page.locator("main").inner_text()


def test_record_of_another_gemeente_is_not_found_like_a_missing_one(page, sign_in, orgs, make_user):
    user = sign_in(make_user(role=Role.COORDINATOR, org=orgs["a"]))
    own = registry(orgs["a"], user)["personen"]
    foreign = registry(orgs["b"], suffix="-B")["personen"]
    missing_id = Person.unscoped.order_by("-pk").first().pk + 1000

    # the user's own, assigned record opens normally
    visit(page, f"/subjecten/personen/{own.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jan Jansen")

    visit(page, f"/subjecten/personen/{foreign.pk}/", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    expect(page).to_have_title("Niet gevonden · Regie")
    foreign_text = _main_text(page)
    assert "Jansen-B" not in page.content()

    visit(page, f"/subjecten/personen/{missing_id}/", status=404)
    assert _main_text(page) == foreign_text
    assert "Deze pagina bestaat niet, of u heeft er geen toegang toe." in foreign_text

    # the edit form of the foreign record answers the same, and so do the other kinds
    visit(page, f"/subjecten/personen/{foreign.pk}/wijzigen/", status=404)
    assert _main_text(page) == foreign_text
    ct = ContentType.objects.get_for_model(Person)
    visit(page, f"/doel/?type={ct.pk}&id={foreign.pk}", status=404)
    assert _main_text(page) == foreign_text
    foreign_company = registry(orgs["b"], suffix="-C")["bedrijven"]
    visit(page, f"/subjecten/bedrijven/{foreign_company.pk}/", status=404)
    assert _main_text(page) == foreign_text
