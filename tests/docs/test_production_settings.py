"""Production mode passes `check --deploy`, refuses unsafe configurations, and pages carry strict headers."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from regie.accounts.roles import Role
from regie.conf.env import REGISTRY
from tests.conftest import verified_client

SRC = Path(__file__).resolve().parents[2] / "src" / "regie"


def _clean_environ() -> dict[str, str]:
    """The test process's environment without any of Regie's (or Django's) own settings."""
    return {
        key: value
        for key, value in os.environ.items()
        if key not in REGISTRY and not key.startswith(("REGIE_", "DJANGO_", "OIDC_"))
    }


def run_regie(tmp_path, *args, **overrides):
    env = _clean_environ()
    env.update(
        {
            "REGIE_PRODUCTION": "true",
            "SECRET_KEY": "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(60)),
            "ALLOWED_HOSTS": "regie.example.nl",
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
            "REGIE_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "regie.settings",
        }
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-m", "regie.manage", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = run_regie(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output.upper(), output


def test_production_switches_on_https_and_secure_cookies(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.DEBUG, s.SESSION_COOKIE_NAME)"
    )
    result = run_regie(tmp_path, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["True", "True", "True", "31536000", "True", "False", "__Host-regie-session"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY is required"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is required"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS is required"),
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"REGIE_PRODUCTION": "misschien"}, "REGIE_PRODUCTION must be true or false"),
    ],
    ids=["no-secret-key", "empty-secret-key", "no-allowed-hosts", "debug-on", "bad-boolean"],
)
def test_production_refuses_unsafe_configuration(tmp_path, overrides, message):
    result = run_regie(tmp_path, "check", **overrides)
    assert result.returncode != 0
    assert message in result.stderr
    # a clear one-line refusal, not a traceback
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Regie refuses to start:")


# --- headers -----------------------------------------------------------------------------


def _csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def _assert_strict_headers(response):
    header = response.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    directives = _csp_directives(header)
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") == "same-origin"


def test_login_page_carries_strict_headers(db, client):
    response = client.get("/inloggen/")
    assert response.status_code == 200
    _assert_strict_headers(response)


def test_signed_in_pages_carry_strict_headers(orgs, make_user):
    client = verified_client(make_user(role=Role.COORDINATOR, org=orgs["a"]))
    for url in ("/start/", "/subjecten/personen/", "/account/"):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict_headers(response)


def test_api_responses_carry_strict_headers(db, client):
    response = client.get("/api/v1/ik/")
    assert response.status_code in (401, 403)
    _assert_strict_headers(response)


# --- templates ---------------------------------------------------------------------------


class _InlineFinder(HTMLParser):
    """Collects inline script, inline style and event-handler attributes in one template."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            name = name.lower()
            if name == "style":
                self.problems.append(f"line {self.getpos()[0]}: style= attribute on <{tag}>")
            elif name.startswith("on") and name[2:].isalpha():
                self.problems.append(f"line {self.getpos()[0]}: event handler {name}= on <{tag}>")
            elif name.startswith(("hx-on", "data-hx-on")):
                self.problems.append(f"line {self.getpos()[0]}: {name} (inline script through htmx) on <{tag}>")
            elif value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"line {self.getpos()[0]}: javascript: URL in {name}= on <{tag}>")
        if tag == "script":
            self._in_script = True
        elif tag == "style":
            self.problems.append(f"line {self.getpos()[0]}: inline <style> element")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"line {self.getpos()[0]}: inline <script> with content")


def _templates():
    return sorted(p for p in SRC.rglob("templates/**/*") if p.is_file() and p.suffix in {".html", ".txt", ".xml", ".svg"})


def test_templates_exist():
    assert any(p.name == "base.html" for p in _templates())


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(SRC)))
def test_template_has_no_inline_script_style_or_handler(path):
    finder = _InlineFinder()
    finder.feed(path.read_text(encoding="utf-8"))
    finder.close()
    assert not finder.problems, f"{path.relative_to(SRC)}: " + "; ".join(finder.problems)
