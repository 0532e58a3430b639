"""Point 11 of the intake issue, in the browser: an employee reports a suspicion; the coördinator
sees it triaged and enriched.

Both people sign in through the real login form: the medewerker with a password only (the role
sees no personal data, so it needs no second factor), the coördinator with password and TOTP code.
"""

import re

import pytest
from playwright.sync_api import expect

from regie.accounts.roles import Role
from regie.intake import services
from regie.intake.models import Signal
from tests.conftest import current_code

from .support import fill_login_form

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"^M-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")


@pytest.fixture
def gemeente(orgs):
    """Gemeente A with its default triage rules and an earlier signal about Kerkstraat 12."""
    services.install_default_rules(orgs["a"])
    earlier = services.register(
        orgs["a"],
        services.SignalInput(
            channel="counter",
            text="Buurvrouw meldt aan de balie dat er 's nachts busjes laden en lossen bij de schuur.",
            address=services.AddressInput(postcode="1234AB", house_number=12, street="Kerkstraat"),
        ),
    ).signal
    return {"org": orgs["a"], "earlier": earlier}


def test_employee_reports_and_coordinator_sees_it_triaged_and_enriched(page, console, gemeente, make_user):
    medewerker = make_user(role=Role.MEDEWERKER, org=gemeente["org"], username="m.bakker", device=False,
                           first_name="Mila", last_name="Bakker")
    coordinator = make_user(role=Role.COORDINATOR, org=gemeente["org"], username="c.devries",
                            first_name="Carla", last_name="de Vries")
    earlier = gemeente["earlier"]

    # --- the medewerker: password only, "Meld een vermoeden", a reference back -------------------
    fill_login_form(page, medewerker.username, code="")
    expect(page.get_by_role("heading", level=1)).to_have_text("Goedendag, Mila Bakker")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="Signalen")).to_have_count(0)  # reporting only, no signals
    menu.get_by_role("link", name="Meld een vermoeden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meld een vermoeden")

    page.get_by_label("Wat heeft u gezien of gehoord?").fill(
        "Bij de vergunningaanvraag voor de schuur rook ik een sterke hennepgeur; "
        "de aanvrager wilde de leges contant betalen."
    )
    page.get_by_label("Postcode").fill("1234 AB")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_label("Straat").fill("Kerkstraat")
    page.get_by_label("Naam van een betrokken persoon").fill("Piet de Vries")
    page.get_by_role("button", name="Melding versturen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dank u wel, uw melding is ontvangen")
    reference = page.locator("main strong.regie-secret").inner_text().strip()
    assert REFERENCE.match(reference), reference
    assert reference != earlier.reference
    signal = Signal.unscoped.get(reference=reference)
    assert signal.channel == "internal" and signal.address_id == earlier.address_id

    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")

    # --- the coördinator: password and TOTP, Signalen, the new signal ----------------------------
    fill_login_form(page, coordinator.username, code=current_code(coordinator))
    expect(page.get_by_role("heading", level=1)).to_have_text("Goedendag, Carla de Vries")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Signalen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signalen")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    expect(row).to_contain_text("Meld een vermoeden (medewerker)")
    expect(row).to_contain_text("ondermijningsgerelateerd")
    expect(row).to_contain_text("ontvangen")
    row.get_by_role("link", name=reference).click()

    # not assigned to the signal: state a purpose first (it goes into the audit log)
    page.wait_for_url(re.compile(rf"/(doel/\?.*|signalen/{signal.pk}/)$"))
    if "/doel/" in page.url:
        expect(page.get_by_role("heading", level=1)).to_have_text("Waarvoor opent u dit dossier?")
        page.get_by_label("Voorbereiding van het overleg").check()
        page.get_by_label("Toelichting").fill("Voorbereiding lokaal overleg ondermijning")
        page.get_by_role("button", name="Doel vastleggen en openen").click()

    expect(page).to_have_url(re.compile(rf"/signalen/{signal.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Signaal {reference}")
    expect(page.locator("main")).to_contain_text("status: ontvangen")
    expect(page.locator("main")).to_contain_text("Piet de Vries")

    # triaged: the suggested label and route, with the rules that led to them
    judge = page.locator("section", has=page.get_by_role("heading", name="Beoordelen", level=2))
    expect(judge).to_contain_text("Voorstel: ondermijningsgerelateerd, route lokaal overleg.")
    reasons = judge.get_by_role("list", name="Redenen van het voorstel")
    expect(reasons).to_contain_text("trefwoord “hennep” wijst op ondermijningsgerelateerd (gewicht 3)")
    expect(reasons).to_contain_text("trefwoord “contant” wijst op ondermijningsgerelateerd (gewicht 1)")

    # enriched: what Regie already knows, here the earlier signal about the same address
    known = page.locator("section", has=page.get_by_role("heading", name="Wat weten we al", level=2))
    expect(known.get_by_role("heading", level=3, name=re.compile("^Eerdere signalen .*hetzelfde adres"))).to_have_count(1)
    earlier_link = known.get_by_role("link", name=re.compile(re.escape(earlier.reference)))
    expect(earlier_link).to_be_visible()
    expect(earlier_link).to_have_attribute("href", f"/signalen/{earlier.pk}/")
    expect(known).to_contain_text(f"{earlier.reference} (Balie of telefoon, ontvangen)")

    # the coördinator confirms the suggestion (preselected in the form)
    expect(judge.get_by_label("ondermijningsgerelateerd", exact=True)).to_be_checked()
    expect(judge.get_by_label("Route")).to_have_value("overleg")
    judge.get_by_role("button", name="Beoordeling vastleggen").click()

    expect(page.get_by_text("De beoordeling is vastgelegd.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("status: beoordeeld (ondermijning)")
    history = page.locator("section", has=page.get_by_role("heading", name="Verloop", level=2))
    expect(history).to_contain_text("beoordeeld: ondermijning → overleg (Carla de Vries)")
    signal.refresh_from_db()
    assert (signal.status, signal.label, signal.route) == ("beoordeeld", "ondermijning", "overleg")
    assert signal.events.filter(kind="beoordeeld", by=coordinator).exists()

    assert console.csp_violations() == [], "\n".join(console.messages)
    assert not [m for m in console.messages if m.startswith("pageerror")], "\n".join(console.messages)
