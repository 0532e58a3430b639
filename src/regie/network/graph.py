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

import contextvars
import datetime as dt
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import BigIntegerField, F, Q, TextField, Value
from django.db.models.functions import Cast, TruncDate

from regie.bibob.models import BibobFile
from regie.cases.models import Case, CaseSubject
from regie.controls.models import Control, ControlAddress
from regie.intake.models import Signal, SignalSubject
from regie.organisations.access import Access
from regie.organisations.scoping import visibility_q
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


#: the scoped querysets built during one expansion, per (access, model): the visibility filter
#: (tenancy, clearance and the Share sub-query) is built once per kind of row, not once per query
_scopes: contextvars.ContextVar[dict | None] = contextvars.ContextVar("regie_network_scopes", default=None)


def _scoped(access: Access, model):
    """``model.objects.visible_to(access)``, reused within one :func:`expand` or :func:`subgraph`."""
    cache = _scopes.get()
    if cache is None:
        return model.objects.visible_to(access)
    key = (access, model)
    if key not in cache:
        cache[key] = model.objects.visible_to(access)
    return cache[key].all()


def _visible_through(access: Access, model, prefix: str) -> Q:
    """``visibility_q(model, access, prefix)``, reused within one expansion like :func:`_scoped`."""
    cache = _scopes.get()
    if cache is None:
        return visibility_q(model, access, prefix)
    key = (access, model, prefix)
    if key not in cache:
        cache[key] = visibility_q(model, access, prefix)
    return cache[key]


@contextmanager
def _one_scope():
    token = _scopes.set({})
    try:
        yield
    finally:
        _scopes.reset(token)


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


#: the columns each kind of subject needs for its label (its ``__str__``), at most LABEL_WIDTH
LABEL_FIELDS = {
    "persoon": ("first_names", "initials", "surname_prefix", "surname"),
    "bedrijf": ("name", "legal_form"),
    "adres": ("street", "house_number", "house_letter", "addition", "postcode", "city"),
    "voertuig": ("kenteken",),
    "bankrekening": ("iban",),
}
LABEL_WIDTH = max(len(f) for f in LABEL_FIELDS.values())


def _label(kind: str, values) -> str:
    """The subject's label, made by its own ``__str__`` from the label columns (no extra query)."""
    obj = SUBJECT_MODELS[kind](**dict(zip(LABEL_FIELDS[kind], values, strict=False)))
    return obj.full_name if kind == "persoon" else str(obj)


def visible_labels(access: Access, nodes) -> dict[str, dict]:
    """{node: {"kind", "label"}} for the nodes among ``nodes`` the caller may see: one query, a
    UNION ALL of one scoped query per kind of subject that also reads the label's columns."""
    return {node: _labelled(kind, texts) for node, (kind, texts) in _visible_texts(access, nodes).items()}


def _labelled(kind: str, texts) -> dict:
    return {"kind": kind, "label": _label(kind, texts)}


def _visible_texts(access: Access, nodes) -> dict[str, tuple]:
    """{node: (kind, label columns)} of the visible nodes; the label is made only when needed."""
    parts = []
    for model, pks in _by_model(nodes).items():
        kind = LABEL_OF_MODEL[model]
        fields = LABEL_FIELDS[kind]
        columns = {f"t{i}": Cast(fields[i], TextField()) if i < len(fields) else Value("", output_field=TextField())
                   for i in range(LABEL_WIDTH)}
        parts.append(_scoped(access, model).filter(pk__in=pks).annotate(k=Value(kind), **columns)
                     .values_list("k", "pk", *columns).order_by())
    if not parts:
        return {}
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return {f"{kind}:{pk}": (kind, texts) for kind, pk, *texts in query}


def visible_nodes(access: Access, nodes) -> set[str]:
    """The nodes among ``nodes`` the caller may see (one query)."""
    return set(_visible_texts(access, nodes))


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
    rows = _scoped(access, Relation).filter(cond)
    if len(kinds) < len(RELATION_KINDS):
        rows = rows.filter(kind__in=kinds)
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
        for subject_id, source, day, reference in (_scoped(access, Statement).filter(subject_type=ct, subject_id__in=relation_ids)
                                                   .order_by("date", "pk").values_list("subject_id", "source", "date", "reference")):
            sources[subject_id].append({"bron": source, "datum": day.isoformat(), "kenmerk": reference})
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


#: how each kind of container names itself in an edge's explanation
CONTAINER_PREFIX = {"signaal": "signaal", "casus": "casus", "controle": "controle", "bibob": "Bibob-dossier"}
CONTAINER_COLUMNS = ("k", "key", "ref", "d1", "d2", "p", "c", "a")
NO_ID = Cast(Value(None), BigIntegerField())  # typed: DISTINCT would make a bare NULL text
#: at most this many link rows of containers per hop (a subject named in thousands of signals)
CONTAINER_ROWS = MAX_NODES * 8


def _container_parts(access: Access, grouped: dict, filters: Filters) -> list:
    """One ``values_list`` per kind of container asked for: the link rows (kind, container id,
    reference, start and end day, person, company, address) of the visible containers that name
    a frontier subject. The container's visibility applies through the link row's path to it
    (``visibility_q`` with a prefix), so no part needs a sub-query of container ids."""
    parts = []

    def rows(queryset, **columns):
        return queryset.annotate(**columns).values_list(*CONTAINER_COLUMNS).order_by().distinct()

    if "signaal" in filters.kinds and (cond := _link_q(grouped, "signal__mentions__")) is not None:
        links = SignalSubject.objects.filter(_visible_through(access, Signal, "signal__"), cond)
        if filters.theme_id:
            links = links.filter(signal__themes__id=filters.theme_id)
        parts.append(rows(links, k=Value("signaal"), key=F("signal_id"), ref=F("signal__reference"),
                          d1=TruncDate("signal__received_at"), d2=TruncDate("signal__received_at"),
                          p=F("person_id"), c=F("company_id"), a=F("address_id")))
    if "casus" in filters.kinds and (cond := _link_q(grouped, "case__subjects__")) is not None:
        links = CaseSubject.objects.filter(_visible_through(access, Case, "case__"), cond)
        if filters.theme_id:
            links = links.filter(case__themes__id=filters.theme_id)
        parts.append(rows(links, k=Value("casus"), key=F("case_id"), ref=F("case__reference"),
                          d1=TruncDate("case__opened_at"), d2=TruncDate("case__closed_at"),
                          p=F("person_id"), c=F("company_id"), a=F("address_id")))
    if filters.theme_id:
        return parts  # controls and Bibob files have no themes
    addresses = grouped.get(SUBJECT_MODELS["adres"])
    if "controle" in filters.kinds and addresses:
        links = ControlAddress.objects.filter(_visible_through(access, Control, "control__"),
                                              control__addresses__address_id__in=addresses)
        parts.append(rows(links, k=Value("controle"), key=F("control_id"), ref=F("control__reference"),
                          d1=F("control__planned_on"), d2=F("control__planned_on"), p=NO_ID, c=NO_ID, a=F("address_id")))
    if "bibob" in filters.kinds and (cond := _link_q(grouped, "")) is not None:
        parts.append(rows(_scoped(access, BibobFile).filter(cond), k=Value("bibob"), key=F("pk"), ref=F("reference"),
                          d1=F("received_on"), d2=F("closed_on"), p=F("person_id"), c=F("company_id"),
                          a=F("address_id")))
    return parts


def _containers(access: Access, grouped: dict, filters: Filters) -> list[tuple]:
    """(kind, key, reference, start, end, members) of every visible container naming a frontier
    subject: one query (a UNION ALL over the kinds of container asked for), at most
    ``CONTAINER_ROWS`` link rows; a container cut off by that bound is left out whole."""
    parts = _container_parts(access, grouped, filters)
    if not parts:
        return []
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    found = list(query.order_by("k", "key")[:CONTAINER_ROWS + 1])
    members: dict[tuple, list[str]] = defaultdict(list)
    meta = {}
    for kind, key, ref, start, end, person, company, address in found[:CONTAINER_ROWS]:
        members[(kind, key)] += [f"{label}:{pk}" for label, pk in
                                 (("persoon", person), ("bedrijf", company), ("adres", address)) if pk]
        meta[(kind, key)] = (f"{CONTAINER_PREFIX[kind]} {ref}", start, end)
    if len(found) > CONTAINER_ROWS:
        members.pop(tuple(found[CONTAINER_ROWS - 1][:2]), None)  # its other rows are beyond the bound
    return [(kind, key, *meta[(kind, key)], names) for (kind, key), names in members.items()]


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
    with _one_scope():
        return _expand(access, start, hops, max_nodes, filters, with_labels)


def _expand(access: Access, start: str, hops: int, max_nodes: int, filters: Filters | None, with_labels: bool) -> Graph:
    filters = filters or Filters()
    if not 1 <= hops <= MAX_HOPS:
        raise ValidationError(f"Het aantal stappen ligt tussen 1 en {MAX_HOPS}.")
    if not 1 <= max_nodes <= MAX_NODES:
        raise ValidationError(f"Het aantal knooppunten ligt tussen 1 en {MAX_NODES}.")
    parse_node(start)
    graph = Graph(start=start)
    graph.nodes[start] = {"id": start, "hop": 0}
    frontier = {start}
    # per hop: the relations of the frontier, its containers (one UNION), and the visibility and
    # labels of the new ends (one UNION) - the number of queries does not grow with the graph.
    # The start's own visibility is read with the first hop's ends; every query is scoped, so
    # nothing is learnt about a start the caller may not see before the LookupError.
    for hop in range(1, hops + 1):
        if not frontier:
            break
        candidates = sorted(neighbour_edges(access, frontier, filters), key=lambda e: e["id"])
        new = {end for e in candidates for end in (e["source"], e["target"]) if end not in graph.nodes}
        allowed = _visible_texts(access, new | {start} if hop == 1 else new) if new or hop == 1 else {}
        if hop == 1:
            if start not in allowed:
                raise LookupError(start)  # missing or not visible: the caller answers 404
            if with_labels:
                graph.nodes[start].update(_labelled(*allowed[start]))
        next_frontier = set()
        for edge in candidates:
            for end in (edge["source"], edge["target"]):
                if end not in graph.nodes and end in allowed:
                    if len(graph.nodes) >= max_nodes:
                        graph.truncated = True
                        continue
                    graph.nodes[end] = {"id": end, "hop": hop, **(_labelled(*allowed[end]) if with_labels else {})}
                    next_frontier.add(end)
            if edge["source"] in graph.nodes and edge["target"] in graph.nodes:
                graph.edges[edge["id"]] = edge
        frontier = next_frontier
    if with_labels:
        attach_sources(access, list(graph.edges.values()))
    return graph


def label_nodes(access: Access, nodes: dict[str, dict]) -> None:
    """Add kind and label to each of ``nodes`` the caller may see (one query)."""
    for node, found in visible_labels(access, nodes).items():
        nodes[node].update(found)


def subgraph(access: Access, nodes, filters: Filters | None = None) -> Graph:
    """The edges among ``nodes`` (those the caller may still see), e.g. to redraw a saved chart."""
    with _one_scope():
        return _subgraph(access, nodes, filters)


def _subgraph(access: Access, nodes, filters: Filters | None) -> Graph:
    filters = filters or Filters()
    allowed = visible_labels(access, nodes)
    graph = Graph(start="")
    graph.nodes = {n: {"id": n, "hop": 0, **allowed[n]} for n in sorted(allowed)}
    for edge in neighbour_edges(access, allowed, filters):
        if edge["source"] in allowed and edge["target"] in allowed:
            graph.edges[edge["id"]] = edge
    attach_sources(access, list(graph.edges.values()))
    return graph
