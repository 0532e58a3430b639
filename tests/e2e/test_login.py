"""Signing in through the real login form, with password and TOTP code."""

import re

import pytest
from playwright.sync_api import expect

from regie.accounts.roles import Role
from tests.conftest import current_code

from .support import fill_login_form, wrong_code

pytestmark = pytest.mark.e2e

LOGIN_ERROR = "Gebruikersnaam of wachtwoord is onjuist, of de verificatiecode klopt niet."


def test_login_with_password_and_totp_shows_the_role_start_page(page, console, orgs, make_user):
    user = make_user(role=Role.COORDINATOR, org=orgs["a"], username="c.devries", first_name="Carla", last_name="de Vries")

    fill_login_form(page, user.username, code=current_code(user))

    expect(page).to_have_url(re.compile(r"/start/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Goedendag, Carla de Vries")
    expect(page.locator(".regie-user")).to_contain_text("Coördinator / kernteam ondermijning")
    expect(page.locator(".regie-user")).to_contain_text("Gemeente Aastad")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_contain_text("Subjecten")
    assert console.csp_violations() == []


def test_wrong_second_factor_stays_on_login_with_a_dutch_error(page, orgs, make_user):
    user = make_user(role=Role.ANALIST, org=orgs["a"])

    fill_login_form(page, user.username, code=wrong_code(user))

    expect(page).to_have_url(re.compile(r"/inloggen/$"))
    expect(page.get_by_role("alert")).to_have_text(LOGIN_ERROR)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    # not signed in: a protected page sends the browser back to the login form
    page.goto("/start/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")


def test_missing_second_factor_is_refused_too(page, orgs, make_user):
    user = make_user(role=Role.BIBOB, org=orgs["a"])

    fill_login_form(page, user.username, code="")

    expect(page.get_by_role("alert")).to_have_text(LOGIN_ERROR)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
