"""Scoring a CSV of pairs in the layout of OpenSanctions' nomenklatura name_bench.

Input columns: ``schema,name1,name2`` (schema Person, Company, Organization or Address); further
columns are passed through unchanged. Some further columns, when present, are also compared:
``birth_date1/birth_date2`` (Person), ``address1/address2`` (Person, Company, Organization: one
address line each), ``id1/id2`` (the BSN of a Person, the KvK number of a Company or Organization).
Output: the same rows and columns plus ``score`` (0..1) and ``explanation``.

The whole file is read and checked before anything is scored: a bad row (unknown schema, a missing
column, an empty name) raises :class:`PairsError` naming its line, and nothing is written.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .records import AddressRecord, CompanyRecord, PersonRecord
from .scorer import Comparison, score_pair

REQUIRED = ("schema", "name1", "name2")
SCHEMAS = ("Person", "Company", "Organization", "Address")
OUTPUT = ("score", "explanation")


class PairsError(ValueError):
    """A file or row that cannot be scored; the message is Dutch and names the line."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(f"Regel {line}: {message}" if line else message)


def _record(schema: str, row: dict, side: str):
    name = (row.get(f"name{side}") or "").strip()
    address_line = (row.get(f"address{side}") or "").strip()
    address = AddressRecord(text=address_line) if address_line else None
    ident = (row.get(f"id{side}") or "").strip()
    if schema == "Person":
        return PersonRecord(name=name, birth_date=(row.get(f"birth_date{side}") or "").strip() or None, bsn=ident, address=address)
    if schema in ("Company", "Organization"):
        return CompanyRecord(name=name, kvk=ident, address=address)
    return AddressRecord(text=name)


def read_pairs(lines: Iterable[str]) -> tuple[list[str], list[dict]]:
    """(columns, rows) of a name_bench CSV; raises :class:`PairsError` on the first bad line."""
    reader = csv.DictReader(lines)
    columns = reader.fieldnames or []
    if not columns:
        raise PairsError("het bestand is leeg; verwacht een kopregel met schema,name1,name2.")
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise PairsError(f"de kolom(men) {', '.join(missing)} ontbreken in de kopregel.", 1)
    rows = []
    for row in reader:
        line = reader.line_num
        if None in row:
            raise PairsError(f"meer velden dan kolommen in de kopregel ({len(columns)}).", line)
        if any(row[c] is None for c in REQUIRED):
            raise PairsError("te weinig velden: schema, name1 en name2 zijn verplicht.", line)
        schema = row["schema"].strip()
        if schema not in SCHEMAS:
            raise PairsError(f"onbekend schema '{schema}'; toegestaan zijn {', '.join(SCHEMAS)}.", line)
        for side in ("1", "2"):
            if not row[f"name{side}"].strip():
                raise PairsError(f"name{side} is leeg; een lege naam kan niet vergeleken worden.", line)
        rows.append(row)
    return columns, rows


def score_row(row: dict) -> Comparison:
    schema = row["schema"].strip()
    return score_pair(_record(schema, row, "1"), _record(schema, row, "2"))


def match_pairs(source: Path | str, target: Path | str) -> int:
    """Score every pair of ``source`` into ``target`` (written whole or not at all); returns the
    number of rows."""
    source, target = Path(source), Path(target)
    try:
        with source.open(encoding="utf-8-sig", newline="") as handle:
            columns, rows = read_pairs(handle)
    except UnicodeDecodeError as exc:
        raise PairsError(f"{source} is geen UTF-8-tekst ({exc.reason}).") from exc
    except csv.Error as exc:
        raise PairsError(f"{source} is geen geldig CSV-bestand ({exc}).") from exc
    except OSError as exc:
        raise PairsError(f"{source} kan niet gelezen worden ({exc.strerror}).") from exc
    out_columns = list(columns) + [c for c in OUTPUT if c not in columns]
    scored = []
    for row in rows:
        result = score_row(row)
        scored.append({**row, "score": f"{result.score:.4f}", "explanation": result.text()})
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".match-pairs-", suffix=".csv", dir=directory)
    except OSError as exc:
        raise PairsError(f"{target} kan niet geschreven worden ({exc.strerror}).") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=out_columns)
            writer.writeheader()
            writer.writerows(scored)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(scored)
