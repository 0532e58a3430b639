"""Point 7 of the controls issue, in the browser: plan a control, run it on the phone-sized field
list, see a finding become a signal.

The coördinator plans a control for today (confirming it without goals is refused with a clear
message), gives it goals, puts an address from a signal on the list, adds the Arbeidsinspectie as
participant with its role, and confirms it. The boa, who leads on location, opens the field list
on a 390×844 screen, ticks the address off as visited and records a finding "personen niet
ingeschreven" that goes straight back into intake; the coördinator finds the new signal, with
channel "Integrale controle", in the signal list and marks the control executed.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from regie.controls.models import Control, Finding
from regie.intake import services as intake
from regie.intake.models import Signal
from regie.organisations.models import Organisation
from tests.e2e.support import A11yReport
from tests.meetings.conftest import build_town

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def town(orgs, make_user):
    town = build_town(orgs, make_user)
    town["inspectie"] = Organisation.objects.create(name="Nederlandse Arbeidsinspectie Test",
                                                    kind=Organisation.Kind.ARBEIDSINSPECTIE)
    # a signal about a business premises: its address is a candidate for the control's list
    town["signal"] = intake.register(orgs["a"], intake.SignalInput(
        channel="mma", text="Veel busjes en mensen die in de loods lijken te wonen",
        address=intake.AddressInput(postcode="1234AB", house_number=7, street="Industrieweg", city="Aastad"),
    ), actor=town["access"]).signal
    return town


def test_plan_a_control_run_it_on_the_phone_and_see_a_finding_become_a_signal(page, console, sign_in, town):
    a11y = A11yReport()
    today = timezone.localdate()

    # --- the coördinator plans the control -----------------------------------------------------------
    sign_in(town["coordinator"])
    page.goto("/controles/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Integrale controles {today.year}")
    page.get_by_role("link", name="Controle inplannen").click()
    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_label("Soort controle").select_option(label="bedrijventerrein")
    page.get_by_label("Titel").fill("Bedrijventerrein Industrieweg")
    page.get_by_label("Leiding ter plaatse").select_option(label="Bram Jansen (Boa / handhaver)")
    page.get_by_label("Aangevraagd door overleg").select_option(label="Lokaal overleg ondermijning")
    a11y.check(page, "controle inplannen")
    page.get_by_role("button", name="Controle inplannen").click()
    expect(page.get_by_text(re.compile(r"Controle CTL-\d{4}-0001 is ingepland"))).to_be_visible()
    control = Control.unscoped.get()

    # confirming without goals: refused with a clear message
    page.get_by_role("button", name="Controle bevestigen").click()
    expect(page.get_by_text("Een controle kan pas worden bevestigd als haar doelen zijn vastgelegd.").first).to_be_visible()
    a11y.check(page, "bevestigen zonder doelen")
    assert Control.unscoped.get().status == "gepland"

    page.get_by_role("link", name="Bewerken").click()
    page.get_by_label("Doelen").fill("Zicht op bewoning van bedrijfspanden\nIllegale tewerkstelling")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("region", name="Doelen")).to_contain_text("Illegale tewerkstelling")

    # an address from the signal, the inspectorate with its role
    page.get_by_label(re.compile(r"Industrieweg 7.*signaal")).check()
    page.get_by_role("button", name="Toevoegen aan de adreslijst").click()
    expect(page.get_by_role("region", name="Adreslijst")).to_contain_text("Industrieweg 7")
    form = page.locator("form", has=page.get_by_role("button", name="Deelnemer toevoegen"))
    form.get_by_label("Partner").select_option(label="Nederlandse Arbeidsinspectie Test")
    form.get_by_label("Rol").fill("toezicht arbeidsmarkt")
    form.get_by_label("Bevoegdheden").fill("Wet arbeid vreemdelingen")
    page.get_by_role("button", name="Deelnemer toevoegen").click()
    expect(page.get_by_role("region", name="Deelnemers, rollen en bevoegdheden")).to_contain_text("toezicht arbeidsmarkt")
    page.get_by_role("button", name="Controle bevestigen").click()
    expect(page.get_by_text(f"Controle {control.reference} is bevestigd.")).to_be_visible()
    a11y.check(page, "controledossier")

    # --- the boa runs it on the phone ------------------------------------------------------------------
    page.set_viewport_size(PHONE)
    sign_in(town["boa"])
    page.goto(f"/controles/{control.pk}/veldlijst/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Veldlijst {control.reference}")
    expect(page.get_by_text("0 van 1 adressen bezocht")).to_be_visible()
    card = page.locator(".regie-card").filter(has_text="Industrieweg 7")
    visited = card.get_by_role("button", name=re.compile("^Bezocht"))
    box = visited.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 0.7 * PHONE["width"]  # a large, full-width tap target
    visited.click()
    card = page.locator(".regie-card").filter(has_text="Industrieweg 7")
    expect(card.get_by_role("button", name=re.compile("^Niet bezocht"))).to_be_visible()  # swapped by htmx
    card.get_by_text("Bevinding vastleggen").click()
    card.get_by_label("Soort bevinding").select_option(label="personen niet ingeschreven op het adres")
    card.get_by_label("Bevinding", exact=True).fill("Zes matrassen en kookgerei in de loods")
    card.get_by_label("Aantal personen (niet ingeschreven)").fill("6")
    card.get_by_label("Ook als nieuw signaal melden").check()
    a11y.check(page, "veldlijst")
    card.get_by_role("button", name="Bevinding opslaan").click()
    card = page.locator(".regie-card").filter(has_text="Industrieweg 7")
    expect(card.get_by_role("status")).to_contain_text(re.compile(r"Nieuw signaal M-[0-9A-Z]{4}-[0-9A-Z]{4} staat in de intake"))
    finding = Finding.objects.get(control=control)
    signal = Signal.unscoped.get(pk=finding.signal_id)
    expect(card).to_contain_text(f"signaal {signal.reference}")
    a11y.check(page, "veldlijst na bevinding")

    # --- the finding is a signal in intake ------------------------------------------------------------
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(town["coordinator"])
    page.goto("/signalen/")
    row = page.get_by_role("row").filter(has_text=signal.reference)
    expect(row).to_be_visible()
    assert signal.channel == "control" and control.reference in signal.text and signal.status == "ontvangen"
    page.goto(f"/controles/{control.pk}/")
    expect(page.get_by_role("region", name="Bevindingen en vervolg")).to_contain_text(f"signaal {signal.reference}")
    page.get_by_role("button", name="Controle is uitgevoerd").click()
    expect(page.get_by_text("Het resultaat staat klaar voor het volgende overleg.")).to_be_visible()
    assert Control.unscoped.get().status == "uitgevoerd"
    a11y.assert_clean()
    assert console.csp_violations() == []
