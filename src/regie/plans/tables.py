"""The tables of the plans room as plain rows, and their CSV and XLSX exports (issue 11, point 7):
the dashboard, the goals, the recommendations and the three-year overview. The exporters are the
shared ones of :mod:`regie.web.exports`, re-exported here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from regie.web.exports import Sheet, to_csv, to_xlsx

from .dashboard import Dashboard
from .models import Recommendation
from .services import add_months, one_year_due

__all__ = ["Sheet", "to_csv", "to_xlsx", "dashboard_sheet", "recommendations_sheet", "overview_sheet", "overview_recs"]

#: seed 000 "Tot slot": "tot drie jaar teruggeblikt"
OVERVIEW_YEARS = 3


def _num(value):
    if isinstance(value, Decimal):
        return value.normalize() if value == value.to_integral() else value
    return value


def dashboard_sheet(board: Dashboard) -> Sheet:
    header = ["Pijler", "Thema", "Prioriteit", "Doel", "Indicator", "Eenheid", "Nulmeting", "Streefwaarde",
              f"Gerealiseerd {board.year - 1}", f"Gerealiseerd {board.year}", "Verschil met vorig jaar",
              "Cumulatief", "Status", "Deadline", "Eigenaar", "Bron"]
    rows = []
    for block in board.blocks:
        for r in block.rows:
            rows.append([block.pillar, block.theme, block.priority, r.goal.title, r.indicator, r.unit, _num(r.baseline),
                         r.target, _num(r.previous), _num(r.realised), _num(r.change), _num(r.cumulative),
                         r.status_label + (" (handmatig)" if r.overridden else ""), r.goal.deadline, r.goal.owner, r.source])
    return Sheet(f"{board.plan.title} – stand {board.year}", header, rows)


def recommendations_sheet(recs: list[Recommendation]) -> Sheet:
    header = ["Rapport", "Nr.", "Aanbeveling", "Gericht aan", "Besluit raad", "Besloten op", "Eigenaar",
              "Plan van aanpak uiterlijk", "Plan van aanpak verstuurd", "Stand na een jaar uiterlijk",
              "Stand na een jaar verstuurd", "Status"]
    rows = [[r.report_title, r.number, r.text, r.get_addressee_display(), r.get_decision_display(), r.decided_on,
             r.responsible, r.approach_due, r.approach_sent_on, one_year_due(r), r.one_year_update_on, r.get_status_display()]
            for r in recs]
    return Sheet("Aanbevelingen rekenkamer", header, rows)


def overview_recs(recs, peildatum: date) -> list[Recommendation]:
    """Recommendations decided in the three years before the peildatum."""
    since = add_months(peildatum, -12 * OVERVIEW_YEARS)
    return [r for r in recs if since <= r.decided_on <= peildatum]


def overview_sheet(recs: list[Recommendation], peildatum: date) -> Sheet:
    header = ["Rapport", "Nr.", "Aanbeveling", "Besluit raad", "Besloten op", "Eigenaar", "Status",
              "Laatste stand", "Datum laatste stand", "Plan van aanpak op tijd", "Stand na een jaar"]
    rows = []
    for r in overview_recs(recs, peildatum):
        updates = list(r.updates.all())
        last = updates[-1] if updates else None
        if r.approach_sent_on:
            on_time = "ja" if r.approach_sent_on <= r.approach_due else "nee, te laat"
        else:
            on_time = "nog niet verstuurd" + (" (termijn verstreken)" if r.approach_due < peildatum else "")
        if r.one_year_update_on:
            year_update = f"verstuurd {r.one_year_update_on:%d-%m-%Y}"
        else:
            year_update = "verwacht " + f"{one_year_due(r):%d-%m-%Y}"
        rows.append([r.report_title, r.number, r.text, r.get_decision_display(), r.decided_on, r.responsible,
                     r.get_status_display(), last.text if last else "", last.on if last else None, on_time, year_update])
    return Sheet(f"Overzicht aanbevelingen {peildatum.year - OVERVIEW_YEARS + 1}–{peildatum.year}", header, rows)
