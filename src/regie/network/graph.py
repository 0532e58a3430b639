"""The network as a graph of typed, dated edges, read only through scoped managers.

Edges come from two places:

* the registry's :class:`~regie.subjects.models.Relation` rows (ownership, directorship, family,
  associate, occupancy, employment; a vehicle or bank account hangs on its owner by an ownership),
  each with the sources of its :class:`~regie.subjects.models.Statement` rows;
* co-occurrence: two subjects named in the same signal, case, control or Bibob file. The
  container is the source of such an edge; its dates are the edge's date range.

A node is ``"<label>:<pk>"`` with the registry's labels (``persoon:12``, ``bedrijf:3``, ...).
:func:`expand` walks N hops (bounded) in the database, one query per hop and kind of edge, and
keeps a node only when the caller may see it through the scoped manager; an edge with an end the
caller may not see is left out, together with that end. Nothing here scores a person.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q

from regie.bibob.models import BibobFile
from regie.cases.models import Case, CaseSubject
from regie.controls.models import Control, ControlAddress
from regie.intake.models import Signal, SignalSubject
from regie.organisations.access import Access
from regie.subjects.models import SUBJECT_MODELS, Relation, Statement

MAX_HOPS = 3
MAX_NODES = 500
DEFAULT_NODES = 150
#: a container naming more subjects than this gives no co-occurrence edges (a control's long
#: address list says little about who belongs together)
MAX_MEMBERS = 25

CO_KINDS = {"signaal": "samen in een signaal", "casus": "samen in een casus",
            "controle": "samen in een integrale controle", "bibob": "samen in een Bibob-dossier"}
RELATION_KINDS = dict(Relation.Kind.choices)
KIND_LABELS = {**RELATION_KINDS, **CO_KINDS}
LABEL_OF_MODEL = {model: label for label, model in SUBJECT_MODELS.items()}
#: the subject kinds containers can name, by the field name on the link rows
LINK_FIELDS = {"person": "persoon", "company": "bedrijf", "address": "adres"}


@dataclass
class Filters:
    kinds: frozenset[str] = frozenset(KIND_LABELS)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    theme_id: int | None = None

    def as_dict(self) -> dict:
        return {"soorten": sorted(self.kinds), "van": self.date_from and self.date_from.isoformat(),
                "tot": self.date_to and self.date_to.isoformat(), "thema": self.theme_id}


@dataclass
class Graph:
    start: str
    nodes: dict[str, dict] = field(default_factory=dict)
    edges: dict[str, dict] = field(default_factory=dict)
    truncated: bool = False

    def elements(self) -> list[dict]:
        return [{"group": "nodes", "data": n} for n in self.nodes.values()] + [
            {"group": "edges", "data": e} for e in self.edges.values()
        ]


def parse_node(node: str) -> tuple[type, int]:
    """``'persoon:12'`` -> (Person, 12); a Dutch ValidationError for anything else."""
    label, _, pk = str(node).partition(":")
    model = SUBJECT_MODELS.get(label)
    if model is None or not pk.isdigit():
        raise ValidationError(f"Onbekend subject ‘{node}’: gebruik bijvoorbeeld ‘persoon:12’.")
    return model, int(pk)


def node_id(model, pk) -> str:
    return f"{LABEL_OF_MODEL[model]}:{pk}"


def _overlaps(start, end, filters: Filters) -> bool:
    if filters.date_to and start and start > filters.date_to:
        return False
    if filters.date_from and end and end < filters.date_from:
        return False
    return True


def _by_model(nodes) -> dict[type, set[int]]:
    grouped: dict[type, set[int]] = defaultdict(set)
    for node in nodes:
        model, pk = parse_node(node)
        grouped[model].add(pk)
    return grouped


def visible_nodes(access: Access, nodes) -> set[str]:
    """The nodes among ``nodes`` the caller may see (one scoped query per kind of subject)."""
    found = set()
    for model, pks in _by_model(nodes).items():
        found |= {node_id(model, pk) for pk in model.objects.visible_to(access).filter(pk__in=pks).values_list("pk", flat=True)}
    return found


# --- edges from relations ---------------------------------------------------------------------

def _types() -> dict[type, int]:
    return {model: ContentType.objects.get_for_model(model).pk for model in SUBJECT_MODELS.values()}


def relation_edges(access: Access, frontier, filters: Filters) -> list[dict]:
    kinds = [k for k in filters.kinds if k in RELATION_KINDS]
    grouped = _by_model(frontier)
    if not kinds or not grouped:
        return []
    types = _types()
    model_of = {pk: model for model, pk in types.items()}
    cond = Q()
    for model, pks in grouped.items():
        cond |= Q(source_type_id=types[model], source_id__in=pks) | Q(target_type_id=types[model], target_id__in=pks)
    rows = Relation.objects.visible_to(access).filter(cond, kind__in=kinds)
    if filters.date_to:
        rows = rows.filter(Q(start_date__isnull=True) | Q(start_date__lte=filters.date_to))
    if filters.date_from:
        rows = rows.filter(Q(end_date__isnull=True) | Q(end_date__gte=filters.date_from))
    edges = []
    for r in rows.values("pk", "kind", "role", "source_type_id", "source_id", "target_type_id", "target_id",
                         "start_date", "end_date"):
        source_model, target_model = model_of.get(r["source_type_id"]), model_of.get(r["target_type_id"])
        if source_model is None or target_model is None:
            continue
        edges.append({
            "id": f"relatie:{r['pk']}", "source": node_id(source_model, r["source_id"]),
            "target": node_id(target_model, r["target_id"]), "kind": r["kind"], "label": RELATION_KINDS[r["kind"]],
            "role": r["role"], "start": r["start_date"] and r["start_date"].isoformat(),
            "end": r["end_date"] and r["end_date"].isoformat(), "relation": r["pk"], "sources": [],
        })
    return edges


def attach_sources(access: Access, edges) -> None:
    """Add to each relation edge the sources of its statements, and to every edge its explanation."""
    relation_ids = [e["relation"] for e in edges if e.get("relation")]
    sources = defaultdict(list)
    if relation_ids:
        ct = ContentType.objects.get_for_model(Relation)
        for s in Statement.objects.visible_to(access).filter(subject_type=ct, subject_id__in=relation_ids).order_by("date", "pk"):
            sources[s.subject_id].append({"bron": s.source, "datum": s.date.isoformat(), "kenmerk": s.reference})
    for edge in edges:
        if edge.get("relation"):
            edge["sources"] = sources.get(edge["relation"], [])
        edge["explanation"] = explain(edge)


def explain(edge: dict) -> str:
    period = f"van {edge['start'] or 'onbekend'} tot en met {edge['end'] or 'heden'}"
    what = edge["label"] + (f" ({edge['role']})" if edge.get("role") else "")
    if edge.get("relation"):
        found = "; ".join(f"{s['bron']} ({s['datum']})" for s in edge["sources"]) or "geen bron vastgelegd"
        return f"Relatie {what}, {period}. Bronnen: {found}."
    return f"{what.capitalize()}: {edge['container']}, {period}."


# --- edges from co-occurrence -----------------------------------------------------------------

def _link_q(grouped: dict, prefix: str) -> Q | None:
    cond = Q()
    any_ = False
    for fname, label in LINK_FIELDS.items():
        pks = grouped.get(SUBJECT_MODELS[label])
        if pks:
            cond |= Q(**{f"{prefix}{fname}_id__in": pks})
            any_ = True
    return cond if any_ else None


def _members(row) -> list[str]:
    return [f"{label}:{row[f'{fname}_id']}" for fname, label in LINK_FIELDS.items() if row.get(f"{fname}_id")]


def _containers(access: Access, grouped: dict, filters: Filters) -> list[tuple]:
    """(kind, key, reference, start, end, members) of every visible container naming a frontier subject."""
    found = []
    if "signaal" in filters.kinds and (cond := _link_q(grouped, "mentions__")) is not None:
        signals = Signal.objects.visible_to(access).filter(cond)
        if filters.theme_id:
            signals = signals.filter(themes__id=filters.theme_id)
        ids = list(signals.values_list("pk", flat=True).distinct()[:MAX_NODES])
        members = defaultdict(list)
        meta = {}
        for row in SignalSubject.objects.filter(signal_id__in=ids).values(
                "signal_id", "signal__reference", "signal__received_at", "person_id", "company_id", "address_id"):
            members[row["signal_id"]] += _members(row)
            day = row["signal__received_at"].date()
            meta[row["signal_id"]] = (f"signaal {row['signal__reference']}", day, day)
        found += [("signaal", pk, *meta[pk], m) for pk, m in members.items()]
    if "casus" in filters.kinds and (cond := _link_q(grouped, "subjects__")) is not None:
        cases = Case.objects.visible_to(access).filter(cond)
        if filters.theme_id:
            cases = cases.filter(themes__id=filters.theme_id)
        ids = list(cases.values_list("pk", flat=True).distinct()[:MAX_NODES])
        members = defaultdict(list)
        meta = {}
        for row in CaseSubject.objects.filter(case_id__in=ids).values(
                "case_id", "case__reference", "case__opened_at", "case__closed_at", "person_id", "company_id", "address_id"):
            members[row["case_id"]] += _members(row)
            closed = row["case__closed_at"]
            meta[row["case_id"]] = (f"casus {row['case__reference']}", row["case__opened_at"].date(), closed and closed.date())
        found += [("casus", pk, *meta[pk], m) for pk, m in members.items()]
    if filters.theme_id:
        return found  # controls and Bibob files have no themes
    addresses = grouped.get(SUBJECT_MODELS["adres"])
    if "controle" in filters.kinds and addresses:
        ids = list(Control.objects.visible_to(access).filter(addresses__address_id__in=addresses)
                   .values_list("pk", flat=True).distinct()[:MAX_NODES])
        members = defaultdict(list)
        meta = {}
        for row in ControlAddress.objects.filter(control_id__in=ids).values(
                "control_id", "control__reference", "control__planned_on", "address_id"):
            members[row["control_id"]].append(f"adres:{row['address_id']}")
            day = row["control__planned_on"]
            meta[row["control_id"]] = (f"controle {row['control__reference']}", day, day)
        found += [("controle", pk, *meta[pk], m) for pk, m in members.items()]
    if "bibob" in filters.kinds and (cond := _link_q(grouped, "")) is not None:
        for row in BibobFile.objects.visible_to(access).filter(cond).values(
                "pk", "reference", "received_on", "closed_on", "person_id", "company_id", "address_id")[:MAX_NODES]:
            found.append(("bibob", row["pk"], f"Bibob-dossier {row['reference']}", row["received_on"], row["closed_on"],
                          _members(row)))
    return found


def co_occurrence_edges(access: Access, frontier, filters: Filters) -> list[dict]:
    grouped = _by_model(frontier)
    frontier = set(frontier)
    edges = []
    for kind, key, reference, start, end, members in _containers(access, grouped, filters):
        members = sorted(set(members))
        if len(members) > MAX_MEMBERS or not _overlaps(start, end, filters):
            continue
        for a in members:
            if a not in frontier:
                continue
            for b in members:
                if a != b:
                    x, y = sorted((a, b))
                    edges.append({
                        "id": f"{kind}:{key}:{x}:{y}", "source": x, "target": y, "kind": kind, "label": CO_KINDS[kind],
                        "container": reference, "start": start and start.isoformat(), "end": end and end.isoformat(),
                        "sources": [{"bron": reference, "datum": start and start.isoformat(), "kenmerk": ""}],
                    })
    return edges


# --- expansion --------------------------------------------------------------------------------

def neighbour_edges(access: Access, frontier, filters: Filters) -> list[dict]:
    return relation_edges(access, frontier, filters) + co_occurrence_edges(access, frontier, filters)


def expand(access: Access, start: str, hops: int = 2, max_nodes: int = DEFAULT_NODES,
           filters: Filters | None = None, *, with_labels: bool = True) -> Graph:
    """The subgraph up to ``hops`` steps from ``start`` that ``access`` may see, at most ``max_nodes`` nodes."""
    filters = filters or Filters()
    if not 1 <= hops <= MAX_HOPS:
        raise ValidationError(f"Het aantal stappen ligt tussen 1 en {MAX_HOPS}.")
    if not 1 <= max_nodes <= MAX_NODES:
        raise ValidationError(f"Het aantal knooppunten ligt tussen 1 en {MAX_NODES}.")
    parse_node(start)
    if start not in visible_nodes(access, [start]):
        raise LookupError(start)  # missing or not visible: the caller answers 404
    graph = Graph(start=start)
    graph.nodes[start] = {"id": start, "hop": 0}
    frontier = {start}
    for hop in range(1, hops + 1):
        if not frontier:
            break
        candidates = neighbour_edges(access, frontier, filters)
        new = {end for e in candidates for end in (e["source"], e["target"]) if end not in graph.nodes}
        allowed = visible_nodes(access, new) if new else set()
        next_frontier = set()
        for edge in sorted(candidates, key=lambda e: e["id"]):
            for end in (edge["source"], edge["target"]):
                if end not in graph.nodes and end in allowed:
                    if len(graph.nodes) >= max_nodes:
                        graph.truncated = True
                        continue
                    graph.nodes[end] = {"id": end, "hop": hop}
                    next_frontier.add(end)
            if edge["source"] in graph.nodes and edge["target"] in graph.nodes:
                graph.edges[edge["id"]] = edge
        frontier = next_frontier
    if with_labels:
        label_nodes(access, graph.nodes)
        attach_sources(access, list(graph.edges.values()))
    return graph


def label_nodes(access: Access, nodes: dict[str, dict]) -> None:
    for model, pks in _by_model(nodes).items():
        label = LABEL_OF_MODEL[model]
        for obj in model.objects.visible_to(access).filter(pk__in=pks):
            node = nodes[f"{label}:{obj.pk}"]
            node["label"] = obj.full_name if label == "persoon" else str(obj)
            node["kind"] = label


def subgraph(access: Access, nodes, filters: Filters | None = None) -> Graph:
    """The edges among ``nodes`` (those the caller may still see), e.g. to redraw a saved chart."""
    filters = filters or Filters()
    allowed = visible_nodes(access, nodes)
    graph = Graph(start="")
    graph.nodes = {n: {"id": n, "hop": 0} for n in sorted(allowed)}
    for edge in neighbour_edges(access, allowed, filters):
        if edge["source"] in allowed and edge["target"] in allowed:
            graph.edges[edge["id"]] = edge
    label_nodes(access, graph.nodes)
    attach_sources(access, list(graph.edges.values()))
    return graph
