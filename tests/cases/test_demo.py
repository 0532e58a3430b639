"""The demo cases: about fifteen, from triaged signals, phases spread, several partners, reproducible."""

import random
from collections import Counter

from django.db import transaction

from regie.cases import demo
from regie.cases.models import Case, Intervention
from regie.demo import builder
from regie.intake.models import Signal, SignalEvent
from regie.organisations.access import system_access
from regie.organisations.models import Share


def build_cases(seed: int):
    """Build the demo municipality, then the cases; returns what describes them and rolls back."""
    with transaction.atomic(), system_access("test: demo cases"):  # as `regie demo-data` runs
        # the steps of regie.demo.builder up to the signals, then this room's step alone
        rng, summary = random.Random(1), builder.Summary()
        gemeente, neighbour, partners = builder.build_organisations(summary)
        buurten = builder.build_areas(gemeente, "99", rng, summary)
        users = builder.build_users(gemeente, neighbour, partners, summary)
        builder.build_subjects(gemeente, buurten, rng, builder.bsn_pool(rng), 0.3, 5000, summary)
        builder.build_intake(gemeente, users, partners, rng, 0.3, summary)
        summary = builder.Summary()
        demo.build(gemeente, users, partners, random.Random(seed), summary)
        cases = list(Case.objects.order_by("pk"))
        result = {
            "summary": summary.counts,
            "cases": [(c.title, c.phase, c.closed_reason, c.escalation_level, c.case_type) for c in cases],
            "owners": {c.owner_id == gemeente.pk for c in cases},
            "signals": {s.status for s in Signal.objects.filter(case_links__isnull=False)},
            "partners": {i.partner.name for i in Intervention.objects.all()},
            "statuses": Counter(Intervention.objects.values_list("status", flat=True)),
            "results": Intervention.objects.exclude(result="").count(),
            "milestones": SignalEvent.objects.filter(kind="eerste_interventie", signal__case_links__isnull=False).count(),
            "shared": Share.objects.filter(content_type__model="case").count(),
        }
        transaction.set_rollback(True)
    return result


def test_demo_cases(db):
    built = build_cases(seed=7)
    assert built["summary"]["casussen"] == len(built["cases"]) == demo.N_CASES
    assert built["summary"]["interventies"] == sum(built["statuses"].values())
    assert built["owners"] == {True} and built["signals"] == {Signal.Status.IN_CASE}
    phases = Counter(phase for _, phase, _, _, _ in built["cases"])
    assert set(phases) == {"verkenning", "analyse", "interventie", "nazorg", "afgesloten"}
    assert {reason for _, phase, reason, _, _ in built["cases"] if phase == "afgesloten"} >= {"resultaat", "capaciteit"}
    assert len(built["partners"]) >= 4
    assert built["statuses"]["uitgevoerd"] > 0 and built["statuses"]["gepland"] > 0 and built["results"] > 0
    assert built["milestones"] > 0 and built["shared"] == 3
    assert build_cases(seed=7)["cases"] == built["cases"]  # the same seed, the same cases
