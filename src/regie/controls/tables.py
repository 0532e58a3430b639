"""The year report of integral controls: per type and per partner, planned versus executed,
cancellations and their reasons, and the yield (signals, measures, closures, actions).

Seed 000 §3.5: the municipality "kon hierover daardoor geen informatie voor het jaar 2022
verstrekken"; seed 002 recommends to "monitor the number of integral controls per year and per
theme, plus their yield (opbrengst)". Counted for the whole municipality under an organisation
access (all confidentiality levels), so the report holds counts only and reads the same for every
role that may see it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from regie.accounts.roles import CONTROLS, MEASURES
from regie.measures.models import Category, Measure
from regie.organisations.access import organisation_access
from regie.organisations.models import Organisation

from .models import Control, Finding, Participant, PartnerRequest, YearPlan

KIND_COLUMNS = ["Soort controle", "Gepland", "Uitgevoerd", "Geannuleerd", "Nog open", "Adressen bezocht", "Bevindingen",
                "Nieuwe signalen", "Maatregelen", "Sluitingen", "Vervolgacties"]
PARTNER_COLUMNS = ["Partner", "Gevraagd", "Toegezegd", "Afgezegd", "Deelgenomen (uitgevoerd)", "Bevindingen",
                   "Annuleringen wegens capaciteit"]


@dataclass
class Report:
    year: int
    target: int | None
    totals: dict
    by_kind: list[list] = field(default_factory=list)
    by_partner: list[list] = field(default_factory=list)
    cancellations: list[list] = field(default_factory=list)
    cancel_kinds: list[tuple[str, int]] = field(default_factory=list)


def _yield(findings: list[Finding], closure_ids: set[int]) -> dict:
    return {
        "signals": sum(1 for f in findings if f.signal_id),
        "measures": sum(1 for f in findings if f.measure_id),
        "closures": sum(1 for f in findings if f.measure_id in closure_ids),
        "actions": sum(1 for f in findings if f.action_id),
    }


def build(organisation: Organisation, year: int) -> Report:
    access = organisation_access(organisation, "rapportage integrale controles", frozenset({CONTROLS, MEASURES}))
    plan = YearPlan.objects.visible_to(access).filter(year=year).first()
    controls = list(Control.objects.visible_to(access).filter(planned_on__year=year).select_related("cancel_partner"))
    ids = [c.pk for c in controls]
    findings = list(Finding.objects.filter(control_id__in=ids).select_related("organisation"))
    measure_ids = {f.measure_id for f in findings if f.measure_id}
    closure_ids = set(Measure.objects.visible_to(access).filter(pk__in=measure_ids, kind__category=Category.CLOSURE)
                      .values_list("pk", flat=True))
    visited = Counter(Control.objects.visible_to(access).filter(pk__in=ids, addresses__visited=True)
                      .values_list("kind", flat=True))
    per_kind_findings: dict[str, list[Finding]] = defaultdict(list)
    kind_of = {c.pk: c.kind for c in controls}
    for f in findings:
        per_kind_findings[kind_of[f.control_id]].append(f)
    by_kind = []
    for value, label in Control.Kind.choices:
        mine = [c for c in controls if c.kind == value]
        if not mine:
            continue
        status = Counter(c.status for c in mine)
        y = _yield(per_kind_findings[value], closure_ids)
        by_kind.append([label, len(mine), status[Control.Status.EXECUTED], status[Control.Status.CANCELLED],
                        status[Control.Status.PLANNED] + status[Control.Status.CONFIRMED], visited[value],
                        len(per_kind_findings[value]), y["signals"], y["measures"], y["closures"], y["actions"]])
    executed_ids = {c.pk for c in controls if c.status == Control.Status.EXECUTED}
    partners: dict[int, dict] = defaultdict(Counter)
    names: dict[int, str] = {}
    for row in PartnerRequest.objects.filter(control_id__in=ids).select_related("organisation"):
        names[row.organisation_id] = row.organisation.name
        partners[row.organisation_id]["asked"] += 1
        partners[row.organisation_id][row.answer] += 1
    for org_id, control_id, name in Participant.objects.filter(control_id__in=executed_ids).values_list(
            "organisation_id", "control_id", "organisation__name").distinct():
        names[org_id] = name
        partners[org_id]["participated_" + str(control_id)] = 1
    for f in findings:
        names[f.organisation_id] = f.organisation.name
        partners[f.organisation_id]["findings"] += 1
    for c in controls:
        if c.status == Control.Status.CANCELLED and c.cancel_kind == Control.CancelKind.CAPACITY and c.cancel_partner_id:
            names[c.cancel_partner_id] = c.cancel_partner.name
            partners[c.cancel_partner_id]["capacity"] += 1
    by_partner = []
    for org_id, counts in sorted(partners.items(), key=lambda item: names[item[0]]):
        participated = sum(1 for key in counts if key.startswith("participated_"))
        by_partner.append([names[org_id], counts["asked"], counts[PartnerRequest.Answer.PROMISED],
                           counts[PartnerRequest.Answer.DECLINED], participated, counts["findings"], counts["capacity"]])
    cancelled = sorted((c for c in controls if c.status == Control.Status.CANCELLED), key=lambda c: c.planned_on)
    cancellations = [[f"{c.planned_on:%d-%m-%Y}", c.reference, c.get_kind_display(), c.get_cancel_kind_display(),
                      c.cancel_reason, c.cancel_partner.name if c.cancel_partner_id else ""] for c in cancelled]
    status = Counter(c.status for c in controls)
    totals = {
        "target": plan.target if plan else None,
        "planned": len(controls),
        "executed": status[Control.Status.EXECUTED],
        "cancelled": status[Control.Status.CANCELLED],
        "open": status[Control.Status.PLANNED] + status[Control.Status.CONFIRMED],
        "findings": len(findings),
        **_yield(findings, closure_ids),
    }
    kinds = Counter(c.get_cancel_kind_display() for c in cancelled)
    return Report(year=year, target=totals["target"], totals=totals, by_kind=by_kind, by_partner=by_partner,
                  cancellations=cancellations, cancel_kinds=kinds.most_common())


def _matrix(report: Report) -> list[list]:
    t = report.totals
    lines: list[list] = [
        [f"Integrale controles {report.year}"],
        ["Streefaantal", t["target"] if t["target"] is not None else "geen jaarplan"],
        ["Gepland (data gereserveerd)", t["planned"]],
        ["Uitgevoerd", t["executed"]],
        ["Geannuleerd", t["cancelled"]],
        ["Nog open", t["open"]],
        ["Bevindingen", t["findings"]],
        ["Nieuwe signalen", t["signals"]],
        ["Maatregelen", t["measures"]],
        ["Sluitingen", t["closures"]],
        ["Vervolgacties partners", t["actions"]],
        [],
        ["Per soort controle"],
        KIND_COLUMNS,
        *report.by_kind,
        [],
        ["Per partner"],
        PARTNER_COLUMNS,
        *report.by_partner,
        [],
        ["Annuleringen en hun reden"],
        ["Datum", "Kenmerk", "Soort controle", "Soort reden", "Reden", "Partner"],
        *report.cancellations,
    ]
    return lines


def to_csv(report: Report) -> bytes:
    """Semicolon-separated with a byte-order mark, as Dutch spreadsheets open it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for line in _matrix(report):
        writer.writerow(line)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"Controles {report.year}"
    bold = Font(bold=True)
    for line in _matrix(report):
        sheet.append(line)
        if len(line) == 1:
            sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
