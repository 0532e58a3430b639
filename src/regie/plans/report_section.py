"""The council report's section "Voortgang van de plannen" (issue 11, point 4): per openbaar plan
running in the year, each goal's target against its realisation, and the follow-up of the
rekenkamer's recommendations. Figures of goals, not counts of people: ``counts=False``."""

from __future__ import annotations

from datetime import date

from regie.organisations.access import use_access

from . import dashboard
from .models import Plan, Recommendation
from .permissions import public_access
from .tables import _num, overview_recs


def _cell(value):
    value = _num(value)
    return "—" if value is None else value


def build(organisation, year: int, peildatum: date):
    from regie.reports.sections import ReportTable

    access = public_access(organisation, "raadsrapportage plannen")
    with use_access(access):
        plans = list(Plan.objects.filter(owner_id=organisation.pk, first_year__lte=year, last_year__gte=year))
        recs = list(Recommendation.objects.filter(owner_id=organisation.pk).prefetch_related("updates"))
        result = []
        for plan in plans:
            board = dashboard.build(plan, year, min(peildatum, date(year, 12, 31)))
            rows = [(f"{block.pillar} – {block.theme}: {r.goal.title}",
                     [r.target, _cell(r.previous), _cell(r.realised), _cell(r.change), r.status_label])
                    for block in board.blocks for r in block.rows]
            if rows:
                result.append(ReportTable(
                    title=f"{plan.title} ({plan.period})",
                    columns=["Streefwaarde", f"Gerealiseerd {year - 1}", f"Gerealiseerd {year}", "Verschil", "Status"],
                    rows=rows, counts=False,
                    note="Bron: indicatoren berekend uit de registraties in Regie en handmatig ingevoerde cijfers "
                         "(met bron en peildatum).",
                    partial_columns=[2] if peildatum < date(year, 12, 31) else [],
                ))
        shown = overview_recs(recs, peildatum)
        if shown:
            result.append(ReportTable(
                title="Opvolging aanbevelingen rekenkamer (drie jaar)",
                columns=["Besluit raad", "Besloten op", "Plan van aanpak", "Status"],
                rows=[(f"{r.report_title}, nr. {r.number}", [
                    r.get_decision_display(), f"{r.decided_on:%d-%m-%Y}",
                    f"verstuurd {r.approach_sent_on:%d-%m-%Y}" if r.approach_sent_on else f"uiterlijk {r.approach_due:%d-%m-%Y}",
                    r.get_status_display()]) for r in shown],
                counts=False,
            ))
    return result


def install() -> None:
    from regie.reports.sections import ReportSection, register

    register(ReportSection(key="plans", title="Voortgang van de plannen", order=80, build=build))
