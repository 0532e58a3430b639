"""Issue 8 point 2: `regie match-pairs IN.csv OUT.csv` (nomenklatura name_bench layout)."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

GOOD = (
    "schema,name1,name2,is_match,note\n"
    "Person,J. van der Berg,Jan vd Berg,true,motivating example\n"
    "Company,Autohandel Jansen B.V.,Autohandel Jansen Besloten Vennootschap,true,\n"
    "Organization,Stichting De Brug,Stichting De Burcht,false,\n"
    'Address,"Kerkstraat 12-a, 3511 LX Utrecht","Kerkstraat 12A, 3511LX Utrecht",true,"with, comma"\n'
)


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_call_command_scores_every_row_and_passes_columns_through(tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(GOOD, encoding="utf-8")
    call_command("match-pairs", str(source), str(target))
    rows = _read(target)
    assert [r["name1"] for r in rows] == ["J. van der Berg", "Autohandel Jansen B.V.", "Stichting De Brug", "Kerkstraat 12-a, 3511 LX Utrecht"]
    assert list(rows[0]) == ["schema", "name1", "name2", "is_match", "note", "score", "explanation"]
    assert rows[0]["note"] == "motivating example" and rows[3]["note"] == "with, comma"
    for row in rows:
        assert 0 <= float(row["score"]) <= 1
        assert (float(row["score"]) >= 0.5) == (row["is_match"] == "true"), row
    assert "given_name=initials" in rows[0]["explanation"]
    assert "legal_form=same" in rows[1]["explanation"]
    assert "house_number=same" in rows[3]["explanation"]


def test_optional_columns_are_compared_and_bad_values_flagged(tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(
        "schema,name1,name2,birth_date1,birth_date2,id1,id2\n"
        "Person,Jan de Vries,Jan de Vries,1952-03-14,1981-10-02,,\n"
        "Person,Piet Jansen,Piet Jansen,31-02-1980,1980-02-28,111222334,\n",
        encoding="utf-8",
    )
    call_command("match-pairs", str(source), str(target))
    father_son, flagged = _read(target)
    assert float(father_son["score"]) < 0.5 and "veto birth_date=generation" in father_son["explanation"]
    assert "date.impossible@1.birth_date" in flagged["explanation"]
    assert "bsn.checksum@1.bsn" in flagged["explanation"]


@pytest.mark.parametrize("content, message", [
    ("schema,name1,name2\nPerson,Jan,Piet\nVessel,Titanic,Titanic\n", "Regel 3: onbekend schema 'Vessel'"),
    ("schema,name1,name2\nPerson,Jan Jansen,\n", "Regel 2: name2 is leeg"),
    ("schema,name1\nPerson,Jan\n", "Regel 1: de kolom(men) name2 ontbreken"),
    ("schema,name1,name2\nPerson,Jan,Piet,extra\n", "Regel 2: meer velden dan kolommen"),
    ("schema,name1,name2\nPerson,Jan\n", "Regel 2: te weinig velden"),
    ("", "het bestand is leeg"),
])
def test_a_bad_row_names_its_line_and_writes_nothing(tmp_path, content, message):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("match-pairs", str(source), str(target))
    assert message in str(error.value)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]  # no temporary file left behind either


def test_an_existing_output_file_survives_a_bad_input(tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("schema,name1,name2\nPerson,,Piet\n", encoding="utf-8")
    target.write_text("earlier results\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("match-pairs", str(source), str(target))
    assert target.read_text(encoding="utf-8") == "earlier results\n"


def test_missing_and_non_utf8_input(tmp_path):
    with pytest.raises(CommandError, match="kan niet gelezen worden"):
        call_command("match-pairs", str(tmp_path / "nope.csv"), str(tmp_path / "out.csv"))
    latin = tmp_path / "latin.csv"
    latin.write_bytes("schema,name1,name2\nPerson,Loïs Müller,Lois Muller\n".encode("latin-1"))
    with pytest.raises(CommandError, match="geen UTF-8"):
        call_command("match-pairs", str(latin), str(tmp_path / "out.csv"))


def _script_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["REGIE_DATA_DIR"] = str(tmp_path / "data")
    return env


def test_the_regie_console_script(tmp_path):
    script = Path(sys.executable).with_name("regie")
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(GOOD, encoding="utf-8")
    result = subprocess.run([str(script), "match-pairs", str(source), str(target)], capture_output=True, text=True,
                            check=False, timeout=120, env=_script_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "4 paren gescoord" in result.stdout
    assert len(_read(target)) == 4

    bad = tmp_path / "bad.csv"
    bad.write_text("schema,name1,name2\nPerson,Jan,Piet\nPerson,Kees,\n", encoding="utf-8")
    failed = subprocess.run([str(script), "match-pairs", str(bad), str(tmp_path / "bad-out.csv")], capture_output=True,
                            text=True, check=False, timeout=120, env=_script_env(tmp_path))
    assert failed.returncode == 1
    assert "Regel 3: name2 is leeg" in failed.stderr
    assert not (tmp_path / "bad-out.csv").exists()
