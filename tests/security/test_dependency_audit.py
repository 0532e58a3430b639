"""The dependency audit (scripts/audit_dependencies.py), with PyPI's answers given in-process.

CI runs the script itself against PyPI (a step of .ci/run); these tests pin down what it
concludes from each kind of answer, so that a vulnerable or unanswerable package can never pass.
"""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit_dependencies = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = audit_dependencies  # dataclasses look their module up
spec.loader.exec_module(audit_dependencies)

VULN = {
    "id": "PYSEC-2099-1",
    "aliases": ["CVE-2099-0001"],
    "fixed_in": ["1.0.1"],
    "link": "https://osv.dev/vulnerability/PYSEC-2099-1",
    "withdrawn": None,
}


def fake_pypi(pages: dict[str, dict | None]):
    """A fetch that answers from ``pages`` (path after /pypi/) and 404s the rest; records what it was asked."""
    asked = []

    def fetch(url: str):
        path = url.removeprefix(audit_dependencies.PYPI + "/")
        asked.append(path)
        if path in pages and isinstance(pages[path], Exception):
            raise pages[path]
        return pages.get(path)

    fetch.asked = asked
    return fetch


def project(latest: str, releases: list[str], vulnerabilities=()):
    return {"info": {"version": latest}, "releases": {v: [] for v in releases}, "vulnerabilities": list(vulnerabilities)}


def run(pins, pages):
    findings = audit_dependencies.audit(pins, fetch=fake_pypi(pages), workers=2)
    out = io.StringIO()
    return findings, audit_dependencies.report(findings, out=out), out.getvalue()


def test_release_page_answers_for_exactly_the_locked_release():
    findings, status, text = run(
        [("alpha", "1.0.0")],
        {"alpha/1.0.0/json": {"info": {"version": "1.0.0"}, "vulnerabilities": [VULN]}},
    )
    assert status == 1
    assert findings[0].status == "vulnerable" and findings[0].source == "release page"
    assert "VULNERABLE alpha 1.0.0: PYSEC-2099-1, CVE-2099-0001 (fixed in 1.0.1)" in text


def test_latest_release_is_audited_through_the_project_page():
    findings, status, text = run(
        [("alpha", "2.0"), ("beta", "3.1")],
        {"alpha/json": project("2.0", ["1.0", "2.0"]), "beta/json": project("3.1", ["3.1"], [VULN])},
    )
    assert [f.status for f in findings] == ["clean", "vulnerable"]
    assert status == 1
    assert "1 without known vulnerabilities (0 by their release page, 1 as the latest release)" in text


def test_withdrawn_advisories_do_not_count():
    withdrawn = {**VULN, "withdrawn": "2099-02-01T00:00:00Z"}
    findings, status, _ = run([("alpha", "2.0")], {"alpha/json": project("2.0", ["2.0"], [withdrawn])})
    assert findings[0].status == "clean" and status == 0


def test_an_older_release_is_reported_as_not_audited_never_as_clean():
    # the project page lists a vulnerability of its latest release only: it says nothing of 5.2.19
    findings, status, text = run(
        [("Django", "5.2.19"), ("gamma", "1.4.0")],
        {
            "Django/json": project("6.1.3", ["5.2.18", "5.2.19", "6.1.3", "6.2a1"]),
            "gamma/json": project("2.0.0", ["1.4.0", "1.4.1", "2.0.0"]),
        },
    )
    assert [f.status for f in findings] == ["not-audited", "not-audited"]
    assert findings[0].newest_in_series is True
    assert findings[1].newest_in_series is False
    assert status == 0
    assert "0 without known vulnerabilities" in text and "2 not audited here" in text
    assert "gamma 1.4.0 (latest 2.0.0; NOT the newest release of its series)" in text


def test_the_release_page_is_asked_first():
    fetch = fake_pypi({"alpha/json": project("1.0", ["1.0"])})
    audit_dependencies.audit([("alpha", "1.0")], fetch=fetch, workers=1)
    assert fetch.asked == ["alpha/1.0/json", "alpha/json"]


def test_an_unknown_project_or_an_unreachable_pypi_fails_the_audit(tmp_path, monkeypatch, capsys):
    with pytest.raises(audit_dependencies.Unreachable):
        audit_dependencies.audit([("no-such-package", "1.0")], fetch=fake_pypi({}), workers=1)

    lock = tmp_path / "requirements.lock"
    lock.write_text("# pinned\nalpha==1.0\n")

    def unreachable(url):
        raise audit_dependencies.Unreachable(f"{url}: timed out")

    monkeypatch.setattr(audit_dependencies, "http_fetch", unreachable)
    assert audit_dependencies.main([str(lock)]) == 1
    assert "did not run: PyPI unreachable" in capsys.readouterr().err


def test_read_lock(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("# comment\n\nDjango==5.2.19\npsycopg[binary]==3.2.1  # extra\ntzdata==2025.2 ; sys_platform == 'win32'\n")
    assert audit_dependencies.read_lock(lock) == [("Django", "5.2.19"), ("psycopg", "3.2.1"), ("tzdata", "2025.2")]
    lock.write_text("Django>=5\n")
    with pytest.raises(ValueError, match="not a pinned requirement"):
        audit_dependencies.read_lock(lock)


def test_the_repository_lock_is_fully_pinned():
    pins = audit_dependencies.read_lock(SCRIPT.parents[1] / "requirements.lock")
    assert len(pins) > 100
    assert "Django" in {name for name, _ in pins}
