"""The council report (raadsinformatiebrief / jaarrapportage, issue 11 point 4): every registered
section, with disclosure control applied to every counted table before anything is rendered.

The report is computed for the organisation as a whole (never with the viewer's own record
categories), so a raadslid and a coördinator read the same figures. The "besloten" variant adds
the sections marked ``besloten_only``; it is for the college and the driehoek (docs/reports.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.safestring import SafeString

from . import disclosure
from .charts import bar_chart
from .sections import ReportTable, ordered

logger = logging.getLogger(__name__)
FIRST_YEAR = 2000
SECTION_FAILED = "Dit onderdeel kon niet worden berekend; de beheerder is op de hoogte gebracht."


@dataclass
class ShownTable:
    table: ReportTable
    #: the column headings with the "t/m <peildatum>" marker on incomplete periods
    headings: list[str]
    chart: SafeString


@dataclass
class ShownSection:
    key: str
    title: str
    tables: list[ShownTable] = field(default_factory=list)
    error: str = ""


@dataclass
class CouncilReport:
    organisation: str
    year: int
    peildatum: date
    besloten: bool
    rules: disclosure.Rules
    sections: list[ShownSection]

    @property
    def partial(self) -> bool:
        return self.peildatum < date(self.year, 12, 31)

    @property
    def period_label(self) -> str:
        return f"{self.year} t/m {self.peildatum:%d-%m-%Y}" if self.partial else str(self.year)


def period(value: str | None, today: date | None = None) -> tuple[int, date]:
    """The report's year (default: this year) and its peildatum: the last day of the year, or
    today when the year is not over yet. Dutch ``ValidationError`` for bad input."""
    today = today or timezone.localdate()
    if value in (None, ""):
        year = today.year
    elif not str(value).strip().isdigit():
        raise ValidationError("Geef een jaartal, bijvoorbeeld 2025.")
    else:
        year = int(str(value).strip())
    if year > today.year:
        raise ValidationError(f"Het jaar {year} is nog niet begonnen.")
    if year < FIRST_YEAR:
        raise ValidationError(f"Kies een jaar vanaf {FIRST_YEAR}.")
    return year, min(today, date(year, 12, 31))


def show(table: ReportTable, rules: disclosure.Rules, peildatum: date) -> ShownTable:
    """``table`` after disclosure control, with its headings and chart."""
    safe = disclosure.apply(table, rules)
    headings = [
        f"{heading} t/m {peildatum:%d-%m-%Y}" if i in safe.partial_columns else heading
        for i, heading in enumerate(safe.columns)
    ]
    return ShownTable(safe, headings, bar_chart(safe))


def build(organisation, year: int, peildatum: date, *, besloten: bool = False) -> CouncilReport:
    rules = disclosure.rules_for(organisation)
    shown = []
    for section in ordered():
        if section.besloten_only and not besloten:
            continue
        item = ShownSection(section.key, section.title)
        try:
            item.tables = [show(t, rules, peildatum) for t in section.build(organisation, year, peildatum)]
        except Exception:  # one room's failing section must not take the whole report down
            logger.exception("report section %s failed", section.key)
            item.error = SECTION_FAILED
        shown.append(item)
    return CouncilReport(organisation.name, year, peildatum, besloten, rules, shown)
