"""The council report's and the regional view's tables as CSV and XLSX (issue 11, point 7).

Only what the page shows is exported: every table after disclosure control, with its headings
(incl. the "t/m <peildatum>" markers), and a closing sheet that states the rule applied.
"""

from __future__ import annotations

from regie.web.exports import Sheet, to_csv, to_xlsx

from .report import CouncilReport, ShownTable

FORMATS = {
    "csv": ("text/csv; charset=utf-8", to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
}
UNKNOWN_FORMAT = "Kies als formaat csv of xlsx."


def _sheet(title: str, shown: ShownTable) -> Sheet:
    table = shown.table
    return Sheet(title, ["", *shown.headings], [[label, *cells] for label, cells in table.rows])


def _explanation(rules, period: str) -> Sheet:
    return Sheet("Toelichting", ["", ""], [["Periode", period], ["Onthullingsbeheersing", rules.describe()]])


def council_sheets(report: CouncilReport) -> list[Sheet]:
    sheets = [_sheet(f"{section.title} – {shown.table.title}", shown)
              for section in report.sections for shown in section.tables]
    return [*sheets, _explanation(report.rules, report.period_label)]


def regional_sheets(report) -> list[Sheet]:
    period = f"{report.year} t/m {report.peildatum:%d-%m-%Y}" if report.partial else str(report.year)
    sheets = [_sheet(shown.table.title, shown) for shown in report.tables]
    return [*sheets, _explanation(report.rules, period)]


def render(fmt: str, sheets: list[Sheet]) -> tuple[bytes, str]:
    """(file contents, content type) of ``sheets`` in ``fmt`` ("csv" or "xlsx")."""
    content_type, writer = FORMATS[fmt]
    return writer(sheets), content_type
