"""Sections of the council report (issue 11, point 4), contributed by the rooms.

A room adds its section from its ``AppConfig.ready`` (as enrichers are added to
``regie.intake.enrichment``), so the reports room never reaches into another room's models. A
section returns plain tables of figures; the report applies disclosure control to every cell marked
as a count before anything is shown, so a section never decides what is safe to publish.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

Cell = int | Decimal | str | None


@dataclass(frozen=True)
class ReportTable:
    #: Dutch title above the table
    title: str
    #: Dutch column headings (the first column, the row label, is not included)
    columns: list[str]
    #: (row label, cells) in column order
    rows: list[tuple[str, list[Cell]]]
    #: the integer cells count records about people or places: disclosure control applies to them
    counts: bool = True
    #: Dutch note under the table (source, definitions)
    note: str = ""
    #: columns (by index) that cover an incomplete period, shown as "t/m <peildatum>"
    partial_columns: list[int] = field(default_factory=list)
    #: column (by index) holding the number of observations behind the row's other figures (a
    #: median, a share): when that count is suppressed, those figures are suppressed with it
    basis_column: int | None = None
    #: column (by index) drawn as a bar chart under the table (one bar per row); None: no chart
    chart_column: int | None = None


@dataclass(frozen=True)
class ReportSection:
    key: str
    #: Dutch heading
    title: str
    #: position in the report (lower first)
    order: int
    #: (organisation, year, peildatum) -> the tables of this section
    build: Callable[[object, int, date], list[ReportTable]]
    #: only in the besloten variant (for the college and the driehoek), never in the public report
    besloten_only: bool = False


SECTIONS: dict[str, ReportSection] = {}


def register(section: ReportSection) -> None:
    """Add ``section``; registering the same key twice keeps the first."""
    SECTIONS.setdefault(section.key, section)


def ordered() -> list[ReportSection]:
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))
