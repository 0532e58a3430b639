"""The register tables of the other rooms, as their own ``tables.build`` functions count them
(measures: seed 004 Tabellen 4.1–4.4 and seed 000 Tabel 6.1; Bibob: Tabel 4.5/4.6; controls:
the year report), turned into report tables."""

from __future__ import annotations

from datetime import date

from regie.bibob import tables as bibob_tables
from regie.controls import tables as control_tables
from regie.measures import tables as measure_tables

from ..sections import ReportTable
from .common import partial_columns, years_for


def _convert(table, years: list[int], peildatum: date, *, note: str = "", chart: bool = False) -> ReportTable:
    return ReportTable(
        table.title, [str(y) for y in years],
        [(("– " if row.sub else "") + row.label, list(row.cells)) for row in table.rows],
        note=note, partial_columns=partial_columns(years, peildatum),
        chart_column=len(years) - 1 if chart else None,
    )


def measures_section(organisation, year: int, peildatum: date) -> list[ReportTable]:
    years = years_for(year)
    result = measure_tables.build(organisation, first_year=years[0], last_year=year, peildatum=peildatum)
    out = [_convert(result.instruments, years, peildatum, chart=True,
                    note="Een maatregel telt in het jaar van het besluit.")]
    out += [_convert(t, years, peildatum, note="Een bestuurlijke rapportage telt in het jaar waarin zij binnenkwam.")
            for t in result.domain_tables]
    return out


def bibob_section(organisation, year: int, peildatum: date) -> list[ReportTable]:
    years = years_for(year)
    result = bibob_tables.build(organisation, first_year=years[0], last_year=year, peildatum=peildatum)
    note = "Een dossier telt in het jaar waarin de aanvraag binnenkwam, onder de uitkomst op de peildatum."
    return [_convert(result.outcomes(), years, peildatum, note=note), _convert(result.domain_table, years, peildatum)]


def controls_section(organisation, year: int, peildatum: date) -> list[ReportTable]:
    report = control_tables.build(organisation, year)
    t = report.totals
    partial = [0] if partial_columns([year], peildatum) else []
    target = f"Streefaantal volgens het jaarplan: {t['target']}." if t["target"] is not None else "Er is geen jaarplan vastgelegd."
    rows = [("Gepland", t["planned"]), ("Uitgevoerd", t["executed"]), ("Geannuleerd", t["cancelled"]),
            ("Nog open", t["open"]), ("Bevindingen", t["findings"]), ("Nieuwe signalen", t["signals"]),
            ("Maatregelen", t["measures"]), ("Sluitingen", t["closures"]), ("Vervolgacties partners", t["actions"])]
    tables = [ReportTable(f"Integrale controles {year}", [str(year)], [(label, [n]) for label, n in rows],
                          note=target, partial_columns=partial, chart_column=0)]
    if report.by_kind:
        columns = control_tables.KIND_COLUMNS[1:]
        tables.append(ReportTable(f"Integrale controles {year} per soort", columns,
                                  [(row[0], list(row[1:])) for row in report.by_kind]))
    return tables
