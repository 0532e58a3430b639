"""Issue 'foundation' point 1: the stack, the layout and the `regie` console script."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


def test_regie_console_script_is_the_projects_manage_py(tmp_path):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["regie"] == "regie.manage:main"
    script = Path(sys.executable).with_name("regie")
    assert script.exists(), "the console script is installed next to the interpreter"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["REGIE_DATA_DIR"] = str(tmp_path)
    env.pop("DATABASE_URL", None)
    result = subprocess.run([str(script), "help"], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    for command in ("demo-data", "audit-verify", "api-token", "create-user", "settings-doc", "intake-retention"):
        assert command in result.stdout


def test_dependencies_have_ranges_and_a_complete_pinned_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    assert all(re.search(r"[<>=]", dep) for dep in wanted), "every dependency has a version range"
    lock = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not pinned: {line}"
            lock[name.lower().replace("_", "-")] = version
    for dep in wanted:
        name = re.split(r"[<>=\[ ;]", dep, maxsplit=1)[0].lower().replace("_", "-")
        assert name in lock, f"{name} is missing from requirements.lock"
    assert lock["django"].startswith("5.2."), "Django 5.2 LTS"


def test_stack_and_one_app_per_room():
    assert sys.version_info[:2] >= (3, 11)
    import django

    assert django.VERSION[:2] == (5, 2)
    labels = {app.label for app in apps.get_app_configs()}
    assert {"organisations", "accounts", "audit", "subjects", "areas", "intake", "web", "api", "demo"} <= labels
    assert "rest_framework" in settings.INSTALLED_APPS and "drf_spectacular" in settings.INSTALLED_APPS
    for app in ("organisations", "accounts", "audit", "subjects", "areas", "intake", "web", "api", "demo"):
        assert (ROOT / "src" / "regie" / app / "__init__.py").exists()


def test_the_security_frame_imports_no_room():
    rooms = ("subjects", "areas", "intake", "partners", "meetings", "cases", "measures", "bibob", "controls", "matching",
             "network", "plans", "reports", "resilience")
    offenders = []
    for frame in ("organisations", "accounts", "audit"):
        for path in (ROOT / "src" / "regie" / frame).rglob("*.py"):
            text = path.read_text()
            for room in rooms:
                if re.search(rf"^\s*(from|import) regie\.{room}\b", text, re.M):
                    offenders.append(f"{path.relative_to(ROOT)} imports regie.{room}")
    assert offenders == []


def test_the_matching_library_is_framework_free():
    """regie.matching is a plain library (issue 8, point 2): no Django, no other part of Regie."""
    offenders = []
    for path in (ROOT / "src" / "regie" / "matching").rglob("*.py"):
        text = path.read_text()
        for match in re.finditer(r"^\s*(?:from|import) ((?:django|rest_framework|regie)\b[\w.]*)", text, re.M):
            if not match.group(1).startswith("regie.matching"):
                offenders.append(f"{path.relative_to(ROOT)} imports {match.group(1)}")
    assert offenders == []
    assert len(list((ROOT / "src" / "regie" / "matching").glob("*.py"))) > 5  # the scan found the library
