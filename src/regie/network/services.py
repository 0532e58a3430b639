"""Every write and every query of the network room: each needs a registered purpose (a case the
caller may see, or a current analysis assignment) and is logged with it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from regie.accounts.models import Assignment
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.cases.models import Case
from regie.organisations.access import Access

from . import graph as g
from . import patterns
from .models import AnalysisAssignment, PatternHit, SavedChart

Action = AuditEntry.Action
MAX_CHART_ELEMENTS = 2000


@dataclass
class Purpose:
    case: Case | None = None
    assignment: AnalysisAssignment | None = None

    @property
    def obj(self):
        return self.case or self.assignment

    @property
    def key(self) -> str:
        return f"casus:{self.case.pk}" if self.case else f"opdracht:{self.assignment.pk}"

    @property
    def text(self) -> str:
        if self.case:
            return f"Netwerkanalyse voor casus {self.case.reference}"
        return f"Netwerkanalyse voor analyseopdracht ‘{self.assignment.title}’"


def resolve_purpose(access: Access, value) -> Purpose:
    """``'casus:<pk>'`` or ``'opdracht:<pk>'``: a case the caller may see or a current assignment."""
    kind, _, pk = str(value or "").partition(":")
    if not value:
        raise ValidationError("Kies een doel: een casus of een analyseopdracht. Zonder doel geen netwerkanalyse.")
    if kind not in ("casus", "opdracht") or not pk.isdigit():
        raise ValidationError("Onbekend doel: kies een casus of een analyseopdracht.")
    if kind == "casus":
        case = Case.objects.visible_to(access).filter(pk=int(pk)).first()
        if case is None:
            raise ValidationError("Deze casus bestaat niet of u mag hem niet zien.")
        return Purpose(case=case)
    assignment = AnalysisAssignment.objects.visible_to(access).filter(pk=int(pk)).first()
    if assignment is None:
        raise ValidationError("Deze analyseopdracht bestaat niet of u mag hem niet zien.")
    if not assignment.is_current():
        raise ValidationError("Deze analyseopdracht loopt niet (meer): de periode is voorbij of nog niet begonnen.")
    return Purpose(assignment=assignment)


def purposes(access: Access) -> list[tuple[str, str]]:
    """The purposes the caller may choose, as (value, Dutch label)."""
    today = timezone.localdate()
    found = [(f"opdracht:{a.pk}", str(a)) for a in AnalysisAssignment.objects.visible_to(access).filter(
        starts_on__lte=today, ends_on__gte=today)]
    found += [(f"casus:{c.pk}", f"Casus {c}") for c in Case.objects.visible_to(access).exclude(phase=Case.Phase.CLOSED)[:200]]
    return found


def _log(access, action, purpose: Purpose, detail: dict, request=None, obj=None, model=None):
    record(action, obj=obj or purpose.obj, model=model, access=access, request=request,
           purpose=purpose.text, detail={"netwerk": True, "doel": purpose.key, **detail})


@transaction.atomic
def query_graph(access: Access, purpose_value, start: str, *, hops: int = 2, max_nodes: int = g.DEFAULT_NODES,
                filters: g.Filters | None = None, request=None) -> tuple[Purpose, g.Graph]:
    """Expand from ``start`` under a registered purpose; LookupError when the start is not visible."""
    purpose = resolve_purpose(access, purpose_value)
    found = g.expand(access, start, hops=hops, max_nodes=max_nodes, filters=filters)
    _log(access, Action.SEARCH, purpose, {"start": start, "stappen": hops, "max": max_nodes,
                                          "filters": (filters or g.Filters()).as_dict(),
                                          "knooppunten": len(found.nodes), "verbindingen": len(found.edges)}, request)
    return purpose, found


@transaction.atomic
def create_assignment(access: Access, *, title: str, description: str, starts_on, ends_on, request=None) -> AnalysisAssignment:
    assignment = AnalysisAssignment(owner_id=access.organisation_id, title=(title or "").strip(),
                                    description=(description or "").strip(), analyst_id=access.user_id,
                                    starts_on=starts_on, ends_on=ends_on)
    assignment.full_clean()
    assignment.save()
    record(Action.CREATE, obj=assignment, access=access, request=request, purpose=f"Analyseopdracht: {assignment.title}")
    return assignment


def _clean_ids(values, what: str) -> list[str]:
    if not isinstance(values, list) or len(values) > MAX_CHART_ELEMENTS or not all(isinstance(v, str) and len(v) <= 80 for v in values):
        raise ValidationError(f"De {what} van de kaart zijn ongeldig.")
    return list(dict.fromkeys(values))


@transaction.atomic
def save_chart(access: Access, *, purpose_value, title: str, start: str, nodes, edges, layout=None,
               filters=None, request=None) -> SavedChart:
    purpose = resolve_purpose(access, purpose_value)
    nodes = _clean_ids(nodes, "knooppunten")
    edges = _clean_ids(edges, "verbindingen")
    for node in nodes:
        g.parse_node(node)
    if not nodes:
        raise ValidationError("Een lege kaart kan niet worden opgeslagen.")
    if set(nodes) - g.visible_nodes(access, nodes):
        raise ValidationError("De kaart bevat subjecten die u niet mag zien of die niet bestaan.")
    layout = layout if isinstance(layout, dict) else {}
    positions = {k: v for k, v in layout.items() if k in nodes and isinstance(v, dict)
                 and all(isinstance(v.get(a), (int, float)) for a in ("x", "y"))}
    chart = SavedChart(owner_id=access.organisation_id, title=(title or "").strip(), case=purpose.case,
                       assignment=purpose.assignment, start=start or nodes[0], nodes=nodes, edges=edges,
                       layout={k: {"x": v["x"], "y": v["y"]} for k, v in positions.items()},
                       filters=filters if isinstance(filters, dict) else {}, created_by_id=access.user_id)
    chart.full_clean()
    chart.save()
    _log(access, Action.CREATE, purpose, {"kaart": chart.pk, "knooppunten": len(nodes)}, request, obj=chart)
    if access.user_id:  # who saves a chart may open it again without stating a purpose
        Assignment.objects.get_or_create(user_id=access.user_id, object_id=chart.pk,
                                         content_type=ContentType.objects.get_for_model(SavedChart))
    if purpose.case is not None:
        from regie.cases.models import CaseEvent
        from regie.cases.services import record_event

        record_event(purpose.case, CaseEvent.Kind.NOTE, f"Netwerkkaart opgeslagen: {chart.title}",
                     by_id=access.user_id, source="netwerk")
    return chart


@transaction.atomic
def run_pattern(access: Access, code: str, purpose_value, params: dict | None = None, request=None) -> list[PatternHit]:
    """Run a saved pattern under a purpose; every hit becomes (or stays) an open review item."""
    purpose = resolve_purpose(access, purpose_value)
    pattern = patterns.get(code)
    params = dict(params or {})
    if params.get("start"):
        g.parse_node(params["start"])
    hits = pattern.run(access, params)
    items = []
    for hit in hits:
        item = PatternHit.objects.visible_to(access).filter(pattern=code, key=hit.key[:200], status=PatternHit.Status.OPEN).first()
        if item is None:
            item = PatternHit(owner_id=access.organisation_id, pattern=code, key=hit.key[:200], case=purpose.case,
                              assignment=purpose.assignment)
        item.title = hit.title[:300]
        item.nodes = hit.nodes
        item.explanation = hit.explanation()
        item.full_clean()
        item.save()
        items.append(item)
    _log(access, Action.SEARCH, purpose, {"patroon": code, "parameters": {k: str(v) for k, v in params.items()},
                                          "treffers": len(items)}, request)
    return items


@transaction.atomic
def review_hit(access: Access, hit: PatternHit, note: str, request=None) -> PatternHit:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"review_note": "Schrijf kort op wat de beoordeling is."})
    if hit.status == PatternHit.Status.REVIEWED:
        raise ValidationError("Deze treffer is al beoordeeld.")
    hit.status = PatternHit.Status.REVIEWED
    hit.review_note = note
    hit.reviewed_by_id = access.user_id
    hit.reviewed_at = timezone.now()
    hit.full_clean()
    hit.save()
    record(Action.UPDATE, obj=hit, access=access, request=request, detail={"status": hit.status})
    return hit


def hits_for(access: Access, nodes) -> list[PatternHit]:
    """Open review items that involve any of ``nodes`` (to explain them on a chart)."""
    nodes = set(nodes)
    return [h for h in PatternHit.objects.visible_to(access).filter(status=PatternHit.Status.OPEN)[:500]
            if nodes & set(h.nodes)]


def parse_date(value, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"{label}: gebruik een datum als 2026-01-31.") from None
