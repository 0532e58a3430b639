"""Lint: the escape hatch and raw SQL stay inside the security frame.

Domain code reads through the scoped default manager. ``Model.unscoped`` (and Django's
``_base_manager``, which is the same manager) and raw SQL
(``.raw(``, ``.extra(``, ``RawSQL``, ``connection.cursor``) bypass tenancy and need-to-know, so
they may appear only in the security frame (organisations, accounts, audit) and in migrations.
The scan works on the syntax tree, so comments and docstrings that mention them are fine.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "regie"
#: the security frame, relative to src/regie
FRAME = ("organisations", "accounts", "audit")
RAW_SQL_METHODS = {"raw", "extra"}
RAW_SQL_NAMES = {"RawSQL"}


def violations_in_source(source: str, filename: str = "<snippet>") -> list[tuple[str, int, str]]:
    """(filename, line, what) for every use of the escape hatch or raw SQL in ``source``."""
    found = []
    tree = ast.parse(source, filename=filename)
    for node in ast.walk(tree):
        what = None
        if isinstance(node, ast.Attribute):
            if node.attr == "unscoped":
                what = ".unscoped"
            elif node.attr == "_base_manager":
                what = "._base_manager"
            elif node.attr == "cursor":
                what = "connection.cursor"
            elif node.attr in RAW_SQL_NAMES:
                what = node.attr
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RAW_SQL_METHODS:
            what = f".{node.func.attr}("
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr":
            # getattr(Model, "unscoped") is the same escape, spelled to dodge a grep
            if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and node.args[1].value in ("unscoped", "_base_manager"):
                what = f".{node.args[1].value}"
        elif isinstance(node, ast.Name) and node.id in RAW_SQL_NAMES:
            what = node.id
        elif isinstance(node, ast.ImportFrom):
            names = {alias.name for alias in node.names}
            if names & RAW_SQL_NAMES:
                what = ", ".join(sorted(names & RAW_SQL_NAMES))
        if what:
            found.append((filename, node.lineno, what))
    return sorted(set(found), key=lambda v: (v[0], v[1], v[2]))


def is_exempt(path: Path, root: Path = SRC) -> bool:
    parts = path.relative_to(root).parts
    return parts[0] in FRAME or "migrations" in parts


def scan(root: Path = SRC) -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if is_exempt(path, root):
            continue
        name = str(path.relative_to(root.parent.parent)) if root == SRC else str(path.relative_to(root))
        found += violations_in_source(path.read_text(encoding="utf-8"), name)
    return found


def report(found) -> str:
    return "\n".join(f"{name}:{line}: {what} outside the security frame" for name, line, what in found)


def test_no_escape_hatch_or_raw_sql_outside_the_frame():
    found = scan()
    assert not found, (
        "Domain code must read through the scoped manager. Move this into a helper of the security "
        "frame (regie.organisations / accounts / audit):\n" + report(found)
    )


def test_the_scan_covers_the_domain_apps():
    scanned = {p.relative_to(SRC).parts[0] for p in SRC.rglob("*.py") if not is_exempt(p)}
    assert {"subjects", "web", "api", "areas"} <= scanned
    assert not scanned & set(FRAME)


# --- the lint itself ------------------------------------------------------------------------

SNIPPET = '''\
"""Mentions Person.unscoped and connection.cursor() in a docstring: fine."""
from django.db import connection
from django.db.models.expressions import RawSQL

# a comment about .raw( and .extra( is fine too


def leaky(pk):
    everyone = Person.unscoped.all()
    rows = Person.objects.raw("SELECT * FROM subjects_person")
    more = Person.objects.extra(where=["1=1"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    hidden = getattr(Person, "unscoped")
    return Person.objects.annotate(x=RawSQL("1", []))


def base(pk):
    return Person._base_manager.filter(pk=pk), getattr(Person, "_base_manager")


def fine():
    return Person.objects.filter(surname="raw").extra_info
'''


def test_lint_finds_each_pattern_with_its_line():
    assert violations_in_source(SNIPPET, "src/regie/domain/leaky.py") == [
        ("src/regie/domain/leaky.py", 3, "RawSQL"),
        ("src/regie/domain/leaky.py", 9, ".unscoped"),
        ("src/regie/domain/leaky.py", 10, ".raw("),
        ("src/regie/domain/leaky.py", 11, ".extra("),
        ("src/regie/domain/leaky.py", 12, "connection.cursor"),
        ("src/regie/domain/leaky.py", 14, ".unscoped"),
        ("src/regie/domain/leaky.py", 15, "RawSQL"),
        ("src/regie/domain/leaky.py", 19, "._base_manager"),
    ]


def test_lint_passes_clean_code():
    assert violations_in_source("def f():\n    return Person.objects.filter(owner_id=1)\n") == []


def test_scan_reports_file_and_line_and_skips_the_frame_and_migrations(tmp_path):
    (tmp_path / "domain").mkdir()
    (tmp_path / "domain" / "views.py").write_text("x = 1\n\ny = Person.unscoped.count()\n")
    (tmp_path / "domain" / "migrations").mkdir()
    (tmp_path / "domain" / "migrations" / "0001_initial.py").write_text("m = ('unscoped', Person.unscoped)\n")
    for frame_app in FRAME:
        (tmp_path / frame_app).mkdir()
        (tmp_path / frame_app / "scoping.py").write_text("Person.unscoped.all()\n")
    found = scan(tmp_path)
    assert found == [("domain/views.py", 3, ".unscoped")]
    assert report(found) == "domain/views.py:3: .unscoped outside the security frame"
