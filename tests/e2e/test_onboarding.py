"""Issue 12, point 9, in the browser: a new employee completes the onboarding module 'Introductie
ondermijning' (a wrong answer first, then the right ones) and reports a suspicion through the
link at its end."""

import pytest
from playwright.sync_api import expect

from regie.accounts.access import access_for_user
from regie.accounts.roles import Role
from regie.intake import services as intake
from regie.intake.models import Signal
from regie.resilience import services
from regie.resilience.models import OnboardingCompletion

from .support import fill_login_form

pytestmark = pytest.mark.e2e


def test_new_employee_completes_the_module_and_reports_a_suspicion(page, console, orgs, make_user):
    org = orgs["a"]
    intake.install_default_rules(org)
    coordinator = make_user(role=Role.COORDINATOR, org=org, username="c.devries")
    department = services.add_department(access_for_user(coordinator), "Burgerzaken")
    services.add_contact(access_for_user(coordinator), department, name="Ilse Kramer", function="Aanspreekpunt ondermijning")
    new = make_user(role=Role.MEDEWERKER, org=org, username="n.nieuw", device=False, first_name="Noa", last_name="Nieuw")

    fill_login_form(page, new.username, code="")
    expect(page.get_by_role("heading", level=1)).to_have_text("Goedendag, Noa Nieuw")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Introductie ondermijning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Introductie ondermijning")
    expect(page.get_by_role("heading", name="2. Signalen herkennen")).to_be_visible()
    expect(page.get_by_text("Ilse Kramer")).to_be_visible()

    # a wrong answer: refused, nothing recorded
    page.get_by_label("Een aanwijzing dat er iets mis kan zijn, die het kernteam weegt").check()
    page.get_by_label("Ik doe niets tot ik het zeker weet").check()
    page.get_by_label("Ik weiger en bespreek het met mijn leidinggevende of het aanspreekpunt").check()
    page.get_by_role("button", name="Introductie afronden").click()
    expect(page.get_by_text("Dit antwoord klopt niet.").first).to_be_visible()
    assert not OnboardingCompletion.unscoped.filter(user=new).exists()

    # the right answers
    page.get_by_label("Een aanwijzing dat er iets mis kan zijn, die het kernteam weegt").check()
    page.get_by_label("Ik meld het via ‘Meld een vermoeden’").check()
    page.get_by_label("Ik weiger en bespreek het met mijn leidinggevende of het aanspreekpunt").check()
    page.get_by_role("button", name="Introductie afronden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("U heeft de introductie ondermijning afgerond")
    assert OnboardingCompletion.unscoped.filter(user=new).count() == 1

    # the link at its end: Meld een vermoeden
    page.get_by_role("main").get_by_role("link", name="Meld een vermoeden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meld een vermoeden")
    page.get_by_label("Wat heeft u gezien of gehoord?").fill(
        "Een aanvrager bood mij een cadeaubon aan als zijn vergunning snel rond zou zijn."
    )
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dank u wel, uw melding is ontvangen")
    signal = Signal.unscoped.get(owner=org)
    assert "cadeaubon" in signal.text
    assert console.csp_violations() == []
