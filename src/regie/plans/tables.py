"""The tables of the plans room as plain rows, and their CSV and XLSX exports (issue 11, point 7):
the dashboard, the goals, the recommendations and the three-year overview."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .dashboard import Dashboard
from .models import Recommendation
from .services import add_months, one_year_due

#: seed 000 "Tot slot": "tot drie jaar teruggeblikt"
OVERVIEW_YEARS = 3


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: list[list]


def _num(value):
    if isinstance(value, Decimal):
        return value.normalize() if value == value.to_integral() else value
    return value


def dashboard_sheet(board: Dashboard) -> Sheet:
    header = ["Pijler", "Thema", "Prioriteit", "Doel", "Indicator", "Eenheid", "Nulmeting", "Streefwaarde",
              f"Gerealiseerd {board.year - 1}", f"Gerealiseerd {board.year}", "Verschil met vorig jaar",
              "Cumulatief", "Status", "Deadline", "Eigenaar", "Bron"]
    rows = []
    for block in board.blocks:
        for r in block.rows:
            rows.append([block.pillar, block.theme, block.priority, r.goal.title, r.indicator, r.unit, _num(r.baseline),
                         r.target, _num(r.previous), _num(r.realised), _num(r.change), _num(r.cumulative),
                         r.status_label + (" (handmatig)" if r.overridden else ""), r.goal.deadline, r.goal.owner, r.source])
    return Sheet(f"{board.plan.title} – stand {board.year}", header, rows)


def recommendations_sheet(recs: list[Recommendation]) -> Sheet:
    header = ["Rapport", "Nr.", "Aanbeveling", "Gericht aan", "Besluit raad", "Besloten op", "Eigenaar",
              "Plan van aanpak uiterlijk", "Plan van aanpak verstuurd", "Stand na een jaar uiterlijk",
              "Stand na een jaar verstuurd", "Status"]
    rows = [[r.report_title, r.number, r.text, r.get_addressee_display(), r.get_decision_display(), r.decided_on,
             r.responsible, r.approach_due, r.approach_sent_on, one_year_due(r), r.one_year_update_on, r.get_status_display()]
            for r in recs]
    return Sheet("Aanbevelingen rekenkamer", header, rows)


def overview_recs(recs, peildatum: date) -> list[Recommendation]:
    """Recommendations decided in the three years before the peildatum."""
    since = add_months(peildatum, -12 * OVERVIEW_YEARS)
    return [r for r in recs if since <= r.decided_on <= peildatum]


def overview_sheet(recs: list[Recommendation], peildatum: date) -> Sheet:
    header = ["Rapport", "Nr.", "Aanbeveling", "Besluit raad", "Besloten op", "Eigenaar", "Status",
              "Laatste stand", "Datum laatste stand", "Plan van aanpak op tijd", "Stand na een jaar"]
    rows = []
    for r in overview_recs(recs, peildatum):
        updates = list(r.updates.all())
        last = updates[-1] if updates else None
        if r.approach_sent_on:
            on_time = "ja" if r.approach_sent_on <= r.approach_due else "nee, te laat"
        else:
            on_time = "nog niet verstuurd" + (" (termijn verstreken)" if r.approach_due < peildatum else "")
        if r.one_year_update_on:
            year_update = f"verstuurd {r.one_year_update_on:%d-%m-%Y}"
        else:
            year_update = "verwacht " + f"{one_year_due(r):%d-%m-%Y}"
        rows.append([r.report_title, r.number, r.text, r.get_decision_display(), r.decided_on, r.responsible,
                     r.get_status_display(), last.text if last else "", last.on if last else None, on_time, year_update])
    return Sheet(f"Overzicht aanbevelingen {peildatum.year - OVERVIEW_YEARS + 1}–{peildatum.year}", header, rows)


def _text(value) -> str | object:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(value):
        return "'" + value  # neutralise spreadsheet formulas (CSV injection)
    return value


def _is_number(value: str) -> bool:
    try:
        Decimal(value.replace(",", "."))
    except ArithmeticError:
        return False
    return True


def to_csv(sheets: list[Sheet]) -> bytes:
    """Semicolon-separated with a byte-order mark, as Dutch spreadsheets open it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for sheet in sheets:
        writer.writerow([_text(sheet.title)])
        writer.writerow(sheet.header)
        for row in sheet.rows:
            writer.writerow([_text(cell) for cell in row])
        writer.writerow([])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_xlsx(sheets: list[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for index, sheet in enumerate(sheets, start=1):
        ws = book.create_sheet(f"Tabel {index}")
        ws.append([sheet.title])
        ws.cell(row=1, column=1).font = bold
        ws.append(sheet.header)
        for cell in ws[2]:
            cell.font = bold
        for row in sheet.rows:
            ws.append([_cell(v) for v in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, date):
                    cell.number_format = "DD-MM-YYYY"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
