"""A chart as FollowTheMoney entities, through the registry's own mapping (:mod:`regie.subjects.ftm`):
the subjects and relations on the chart that the caller may still see, and each co-occurrence
edge as an ``UnknownLink`` whose ``status`` says where the two were named together."""

from __future__ import annotations

import json

from followthemoney import model as ftm_model

from regie.organisations.access import Access
from regie.subjects import ftm
from regie.subjects.models import Address, Relation, Statement

from . import graph as g


def chart_entities(access: Access, graph: g.Graph) -> list:
    ids, schemas, objects = {}, {}, []
    for model, pks in g._by_model(graph.nodes).items():
        for obj in model.objects.visible_to(access).filter(pk__in=pks).order_by("pk"):
            objects.append(obj)
            ids[(model, obj.pk)] = ftm.entity_id(obj)
            schemas[ids[(model, obj.pk)]] = ftm.schema_of(obj)
            if model is Address:
                ids[("estate", obj.pk)] = ftm.entity_id(obj, "bag")
                schemas[ids[("estate", obj.pk)]] = "RealEstate"
    publishers = {}
    types = g._types()
    for model, pks in g._by_model(graph.nodes).items():
        for s in Statement.objects.visible_to(access).filter(subject_type_id=types[model], subject_id__in=pks):
            publishers.setdefault((model, s.subject_id), set()).add(s.source)
    result = []
    for obj in objects:
        result += ftm._subject_entities(obj, ids, list(publishers.get((type(obj), obj.pk), ())))
    relation_ids = [e["relation"] for e in graph.edges.values() if e.get("relation")]
    for relation in Relation.objects.visible_to(access).filter(pk__in=relation_ids).select_related(
            "source_type", "target_type").order_by("pk"):
        proxy = ftm._relation_entity(relation, ids, schemas)
        if proxy is not None:
            result.append(proxy)
    for edge in graph.edges.values():
        if edge.get("relation"):
            continue
        ends = []
        for end in (edge["source"], edge["target"]):
            model, pk = g.parse_node(end)
            ends.append(ids.get(("estate", pk)) if model is Address else ids.get((model, pk)))
        if None in ends:
            continue
        proxy = ftm_model.make_entity("UnknownLink")
        proxy.make_id("regie", "network", edge["id"])
        proxy.add("subject", ends[0])
        proxy.add("object", ends[1])
        proxy.add("status", edge["label"])
        proxy.add("role", edge.get("container", ""))
        if edge.get("start"):
            proxy.add("startDate", edge["start"])
        if edge.get("end"):
            proxy.add("endDate", edge["end"])
        result.append(proxy)
    return result


def chart_lines(access: Access, graph: g.Graph) -> list[str]:
    """JSON lines, each entity read back through the FtM model (an invalid one raises)."""
    lines = []
    for proxy in chart_entities(access, graph):
        data = proxy.to_dict()
        ftm_model.get_proxy(data, cleaned=False)
        lines.append(json.dumps(data, ensure_ascii=False, sort_keys=True))
    return lines
