"""Annual tables generated from the measure register (issue 5, point 5).

Two shapes, both counted from dated steps, never typed in:

* per domain, as Tabellen 4.1–4.4 of the Dordrecht audit (seed 004): bestuurlijke rapportages
  (rapportage steps dated in the year), bestuurlijke maatregelen (besluiten in the year that
  count as waarschuwing, sluiting or dwangsom) and each of those three;
* per instrument, as Tabel 6.1 of the Amersfoort audit (seed 000): lasten onder dwangsom,
  waarschuwingen and sluitingen, each split by domain.

A year that is not complete on the peildatum is marked "t/m <maand>". The tables are aggregates
of the whole municipality (all confidentiality levels, counted under an organisation access),
so they hold no personal data and read the same for every role that may see them.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from regie.accounts.roles import MEASURES
from regie.organisations.access import organisation_access

from .catalogue import domains_for
from .models import Category, Measure, MeasureDomain, MeasureStep

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]
#: the categories that make up "bestuurlijke maatregelen (waarschuwing, sluiting of dwangsom)"
COUNTED = (Category.WARNING, Category.CLOSURE, Category.PENALTY)
DOMAIN_ROWS = [
    ("rapportage", "Bestuurlijke rapportage (rapport politie/handhaving aan burgemeester)"),
    ("maatregelen", "Bestuurlijke maatregelen (waarschuwing, sluiting of dwangsom)"),
    (Category.WARNING.value, "Bestuurlijke waarschuwing"),
    (Category.CLOSURE.value, "Sluiting pand"),
    (Category.PENALTY.value, "Dwangsombesluit"),
]
OTHER_ROW = ("andere", "Overige maatregelen (bestuursdwang, boete, vergunning, uitkering en andere)")
#: the instrument table's groups: category, heading, prefix of a domain's sub-row
GROUPS = [
    (Category.PENALTY, "Opgelegde lasten onder dwangsom", ""),
    (Category.WARNING, "Waarschuwingen", "Waarschuwing – "),
    (Category.CLOSURE, "Sluitingen", "Sluiting – "),
    (Category.ADMIN_ENFORCEMENT, "Lasten onder bestuursdwang", "Bestuursdwang – "),
    (Category.FINE, "Bestuurlijke boetes", "Boete – "),
    (Category.ENTRY, "Machtigingen tot binnentreden", "Machtiging – "),
    (Category.PERMIT, "Weigeringen of intrekkingen van een vergunning", "Vergunning – "),
    (Category.BENEFIT, "Stopzettingen en terugvorderingen van een uitkering", "Uitkering – "),
    (Category.OTHER, "Overige maatregelen", "Overig – "),
]
#: the groups Tabel 6.1 always shows; the others only when they hold a count
FIXED_GROUPS = (Category.PENALTY, Category.WARNING, Category.CLOSURE)
MAX_YEARS = 10


@dataclass(frozen=True)
class Column:
    year: int
    #: the last day counted when the year was not complete on the peildatum
    through: date | None = None

    @property
    def label(self) -> str:
        return f"{self.year} t/m {MONTHS[self.through.month - 1]}" if self.through else str(self.year)


@dataclass
class Row:
    key: str
    label: str
    cells: list[int]
    sub: bool = False

    @property
    def total(self) -> int:
        return sum(self.cells)


@dataclass
class Table:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)


@dataclass
class AnnualTables:
    organisation: str
    peildatum: date
    columns: list[Column]
    domain_tables: list[Table]
    quiet_domains: list[str]
    instruments: Table

    def table(self, domain_code: str) -> Table:
        return next(t for t in self.domain_tables if t.key == domain_code)

    @property
    def all_tables(self) -> list[Table]:
        return [*self.domain_tables, self.instruments]


def period(last_year: int | None, first_year: int | None, peildatum: date | None) -> tuple[int, int, date]:
    """Validate the requested years against the peildatum; defaults: this year, five columns."""
    peildatum = peildatum or timezone.localdate()
    last_year = last_year or peildatum.year
    first_year = first_year or last_year - 4
    if last_year > peildatum.year:
        raise ValidationError(f"Het jaar {last_year} ligt na de peildatum ({peildatum:%d-%m-%Y}).")
    if first_year > last_year:
        raise ValidationError("Het eerste jaar ligt na het laatste jaar.")
    if last_year - first_year + 1 > MAX_YEARS:
        raise ValidationError(f"Kies hoogstens {MAX_YEARS} jaren.")
    if first_year < 1990:
        raise ValidationError("Kies een jaar vanaf 1990.")
    return first_year, last_year, peildatum


def _columns(first_year: int, last_year: int, peildatum: date) -> list[Column]:
    return [
        Column(year, peildatum if year == peildatum.year and peildatum < date(year, 12, 31) else None)
        for year in range(first_year, last_year + 1)
    ]


def _counts(organisation, first_year: int, last: date) -> Counter:
    """(domain id, year, row key) -> count, from the rapportage and besluit steps."""
    access = organisation_access(organisation, "jaartabellen maatregelen", frozenset({MEASURES}))
    measures = Measure.objects.visible_to(access).filter(owner_id=organisation.pk)
    steps = MeasureStep.objects.filter(
        measure__in=measures, kind__in=[MeasureStep.Kind.REPORT, MeasureStep.Kind.DECISION],
        on__gte=date(first_year, 1, 1), on__lte=last,
    ).values_list("kind", "on", "measure__domain_id", "measure__kind__category")
    counts: Counter = Counter()
    for kind, on, domain_id, category in steps:
        if kind == MeasureStep.Kind.REPORT:
            counts[(domain_id, on.year, "rapportage")] += 1
            continue
        counts[(domain_id, on.year, category)] += 1
        counts[(domain_id, on.year, "maatregelen" if category in COUNTED else "andere")] += 1
    return counts


def build(organisation, *, last_year: int | None = None, first_year: int | None = None,
          peildatum: date | None = None) -> AnnualTables:
    """The annual tables of ``organisation`` for ``first_year``–``last_year`` as on ``peildatum``."""
    first_year, last_year, peildatum = period(last_year, first_year, peildatum)
    columns = _columns(first_year, last_year, peildatum)
    counts = _counts(organisation, first_year, min(peildatum, date(last_year, 12, 31)))
    years = [c.year for c in columns]
    used = {domain_id for domain_id, _, _ in counts}
    domains = [d for d in domains_for(organisation.pk, active_only=False) if d.active or d.pk in used]

    def cells(domain_id, key) -> list[int]:
        return [counts[(domain_id, year, key)] for year in years]

    tables, quiet = [], []
    for domain in domains:
        rows = [Row(key, label, cells(domain.pk, key)) for key, label in DOMAIN_ROWS]
        other = Row(*OTHER_ROW, cells(domain.pk, OTHER_ROW[0]))
        if other.total:
            rows.append(other)
        if any(r.total for r in rows):
            tables.append(Table(domain.code, f"Bestuurlijke handhaving – {domain.name}", rows))
        else:
            quiet.append(domain.name)
    return AnnualTables(
        organisation=organisation.name, peildatum=peildatum, columns=columns, domain_tables=tables,
        quiet_domains=quiet, instruments=_instrument_table(domains, years, cells),
    )


def _instrument_table(domains: list[MeasureDomain], years: list[int], cells) -> Table:
    table = Table("instrumenten", "Inzet van het bestuurlijk instrumentarium")
    for category, heading, prefix in GROUPS:
        subs = []
        for domain in domains:
            row = Row(f"{category}:{domain.code}", f"{prefix}{domain.name}" if prefix else domain.name,
                      cells(domain.pk, str(category)), sub=True)
            if row.total or str(category) in (domain.instrument_rows or []):
                subs.append(row)
        total = Row(str(category), heading, [sum(r.cells[i] for r in subs) for i in range(len(years))])
        if total.total or category in FIXED_GROUPS:
            table.rows += [total, *subs]
    return table


# --- exports ------------------------------------------------------------------------------------

def _matrix(tables: AnnualTables) -> list[list]:
    """Every table as rows of cells: a title line, a header line, the rows, an empty line."""
    lines = []
    for table in tables.all_tables:
        lines.append([table.title])
        lines.append(["", *[c.label for c in tables.columns]])
        for row in table.rows:
            lines.append([("  " if row.sub else "") + row.label, *row.cells])
        lines.append([])
    lines.append([f"Bron: maatregelenregister {tables.organisation}, stand per {tables.peildatum:%d-%m-%Y}."])
    return lines


def to_csv(tables: AnnualTables) -> bytes:
    """Semicolon-separated with a byte-order mark, as Dutch spreadsheets open it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for line in _matrix(tables):
        writer.writerow(line)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(tables: AnnualTables) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Jaartabellen"
    bold = Font(bold=True)
    for line in _matrix(tables):
        sheet.append(line)
        if len(line) == 1:
            sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.column_dimensions["A"].width = 70
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
