"""Import of external area statistics from CSV (docs/imports.md, "Gebiedsindicatoren (CSV)") and
the overview that puts them beside Regie's own figures. All rows or none."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from .indicator_models import AreaIndicator
from .models import Buurt, Wijk

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_ERRORS = 50
COLUMNS = ("bron", "peildatum", "gebiedscode", "indicator", "waarde")
OPTIONAL = ("eenheid",)


class IndicatorImportRejected(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def _date(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    if len(text) == 4 and text.isdigit():  # a year: CBS kerncijfers are per year, dated 1 January
        return date(int(text), 1, 1)
    return None


def _number(text: str) -> Decimal | None:
    cleaned = text.replace(" ", "")
    if "," in cleaned:  # Dutch notation: 1.234,5
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= Decimal("1e14"):
        return None
    return value.quantize(Decimal("0.0001"))


def parse(data: bytes) -> list[dict]:
    """The rows of ``data``, or IndicatorImportRejected naming each bad line (``regel N: …``)."""
    if len(data) > MAX_BYTES:
        raise IndicatorImportRejected([f"Het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IndicatorImportRejected(["Het bestand is geen UTF-8-tekst."]) from None
    if "\x00" in text:
        raise IndicatorImportRejected(["Het bestand bevat ongeldige tekens."])
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise IndicatorImportRejected([f"Kolom ontbreekt: {', '.join(missing)} (verwacht: {';'.join(COLUMNS)}[;eenheid])."])
        position = {name: header.index(name) for name in (*COLUMNS, *OPTIONAL) if name in header}
        rows, errors, seen = [], [], {}
        for line, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                errors.append(f"Het bestand heeft meer dan {MAX_ROWS} regels.")
                break
            get = {name: (cells[i].strip() if i < len(cells) else "") for name, i in position.items()}
            problems = []
            for name in COLUMNS:
                if not get[name]:
                    problems.append(f"{name} ontbreekt")
            on = _date(get["peildatum"]) if get["peildatum"] else None
            if get["peildatum"] and on is None:
                problems.append(f"peildatum ‘{get['peildatum'][:20]}’ is geen datum (jjjj-mm-dd, dd-mm-jjjj of jjjj)")
            value = _number(get["waarde"]) if get["waarde"] else None
            if get["waarde"] and value is None:
                problems.append(f"waarde ‘{get['waarde'][:20]}’ is geen getal")
            for name, limit in (("bron", 120), ("indicator", 200), ("gebiedscode", 12), ("eenheid", 40)):
                if len(get.get(name, "")) > limit:
                    problems.append(f"{name} is te lang (hooguit {limit} tekens)")
            key = (get["gebiedscode"].upper(), get["bron"], get["indicator"], on)
            if not problems and key in seen:
                problems.append(f"dubbel met regel {seen[key]}")
            if problems:
                errors.extend(f"regel {line}: {p}" for p in problems)
                if len(errors) >= MAX_ERRORS:
                    break
                continue
            seen[key] = line
            rows.append({"line": line, "source": get["bron"], "reference_date": on, "area_code": get["gebiedscode"].upper(),
                         "indicator": get["indicator"], "value": value, "unit": get.get("eenheid", "")})
    except csv.Error as exc:
        raise IndicatorImportRejected([f"Het bestand is geen geldige CSV: {exc}."]) from None
    if errors:
        raise IndicatorImportRejected(errors[:MAX_ERRORS])
    if not rows:
        raise IndicatorImportRejected(["Het bestand bevat geen regels."])
    return rows


def import_indicators(access: Access, gemeente, data: bytes, *, filename: str = "") -> dict:
    """Store the rows for ``gemeente``: an area code is the gemeente's own code (GM…) or one of its
    wijk or buurt codes; a value for the same area, source, indicator and peildatum is replaced."""
    rows = parse(data)
    wijken = {w.code.upper(): w for w in Wijk.objects.visible_to(access).filter(owner=gemeente)}
    buurten = {b.code.upper(): b for b in Buurt.objects.visible_to(access).filter(owner=gemeente)}
    own = (gemeente.code or "").upper()
    errors = [f"regel {r['line']}: gebiedscode {r['area_code']} is geen wijk of buurt van {gemeente.name}"
              for r in rows if r["area_code"] not in wijken and r["area_code"] not in buurten and r["area_code"] != own]
    if errors:
        raise IndicatorImportRejected(errors[:MAX_ERRORS])
    counts = {"nieuw": 0, "bijgewerkt": 0}
    with transaction.atomic():
        existing = {(i.area_code, i.source, i.indicator, i.reference_date): i
                    for i in AreaIndicator.objects.visible_to(access).filter(owner=gemeente)}
        for r in rows:
            key = (r["area_code"], r["source"], r["indicator"], r["reference_date"])
            row = existing.get(key) or AreaIndicator(owner=gemeente, area_code=r["area_code"], source=r["source"],
                                                     indicator=r["indicator"], reference_date=r["reference_date"])
            counts["bijgewerkt" if row.pk else "nieuw"] += 1
            row.wijk = wijken.get(r["area_code"])
            row.buurt = buurten.get(r["area_code"])
            row.value, row.unit = r["value"], r["unit"]
            row.save()
        record(AuditEntry.Action.CREATE, model=AreaIndicator, access=access, detail={
            "import": "gebiedsindicatoren (CSV)", "bestand": filename[:200], "gemeente": gemeente.code, **counts,
        })
    return counts


def overview(access: Access, own_figures: dict[str, dict[str, int]] | None = None) -> list[dict]:
    """Per area the caller may see (municipality, wijken, buurten): the external values, newest
    peildatum first, and Regie's own figures for it (``own_figures`` by area code)."""
    own_figures = own_figures or {}
    by_area = defaultdict(list)
    for row in AreaIndicator.objects.visible_to(access).order_by("area_code", "source", "indicator", "-reference_date"):
        row.display = format(row.value.normalize(), "f").replace(".", ",")  # Dutch notation, no trailing zeros
        by_area[row.area_code].append(row)
    areas = []
    for code in sorted(set(by_area) | set(own_figures)):
        areas.append({"code": code, "indicators": by_area.get(code, []), "own": own_figures.get(code, {})})
    return areas
