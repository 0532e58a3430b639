"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One Chromium is started for the whole session; every test gets a fresh browser context (no
cookies) and page. Without /usr/bin/chromium the tests are skipped, unless
REGIE_REQUIRE_BROWSER=1 (as in .ci/run), in which case they fail.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client

from tests.conftest import verified_client

#: Debian's Chromium; REGIE_CHROMIUM points elsewhere (Playwright cannot download its own build here)
CHROMIUM = os.environ.get("REGIE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: ms; generous for a loaded 2-core CI machine
TIMEOUT = 15_000


def _unavailable(reason: str):
    if os.environ.get("REGIE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REGIE_REQUIRE_BROWSER=1: browser tests may not be skipped)", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}; install Debian's chromium to run them")


@pytest.fixture(scope="session")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        _unavailable("the Python package playwright is not installed")
    # Playwright's sync API keeps an asyncio event loop "running" in the main thread, which makes
    # Django's async-safety check refuse every ORM call the test itself makes. Allowed while the
    # browser (and so the loop) lives.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
        )
    except Exception as exc:
        playwright.stop()
        _restore_env("DJANGO_ALLOW_ASYNC_UNSAFE", previous)
        _unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
    yield browser
    browser.close()
    playwright.stop()
    _restore_env("DJANGO_ALLOW_ASYNC_UNSAFE", previous)


def _restore_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


@pytest.fixture(autouse=True)
def _flushable_audit_log(transactional_db):
    """Let the per-test flush empty the audit log on SQLite.

    Flushing deletes rows, which the append-only triggers (log and head) refuse on SQLite
    (PostgreSQL truncates, which row triggers do not fire on). Empty both with their delete
    triggers briefly dropped, so the triggers are in force during every test and after it.
    """
    yield
    if connection.vendor != "sqlite":
        return
    trigger = importlib.import_module("regie.audit.migrations.0002_append_only_trigger")
    create_no_delete = next(sql for sql in trigger.SQLITE_CREATE if "regie_audit_no_delete" in sql)
    head = importlib.import_module("regie.audit.migrations.0003_head_only_moves_forward")
    create_head_no_delete = next(sql for sql in head.SQLITE_CREATE if "regie_audit_head_no_delete" in sql)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS regie_audit_no_delete")
        cursor.execute("DROP TRIGGER IF EXISTS regie_audit_head_no_delete")
        cursor.execute("DELETE FROM audit_auditentry")
        cursor.execute("DELETE FROM audit_audithead")
        cursor.execute(create_no_delete)
        cursor.execute(create_head_no_delete)


@pytest.fixture(autouse=True)
def _standard_themes(transactional_db):
    """The national theme catalogue comes from a data migration; the flush after every browser test
    empties it, so put it back for the next one (as the migration does)."""
    from regie.intake.catalogue import STANDARD_THEMES
    from regie.intake.models import Theme

    for code, group, name in STANDARD_THEMES:
        Theme.objects.get_or_create(organisation=None, code=code, defaults={"group": group, "name": name})


@dataclass
class Console:
    """Everything the page wrote to the console, and uncaught page errors."""

    messages: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [m for m in self.messages if "content security policy" in m.lower()]


@pytest.fixture
def console():
    return Console()


@pytest.fixture
def context(browser, live_server):
    ctx = browser.new_context(base_url=live_server.url, locale="nl-NL", timezone_id="Europe/Amsterdam")
    ctx.set_default_timeout(TIMEOUT)
    ctx.set_default_navigation_timeout(TIMEOUT)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, console):
    page = context.new_page()
    page.on("console", lambda msg: console.messages.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: console.messages.append(f"pageerror: {exc}"))
    yield page
    page.close()


@pytest.fixture
def sign_in(context, live_server):
    """Put a signed-in session for ``user`` into the browser context, second factor verified
    unless ``verified=False`` (as after a single sign-on whose provider does not enforce MFA).

    Much faster than the login form; the form itself is tested in test_login.py.
    """

    def sign(user, verified: bool = True):
        if verified:
            client = verified_client(user)
        else:
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        context.clear_cookies()
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )
        return user

    return sign
