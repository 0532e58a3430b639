"""Point 7 of the Bibob issue, in the browser: a horeca application from the Bibob form to the
decision, with an LBB advice request and its timer.

The Bibob-coördinator opens the file, records the form and its completeness, starts the own
research, asks the Landelijk Bureau Bibob for advice (the 8-week timer starts and the decision
term is suspended), tries to decide while the advice is pending (refused with a clear message),
records the advice and the assessment, and decides. The coordinator of the kernteam then sees the
file exist and its phase, nothing more.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from regie.accounts.roles import Role
from regie.bibob import services as bibob
from regie.bibob.models import BibobFile, BibobStep
from regie.subjects.models import Company
from tests.e2e.support import A11yReport, assign

pytestmark = pytest.mark.e2e
ADVICE = "Mindere mate van gevaar: een bestuurder had eerder een boete voor zwart personeel."


@pytest.fixture
def town(orgs, make_user):
    bibob.install_default_catalogue(orgs["a"])
    company = Company.objects.create(owner=orgs["a"], name="Eetcafé De Gouden Leeuw", legal_form=Company.LegalForm.VOF,
                                     kvk_number="87654321")
    return {
        "bibob": make_user(role=Role.BIBOB, org=orgs["a"], first_name="Bea", last_name="van den Heuvel"),
        "coordinator": make_user(role=Role.COORDINATOR, org=orgs["a"]),
        "company": company,
    }


def record_step(page, step: str, day, **fields):
    page.get_by_role("link", name=step, exact=True).click()
    page.get_by_label("Datum").fill(day.isoformat())
    for label, value in fields.items():
        field = page.get_by_label(label)
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    page.get_by_role("button", name="Stap vastleggen").click()


def test_a_horeca_application_from_form_to_decision_with_an_lbb_timer(page, console, sign_in, town):
    a11y = A11yReport()
    today = timezone.localdate()
    start = today - timedelta(days=40)
    sign_in(town["bibob"])

    # --- the coordinator opens the file ----------------------------------------------------------
    page.goto("/bibob/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bibob-dossiers")
    expect(page.get_by_role("region", name="Domeinen buiten het Bibob-beleid")).to_contain_text("Omgevingsvergunning bouw")
    a11y.check(page, "overzicht")
    page.get_by_role("link", name="Bibob-dossier openen").click()
    page.get_by_label("Domein").select_option(label="APV horeca en alcoholvergunning (Alcoholwet)")
    page.get_by_label("Omschrijving").fill("Drank- en horecavergunning Eetcafé De Gouden Leeuw")
    page.get_by_label("Aanvraag ontvangen op").fill(start.isoformat())
    page.get_by_label("Aanvrager (BSN of KvK-nummer)").fill("87654321")
    a11y.check(page, "dossier openen")
    page.get_by_role("button", name="Dossier openen").click()
    due = start + timedelta(weeks=8)
    expect(page.get_by_text(re.compile(rf"Bibob-dossier BIB-\d{{4}}-0001 is geopend. Uiterste beslisdatum: {due:%d-%m-%Y}"))).to_be_visible()
    file = BibobFile.unscoped.get(description__startswith="Drank- en horecavergunning")

    # --- form, completeness, own research -----------------------------------------------------------
    record_step(page, "Bibob-vragenformulier ontvangen", start + timedelta(days=2))
    record_step(page, "Volledigheid van het formulier beoordeeld", start + timedelta(days=5),
                **{"Is het formulier volledig?": "ja, volledig"})
    record_step(page, "Eigen onderzoek gestart", start + timedelta(days=6))
    expect(page.get_by_role("region", name="Eigen onderzoek: wat Regie al weet")).to_be_visible()

    # --- the LBB advice request starts its timer and suspends the decision term -------------------------
    asked = today - timedelta(days=20)
    record_step(page, "Advies Landelijk Bureau Bibob gevraagd", asked)
    expect(page.locator(".regie-messages")).to_contain_text(f"Advies LBB uiterlijk: {asked + timedelta(weeks=8):%d-%m-%Y}")
    suspension = page.get_by_role("region", name="Opschorting van de beslistermijn")
    expect(suspension).to_contain_text(f"van {asked:%d-%m-%Y} tot {asked + timedelta(weeks=8):%d-%m-%Y} (56 dagen) — loopt")
    expect(page.get_by_role("region", name="Gegevens")).to_contain_text(f"{due + timedelta(weeks=8):%d-%m-%Y}")
    a11y.check(page, "dossier met lopende LBB-termijn")
    # the timer is on the start page
    page.goto("/")
    expect(page.get_by_role("region", name="Termijnen Bibob-dossiers")).to_contain_text(
        f"{asked + timedelta(weeks=8):%d-%m-%Y} — advies LBB uiterlijk")
    terms = page.get_by_role("region", name="Termijnen Bibob-dossiers")
    expect(terms).to_contain_text("uiterste beslisdatum")  # every step's term: the suspended decision term too
    terms.get_by_role("link", name=re.compile(file.reference)).first.click()

    # --- a decision while the advice is pending is refused, nothing written ---------------------------
    record_step(page, "Besluit", today - timedelta(days=10), Uitkomst="verleend")
    expect(page.get_by_text(re.compile("nog niet ontvangen; de adviestermijn loopt"))).to_be_visible()
    a11y.check(page, "besluit geweigerd")
    assert not BibobStep.objects.filter(file=file, kind="besluit").exists()
    page.get_by_role("link", name="Annuleren").click()

    # --- the advice, the assessment and the decision -------------------------------------------------
    received = today - timedelta(days=6)
    record_step(page, "Advies Landelijk Bureau Bibob ontvangen", received,
                **{"Mate van gevaar": "mindere mate van gevaar", "Inhoud van het advies": ADVICE})
    expect(suspension).to_contain_text(f"van {asked:%d-%m-%Y} tot {received:%d-%m-%Y} (14 dagen)")
    record_step(page, "Beoordeling mate van gevaar", today - timedelta(days=4),
                **{"Mate van gevaar": "mindere mate van gevaar",
                   "Motivering van de beoordeling": "Voorschriften over het personeelsbeleid beperken het risico."})
    record_step(page, "Besluit", today - timedelta(days=2), Uitkomst="verleend met voorschriften")
    expect(page.get_by_text("Stap vastgelegd: besluit")).to_be_visible()
    expect(page.get_by_role("region", name="Adviezen en beoordeling (vertrouwelijk)")).to_contain_text(ADVICE)
    a11y.check(page, "dossier na besluit")
    file.refresh_from_db()
    assert file.outcome == "verleend_voorschriften" and file.phase == "besluit"
    assert list(BibobStep.objects.filter(file=file).values_list("kind", flat=True)) == [
        "aanvraag", "formulier", "volledigheid", "onderzoek", "lbb_gevraagd", "lbb_ontvangen", "beoordeling", "besluit"]

    # --- the annual table counts it ------------------------------------------------------------------
    page.goto("/bibob/jaartabellen/")
    table = page.get_by_role("table", name="Gebruik Wet Bibob per uitkomst – alle domeinen")
    expect(table.get_by_role("row", name=re.compile("^Verlening beschikking")).get_by_role("cell").last).to_have_text("1")
    a11y.check(page, "jaartabellen")

    # --- the kernteam's coordinator sees that the file exists and its phase, nothing more -------------------
    assign(town["coordinator"], file)
    sign_in(town["coordinator"])
    page.goto(f"/bibob/{file.pk}/")
    expect(page.locator("main")).to_contain_text("Besluit genomen")
    expect(page.locator("main")).not_to_contain_text("Gouden Leeuw")
    expect(page.locator("main")).not_to_contain_text(ADVICE)
    a11y.assert_clean()
    assert console.csp_violations() == []
