"""The demo measures: 2023 up to the demo's now, several domains and kinds, some on demo cases,
annual tables that look real, reproducible from the seed."""

import random
from collections import Counter

from django.db import transaction

from regie.cases import demo as cases_demo
from regie.demo import builder
from regie.measures import demo, tables
from regie.measures.models import Measure, MeasureStep
from regie.organisations.access import system_access


def build_measures(seed: int):
    """The demo municipality up to its cases, then this room's step; returns what describes it and rolls back."""
    with transaction.atomic(), system_access("test: demo measures"):
        rng, summary = random.Random(1), builder.Summary()
        gemeente, neighbour, partners = builder.build_organisations(summary)
        buurten = builder.build_areas(gemeente, "99", rng, summary)
        users = builder.build_users(gemeente, neighbour, partners, summary)
        builder.build_subjects(gemeente, buurten, rng, builder.bsn_pool(rng), 0.3, 5000, summary)
        builder.build_intake(gemeente, users, partners, rng, 0.3, summary)
        cases_demo.build(gemeente, users, partners, random.Random(1), builder.Summary())
        summary = builder.Summary()
        demo.build(gemeente, users, partners, random.Random(seed), summary)
        measures = list(Measure.objects.order_by("pk"))
        steps = MeasureStep.objects.filter(measure__in=measures)
        result = {
            "summary": summary.counts,
            "measures": [(m.reference, m.description, m.kind.code, m.domain.code, m.stage, m.outcome) for m in measures],
            "steps": steps.count(),
            "last_step": max(steps.values_list("on", flat=True)),
            "first_step": min(steps.values_list("on", flat=True)),
            "with_case": sum(1 for m in measures if m.case_id),
            "owners": {m.owner_id == gemeente.pk for m in measures},
            "open_terms": steps.filter(deadline__isnull=False, done_on__isnull=True).count(),
            "tables": tables.build(gemeente, first_year=2023, last_year=2026, peildatum=demo.HORIZON),
        }
        transaction.set_rollback(True)
    return result


def test_demo_measures(db):
    built = build_measures(seed=7)
    assert built["summary"]["maatregelen"] == len(built["measures"]) >= 100
    assert built["summary"]["stappen van maatregelen"] == built["steps"]
    assert built["owners"] == {True}
    assert built["first_step"].year == 2023 and built["last_step"] <= demo.HORIZON
    assert built["with_case"] > 0 and built["open_terms"] > 0
    kinds = Counter(kind for _, _, kind, _, _, _ in built["measures"])
    assert {"sluiting-13b", "waarschuwing", "last-onder-dwangsom", "sluiting-seksbranche"} <= set(kinds)
    assert {stage for *_, stage, _ in built["measures"]} >= {"einde", "besluit", "uitvoering"}
    generated = built["tables"]
    assert [c.label for c in generated.columns] == ["2023", "2024", "2025", "2026 t/m november"]
    drugspanden = generated.table("drugspanden")
    assert all(n > 0 for n in drugspanden.row("rapportage").cells[:3])
    assert sum(drugspanden.row("sluiting").cells) > 0
    assert build_measures(seed=7)["measures"] == built["measures"]  # the same seed, the same measures
