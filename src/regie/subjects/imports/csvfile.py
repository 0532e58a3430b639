"""Reading a register extract: bytes -> numbered rows of cells, every error in Dutch with its line.

Pure (no database). Whatever the bytes, the answer is rows or :class:`ImportRejected`."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

#: refuse files above this size or with more data rows; split them instead
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE = re.compile(r"^([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})\Z")
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\Z")
csv.field_size_limit(100_000)


@dataclass(frozen=True)
class LineError:
    line: int | None  # None: the file as a whole
    message: str

    def __str__(self) -> str:
        return self.message if self.line is None else f"regel {self.line}: {self.message}"


class ImportRejected(Exception):
    """The file cannot be imported; ``errors`` lists every problem. Nothing was written."""

    def __init__(self, errors: list[LineError]):
        self.errors = sorted(errors, key=lambda e: (e.line is not None, e.line or 0, e.message))
        super().__init__("\n".join(str(e) for e in self.errors))

    @property
    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]


@dataclass
class Row:
    line: int
    cells: dict[str, str]

    def get(self, name: str) -> str:
        return self.cells.get(name, "")


def read_rows(data: bytes, columns: list[str], required: list[str]) -> list[Row]:
    """The data rows of a CSV file with a header row (';' or ','; UTF-8, with or without BOM)."""
    if len(data) > MAX_BYTES:
        raise ImportRejected([LineError(None, f"Het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB; splits het op.")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected([LineError(line, "het bestand is geen UTF-8-tekst")]) from None
    if not text.strip():
        raise ImportRejected([LineError(None, "Het bestand is leeg.")])
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first else ","
    errors: list[LineError] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    header: list[str] | None = None
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if header is None:
                header = [c.strip().lower() for c in cells]
                errors += _check_header(header, columns, required)
                if errors:
                    raise ImportRejected(errors)
                continue
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                errors.append(LineError(line, f"{len(cells)} cellen, maar de kopregel heeft er {len(header)}"))
                continue
            if any(_CONTROL.search(c) for c in cells):
                errors.append(LineError(line, "een cel bevat stuurtekens"))
                continue
            rows.append(Row(line, {name: value.strip() for name, value in zip(header, cells, strict=False)}))
            if len(rows) > MAX_ROWS:
                raise ImportRejected([LineError(None, f"Het bestand heeft meer dan {MAX_ROWS} regels; splits het op.")])
    except csv.Error as exc:
        errors.append(LineError(reader.line_num or 1, f"onleesbare CSV ({exc})"))
    if header is None:
        errors.append(LineError(None, "Het bestand heeft geen kopregel."))
    if not errors and not rows:
        errors.append(LineError(None, "Het bestand bevat geen gegevensregels."))
    if errors:
        raise ImportRejected(errors)
    return rows


def _check_header(header: list[str], columns: list[str], required: list[str]) -> list[LineError]:
    errors = []
    for name in header:
        if name not in columns:
            errors.append(LineError(1, f"onbekende kolom ‘{name[:40]}’ (toegestaan: {', '.join(columns)})"))
    doubles = sorted({n for n in header if header.count(n) > 1})
    if doubles:
        errors.append(LineError(1, f"kolom dubbel: {', '.join(d[:40] for d in doubles)}"))
    missing = [n for n in required if n not in header]
    if missing:
        errors.append(LineError(1, f"verplichte kolom ontbreekt: {', '.join(missing)}"))
    return errors


def parse_date(value: str, label: str) -> date | None:
    """'31-12-1980' or '1980-12-31'; empty is None; a Dutch ValueError otherwise."""
    if not value:
        return None
    match = _DATE.match(value)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        match = _ISO_DATE.match(value)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise ValueError(f"{label}: ‘{value[:20]}’ is geen geldige datum (dd-mm-jjjj)")


def parse_number(value: str, label: str, maximum: int = 99999) -> int:
    if not re.fullmatch(r"[0-9]{1,6}", value) or not 1 <= int(value) <= maximum:
        raise ValueError(f"{label}: ‘{value[:20]}’ is geen geldig getal (1 tot en met {maximum})")
    return int(value)


def model_errors(line: int, obj, exclude: list[str], clean: bool = True) -> list[LineError]:
    """The Dutch validation errors of an unsaved row (field checks and, unless it queries, clean)."""
    try:
        obj.clean_fields(exclude=exclude)
        if clean:
            obj.clean()
    except ValidationError as exc:
        found = []
        for field, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
            label = _label(obj, field)
            found += [LineError(line, f"{label}: {m}" if label else m) for m in messages]
        return found
    return []


def _label(obj, field: str) -> str:
    if not field or field == "__all__":
        return ""
    try:
        return str(type(obj)._meta.get_field(field).verbose_name)
    except Exception:  # noqa: BLE001 - an unknown name is shown as it is
        return field
