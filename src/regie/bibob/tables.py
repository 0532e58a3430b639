"""Annual Bibob tables generated from the files (issue 6, point 5).

Two shapes, as the Dordrecht audit publishes them (seed 004), counted from dated file events,
never typed in; a file counts in the year its application was received:

* per outcome (Tabel 4.5): the applications for a decision, then every file once under its
  outcome as on the peildatum — verleend, buiten behandeling, procedure beëindigd, geen vergunning
  nodig ...; a file without a decision counts as "advies LBB gevraagd" when the LBB advice was
  requested, else as "onbekend" — and the total. One table for all domains and one per group of
  domains, so the outcomes of bouw, milieu and vastgoed are reported too;
* per domain (Tabel 4.6): the files per group of domains with their domains below.

A year that is not complete on the peildatum is marked "t/m <maand>". Counted under an
organisation access, so the tables read the same for every role that may see them; they hold
no personal data.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from regie.accounts.roles import BIBOB
from regie.measures.tables import (  # the same annual-table shapes
    Column,
    Row,
    Table,
)
from regie.organisations.access import organisation_access

from .catalogue import domains_for
from .models import BibobFile, BibobStep, Outcome

MAX_YEARS = 10
APPLICATIONS = "aanvraag"
TOTAL = "totaal"
LBB = "lbb"
UNKNOWN = "onbekend"
#: the rows of the outcome table: key, label, whether it is part of the total
OUTCOME_ROWS = [
    (APPLICATIONS, "Aanvraag besluit (beschikking, zoals vergunning)", False),
    ("verlening", "Verlening beschikking", True),
    (Outcome.GRANTED_CONDITIONS.value, "waarvan met voorschriften", False),
    (Outcome.REFUSED.value, "Geweigerd", True),
    (Outcome.REVOKED.value, "Ingetrokken", True),
    (Outcome.NOT_PROCESSED.value, "Buiten behandeling gesteld", True),
    (Outcome.ENDED.value, "Procedure beëindigd", True),
    (LBB, "Advies gevraagd aan Landelijk Bureau Bibob (LBB)", True),
    (Outcome.NOT_NEEDED.value, "Geen vergunning nodig (vergunningsvrij)", True),
    (UNKNOWN, "Onbekend (nog geen besluit)", True),
    (TOTAL, "Totaal", False),
]








@dataclass
class BibobTables:
    organisation: str
    peildatum: date
    columns: list[Column]
    outcome_tables: list[Table]
    domain_table: Table
    uncovered: list[str]

    def outcomes(self, key: str = "alle") -> Table:
        return next(t for t in self.outcome_tables if t.key == key)

    @property
    def all_tables(self) -> list[Table]:
        return [*self.outcome_tables, self.domain_table]


def period(last_year: int | None, first_year: int | None, peildatum: date | None) -> tuple[int, int, date]:
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


def outcome_key(outcome: str, decided_on: date | None, lbb_requested_on: date | None, peildatum: date) -> str:
    """The row a file counts under on the peildatum."""
    if outcome and decided_on and decided_on <= peildatum:
        return "verlening" if outcome in (Outcome.GRANTED, Outcome.GRANTED_CONDITIONS) else outcome
    if lbb_requested_on and lbb_requested_on <= peildatum:
        return LBB
    return UNKNOWN


def _files(organisation, first_year: int, last: date) -> list[dict]:
    access = organisation_access(organisation, "jaartabellen bibob", frozenset({BIBOB}))
    files = BibobFile.objects.visible_to(access).filter(
        owner_id=organisation.pk, received_on__gte=date(first_year, 1, 1), received_on__lte=last)
    lbb = dict(BibobStep.objects.filter(file__in=files, kind=BibobStep.Kind.LBB_REQUEST).values_list("file_id", "on"))
    return [
        {**row, "lbb": lbb.get(row["pk"])}
        for row in files.values("pk", "received_on", "kind", "outcome", "decided_on", "domain_id", "domain__group")
    ]


def _outcome_table(key: str, title: str, files: list[dict], years: list[int], peildatum: date) -> Table:
    counts: Counter = Counter()
    for f in files:
        year = f["received_on"].year
        counts[(year, TOTAL)] += 1
        if f["kind"] == BibobFile.Kind.APPLICATION:
            counts[(year, APPLICATIONS)] += 1
        counts[(year, outcome_key(f["outcome"], f["decided_on"], f["lbb"], peildatum))] += 1
        if f["outcome"] == Outcome.GRANTED_CONDITIONS and f["decided_on"] and f["decided_on"] <= peildatum:
            counts[(year, Outcome.GRANTED_CONDITIONS.value)] += 1
    rows = [Row(k, label, [counts[(y, k)] for y in years], sub=(k == Outcome.GRANTED_CONDITIONS.value))
            for k, label, _ in OUTCOME_ROWS]
    return Table(key, title, rows)


def build(organisation, *, last_year: int | None = None, first_year: int | None = None,
          peildatum: date | None = None) -> BibobTables:
    """The Bibob tables of ``organisation`` for ``first_year``–``last_year`` as on ``peildatum``."""
    first_year, last_year, peildatum = period(last_year, first_year, peildatum)
    columns = [Column(y, peildatum if y == peildatum.year and peildatum < date(y, 12, 31) else None)
               for y in range(first_year, last_year + 1)]
    years = [c.year for c in columns]
    files = _files(organisation, first_year, min(peildatum, date(last_year, 12, 31)))
    domains = list(domains_for(organisation.pk, active_only=False))
    used = {f["domain_id"] for f in files}
    shown = [d for d in domains if d.active or d.pk in used]
    groups = list(dict.fromkeys(d.group for d in shown))
    outcome_tables = [_outcome_table("alle", "Gebruik Wet Bibob per uitkomst – alle domeinen", files, years, peildatum)]
    for group in groups:
        in_group = [f for f in files if f["domain__group"] == group]
        if in_group:
            outcome_tables.append(_outcome_table(group, f"Gebruik Wet Bibob per uitkomst – {group}", in_group, years, peildatum))
    per_domain = Counter((f["domain_id"], f["received_on"].year) for f in files)
    domain_table = Table("domeinen", "Gebruik Wet Bibob per domein (aantal dossiers)")
    for group in groups:
        members = [d for d in shown if d.group == group]
        subs = [Row(d.code, d.name + ("" if d.in_policy else " (niet in het Bibob-beleid)"),
                    [per_domain[(d.pk, y)] for y in years], sub=True) for d in members]
        domain_table.rows.append(Row(group, group, [sum(r.cells[i] for r in subs) for i in range(len(years))]))
        if len(subs) > 1 or (subs and subs[0].label != group):
            domain_table.rows += subs
    domain_table.rows.append(Row(TOTAL, "Totaal", [sum(per_domain[(d.pk, y)] for d in shown) for y in years]))
    return BibobTables(organisation=organisation.name, peildatum=peildatum, columns=columns,
                       outcome_tables=outcome_tables, domain_table=domain_table,
                       uncovered=[d.name for d in domains if d.active and not d.in_policy])


def _matrix(tables: BibobTables) -> list[list]:
    lines = []
    for table in tables.all_tables:
        lines.append([table.title])
        lines.append(["", *[c.label for c in tables.columns]])
        for row in table.rows:
            lines.append([("  " if row.sub else "") + row.label, *row.cells])
        lines.append([])
    if tables.uncovered:
        lines.append([f"Niet gedekt door het Bibob-beleid: {', '.join(tables.uncovered)}."])
    lines.append([f"Bron: Bibob-dossiers {tables.organisation}, stand per {tables.peildatum:%d-%m-%Y}."])
    return lines


def to_csv(tables: BibobTables) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for line in _matrix(tables):
        writer.writerow(line)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(tables: BibobTables) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Jaartabellen Bibob"
    bold = Font(bold=True)
    for line in _matrix(tables):
        sheet.append(line)
        if len(line) == 1:
            sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.column_dimensions["A"].width = 70
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
