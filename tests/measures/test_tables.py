"""Issue 5, point 5: annual tables generated from the register equal the published tables.

The test builds one measure per published event through the services (a rapportage step per
bestuurlijke rapportage, a besluit per maatregel) and compares the generated tables with the
figures of seed 004 (Tabellen 4.1–4.4, drugsdealen, DOR) and seed 000 (Tabel 6.1) cell for cell.
The figures live in seed_tables.yaml next to this file, each table named with its source lines.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.urls import reverse
from openpyxl import load_workbook

from regie.accounts.access import access_for_user
from regie.audit.models import AuditEntry
from regie.measures import services, tables
from regie.measures.models import Category, MeasureDomain
from tests.conftest import verified_client
from tests.measures.conftest import WEIGHING, domain, kind

SEEDS = yaml.safe_load(Path(__file__).with_name("seed_tables.yaml").read_text(encoding="utf-8"))
#: the kind of measure each category is recorded with, per domain of the default catalogue
CLOSURE_KIND = {"seksbranche": "sluiting-seksbranche", "drugspanden": "sluiting-13b", "coffeeshops": "sluiting-apv",
                "explosies": "sluiting-174a", "opiumwet": "sluiting-13b", "prostitutie": "sluiting-seksbranche",
                "apv": "sluiting-apv"}
KIND_OF = {"waarschuwing": "waarschuwing", "dwangsom": "last-onder-dwangsom"}


def record_events(access, org, domain_code: str, year: int, rapportages: int, decisions: list[str], *, last_day=None):
    """One measure per event: ``rapportages`` bestuurlijke rapportages and one besluit per entry of
    ``decisions`` ("waarschuwing", "sluiting", "dwangsom"), all dated in ``year`` (up to ``last_day``)."""
    place = domain(org, domain_code)
    last_day = last_day or date(year, 12, 31)
    for i in range(max(rapportages, len(decisions))):
        category = decisions[i] if i < len(decisions) else None
        code = CLOSURE_KIND[domain_code] if category == "sluiting" else KIND_OF.get(category, "waarschuwing")
        extra = {**WEIGHING, "closure_months": 3} if category == "sluiting" else {}
        if category == "dwangsom":
            extra = {"penalty_amount": Decimal(1500), "term_days": 7}
        m = services.open_measure(access, kind=kind(org, code), domain=place, description=f"{domain_code} {year} nr. {i + 1}",
                                  **extra)
        day = last_day - timedelta(days=40 + i % 200) if last_day.month < 12 else date(year, 1 + i % 9, 1 + i % 20)
        if i < rapportages:
            services.add_step(access, m, "rapportage", on=day, source="politie" if i % 2 else "boa")
        if category is None:
            services.add_step(access, m, "einde", on=day + timedelta(days=1), outcome="afgezien")
            continue
        if category != "waarschuwing":
            services.add_step(access, m, "voornemen", on=day + timedelta(days=1))
        services.add_step(access, m, "besluit", on=day + timedelta(days=20))


def decisions_of(rows: dict, year: int) -> list[str]:
    return [category for category in ("waarschuwing", "sluiting", "dwangsom")
            for _ in range(rows.get(category, {}).get(year, 0))]


def years_of(rows: dict) -> set[int]:
    return {year for cells in rows.values() for year in cells}


def test_the_tables_equal_seed_004_tables_4_1_to_4_4_cell_for_cell(town, access):
    a = town["orgs"]["a"]
    published = SEEDS["seed_004"]["tables"]
    for code, rows in published.items():
        for year in sorted(years_of(rows)):
            decided = decisions_of(rows, year)
            if "maatregelen" in rows:  # the published total is the sum of its three rows
                assert len(decided) == rows["maatregelen"][year], (code, year)
            record_events(access, a, code, year, rows.get("rapportage", {}).get(year, 0), decided)

    generated = tables.build(a, first_year=2020, last_year=2024, peildatum=SEEDS["seed_004"]["peildatum"])
    assert [c.label for c in generated.columns] == ["2020", "2021", "2022", "2023", "2024"]
    compared = 0
    for code, rows in published.items():
        table = generated.table(code)
        assert [row.key for row in table.rows] == ["rapportage", "maatregelen", "waarschuwing", "sluiting", "dwangsom"]
        for key, cells in rows.items():
            for year, value in cells.items():
                assert table.row(key).cells[year - 2020] == value, (code, key, year)
                compared += 1
    assert compared == 25 + 25 + 8 + 8 + 3  # every published cell
    # the rows the report leaves out follow from the rows it has
    explosies = generated.table("explosies")
    assert explosies.row("dwangsom").cells == [0, 0, 0, 0, 0]
    coffeeshops = generated.table("coffeeshops")
    assert coffeeshops.row("maatregelen").cells[:2] == [1, 1]
    # Tabel 6.1-shaped view of the same register: lasten onder dwangsom per domain
    instruments = generated.instruments
    assert instruments.row("dwangsom:drugsdealen").cells == [0, 0, 23, 21, 11]
    assert instruments.row("sluiting").cells == [22, 4, 17, 24, 15]  # 1+20+1+0, 3+0+1+0, 3+14, 4+17+3, 2+13
    assert "Digitaal Opkopers Register (DOR)" in generated.quiet_domains  # no events: no table of its own


def test_a_partial_year_is_marked_and_counts_up_to_the_peildatum(town, access):
    """DOR in 2024 t/m oktober (seed 004, lines 1669-1679): 4 rapportages, 2 warnings, 2 dwangsommen."""
    a = town["orgs"]["a"]
    partial = SEEDS["seed_004"]["partial"]
    rows = partial["dor"]
    record_events(access, a, "dor", 2024, rows["rapportage"][2024], decisions_of(rows, 2024), last_day=partial["peildatum"])
    # a rapportage and a warning in November: after the peildatum, so not counted
    late = services.open_measure(access, kind=kind(a, "waarschuwing"), domain=domain(a, "dor"), description="Opkoper Markt 3")
    services.add_step(access, late, "rapportage", on=date(2024, 11, 4), source="boa")
    services.add_step(access, late, "besluit", on=date(2024, 11, 12))

    generated = tables.build(a, first_year=2023, last_year=2024, peildatum=partial["peildatum"])
    assert [c.label for c in generated.columns] == ["2023", partial["marker"]]
    dor = generated.table("dor")
    for key, cells in rows.items():
        assert dor.row(key).cells[1] == cells[2024], key
    assert dor.row("maatregelen").cells == [0, 4]
    full = tables.build(a, first_year=2024, last_year=2024, peildatum=date(2024, 12, 31))
    assert [c.label for c in full.columns] == ["2024"]
    assert full.table("dor").row("rapportage").cells == [5] and full.table("dor").row("waarschuwing").cells == [3]


def test_the_tables_equal_seed_000_tabel_6_1_cell_for_cell(town):
    """Amersfoort's own catalogue of domains (configurable per municipality), then its events."""
    b = town["orgs"]["b"]
    access = access_for_user(town["coordinator_b"])
    seed = SEEDS["seed_000"]
    MeasureDomain.objects.filter(organisation=b).delete()  # Amersfoort keeps its own domains, not the defaults
    for code, spec in seed["domains"].items():
        rows = [category for category in ("dwangsom", "waarschuwing", "sluiting") if category in spec]
        made = services.add_domain(access, name=spec["name"], instrument_rows=rows)
        MeasureDomain.objects.filter(pk=made.pk).update(code=code)
    jurist = access_for_user(town["jurist_b"])
    for year in (2020, 2021, 2022):
        for code in seed["domains"]:
            decided = [category for category, per_domain in seed["rows"].items()
                       for _ in range(per_domain.get(code, {}).get(year, 0))]
            # Tabel 6.1 publishes no rapportages; every measure starts with one all the same
            record_events(jurist, b, code, year, len(decided), decided)

    generated = tables.build(b, first_year=2020, last_year=2022, peildatum=seed["peildatum"]).instruments
    expected = {}
    for category, total in seed["totals"].items():
        expected[category] = [total[year] for year in (2020, 2021, 2022)]
        for code, cells in seed["rows"][category].items():
            expected[f"{category}:{code}"] = [cells[year] for year in (2020, 2021, 2022)]
    assert {row.key: row.cells for row in generated.rows} == expected  # every row, every cell, nothing more
    labels = {row.key: row.label for row in generated.rows}
    assert labels["dwangsom"] == seed["totals"]["dwangsom"]["label"]
    assert labels["waarschuwing"] == "Waarschuwingen" and labels["sluiting"] == "Sluitingen"
    assert labels["waarschuwing:prostitutie"] == seed["domains"]["prostitutie"]["waarschuwing"]
    assert labels["dwangsom:drugsdealen"] == seed["domains"]["drugsdealen"]["dwangsom"]


def test_the_tables_count_the_whole_municipality_and_nothing_of_another(town, access):
    a, b = town["orgs"]["a"], town["orgs"]["b"]
    secret = services.open_measure(access, kind=kind(a, "waarschuwing"), domain=domain(a, "drugspanden"),
                                   description="Zeer vertrouwelijk", confidentiality=6)
    services.add_step(access, secret, "rapportage", on=date(2025, 2, 3), source="politie")
    record_events(access_for_user(town["jurist_b"]), b, "drugspanden", 2025, 3, ["waarschuwing"])
    generated = tables.build(a, first_year=2025, last_year=2025, peildatum=date(2025, 12, 31))
    assert generated.table("drugspanden").row("rapportage").cells == [1]  # level 6 counts, Bedorp's 3 do not


@pytest.mark.parametrize(
    ("query", "message"),
    [("jaar=2999", "ligt na de peildatum"), ("jaar=abc", "Geef een jaartal"), ("van=2010&jaar=2024", "hoogstens 10"),
     ("peildatum=31-12-2024", "jjjj-mm-dd"), ("formaat=doc", "csv, xlsx of pdf")],
)
def test_bad_parameters_get_a_dutch_message(town, query, message):
    response = verified_client(town["jurist"]).get(reverse("measures:tables") + "?" + query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_page_and_exports_are_audited_and_hold_no_personal_data(town, access):
    a = town["orgs"]["a"]
    record_events(access, a, "drugspanden", 2024, 2, ["sluiting"])
    client = verified_client(town["raadslid"])  # the council reads aggregates
    page = client.get(reverse("measures:tables") + "?jaar=2024&peildatum=2024-12-31")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bestuurlijke handhaving – Drugspanden (art. 13b Opiumwet)" in text and "drugspanden 2024 nr." not in text
    csv_response = client.get(reverse("measures:tables") + "?jaar=2024&peildatum=2024-12-31&formaat=csv")
    assert csv_response["Content-Disposition"] == 'attachment; filename="jaartabellen-maatregelen-2020-2024.csv"'
    lines = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    rapportage = next(line for line in lines if line and line[0].startswith("Bestuurlijke rapportage"))
    assert rapportage[1:] == ["0", "0", "0", "0", "2"]
    assert not [line for line in lines if any("nr." in cell for cell in line)]
    xlsx = client.get(reverse("measures:tables") + "?jaar=2024&peildatum=2024-12-31&formaat=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert ["Sluiting pand", 0, 0, 0, 0, 1] in [list(v) for v in values]
    pdf = client.get(reverse("measures:tables") + "?jaar=2024&peildatum=2024-12-31&formaat=pdf")
    assert pdf.status_code in (200, 503)
    if pdf.status_code == 200:
        assert pdf.content.startswith(b"%PDF-")
    else:
        assert "WeasyPrint" in pdf.content.decode()
    exports = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, object_type="measures.measure")
    assert sorted(e.detail["format"] for e in exports) == sorted(["csv", "xlsx"] + (["pdf"] if pdf.status_code == 200 else []))
    assert all(e.username == town["raadslid"].username for e in exports)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LIST, object_type="measures.measure",
                                     username=town["raadslid"].username).exists()


def test_categories_outside_the_three_get_their_own_row_only_when_counted(town, access):
    a = town["orgs"]["a"]
    m = services.open_measure(access, kind=kind(a, "bestuurlijke-boete"), domain=domain(a, "huisvesting"),
                              description="Boete kamerverhuur")
    services.add_step(access, m, "voornemen", on=date(2025, 1, 6))
    services.add_step(access, m, "besluit", on=date(2025, 2, 6))
    generated = tables.build(a, first_year=2025, last_year=2025, peildatum=date(2025, 12, 31))
    housing = generated.table("huisvesting")
    assert housing.row("andere").cells == [1] and housing.row("maatregelen").cells == [0]
    assert generated.instruments.row(Category.FINE.value).cells == [1]
    assert generated.instruments.row(f"{Category.FINE.value}:huisvesting").cells == [1]
    keys = [row.key for row in generated.instruments.rows if not row.sub]
    assert keys == ["dwangsom", "waarschuwing", "sluiting", "boete"]
