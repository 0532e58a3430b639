"""docs/import-formats.md shows exactly the example files the tests import."""

import re
from pathlib import Path

import pytest

from regie.intake import importers

from .conftest import FIXTURES

DOC = Path(__file__).resolve().parents[2] / "docs" / "import-formats.md"


def examples() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    return {m[1]: m[2] for m in re.finditer(r"<!-- fixture: (\S+) -->\n```text\n(.*?)```", text, re.DOTALL)}


@pytest.mark.parametrize("name", ["mma_example.txt", "mma_example.eml", "signals_example.csv"])
def test_documented_example_is_the_fixture(name):
    fixture = (FIXTURES / name).read_text(encoding="utf-8").replace("\r\n", "\n")
    assert examples().get(name) == fixture, f"update the example of {name} in docs/import-formats.md"


def test_every_csv_column_and_subject_keyword_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for column in importers.CSV_COLUMNS:
        documented = "thema's" if column == "themas" else column
        assert f"`{documented}`" in text, column
    for keyword, code in importers.MMA_SUBJECT_THEMES:
        assert keyword in text and f"`{code}`" in text, keyword
    for field in importers.MMA_FIELDS.values():
        assert f"`{field}`" in text, field
