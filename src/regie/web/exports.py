"""Tables as plain sheets and their CSV and XLSX exports, shared by the rooms that publish tables
(plans, reports): Dutch CSV (semicolons, a byte-order mark) and one XLSX worksheet per table, with
spreadsheet formulas neutralised in both."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: list[list]


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
