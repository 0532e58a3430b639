"""The dashboard figures (annual, cumulative, change against last year), the exports and the
council report's section."""

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from regie.controls.models import Control, YearPlan
from regie.plans import dashboard, services, tables
from regie.plans.models import Goal, Plan, Recommendation
from regie.plans.report_section import build as report_build
from regie.reports.sections import SECTIONS


def _executed(org, *days):
    for i, day in enumerate(days):
        plan, _ = YearPlan.unscoped.get_or_create(owner=org, year=day.year)
        Control.objects.create(owner=org, plan=plan, reference=f"CTL-D-{day}-{i}", planned_on=day, kind="horeca",
                               title="Controle", status=Control.Status.EXECUTED, executed_on=day)


def _ivp_with_goal(access, **goal):
    ivp = services.create_plan(access, kind=Plan.Kind.IVP, title="IVP 2023–2026", first_year=2023, last_year=2026)
    pillar = services.add_pillar(access, ivp, name="Aanpakken")
    theme = services.add_theme(access, pillar, name="Drugs", priority=1)
    services.add_goal(access, theme, **{"title": "Integrale controles", "indicator_code": "controls.held", "target_kind": "minimum",
                                        "target_value": Decimal(3), "deadline": date(2026, 12, 31), "owner": "OOV", **goal})
    return ivp


def test_annual_cumulative_and_change(orgs, access):
    a = orgs["a"]
    _executed(a, date(2023, 5, 1), date(2024, 2, 1), date(2024, 3, 1), date(2025, 1, 5), date(2025, 2, 5),
              date(2025, 3, 5), date(2025, 4, 5))
    _executed(orgs["b"], date(2025, 1, 1))
    ivp = _ivp_with_goal(access)
    board = dashboard.build(ivp, 2025, date(2025, 12, 31))
    row = board.rows[0]
    assert (row.realised, row.previous, row.change, row.cumulative) == (4, 2, 2, 7)
    assert row.status == "behaald" and row.target == "minimaal 3"
    assert board.blocks[0].pillar == "Aanpakken" and board.blocks[0].theme == "Drugs"
    board_2024 = dashboard.build(ivp, 2024, date(2025, 12, 31))
    assert board_2024.rows[0].status == "niet_behaald" and board_2024.rows[0].cumulative == 3
    # a peildatum inside the year counts up to that day only
    assert dashboard.build(ivp, 2025, date(2025, 2, 10)).rows[0].realised == 2


def test_cumulative_target(orgs, access):
    _executed(orgs["a"], date(2023, 5, 1), date(2024, 2, 1), date(2025, 1, 5))
    ivp = _ivp_with_goal(access, target_value=Decimal(5), scope=Goal.Scope.CUMULATIVE)
    row = dashboard.build(ivp, 2025, date(2025, 12, 31)).rows[0]
    assert row.cumulative == 3 and row.status == "niet_behaald" and row.target.endswith("(cumulatief)")


def test_manual_goal_uses_latest_measurement_and_no_cumulative(plan, access):
    goal = Goal.objects.get(manual_label="% onveilig in de buurt")
    services.add_measurement(access, goal, value=Decimal("22.1"), source="Veiligheidsmonitor 2024", reference_date=date(2024, 6, 1))
    services.add_measurement(access, goal, value=Decimal("22.0"), source="Veiligheidsmonitor 2025", reference_date=date(2025, 3, 1))
    services.add_measurement(access, goal, value=Decimal("20.5"), source="Veiligheidsmonitor 2025 (herzien)", reference_date=date(2025, 9, 1))
    row = dashboard.goal_row(goal, plan, plan.owner, 2025, date(2025, 12, 31))
    assert row.realised == Decimal("20.5") and row.previous == Decimal("22.1") and row.change == Decimal("-1.6")
    assert row.cumulative is None and row.status == "behaald" and row.source == "handmatig ingevoerd"


def test_override_wins_over_computed(plan, access):
    goal = Goal.objects.get(indicator_code="controls.held")
    services.override_status(access, goal, status="deels", reason="Vier controles door partners uitgevoerd")
    goal.refresh_from_db()
    row = dashboard.goal_row(goal, plan, plan.owner, 2025, date(2025, 12, 31))
    assert row.computed_status == "niet_behaald" and row.status == "deels" and row.overridden


def test_csv_and_xlsx_hold_the_dashboard(orgs, access):
    _executed(orgs["a"], date(2024, 2, 1), date(2025, 1, 5))
    ivp = _ivp_with_goal(access, title="=HYPERLINK(\"x\")")
    sheet = tables.dashboard_sheet(dashboard.build(ivp, 2025, date(2025, 12, 31)))
    text = tables.to_csv([sheet]).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][:4] == ["Pijler", "Thema", "Prioriteit", "Doel"]
    data = dict(zip(rows[1], rows[2]))
    assert data["Doel"] == "'=HYPERLINK(\"x\")"  # neutralised
    assert (data["Gerealiseerd 2024"], data["Gerealiseerd 2025"], data["Verschil met vorig jaar"], data["Cumulatief"]) == ("1", "1", "0", "2")
    assert data["Deadline"] == "31-12-2026"
    book = load_workbook(io.BytesIO(tables.to_xlsx([sheet])))
    ws = book.worksheets[0]
    assert ws.cell(1, 1).value.startswith("IVP 2023–2026")
    header = [c.value for c in ws[2]]
    values = dict(zip(header, [c.value for c in ws[3]]))
    assert values["Gerealiseerd 2025"] == 1 and values["Cumulatief"] == 2 and values["Status"] == "niet behaald"
    assert values["Doel"].startswith("'=")


def test_overview_looks_back_three_years(access):
    old = services.add_recommendation(access, report_title="Oud", number=1, text="Oud", decision="overgenomen",
                                      decided_on=date(2021, 6, 1), responsible="OOV")
    recent = services.add_recommendation(access, report_title="Ondermijning", number=2, text="Stel uitvoeringsplannen op",
                                         decision="overgenomen", decided_on=date(2024, 6, 1), responsible="OOV")
    services.add_update(access, recent, kind="plan_van_aanpak", on=date(2024, 10, 1), status="in_uitvoering", text="Te laat verstuurd")
    sheet = tables.overview_sheet([old, recent], date(2025, 6, 1))
    assert [r[0] for r in sheet.rows] == ["Ondermijning"]
    row = dict(zip(sheet.header, sheet.rows[0]))
    assert row["Plan van aanpak op tijd"] == "nee, te laat" and row["Laatste stand"] == "Te laat verstuurd"
    assert row["Stand na een jaar"] == "verwacht 01-06-2025"
    assert sheet.title == "Overzicht aanbevelingen 2023–2025"
    rec_sheet = tables.recommendations_sheet([recent])
    assert dict(zip(rec_sheet.header, rec_sheet.rows[0]))["Plan van aanpak uiterlijk"] == date(2024, 9, 1)


def test_report_section_registered_and_public_only(orgs, access):
    assert SECTIONS["plans"].title == "Voortgang van de plannen"
    _executed(orgs["a"], date(2025, 1, 5))
    _ivp_with_goal(access)
    secret = services.create_plan(access, kind=Plan.Kind.IVP, title="Vertrouwelijk plan", first_year=2025, last_year=2025,
                                  confidentiality=5)
    services.add_theme(access, services.add_pillar(access, secret, name="P"), name="T")
    services.add_recommendation(access, report_title="Rekenkamer", number=1, text="x", decision="overgenomen",
                                decided_on=date(2025, 1, 1), responsible="OOV")
    result = report_build(orgs["a"], 2025, date(2025, 6, 30))
    assert [t.title for t in result] == ["IVP 2023–2026 (2023–2026)", "Opvolging aanbevelingen rekenkamer (drie jaar)"]
    assert all(t.counts is False for t in result)
    label, cells = result[0].rows[0]
    assert label == "Aanpakken – Drugs: Integrale controles" and cells[2] == 1 and result[0].partial_columns == [2]
    assert report_build(orgs["b"], 2025, date(2025, 6, 30)) == []
    assert Recommendation.unscoped.count() == 1
