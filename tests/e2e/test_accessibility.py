"""axe-core on every page a user can reach: no serious or critical violation.

Each test walks a group of pages and fails once, listing every violation it found with the
page, the rule and the offending markup.
"""

import pytest
from playwright.sync_api import expect

from regie.accounts.access import access_for_user
from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.subjects.models import Person

from .support import A11yReport, assign, blocking_violations, fill_login_form, registry, visit, wrong_code

pytestmark = pytest.mark.e2e

KINDS = ("personen", "bedrijven", "adressen")


def test_the_check_itself_sees_a_violation(page):
    """Control: a page with an unnamed button fails, so a clean result means something."""
    visit(page, "/inloggen/")
    assert blocking_violations(page) == []
    page.evaluate("() => document.querySelector('main').appendChild(document.createElement('button'))")
    assert "button-name" in [v["id"] for v in blocking_violations(page)]


def test_login_pages(page, console, orgs, make_user):
    report = A11yReport()
    visit(page, "/inloggen/")
    report.check(page, "login")

    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    fill_login_form(page, user.username, code=wrong_code(user))
    expect(page.get_by_role("alert")).to_be_visible()
    report.check(page, "login with an error")

    # a role without personal data signs in with the password alone
    page.context.clear_cookies()
    fill_login_form(page, make_user(role=Role.RAADSLID, org=orgs["a"]).username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Goedendag")
    report.assert_clean()
    assert console.csp_violations() == []


def test_second_factor_page(page, sign_in, orgs, make_user):
    sign_in(make_user(role=Role.JURIST, org=orgs["a"]), verified=False)
    report = A11yReport()
    visit(page, "/start/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bevestig met uw tweede factor")
    report.check(page, "second factor")
    page.get_by_label("Verificatiecode").fill("12")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.locator(".utrecht-form-field-error-message")).to_be_visible()
    report.check(page, "second factor with an error")
    report.assert_clean()


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_start_page_of_every_role(page, console, sign_in, orgs, make_user, role):
    user = sign_in(make_user(role=role, org=orgs["a"], first_name="Sam", last_name="Smit"))
    if role in (Role.COORDINATOR, Role.ANALIST):
        assign(user, registry(orgs["a"])["personen"])
    make_user(role=Role.COORDINATOR, org=orgs["a"], first_name="Kim", last_name="Kernteam", email="kim@example.org")
    visit(page, "/start/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Goedendag, Sam Smit")
    expect(page.locator(".regie-user")).to_contain_text(role.label)
    report = A11yReport()
    report.check(page, f"start page of {role.value}")
    visit(page, "/account/")
    report.check(page, f"account page of {role.value}")
    report.assert_clean()
    assert console.csp_violations() == []


def test_subject_list_detail_and_forms(page, console, sign_in, orgs, make_user):
    user = sign_in(make_user(role=Role.COORDINATOR, org=orgs["a"]))
    records = registry(orgs["a"], user)
    report = A11yReport()
    for kind in KINDS:
        obj = records[kind]
        visit(page, f"/subjecten/{kind}/")
        report.check(page, f"{kind}: list")
        visit(page, f"/subjecten/{kind}/?q=zzz-niets")
        expect(page.locator("#resultaten")).to_contain_text("Niets gevonden.")
        report.check(page, f"{kind}: list without results")
        visit(page, f"/subjecten/{kind}/{obj.pk}/")
        report.check(page, f"{kind}: detail")
        visit(page, f"/subjecten/{kind}/{obj.pk}/wijzigen/")
        report.check(page, f"{kind}: edit form")
        visit(page, f"/subjecten/{kind}/nieuw/")
        report.check(page, f"{kind}: new form")
        with page.expect_navigation():
            page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_role("alert")).to_be_visible()
        report.check(page, f"{kind}: new form with errors")
    report.assert_clean()
    assert console.csp_violations() == []


def test_purpose_form(page, console, sign_in, orgs, make_user):
    sign_in(make_user(role=Role.ANALIST, org=orgs["a"]))
    person = registry(orgs["a"])["personen"]  # not assigned to the analyst
    report = A11yReport()
    visit(page, f"/subjecten/personen/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Waarvoor opent u dit dossier?")
    assert "/doel/" in page.url
    report.check(page, "purpose form")
    page.get_by_role("button", name="Doel vastleggen en openen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    report.check(page, "purpose form with errors")
    page.get_by_label("Onderzoek in een casus").check()
    page.get_by_label("Toelichting").fill("Casus 2026-014, voorbereiding overleg")
    page.get_by_role("button", name="Doel vastleggen en openen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jan Jansen")
    report.check(page, "detail after stating a purpose (with message)")
    visit(page, "/start/")
    report.check(page, "start page with a running purpose")
    report.assert_clean()
    assert console.csp_violations() == []


def test_audit_log_of_the_privacy_officer(page, console, sign_in, orgs, make_user):
    coordinator = make_user(role=Role.COORDINATOR, org=orgs["a"], username="k.kernteam")
    person = registry(orgs["a"])["personen"]
    access = access_for_user(coordinator)
    for _ in range(3):
        record(AuditEntry.Action.VIEW, obj=person, access=access, purpose="Voorbereiding van het overleg")
    record(AuditEntry.Action.EXPORT, model=Person, access=access, detail={"rows": 1})
    sign_in(make_user(role=Role.PRIVACY, org=orgs["a"]))

    report = A11yReport()
    visit(page, "/audit-log/")
    report.check(page, "audit log")
    page.get_by_label("Gebruiker").fill("k.kernteam")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("table")).to_contain_text("4 regels gevonden")
    expect(page.get_by_role("table")).to_contain_text(f"subjects.person #{person.pk}")
    report.check(page, "audit log with results")
    visit(page, "/audit-log/?date_from=2026-02-01&date_to=2026-01-01", status=400)
    report.check(page, "audit log with an error")
    visit(page, "/start/")
    report.check(page, "privacy officer start page with figures")
    report.assert_clean()
    assert console.csp_violations() == []


def test_users_page_error_pages(page, console, sign_in, orgs, make_user):
    make_user(role=Role.BOA, org=orgs["a"], device=False)
    make_user(role=Role.RAADSLID, org=orgs["a"])
    sign_in(make_user(role=Role.BEHEERDER, org=orgs["a"]))
    report = A11yReport()
    visit(page, "/beheer/gebruikers/")
    expect(page.get_by_role("table")).to_contain_text("ontbreekt")
    report.check(page, "users")
    visit(page, "/subjecten/personen/", status=403)
    report.check(page, "403 (no need to know)")
    visit(page, "/bestaat-niet/", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    report.check(page, "404")
    page.context.clear_cookies()
    visit(page, "/bestaat-niet/", status=404)
    report.check(page, "404 (signed out)")
    report.assert_clean()
    assert console.csp_violations() == []
