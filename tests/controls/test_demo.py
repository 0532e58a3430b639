"""The demo controls: the 2026 year plan with target twelve, executed controls with findings,
cancellations with their reasons, future dates planned; reproducible from the seed."""

import random

from django.db import transaction

from regie.controls import demo, tables
from regie.controls.models import Control, Finding, YearPlan
from regie.demo import builder
from regie.meetings import services as meetings
from regie.meetings.models import Action
from regie.organisations.access import system_access


def build_controls(seed: int):
    with transaction.atomic(), system_access("test: demo controls"):
        rng, summary = random.Random(1), builder.Summary()
        gemeente, neighbour, partners = builder.build_organisations(summary)
        buurten = builder.build_areas(gemeente, "99", rng, summary)
        users = builder.build_users(gemeente, neighbour, partners, summary)
        builder.build_subjects(gemeente, buurten, rng, builder.bsn_pool(rng), 0.2, 5000, summary)
        meetings.install_default_forums(gemeente)
        summary = builder.Summary()
        demo.build(gemeente, users, partners, random.Random(seed), summary)
        controls = list(Control.objects.order_by("planned_on"))
        result = {
            "summary": summary.counts,
            "plan": YearPlan.objects.get(owner=gemeente, year=2026).target,
            "controls": [(c.reference, c.planned_on, c.kind, c.status, c.cancel_reason) for c in controls],
            "findings": Finding.objects.count(),
            "signals": Finding.objects.filter(signal__isnull=False).count(),
            "feedback": Action.objects.filter(status="gereed", description__startswith="Integrale controle").count(),
            "report": tables.build(gemeente, 2026),
        }
        transaction.set_rollback(True)
    return result


def test_demo_controls(db):
    built = build_controls(seed=3)
    assert built["plan"] == 12 and len(built["controls"]) == 12
    statuses = [status for *_, status, _ in built["controls"]]
    assert statuses.count("uitgevoerd") >= 6 and statuses.count("geannuleerd") == 3
    assert all(reason for *_, status, reason in built["controls"] if status == "geannuleerd")
    assert {status for (_, day, _, status, _) in built["controls"] if day >= demo.HORIZON} <= {"gepland", "bevestigd"}
    assert built["findings"] > 0 and built["signals"] > 0 and built["feedback"] > 0
    assert built["summary"]["integrale controles uitgevoerd"] == statuses.count("uitgevoerd")
    report = built["report"]
    assert report.totals["executed"] == statuses.count("uitgevoerd") and report.cancellations
    assert build_controls(seed=3)["controls"] == built["controls"]  # the same seed, the same plan
