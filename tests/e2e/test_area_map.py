"""Issue 10 point 7, in the browser: the map shows the demo municipality's wijken and buurten
(Leaflet, no background tiles in tests), a click on a buurt opens its area picture, and a risk
location moves from the baseline (nulmeting) to aangepakt through the pages."""

import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from playwright.sync_api import expect

from regie.accounts.access import access_for_user
from regie.accounts.models import Assignment
from regie.accounts.roles import Role
from regie.areas import demo, risk
from regie.areas.models import Buurt
from regie.areas.risk_models import RiskLocation
from regie.demo import builder
from regie.organisations.access import system_access

pytestmark = pytest.mark.e2e


@pytest.fixture
def ravenstede(make_user):
    with system_access("test: demo areas"):
        rng, summary = random.Random(1), builder.Summary()
        gemeente, neighbour, partners = builder.build_organisations(summary)
        buurten = builder.build_areas(gemeente, "99", rng, summary)
        users = builder.build_users(gemeente, neighbour, partners, summary)
        builder.build_subjects(gemeente, buurten, rng, builder.bsn_pool(rng), 0.02, 500, summary)
        demo.build(gemeente, users, partners, random.Random(7), summary)
        n_buurten = Buurt.objects.filter(owner=gemeente).exclude(geometry="").count()
        first = Buurt.objects.filter(owner=gemeente).order_by("code").first()
    coordinator = make_user(role=Role.COORDINATOR, org=gemeente)
    return {"gemeente": gemeente, "coordinator": coordinator, "buurten": n_buurten, "first": first}


@override_settings(REGIE_MAP_TILE_URL="")
def test_map_shows_the_areas_a_click_opens_the_picture_and_a_location_is_tackled(page, console, sign_in, ravenstede):
    user = sign_in(ravenstede["coordinator"])
    page.goto("/gebieden/kaart/", wait_until="domcontentloaded")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kaart")
    kaart = page.locator("#regie-kaart")
    expect(kaart).to_have_attribute("data-loaded", str(ravenstede["buurten"] + _wijken(ravenstede)))
    expect(kaart).to_have_attribute("data-ready", "true")
    areas = page.locator("path.regie-area")
    expect(areas).to_have_count(ravenstede["buurten"])
    assert page.locator(".leaflet-tile").count() == 0  # no background tiles in tests

    # a click on a buurt opens its popup with the counts, and the link its picture
    first = ravenstede["first"]
    page.locator(f'path[data-gebied="{first.code}"]').click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(first.name)
    popup.get_by_role("link", name="Gebiedsbeeld openen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(first.name)
    expect(page.locator("#themas")).to_contain_text(f"Per thema in {first.code}")

    # a risk location from the baseline to aangepakt through its page
    access = access_for_user(user)
    location = risk.create_location(access, kind="pand", name="Loods aan de Vlietweg", buurt=first)
    Assignment.objects.create(user=user, content_type=ContentType.objects.get_for_model(type(location)), object_id=location.pk)
    page.goto(f"/gebieden/risicolocaties/{location.pk}/", wait_until="domcontentloaded")
    expect(page.locator("main")).to_contain_text("nulmeting")
    page.get_by_label("Nieuwe status").select_option(label="in beeld: vermoeden bevestigd")
    page.get_by_role("button", name="Status wijzigen").click()
    expect(page.get_by_text("Status gewijzigd.")).to_be_visible()
    page.get_by_label("Nieuwe status").select_option(label="aangepakt")
    page.get_by_role("button", name="Status wijzigen").click()
    expect(page.get_by_text("Koppel eerst een maatregel")).to_be_visible()  # aangepakt needs a measure or how
    page.get_by_label("Nieuwe status").select_option(label="aangepakt")
    page.get_by_label("Toelichting").fill("Pand gesloten na bestuurlijke rapportage; eigenaar heeft huurder opgezegd.")
    page.get_by_role("button", name="Status wijzigen").click()
    expect(page.get_by_text("Status gewijzigd.")).to_be_visible()
    location.refresh_from_db()
    assert location.status == "aangepakt"
    # and it is on the map's risk-location layer
    page.goto("/gebieden/kaart/", wait_until="domcontentloaded")
    expect(page.locator("#regie-kaart")).to_have_attribute("data-loaded", str(ravenstede["buurten"] + _wijken(ravenstede)))
    expect(page.locator("#regie-kaart")).to_have_attribute("data-ready", "true")
    located = RiskLocation.objects.visible_to(access).count()  # the demo's register plus this one
    expect(page.locator(".leaflet-control-layers")).to_contain_text(f"Risicolocaties ({located})")
    assert console.csp_violations() == []


def _wijken(ravenstede) -> int:
    from regie.areas.models import Wijk

    with system_access("test: count"):
        return Wijk.objects.filter(owner=ravenstede["gemeente"]).exclude(geometry="").count()
