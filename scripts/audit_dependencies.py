#!/usr/bin/env python3
"""Audit the locked Python dependencies against PyPI's vulnerability records.

    python3 scripts/audit_dependencies.py [requirements.lock]

For every ``name==version`` in the lock this asks PyPI's JSON API for the known vulnerabilities
(PyPI imports them from the OSV database: PYSEC, GHSA and CVE identifiers), the same records
pip-audit's default "pypi" service reads:

1. ``/pypi/<name>/<version>/json``: the vulnerabilities of exactly that release. This is what
   pip-audit asks; the PyPI mirror of the development and CI machines answers it with 404.
2. Otherwise ``/pypi/<name>/json``: the project's page, whose vulnerabilities are those of its
   latest release. That answers for the locked release only when the lock holds the latest one.

A package whose locked release is older than the latest and whose release page is not served is
reported as *not audited here*, with whether it is the newest release of its own series (e.g.
Django 5.2.x, an LTS line that receives its security fixes as patch releases). It is never
counted as clean.

The exit status is 1 when any locked release has a known (not withdrawn) vulnerability, or when
PyPI could not be asked at all (an audit that did not run must not pass); 0 otherwise. Standard
library only, so it runs before the virtualenv exists. See docs/security.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

PYPI = "https://pypi.org/pypi"
Fetch = Callable[[str], "dict | None"]


class Unreachable(Exception):
    """PyPI did not answer (network error or server error after retries)."""


@dataclass
class Finding:
    name: str
    version: str
    status: str  # "clean", "vulnerable", "not-audited"
    source: str = ""  # which PyPI page answered
    vulnerabilities: list[dict] = field(default_factory=list)
    latest: str = ""
    newest_in_series: bool | None = None


def read_lock(path: Path) -> list[tuple[str, str]]:
    """The ``name==version`` pins of a pip lock file (comments, markers and hashes ignored)."""
    pins = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;\\]+)", line)
        if not match:
            raise ValueError(f"not a pinned requirement: {line!r}")
        pins.append((match.group(1), match.group(2)))
    return pins


def http_fetch(url: str, attempts: int = 3) -> dict | None:
    """The JSON at ``url``; None for 404; Unreachable after ``attempts`` failures."""
    last = ""
    for attempt in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            last = f"HTTP {error.code}"
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            last = str(error)
        time.sleep(2 * (attempt + 1))
    raise Unreachable(f"{url}: {last}")


def _series(version: str) -> tuple[str, ...]:
    """Major and minor of a release, the "series" a patch release belongs to."""
    return tuple(re.findall(r"\d+", version)[:2])


def _release_key(version: str) -> tuple:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def _is_final(version: str) -> bool:
    return re.fullmatch(r"\d+(\.\d+)*(\.post\d+)?", version) is not None


def _open(vulnerabilities: list[dict] | None) -> list[dict]:
    return [v for v in vulnerabilities or [] if not v.get("withdrawn")]


def audit_one(name: str, version: str, fetch: Fetch) -> Finding:
    release = fetch(f"{PYPI}/{name}/{version}/json")
    if release is not None:
        found = _open(release.get("vulnerabilities"))
        return Finding(name, version, "vulnerable" if found else "clean", "release page", found,
                       latest=release.get("info", {}).get("version", ""))
    project = fetch(f"{PYPI}/{name}/json")
    if project is None:
        raise Unreachable(f"{PYPI}/{name}/json: no such project on PyPI")
    latest = project.get("info", {}).get("version", "")
    if latest == version:
        found = _open(project.get("vulnerabilities"))
        return Finding(name, version, "vulnerable" if found else "clean", "project page (latest release)", found,
                       latest=latest)
    series = [v for v in project.get("releases", {}) if _is_final(v) and _series(v) == _series(version)]
    newest = max(series, key=_release_key, default=version)
    return Finding(name, version, "not-audited", latest=latest, newest_in_series=_release_key(newest) <= _release_key(version))


def audit(pins: list[tuple[str, str]], fetch: Fetch | None = None, workers: int = 8) -> list[Finding]:
    fetch = fetch or http_fetch
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda pin: audit_one(pin[0], pin[1], fetch), pins))


def report(findings: list[Finding], out=sys.stdout) -> int:
    vulnerable = [f for f in findings if f.status == "vulnerable"]
    unaudited = [f for f in findings if f.status == "not-audited"]
    clean = [f for f in findings if f.status == "clean"]
    by_release = sum(1 for f in clean if f.source == "release page")
    print(f"{len(findings)} locked packages: {len(clean)} without known vulnerabilities "
          f"({by_release} by their release page, {len(clean) - by_release} as the latest release), "
          f"{len(vulnerable)} vulnerable, {len(unaudited)} not audited here", file=out)
    for finding in vulnerable:
        for vuln in finding.vulnerabilities:
            ids = ", ".join([vuln.get("id", "?"), *vuln.get("aliases", [])])
            fixed = ", ".join(vuln.get("fixed_in") or []) or "no fixed release"
            print(f"  VULNERABLE {finding.name} {finding.version}: {ids} (fixed in {fixed}) {vuln.get('link', '')}", file=out)
    for finding in unaudited:
        series = "the newest release of its series" if finding.newest_in_series else "NOT the newest release of its series"
        print(f"  not audited here: {finding.name} {finding.version} (latest {finding.latest}; {series}): "
              "PyPI's page for this release is not served here", file=out)
    return 1 if vulnerable else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lock", nargs="?", default=str(Path(__file__).resolve().parents[1] / "requirements.lock"))
    args = parser.parse_args(argv)
    try:
        pins = read_lock(Path(args.lock))
        findings = audit(pins)
    except (ValueError, OSError) as error:
        print(f"dependency audit: {error}", file=sys.stderr)
        return 1
    except Unreachable as error:
        print(f"dependency audit did not run: PyPI unreachable ({error})", file=sys.stderr)
        return 1
    return report(findings)


if __name__ == "__main__":
    sys.exit(main())
