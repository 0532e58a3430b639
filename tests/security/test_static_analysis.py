"""Static security analysis of src/regie (issue 13): ruff's flake8-bandit rules (S) and bandit at
medium and high severity must find nothing.

A finding is fixed, or kept with the rule and the reason on its line —
``# noqa: S105 — why this is safe`` for ruff, ``# nosec B608 — why`` for bandit. The
configuration is in pyproject.toml ([tool.ruff], [tool.bandit]). A canary file with known
problems checks that both tools really run with that configuration, so an empty result means
something.

There is no dependency audit (pip-audit) here: it needs a vulnerability database from the
network, which the test machines do not reach.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "pyproject.toml"

CANARY = '''
import subprocess
import pickle

PASSWORD = "hunter2"


def run(command, blob):
    subprocess.call(command, shell=True)
    return pickle.loads(blob)
'''


def ruff(*paths) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--config", str(CONFIG), "--no-cache", "--select", "S",
         "--output-format", "concise", *map(str, paths)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )


def bandit(*paths) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bandit", "-c", str(CONFIG), "-q", "-r", "-ll", *map(str, paths)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )


def test_ruff_bandit_rules_find_nothing_in_src():
    result = ruff("src/regie")
    assert result.returncode == 0, f"ruff check --select S src/regie:\n{result.stdout}{result.stderr}"


def test_bandit_finds_nothing_of_medium_or_high_severity_in_src():
    result = bandit("src/regie")
    assert result.returncode == 0, f"bandit -r src/regie -ll:\n{result.stdout}{result.stderr}"


def test_both_tools_report_a_canary(tmp_path):
    canary = tmp_path / "canary.py"
    canary.write_text(CANARY, encoding="utf-8")
    found = ruff(canary)
    assert found.returncode == 1, found.stdout + found.stderr
    assert {"S602", "S301", "S105"} <= {word for word in found.stdout.split() if word[:1] == "S" and word[1:].isdigit()}
    found = bandit(canary)
    assert found.returncode == 1, found.stdout + found.stderr
    assert "B602" in found.stdout and "B301" in found.stdout
