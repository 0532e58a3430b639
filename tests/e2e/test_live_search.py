"""The strict Content-Security-Policy holds in the browser, and htmx live search works under it."""

import re

import pytest
from playwright.sync_api import expect

from regie.accounts.roles import Role
from regie.subjects.models import Person

from .support import assign, visit

pytestmark = pytest.mark.e2e


def test_live_search_updates_the_results_without_csp_violations(page, console, sign_in, orgs, make_user):
    user = sign_in(make_user(role=Role.COORDINATOR, org=orgs["a"]))
    for first, surname in [("Jan", "Jansen"), ("Piet", "Pietersen"), ("Mies", "Bakker")]:
        assign(user, Person.objects.create(owner=orgs["a"], first_names=first, surname=surname))
    Person.objects.create(owner=orgs["b"], first_names="Petra", surname="Pietersma")  # another gemeente

    visit(page, "/subjecten/personen/")
    results = page.locator("#resultaten")
    expect(results.get_by_role("caption")).to_have_text("3 personen")
    # a marker that a full page load would wipe out: the update must come from htmx
    page.evaluate("window.regieMarker = 'nog dezelfde pagina'")

    with page.expect_response(lambda r: "q=Piet" in r.url and r.request.headers.get("hx-request") == "true") as answer:
        page.get_by_label("Zoeken", exact=True).press_sequentially("Piet", delay=40)
    assert answer.value.status == 200

    expect(results.get_by_role("caption")).to_have_text("1 persoon gevonden voor “Piet”")
    # the count is announced through a small status line, not by re-reading the whole table
    expect(page.locator("#resultaten-status")).to_have_text("1 persoon gevonden voor “Piet”")
    expect(results.get_by_role("link", name="Piet Pietersen")).to_be_visible()
    expect(results).not_to_contain_text("Jansen")
    expect(results).not_to_contain_text("Pietersma")
    assert page.evaluate("window.regieMarker") == "nog dezelfde pagina"
    expect(page).to_have_url(re.compile(r"/subjecten/personen/\?q=Piet$"))

    # clearing the box brings every person back; submitting the form goes through htmx too
    page.get_by_label("Zoeken", exact=True).fill("")
    expect(results.get_by_role("caption")).to_have_text("3 personen")
    page.get_by_label("Zoeken", exact=True).fill("bakker")
    page.get_by_role("button", name="Zoeken").click()
    expect(results.get_by_role("link", name="Mies Bakker")).to_be_visible()
    expect(results.get_by_role("caption")).to_have_text("1 persoon gevonden voor “bakker”")
    assert page.evaluate("window.regieMarker") == "nog dezelfde pagina"

    # open a result and come back: the pages themselves raise no CSP report either
    results.get_by_role("link", name="Mies Bakker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mies Bakker")

    assert console.csp_violations() == [], "\n".join(console.messages)
    assert not [m for m in console.messages if m.startswith("pageerror")], "\n".join(console.messages)


def test_csp_header_is_strict_and_a_violation_would_be_seen(page, console, sign_in, orgs, make_user):
    sign_in(make_user(role=Role.COORDINATOR, org=orgs["a"]))
    response = visit(page, "/start/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert console.csp_violations() == []

    # control: an inline script is refused and the refusal reaches the console we watch
    page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.inlineRan = true';
            document.body.appendChild(script);
        }"""
    )
    for _ in range(50):
        if console.csp_violations():
            break
        page.wait_for_timeout(20)
    assert page.evaluate("window.inlineRan === undefined")
    assert console.csp_violations(), "an inline script should have been reported as a CSP violation"
