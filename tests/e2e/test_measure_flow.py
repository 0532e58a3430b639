"""Point 9 of the measures issue, in the browser: from a meeting decision to a 13b closure with
its legal steps, visible in the annual table.

The lokaal overleg decides "interventie: bestuurlijke maatregel" on a signal (through the
meetings services, as tests/meetings/conftest.py sets up a town); that opens a case. In the
browser the jurist opens the case, records the 13b closure from it with its weighing, walks the
steps (a decision dated before the rapportage is refused), and finds the closure in the annual
table.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from regie.accounts.roles import Role
from regie.measures import services as measures
from regie.measures.models import Measure, MeasureStep
from regie.meetings import services as meetings
from regie.meetings.models import AgendaItem, Decision
from tests.e2e.support import A11yReport
from tests.meetings.conftest import build_town, signal

pytestmark = pytest.mark.e2e


@pytest.fixture
def town(orgs, make_user):
    town = build_town(orgs, make_user)
    town["jurist"] = make_user(role=Role.JURIST, org=orgs["a"], first_name="Joost", last_name="ter Horst")
    measures.install_default_catalogue(orgs["a"])
    return town


def decided_case(town):
    """The overleg decides on a triaged signal: a bestuurlijke maatregel, prepared by the jurist."""
    drugs = signal(town, "Hennepkwekerij in de woning, stroom afgetapt", person="Kees Hennep", severity="hoog")
    access, meeting = town["access"], town["meeting"]
    meetings.generate_agenda(access, meeting)
    item = AgendaItem.objects.visible_to(access).get(meeting=meeting, signal=drugs)
    decision = meetings.decide(
        access, item, kind=Decision.Kind.INTERVENE, detail=Decision.Detail.MEASURE, owner=town["jurist"],
        text="Sluiting op grond van art. 13b Opiumwet voorbereiden", deadline=timezone.localdate() + timedelta(days=14),
    )
    return decision.case


def record_step(page, step: str, day, **fields):
    page.get_by_role("link", name=step).click()
    page.get_by_label("Datum").fill(day.isoformat())
    for label, value in fields.items():
        field = page.get_by_label(label)
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    page.get_by_role("button", name="Stap vastleggen").click()


def test_from_a_meeting_decision_to_a_13b_closure_in_the_annual_table(page, console, sign_in, town):
    case = decided_case(town)
    assert case is not None
    a11y = A11yReport()
    today = timezone.localdate()
    start = today - timedelta(days=40)

    # --- the jurist opens the case the overleg opened ------------------------------------------
    sign_in(town["jurist"])
    page.goto("/casussen/")
    page.get_by_role("link", name=case.reference).click()
    if "/doel/" in page.url:
        page.get_by_label("Onderzoek in een casus").check()
        page.get_by_label("Toelichting").fill("Sluiting 13b voorbereiden na besluit lokaal overleg")
        page.get_by_role("button", name="Doel vastleggen en openen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    expect(page.locator("main")).to_contain_text("bestuurlijke maatregel")  # the decision's intervention

    # --- and records the 13b closure from it --------------------------------------------------------
    page.goto(f"/maatregelen/nieuw/?casus={case.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maatregel vastleggen")
    expect(page.get_by_label("Casus (kenmerk)")).to_have_value(case.reference)
    page.get_by_label("Soort maatregel").select_option(label="Sluiting woning of lokaal (art. 13b Opiumwet)")
    page.get_by_label("Domein").select_option(label="Drugspanden (art. 13b Opiumwet)")
    page.get_by_label("Omschrijving").fill("Hennepkwekerij Kanaalweg 12")
    page.get_by_label("Geschiktheid").fill("Sluiting beëindigt de kwekerij en de brandgevaarlijke situatie.")
    page.get_by_label("Noodzakelijkheid").fill("De stroom werd opnieuw afgetapt; een waarschuwing volstaat niet.")
    page.get_by_label("Evenredigheid").fill("Drie maanden, de kortste duur uit het Damoclesbeleid; geen kinderen in huis.")
    page.get_by_label("Stap in de handhavingsstrategie").select_option(label="eerste overtreding")
    page.get_by_label("Duur sluiting (maanden)").fill("3")
    a11y.check(page, "maatregel vastleggen")
    page.get_by_role("button", name="Maatregel vastleggen").click()
    expect(page.get_by_text(re.compile(r"Maatregel MTR-\d{4}-0001 is vastgelegd"))).to_be_visible()
    measure = Measure.unscoped.get(case=case)

    # --- the legal steps ----------------------------------------------------------------------------
    page.get_by_role("link", name="Stap vastleggen").click()
    record_step(page, "Bestuurlijke rapportage", start, **{"Afkomstig van": "politie"})
    expect(page.get_by_text("Stap vastgelegd: bestuurlijke rapportage")).to_be_visible()
    record_step(page, "Voornemen (zienswijze gevraagd)", start + timedelta(days=2))
    expect(page.locator(".regie-messages")).to_contain_text(re.compile(r"Einde zienswijzetermijn: \d{2}-\d{2}-\d{4}"))
    # a decision dated before the rapportage: refused with a clear message, nothing written
    record_step(page, "Besluit", start - timedelta(days=7))
    expect(page.get_by_text(re.compile("ligt vóór de stap ‘voornemen"))).to_be_visible()
    a11y.check(page, "stap met foutmelding")
    assert not MeasureStep.objects.filter(measure=measure, kind="besluit").exists()
    page.get_by_role("link", name="Annuleren").click()
    record_step(page, "Zienswijze", start + timedelta(days=9), Toelichting="De huurder betwist de kwekerij niet.")
    decided_on = start + timedelta(days=20)
    record_step(page, "Besluit", decided_on)
    expect(page.get_by_text("Stap vastgelegd: besluit")).to_be_visible()
    record_step(page, "Uitvoering", start + timedelta(days=25), Toelichting="Pand verzegeld door de boa's.")
    steps = page.get_by_role("region", name="Stappen en termijnen")
    expect(steps).to_contain_text("Heropening (einde sluiting)")
    expect(steps).to_contain_text("Einde zienswijzetermijn")
    a11y.check(page, "maatregel")
    assert list(MeasureStep.objects.filter(measure=measure).values_list("kind", flat=True)) == [
        "rapportage", "voornemen", "zienswijze", "besluit", "uitvoering"]

    # --- the steps are on the case's timeline ----------------------------------------------------------
    page.goto(f"/casussen/{case.pk}/")
    expect(page.get_by_role("region", name="Tijdlijn")).to_contain_text(f"Maatregel {measure.reference}")

    # --- and the closure counts in the annual table ------------------------------------------------------
    page.goto("/maatregelen/")
    page.get_by_role("link", name="Jaartabellen").click()
    page.get_by_label("Tot en met jaar").fill(str(decided_on.year))
    page.get_by_role("button", name="Tonen").click()
    table = page.get_by_role("table", name="Bestuurlijke handhaving – Drugspanden (art. 13b Opiumwet)")
    expect(table).to_be_visible()
    closures = table.get_by_role("row", name=re.compile("^Sluiting pand"))
    expect(closures.get_by_role("cell").last).to_have_text("1")
    a11y.check(page, "jaartabellen")
    page.goto("/maatregelen/agenda/")
    a11y.check(page, "termijnkalender")
    a11y.assert_clean()
    assert console.csp_violations() == []
