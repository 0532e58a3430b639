"""Point 6 of the network issue, in the browser: an analyst opens a subject from a case, expands
two hops, sees a pattern hit explained and saves the chart to the case.

The analyst is assigned to case CAS-T-1 (about Jan Visser). A run of the saved pattern "dezelfde
bestuurder bij veel bedrijven" has left an open review item about Jan. From the case page the
analyst follows "Netwerk" next to Jan: the chart (Cytoscape) loads two hops, the list view shows
Klaas Bakker two steps away but never the subject above her clearance, the hit is explained with
its sources, the keyboard expands the selected subject, and the chart is saved to the case.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect

from regie.accounts.models import Assignment
from regie.cases.models import Case, CaseEvent
from regie.network import services
from regie.network.models import SavedChart
from regie.organisations.access import use_access
from tests.network.conftest import net  # noqa: F401 - the constructed network, as a fixture

pytestmark = pytest.mark.e2e


def test_analyst_expands_two_hops_sees_a_hit_explained_and_saves_the_chart(page, console, sign_in, net):  # noqa: F811
    Assignment.objects.create(user=net.analist, content_type=ContentType.objects.get_for_model(Case), object_id=net.case.pk)
    with use_access(net.access):
        services.run_pattern(net.access, "zelfde_bestuurder", f"opdracht:{net.assignment.pk}")

    page.set_default_timeout(45_000)  # the shared 2-core machine is slow under load
    page.set_default_navigation_timeout(60_000)
    sign_in(net.analist)
    page.goto(f"/casussen/{net.case.pk}/")
    page.get_by_role("link", name="Netwerk", exact=True).last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Netwerkkaart")
    status = page.locator("#netwerk-status")
    expect(status).to_contain_text("subjecten en")

    # two hops: Piet (1) and Klaas (2) are on the chart, Kees (3) and the secret person are not
    lijst = page.locator("#netwerk-lijst")
    expect(lijst).to_contain_text("Klaas Bakker")
    expect(lijst).not_to_contain_text("Kees Smit")
    expect(lijst).not_to_contain_text("Geheim")
    expect(page.locator("#netwerk-kaart canvas").first).to_be_attached()

    # the pattern hit, explained with its sources
    hits = page.locator("#netwerk-treffers")
    expect(hits).to_contain_text("Waarom: Jan Visser komt als bestuurder voor bij 3 organisaties")
    expect(hits).to_contain_text("KvK-uittreksel")

    # keyboard: focus the chart, move to Klaas with the arrows, Enter expands him (Kees appears)
    page.locator("#netwerk-kaart").focus()
    for _ in range(12):
        if "Klaas Bakker" in page.locator("#netwerk-focus").inner_text():
            break
        page.keyboard.press("ArrowRight")
    expect(page.locator("#netwerk-focus")).to_contain_text("Klaas Bakker")
    page.keyboard.press("Enter")
    expect(lijst).to_contain_text("Kees Smit")
    expect(page.locator("#netwerk-tijdlijn")).to_contain_text("Relatie bestuur")

    # save to the case
    page.get_by_label("Titel van de kaart").fill("Netwerk rond Jan Visser")
    page.get_by_role("button", name="Kaart opslaan").click()
    expect(page.get_by_text("De netwerkkaart ‘Netwerk rond Jan Visser’ is opgeslagen.")).to_be_visible()
    chart = SavedChart.unscoped.get()
    assert chart.case_id == net.case.pk
    assert f"persoon:{net.kees.pk}" in chart.nodes and f"persoon:{net.geheim.pk}" not in chart.nodes
    assert CaseEvent.objects.filter(case=net.case, text="Netwerkkaart opgeslagen: Netwerk rond Jan Visser").exists()
    assert not console.csp_violations(), console.messages
