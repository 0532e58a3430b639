"""The demo network: an assignment and open review items from patterns that hit; reproducible."""

import random

from django.db import transaction

from regie.demo import builder
from regie.network import demo
from regie.network.models import AnalysisAssignment, PatternHit
from regie.organisations.access import system_access


def build_network(seed: int):
    with transaction.atomic(), system_access("test: demo network"):
        rng, summary = random.Random(1), builder.Summary()
        gemeente, neighbour, partners = builder.build_organisations(summary)
        buurten = builder.build_areas(gemeente, "99", rng, summary)
        users = builder.build_users(gemeente, neighbour, partners, summary)
        builder.build_subjects(gemeente, buurten, rng, builder.bsn_pool(rng), 0.2, 5000, summary)
        summary = builder.Summary()
        demo.build(gemeente, users, partners, random.Random(seed), summary)
        result = {
            "summary": summary.counts,
            "assignments": AnalysisAssignment.objects.count(),
            "hits": sorted((h.pattern, h.title, h.status) for h in PatternHit.objects.all()),
        }
        transaction.set_rollback(True)
    return result


def test_demo_network(db):
    first = build_network(3)
    assert first["assignments"] == 1
    patterns = {p for p, _, _ in first["hits"]}
    assert {"zelfde_bestuurder", "gedeeld_adres", "snelle_inschrijvingen"} <= patterns
    assert all(status == "open" for _, _, status in first["hits"])
    assert first["summary"]["netwerk: patroontreffers ter beoordeling"] == len(first["hits"])
    assert build_network(3) == first
