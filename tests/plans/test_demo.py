"""The demo step: an IVP with an uitvoeringsplan, three pillars, computed and manual goals, and the
seed-000 recommendations with their follow-up, deterministic from the seed."""

import random

from regie.demo.builder import Summary
from regie.plans import demo, indicators
from regie.plans.models import Goal, ManualMeasurement, Pillar, Plan, Recommendation


def test_demo_builds_the_plans(orgs, people):
    summary = Summary()
    demo.build(orgs["a"], {"coordinator": people["coordinator"]}, {}, random.Random(7), summary)
    up = Plan.unscoped.get(kind=Plan.Kind.EXECUTION)
    assert up.parent.kind == Plan.Kind.IVP and (up.parent.first_year, up.parent.last_year) == (2023, 2026)
    assert [p.name for p in Pillar.objects.filter(plan=up)] == ["Aanpakken", "Weerbare overheid", "Maatschappelijke weerbaarheid"]
    computed = Goal.objects.exclude(indicator_code="")
    assert computed.count() >= 6 and all(indicators.definition(g.indicator_code) for g in computed)
    manual = Goal.objects.get(indicator_code="")
    assert manual.baseline_revisions.count() == 2 and manual.measurements.count() == 2
    assert Recommendation.unscoped.count() == 6
    assert all(r.one_year_update_on and r.approach_sent_on for r in Recommendation.unscoped.all())
    assert summary.counts["aanbevelingen"] == 6 and summary.counts["doelen"] == Goal.objects.count()
    # the same seed gives the same figures (for another municipality)
    demo.build(orgs["b"], {"coordinator": people["coordinator_b"]}, {}, random.Random(7), Summary())
    values = {org: [m.value for m in ManualMeasurement.objects.filter(goal__theme__pillar__plan__owner=org).order_by("pk")]
              for org in (orgs["a"], orgs["b"])}
    assert values[orgs["a"]] == values[orgs["b"]] and len(values[orgs["a"]]) == 2
