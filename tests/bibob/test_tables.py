"""Issue 6, point 5: annual tables generated from event-level files equal the published tables.

The test opens one file per published event through the services and walks it to its outcome
(a decision, a pending LBB request or nothing yet), then compares the generated tables with
Tabel 4.5 (per outcome) and Tabel 4.6 (per domain) of seed 004 cell for cell, each with its own
peildatum and "t/m <maand>" marker. The figures live in seed_tables.yaml next to this file.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from django.urls import reverse
from openpyxl import load_workbook

from regie.accounts.access import access_for_user
from regie.audit.models import AuditEntry
from regie.bibob import services, tables
from tests.bibob.conftest import assess, domain, new_file, to_research
from tests.conftest import verified_client

SEEDS = yaml.safe_load(Path(__file__).with_name("seed_tables.yaml").read_text(encoding="utf-8"))
TODAY = date(2025, 6, 1)
APV_DOMAINS = ["horeca-alcohol", "exploitatievergunning", "seksbedrijf"]
#: Dordrecht's "bouw en milieu" covers permits and public contracts (Tabel 4.6's caption)
BUILDING_DOMAINS = ["omgevingsvergunning-bouw", "omgevingsvergunning-milieu", "aanbesteding"]


def walk(access, file, start: date, key: str, last: date) -> None:
    """Bring a file received on ``start`` to the outcome row ``key`` before ``last``."""
    end = min(start + timedelta(days=25), last)
    if key in ("onbekend", "aanvraag_only"):
        return
    if key == "procedure_beeindigd" or key == "geen_vergunning_nodig":
        services.add_step(access, file, "besluit", on=end, outcome=key, today=TODAY)
        return
    if key == "buiten_behandeling":
        services.add_step(access, file, "formulier", on=start + timedelta(days=1), today=TODAY)
        services.add_step(access, file, "volledigheid", on=start + timedelta(days=2), complete=False,
                          deadline=start + timedelta(days=9), today=start + timedelta(days=2))
        services.add_step(access, file, "besluit", on=start + timedelta(days=12), outcome=key, today=TODAY)
        return
    to_research(access, file, start)
    if key == "lbb":
        services.add_step(access, file, "lbb_gevraagd", on=start + timedelta(days=8), today=TODAY)
        return
    assess(access, file, start + timedelta(days=8))
    services.add_step(access, file, "besluit", on=start + timedelta(days=10), outcome="verleend", today=TODAY)


def outcomes_for(rows: dict, year: int) -> list[str]:
    keys = ["verlening", "buiten_behandeling", "procedure_beeindigd", "lbb", "geen_vergunning_nodig", "onbekend"]
    if rows["verlening"][year] is None:  # only the total is published: every file decided
        return ["verlening"] * rows["totaal"][year]
    found = [key for key in keys for _ in range(rows[key][year])]
    assert len(found) == rows["totaal"][year], year  # the published outcome rows add up to the total
    return found


def starts(year: int, n: int, last: date) -> list[date]:
    """``n`` dates spread over ``year`` up to 30 days before ``last``."""
    end = min(date(year, 12, 31), last) - timedelta(days=30)
    span = (end - date(year, 1, 1)).days
    return [date(year, 1, 1) + timedelta(days=span * i // max(n, 1)) for i in range(n)]


@pytest.fixture
def dordrecht(town, access):
    a = town["orgs"]["a"]
    services.update_domain(access, domain(a, "aanbesteding"), group="Bouw en milieu")
    return a


def build_table_4_5(access, org):
    seed = SEEDS["tabel_4_5"]
    rows, peildatum = seed["rows"], seed["peildatum"]
    for year in rows["totaal"]:
        found = outcomes_for(rows, year)
        applications = rows["aanvraag"][year] if rows["aanvraag"][year] is not None else len(found)
        # the files that are no application for a decision: reassessments of a permit (27 of 32 in 2023)
        kinds = sorted(found, key=lambda key: key not in ("onbekend", "lbb"))
        for i, (key, start) in enumerate(zip(kinds, starts(year, len(found), peildatum))):
            kind = "herbeoordeling" if i < len(found) - applications else "aanvraag"
            f = new_file(access, org, start, code=APV_DOMAINS[i % 3], kind=kind, description=f"APV {year} nr. {i + 1}",
                         today=TODAY)
            walk(access, f, start, key, peildatum)


def test_table_4_5_per_outcome_equals_seed_004_cell_for_cell(dordrecht, access):
    build_table_4_5(access, dordrecht)
    seed = SEEDS["tabel_4_5"]
    years = sorted(seed["rows"]["totaal"])
    generated = tables.build(dordrecht, first_year=years[0], last_year=years[-1], peildatum=seed["peildatum"])
    assert generated.columns[-1].label == seed["marker"]
    table = generated.outcomes(seed["group"])
    compared = 0
    for key, cells in seed["rows"].items():
        for i, year in enumerate(years):
            if cells[year] is None:
                continue
            assert table.row(key).cells[i] == cells[year], (key, year)
            compared += 1
    assert compared == 2 + 2 * 8  # every published cell: 8 rows in 2023-2024, the total in 2021-2022
    # the table for all domains holds the same files; outcome rows add up to the total
    everything = generated.outcomes()
    assert everything.row("totaal").cells == table.row("totaal").cells
    parts = [r for k, _, counted in tables.OUTCOME_ROWS if counted for r in [everything.row(k)]]
    assert [sum(r.cells[i] for r in parts) for i in range(len(years))] == everything.row("totaal").cells


def test_table_4_6_per_domain_equals_seed_004_with_outcomes_for_building_too(dordrecht, access):
    seed = SEEDS["tabel_4_6"]
    peildatum = seed["peildatum"]
    for group, cells in seed["rows"].items():
        codes = BUILDING_DOMAINS if group == "Bouw en milieu" else ["vastgoed"]
        for year, n in cells.items():
            for i, start in enumerate(starts(year, n, peildatum)):
                f = new_file(access, dordrecht, start, code=codes[i % len(codes)],
                             kind="relatie" if codes[i % len(codes)] in ("aanbesteding", "vastgoed") else "aanvraag",
                             description=f"{group} {year} nr. {i + 1}", today=TODAY)
                walk(access, f, start, "verlening" if i % 4 else "geen_vergunning_nodig", peildatum)
    generated = tables.build(dordrecht, first_year=2020, last_year=2024, peildatum=peildatum)
    assert generated.columns[-1].label == seed["marker"]
    years = [c.year for c in generated.columns]
    for group, cells in seed["rows"].items():
        row = generated.domain_table.row(group)
        for year, n in cells.items():
            assert row.cells[years.index(year)] == n, (group, year)
    building = generated.domain_table.row("Bouw en milieu")
    subs = [generated.domain_table.row(code) for code in BUILDING_DOMAINS]
    assert [sum(r.cells[i] for r in subs) for i in range(5)] == building.cells
    assert all("niet in het Bibob-beleid" in r.label for r in subs)
    # and, unlike Dordrecht, the outcomes of bouw en milieu are reported too
    outcomes = generated.outcomes("Bouw en milieu")
    assert outcomes.row("totaal").cells == building.cells
    assert outcomes.row("geen_vergunning_nodig").total > 0 and outcomes.row("verlening").total > 0


def test_a_file_counts_under_its_outcome_as_on_the_peildatum(town, access):
    a = town["orgs"]["a"]
    f = new_file(access, a, date(2024, 9, 1), today=TODAY)
    to_research(access, f, date(2024, 9, 1))
    services.add_step(access, f, "lbb_gevraagd", on=date(2024, 9, 20), today=TODAY)
    services.add_step(access, f, "lbb_ontvangen", on=date(2024, 11, 1), degree="mindere",
                      finding="Mindere mate van gevaar door een eerdere veroordeling.", today=TODAY)
    assess(access, f, date(2024, 11, 2), degree="mindere")
    services.add_step(access, f, "besluit", on=date(2024, 11, 5), outcome="verleend_voorschriften", today=TODAY)
    in_october = tables.build(a, first_year=2024, last_year=2024, peildatum=date(2024, 10, 15)).outcomes()
    assert in_october.row("lbb").cells == [1] and in_october.row("verlening").cells == [0]
    at_year_end = tables.build(a, first_year=2024, last_year=2024, peildatum=date(2024, 12, 31))
    assert at_year_end.columns[0].label == "2024"
    assert at_year_end.outcomes().row("verlening").cells == [1]
    assert at_year_end.outcomes().row("verleend_voorschriften").cells == [1]
    assert at_year_end.outcomes().row("lbb").cells == [0]


def test_the_tables_export_as_csv_and_xlsx_with_an_audit_row(town, access):
    a = town["orgs"]["a"]
    f = new_file(access, a, date(2025, 2, 3), today=TODAY)
    services.add_step(access, f, "besluit", on=date(2025, 2, 10), outcome="geen_vergunning_nodig", today=TODAY)
    client = verified_client(town["bibob"])
    url = reverse("bibob:tables")
    response = client.get(url, {"jaar": 2025, "van": 2024, "formaat": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    row = next(line for line in lines if line and line[0] == "Geen vergunning nodig (vergunningsvrij)")
    assert row[1:] == ["0", "1"]
    assert AuditEntry.objects.filter(action="export", detail__format="csv", object_type="bibob.bibobfile").exists()
    response = client.get(url, {"jaar": 2025, "van": 2024, "formaat": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert any(r[0] == "Totaal" and r[2] == 1 for r in values)
    assert AuditEntry.objects.filter(action="export", detail__format="xlsx").exists()
    # bad input: a clear Dutch refusal, never a 500
    bad = client.get(url, {"jaar": "twintig"})
    assert bad.status_code == 400 and "Geef een jaartal" in bad.content.decode()
    bad = client.get(url, {"formaat": "doc"})
    assert bad.status_code == 400 and "Kies het formaat" in bad.content.decode()


def test_the_council_reads_the_tables_and_a_boa_does_not(town):
    assert verified_client(town["raadslid"]).get(reverse("bibob:tables")).status_code == 200
    assert verified_client(town["boa"]).get(reverse("bibob:tables")).status_code == 403
    other = access_for_user(town["bibob_b"])
    new_file(other, town["orgs"]["b"], date(2025, 3, 3), today=TODAY)
    own = tables.build(town["orgs"]["a"], first_year=2025, last_year=2025, peildatum=date(2025, 12, 31))
    assert own.outcomes().row("totaal").cells == [0]  # another municipality's files never count
