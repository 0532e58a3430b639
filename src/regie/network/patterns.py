"""The saved patterns the audits name, each a query over what the caller may see that returns hits
with their explanation (which statements, which sources). A hit is a question for an analyst
(:func:`regie.network.services.run_pattern` turns it into a review item), never a case or a
measure, and never a score of a person: nothing is ranked over the population.

Brokers and communities use networkx on a *bounded* subgraph: the expansion around a start
subject, or else at most ``MAX_EDGES`` relations of the registry the caller may see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, Window
from django.db.models.functions import Lag

from regie.intake.models import Signal, SignalSubject
from regie.organisations.access import Access
from regie.subjects.models import Address, Company, Person, Relation, Statement

from . import graph as g

MAX_EDGES = 5_000
MAX_BROKERS = 50
#: SBI codes of care providers (zorg: 86 gezondheidszorg, 87 verpleging, 88 welzijnszorg)
CARE_SBI = ("86", "87", "88")


@dataclass
class Hit:
    key: str
    title: str
    nodes: list[str]
    why: str
    details: list[str] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)

    def explanation(self) -> dict:
        return {"waarom": self.why, "details": self.details, "bronnen": self.sources}


@dataclass
class Pattern:
    code: str
    title: str
    description: str
    params: dict  # name -> (default, minimum, maximum, Dutch label)
    run: object


def _int(params: dict, name: str, spec) -> int:
    default, low, high, label = spec
    value = params.get(name, default)
    if value in (None, ""):
        return default
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{label}: vul een geheel getal in.") from None
    if not low <= value <= high:
        raise ValidationError(f"{label}: kies een waarde van {low} tot en met {high}.")
    return value


def _statement_sources(access: Access, model, pks) -> dict[int, list[dict]]:
    ct = ContentType.objects.get_for_model(model)
    found = defaultdict(list)
    for subject_id, source, day, reference in (Statement.objects.visible_to(access).filter(subject_type=ct, subject_id__in=pks)
                                               .order_by("date", "pk").values_list("subject_id", "source", "date", "reference")):
        found[subject_id].append({"bron": source, "datum": day.isoformat(), "kenmerk": reference})
    return found


def _flat(found: dict, pks) -> list[dict]:
    return [s for pk in pks for s in found.get(pk, [])]


# --- the patterns -----------------------------------------------------------------------------

def shared_address(access: Access, params: dict) -> list[Hit]:
    minimum = _int(params, "minimum", PATTERNS["gedeeld_adres"].params["minimum"])
    companies = Company.objects.visible_to(access).exclude(address=None)
    if params.get("zorg") in (True, "1", "ja", "on"):
        care = Q()
        for code in CARE_SBI:
            care |= Q(sbi_code__startswith=code)
        companies = companies.filter(care)
    crowded = {row["address_id"]: row["n"] for row in companies.values("address_id").annotate(n=Count("pk")).filter(n__gte=minimum)}
    addresses = {a.pk: a for a in Address.objects.visible_to(access).filter(pk__in=crowded)}
    by_address = defaultdict(list)
    for company in companies.filter(address_id__in=addresses).order_by("name", "pk"):
        by_address[company.address_id].append(company)
    sources = _statement_sources(access, Company, [c.pk for cs in by_address.values() for c in cs])
    hits = []
    for address_id, found in sorted(by_address.items()):
        address = addresses[address_id]
        hits.append(Hit(
            key=f"adres:{address_id}", title=f"{len(found)} bedrijven op {address}",
            nodes=[f"adres:{address_id}"] + [f"bedrijf:{c.pk}" for c in found],
            why=f"Op {address} zijn {len(found)} bedrijven gevestigd (drempel {minimum}).",
            details=[f"{c} (KvK {c.kvk_number or 'onbekend'}, SBI {c.sbi_code or 'onbekend'})" for c in found],
            sources=_flat(sources, [c.pk for c in found]),
        ))
    return hits


def same_director(access: Access, params: dict) -> list[Hit]:
    minimum = _int(params, "minimum", PATTERNS["zelfde_bestuurder"].params["minimum"])
    person_ct = ContentType.objects.get_for_model(Person)
    relations = Relation.objects.visible_to(access).filter(source_type=person_ct).filter(
        Q(kind=Relation.Kind.DIRECTORSHIP) | Q(role__icontains="notaris"))
    many = {row["source_id"] for row in relations.values("source_id").annotate(n=Count("target_id", distinct=True)).filter(n__gte=minimum)}
    rows = defaultdict(list)
    for r in relations.filter(source_id__in=many).order_by("source_id", "start_date", "pk").values(
            "pk", "kind", "role", "source_id", "target_type_id", "target_id", "start_date", "end_date"):
        rows[r["source_id"]].append(r)
    types = {pk: model for model, pk in g._types().items()}
    ends = {f"persoon:{pk}" for pk in rows} | {g.node_id(types[r["target_type_id"]], r["target_id"])
                                               for rs in rows.values() for r in rs if r["target_type_id"] in types}
    labels = g.visible_labels(access, ends)  # the persons and organisations the caller may see, one query
    sources = _statement_sources(access, Relation, [r["pk"] for rs in rows.values() for r in rs])
    kinds = dict(Relation.Kind.choices)
    hits = []
    for person_id, rels in sorted(rows.items()):
        person = labels.get(f"persoon:{person_id}")
        if person is None:
            continue
        seen = [(r, node) for r in rels if r["target_type_id"] in types
                and (node := g.node_id(types[r["target_type_id"]], r["target_id"])) in labels]
        organisations = {node for _, node in seen}
        if len(organisations) < minimum:
            continue  # some of them the caller may not see
        name = person["label"]
        role = "notaris" if all("notaris" in r["role"].lower() for r, _ in seen) else "bestuurder"
        hits.append(Hit(
            key=f"persoon:{person_id}", title=f"{name} is {role} bij {len(organisations)} organisaties",
            nodes=[f"persoon:{person_id}"] + sorted(organisations),
            why=f"{name} komt als {role} voor bij {len(organisations)} organisaties (drempel {minimum}).",
            details=[f"{kinds[r['kind']]} {r['role'] or ''} bij {labels[node]['label']}, "
                     f"van {r['start_date'] or 'onbekend'} tot en met {r['end_date'] or 'heden'}".replace("  ", " ")
                     for r, node in seen],
            sources=_flat(sources, [r["pk"] for r, _ in seen]),
        ))
    return hits


def rapid_registrations(access: Access, params: dict) -> list[Hit]:
    spec = PATTERNS["snelle_inschrijvingen"].params
    minimum, days = _int(params, "minimum", spec["minimum"]), _int(params, "dagen", spec["dagen"])
    address_ct = ContentType.objects.get_for_model(Address)
    occupancies = Relation.objects.visible_to(access).filter(
        kind=Relation.Kind.OCCUPANCY, target_type=address_ct, start_date__isnull=False)
    # the addresses where some occupancy began at most ``days`` after the one ``minimum - 1``
    # places earlier (a window function in the database), then only their rows to Python
    earlier = Window(Lag("start_date", offset=minimum - 1), partition_by=[F("target_id")], order_by=[F("start_date")])
    busy = set(occupancies.annotate(earlier=earlier).order_by()
               .filter(earlier__gte=F("start_date") - dt.timedelta(days=days)).values_list("target_id", flat=True))
    by_address = defaultdict(list)
    for r in occupancies.filter(target_id__in=busy).order_by("target_id", "start_date", "pk").values(
            "pk", "target_id", "source_type_id", "source_id", "start_date"):
        by_address[r["target_id"]].append(r)
    window = dt.timedelta(days=days)
    candidates = {}
    for address_id, rows in by_address.items():
        low = 0
        best = None
        for high, row in enumerate(rows):  # sliding window over the start dates
            while row["start_date"] - rows[low]["start_date"] > window:
                low += 1
            if high - low + 1 >= minimum and (best is None or high - low > best[1] - best[0]):
                best = (low, high)
        if best:
            candidates[address_id] = rows[best[0]:best[1] + 1]
    addresses = {a.pk: a for a in Address.objects.visible_to(access).filter(pk__in=candidates)}
    sources = _statement_sources(access, Relation, [r["pk"] for rs in candidates.values() for r in rs])
    types = {pk: model for model, pk in g._types().items()}
    hits = []
    for address_id, rows in sorted(candidates.items()):
        if address_id not in addresses:
            continue
        movers = g.visible_nodes(access, {g.node_id(types[r["source_type_id"]], r["source_id"]) for r in rows})
        if len(movers) < minimum:
            continue
        first, last = rows[0]["start_date"], rows[-1]["start_date"]
        hits.append(Hit(
            key=f"adres:{address_id}:{first.isoformat()}", title=f"{len(rows)} inschrijvingen op {addresses[address_id]}",
            nodes=[f"adres:{address_id}"] + sorted(movers),
            why=f"Op {addresses[address_id]} begonnen {len(rows)} bewoningen tussen {first} en {last} "
                f"(drempel {minimum} binnen {days} dagen).",
            details=[f"bewoning vanaf {r['start_date']}" for r in rows],
            sources=_flat(sources, [r["pk"] for r in rows]),
        ))
    return hits


def recurring_across_channels(access: Access, params: dict) -> list[Hit]:
    minimum = _int(params, "minimum", PATTERNS["kanalen"].params["minimum"])
    mentions = SignalSubject.objects.filter(signal__in=Signal.objects.visible_to(access).values("pk"))
    hits = []
    for fname, label in g.LINK_FIELDS.items():
        model = g.SUBJECT_MODELS[label]
        recurring = (mentions.exclude(**{f"{fname}_id": None}).values(f"{fname}_id")
                     .annotate(n=Count("signal__channel", distinct=True)).filter(n__gte=minimum))
        ids = [row[f"{fname}_id"] for row in recurring]
        subjects = {o.pk: o for o in model.objects.visible_to(access).filter(pk__in=ids)}
        found = defaultdict(list)
        for row in mentions.filter(**{f"{fname}_id__in": subjects}).values(
                f"{fname}_id", "signal__reference", "signal__channel", "signal__received_at").order_by("signal__received_at"):
            found[row[f"{fname}_id"]].append(row)
        for pk, rows in sorted(found.items()):
            channels = sorted({r["signal__channel"] for r in rows})
            name = subjects[pk].full_name if label == "persoon" else str(subjects[pk])
            hits.append(Hit(
                key=f"{label}:{pk}", title=f"{name} in signalen uit {len(channels)} kanalen",
                nodes=[f"{label}:{pk}"],
                why=f"{name} wordt genoemd in {len(rows)} signalen uit {len(channels)} verschillende kanalen "
                    f"({', '.join(channels)}; drempel {minimum}).",
                details=[f"signaal {r['signal__reference']} via {r['signal__channel']} op {r['signal__received_at']:%Y-%m-%d}"
                         for r in rows],
                sources=[{"bron": f"signaal {r['signal__reference']}", "datum": r["signal__received_at"].date().isoformat(),
                          "kenmerk": r["signal__channel"]} for r in rows],
            ))
    return hits


# --- structure: networkx on a bounded subgraph --------------------------------------------------

def bounded_graph(access: Access, params: dict) -> tuple[nx.Graph, dict]:
    """The bounded subgraph the caller may see, as networkx graph plus the edges by (a, b)."""
    start = params.get("start")
    edges = {}
    if start:
        found = g.expand(access, start, hops=2, max_nodes=g.MAX_NODES, with_labels=False)
        rows = list(found.edges.values())
        nodes = set(found.nodes)
    else:
        types = {pk: model for model, pk in g._types().items()}
        rows = []
        for r in Relation.objects.visible_to(access).order_by("pk").values(
                "pk", "kind", "role", "source_type_id", "source_id", "target_type_id", "target_id", "start_date", "end_date")[:MAX_EDGES]:
            rows.append({"id": f"relatie:{r['pk']}", "source": g.node_id(types[r["source_type_id"]], r["source_id"]),
                         "target": g.node_id(types[r["target_type_id"]], r["target_id"]), "kind": r["kind"],
                         "label": g.RELATION_KINDS[r["kind"]], "role": r["role"], "relation": r["pk"],
                         "start": r["start_date"] and r["start_date"].isoformat(),
                         "end": r["end_date"] and r["end_date"].isoformat(), "sources": []})
        nodes = g.visible_nodes(access, {e for r in rows for e in (r["source"], r["target"])})
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for row in rows:
        if row["source"] in nodes and row["target"] in nodes:
            graph.add_edge(row["source"], row["target"])
            edges[tuple(sorted((row["source"], row["target"])))] = row
    return graph, edges


def _edge_explanations(access: Access, edges: list[dict]) -> tuple[list[str], list[dict]]:
    g.attach_sources(access, edges)
    return [e["explanation"] for e in edges], [s for e in edges for s in e["sources"]]


def _names(access: Access, nodes) -> dict[str, str]:
    labelled = {n: {"id": n} for n in nodes}
    g.label_nodes(access, labelled)
    return {n: d.get("label", n) for n, d in labelled.items()}


def communities(access: Access, params: dict) -> list[Hit]:
    minimum = _int(params, "minimum", PATTERNS["gemeenschappen"].params["minimum"])
    graph, edges = bounded_graph(access, params)
    if graph.number_of_edges() == 0:
        return []
    groups = [sorted(c) for c in nx.community.louvain_communities(graph, seed=1) if len(c) >= minimum]
    groups = sorted(groups, key=lambda m: (-len(m), m[0]))[:MAX_BROKERS]  # the largest groups, bounded
    hits = []
    for members in sorted(groups, key=lambda m: m[0]):
        inside = [edges[k] for k in sorted(edges) if k[0] in members and k[1] in members]
        names = _names(access, members)
        details, sources = _edge_explanations(access, inside[:20])
        hits.append(Hit(
            key="gemeenschap:" + ",".join(members[:20]), title=f"Groep van {len(members)} subjecten rond {names[members[0]]}",
            nodes=members,
            why=f"Deze {len(members)} subjecten zijn onderling sterker verbonden ({len(inside)} verbindingen) dan met de rest "
                f"van de bekeken deelgraaf ({graph.number_of_nodes()} subjecten; louvain-methode).",
            details=[f"lid: {names[m]}" for m in members] + details, sources=sources,
        ))
    return hits


def brokers(access: Access, params: dict) -> list[Hit]:
    """Cut vertices whose removal leaves at least two groups of ``minimum`` subjects apart,
    ordered by betweenness within the bounded subgraph (the number explains, it is not stored)."""
    minimum = _int(params, "minimum", PATTERNS["makelaars"].params["minimum"])
    graph, edges = bounded_graph(access, params)
    if graph.number_of_edges() == 0:
        return []
    cuts = set(nx.articulation_points(graph))
    if not cuts:
        return []
    k = min(graph.number_of_nodes(), 64)  # sampled betweenness: bounded cost
    between = nx.betweenness_centrality(graph, k=k if k < graph.number_of_nodes() else None, seed=1)
    candidates = []
    # the cut vertices most between others first, at most MAX_BROKERS of them checked
    for node in sorted(cuts, key=lambda n: (-between.get(n, 0), n))[:MAX_BROKERS]:
        rest = graph.subgraph(set(nx.node_connected_component(graph, node)) - {node})
        groups = [c for c in nx.connected_components(rest) if len(c) >= minimum and any(graph.has_edge(node, m) for m in c)]
        if len(groups) >= 2:
            candidates.append((node, groups))
    hits = []
    for node, groups in sorted(candidates, key=lambda c: (-between.get(c[0], 0), c[0])):
        neighbours = sorted(m for group in groups for m in group if graph.has_edge(node, m))
        names = _names(access, [node] + neighbours)
        details, sources = _edge_explanations(access, [edges[tuple(sorted((node, m)))] for m in neighbours][:20])
        sizes = ", ".join(str(len(group)) for group in groups)
        hits.append(Hit(
            key=f"makelaar:{node}", title=f"{names[node]} verbindt {len(groups)} verder gescheiden groepen",
            nodes=[node] + neighbours,
            why=f"Zonder {names[node]} vallen {len(groups)} groepen ({sizes} subjecten) in de bekeken deelgraaf "
                f"({graph.number_of_nodes()} subjecten) uit elkaar; {round(100 * between.get(node, 0))}% van de kortste "
                f"paden tussen andere subjecten loopt via dit subject.",
            details=details, sources=sources,
        ))
    return hits


PATTERNS: dict[str, Pattern] = {p.code: p for p in [
    Pattern("gedeeld_adres", "Meerdere bedrijven op één adres",
            "Adressen waar meerdere bedrijven (of zorgaanbieders) gevestigd zijn.",
            {"minimum": (3, 2, 100, "Minimum aantal bedrijven")}, shared_address),
    Pattern("zelfde_bestuurder", "Dezelfde bestuurder of notaris bij veel bedrijven",
            "Personen die bestuurder (of notaris) zijn bij meerdere organisaties.",
            {"minimum": (3, 2, 100, "Minimum aantal organisaties")}, same_director),
    Pattern("snelle_inschrijvingen", "Veel inschrijvingen op een adres in korte tijd",
            "Adressen met veel nieuwe bewoningen binnen een korte periode.",
            {"minimum": (4, 2, 100, "Minimum aantal inschrijvingen"), "dagen": (30, 1, 365, "Periode in dagen")},
            rapid_registrations),
    Pattern("kanalen", "Terugkerend in signalen uit verschillende kanalen",
            "Subjecten die in signalen uit meerdere kanalen genoemd worden.",
            {"minimum": (2, 2, 10, "Minimum aantal kanalen")}, recurring_across_channels),
    Pattern("makelaars", "Verbinders tussen verder gescheiden groepen",
            "Subjecten zonder wie groepen in het netwerk niet met elkaar verbonden zijn.",
            {"minimum": (3, 2, 100, "Minimale groepsgrootte")}, brokers),
    Pattern("gemeenschappen", "Groepen (gemeenschappen)",
            "Groepen subjecten die onderling sterk verbonden zijn.",
            {"minimum": (4, 3, 200, "Minimale groepsgrootte")}, communities),
]}


def get(code: str) -> Pattern:
    pattern = PATTERNS.get(code)
    if pattern is None:
        raise ValidationError("Onbekend patroon.")
    return pattern
