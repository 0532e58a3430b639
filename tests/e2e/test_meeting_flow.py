"""Point 10 of the meetings issue, in the browser: the coördinator prepares a meeting, a partner
sees only its filtered agenda, decisions are recorded, the action list appears."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from regie.meetings.models import Action, Decision
from tests.meetings.conftest import build_town, signal

pytestmark = pytest.mark.e2e


@pytest.fixture
def town(orgs, make_user):
    return build_town(orgs, make_user)


def test_prepare_share_decide_and_the_action_list(page, console, sign_in, town):
    drugs = signal(town, "Hennepkwekerij in een woning van de corporatie", person="Kees Hennep", severity="hoog")
    fraud = signal(town, "Zorgbureau declareert uren die cliënten niet kregen", themes=("zorgfraude",),
                   person="Zora Zorg", number=40)
    meeting = town["meeting"]

    # --- the coördinator prepares and shares the agenda --------------------------------------------
    sign_in(town["coordinator"])
    page.goto("/overleggen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overleggen")
    page.get_by_role("link", name=timezone.localtime(meeting.starts_at).strftime("%d-%m-%Y %H:%M")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lokaal overleg ondermijning")
    page.get_by_role("button", name="Agenda maken en voorbereiden").click()
    expect(page.get_by_text(re.compile(r"De agenda is bijgewerkt: \d+ punt\(en\) toegevoegd"))).to_be_visible()
    drugs_item = page.locator("section.regie-agenda-item", has_text=f"Signaal {drugs.reference}")
    expect(drugs_item).to_contain_text("Kees Hennep")  # prepared: the people, the place, what we know
    expect(drugs_item).to_contain_text("Wat weten we al")
    page.get_by_role("button", name="Agenda delen met partners aan tafel").click()
    expect(page.get_by_text("De agenda is gedeeld met 2 partner(s), elk volgens de deelregels.")).to_be_visible()
    expect(drugs_item.locator(".regie-shared")).to_contain_text("Woningstichting Test")  # shared with the corporation
    fraud_item = page.locator("section.regie-agenda-item", has_text=f"Signaal {fraud.reference}")
    expect(fraud_item.locator(".regie-shared")).to_contain_text("Politie Testeenheid")
    expect(fraud_item.locator(".regie-shared")).not_to_contain_text("Woningstichting Test")  # not its theme

    # --- the housing corporation sees only its items and fields ------------------------------------
    sign_in(town["corporatie"])
    page.goto(f"/overleggen/{meeting.pk}/")
    if "/doel/" in page.url:
        page.get_by_label("Voorbereiding van het overleg").check()
        page.get_by_label("Toelichting").fill("Voorbereiding lokaal overleg")
        page.get_by_role("button", name="Doel vastleggen en openen").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("Agenda voor uw organisatie"))).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text(f"Signaal {drugs.reference}")
    expect(main).to_contain_text("Kanaalweg")
    expect(main).not_to_contain_text("Kees Hennep")
    expect(main).not_to_contain_text("Hennepkwekerij in een woning")
    expect(main).not_to_contain_text(fraud.reference)

    # --- back to the coördinator: decisions during the meeting --------------------------------------
    sign_in(town["coordinator"])
    page.goto(f"/overleggen/{meeting.pk}/")
    drugs_item = page.locator("section.regie-agenda-item", has_text=f"Signaal {drugs.reference}")
    drugs_item.locator("summary").click()
    drugs_item.get_by_label(re.compile(r"^Besluit")).select_option("informatie")
    drugs_item.get_by_label("Uitwerking").select_option("boas_posten")
    drugs_item.get_by_label("Toelichting").fill("Drie avonden waarnemen bij het pand")
    drugs_item.get_by_label("Eigenaar (eigen organisatie)").select_option(str(town["boa"].pk))
    due = timezone.localdate() + timedelta(days=14)
    drugs_item.get_by_label("Uiterlijk").fill(due.isoformat())
    drugs_item.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Besluit vastgelegd: informatie verzamelen.")).to_be_visible()

    fraud_item = page.locator("section.regie-agenda-item", has_text=f"Signaal {fraud.reference}")
    fraud_item.locator("summary").click()
    fraud_item.get_by_label(re.compile(r"^Besluit")).select_option("uitstellen")
    fraud_item.get_by_role("button", name="Besluit vastleggen").click()  # no reason: refused
    expect(page.get_by_text(re.compile("Geef een reden"))).to_be_visible()
    assert not Decision.objects.filter(item__signal=fraud).exists()
    fraud_item = page.locator("section.regie-agenda-item", has_text=f"Signaal {fraud.reference}")
    fraud_item.locator("summary").click()
    fraud_item.get_by_label(re.compile(r"^Besluit")).select_option("uitstellen")
    fraud_item.get_by_label("Reden (bij afsluiten of uitstellen)").fill("Eerst navraag bij de sociale dienst")
    fraud_item.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Besluit vastgelegd: uitstellen.")).to_be_visible()

    # --- the action list, per owner -----------------------------------------------------------------
    page.get_by_role("button", name="Overleg afsluiten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Actielijst")
    expect(page.get_by_role("heading", level=2, name="Bram Jansen")).to_be_visible()
    expect(page.locator("main")).to_contain_text(due.strftime("%d-%m-%Y"))
    action = Action.unscoped.get(owner_user=town["boa"])
    assert "Drie avonden waarnemen" in action.description

    # the boa finds it on his start page
    sign_in(town["boa"])
    page.goto("/start/")
    expect(page.get_by_role("heading", level=2, name="Mijn acties")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Drie avonden waarnemen"))).to_be_visible()
    assert console.csp_violations() == []
