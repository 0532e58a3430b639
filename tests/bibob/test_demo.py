"""The demo step: files in several domains and phases, one with a running LBB timer, all through
the services (so the tables come out of them), and the same files for the same seed."""

from __future__ import annotations

import random
from datetime import timedelta

from regie.accounts.access import access_for_user
from regie.bibob import demo, tables
from regie.bibob.models import BibobFile, BibobStep
from regie.demo.builder import Summary


def run(town, seed: int):
    users = {"bibob": town["bibob"], "jurist": town["jurist"]}
    summary = Summary()
    demo.build(town["orgs"]["a"], users, {}, random.Random(seed), summary)
    return summary


def test_the_demo_fills_every_phase_with_a_running_lbb_timer(town):
    summary = run(town, 7)
    files = BibobFile.objects.visible_to(access_for_user(town["bibob"]))
    assert summary.counts["Bibob-dossiers"] == files.count() > 20
    assert {"aanvraag", "formulier", "advies", "beoordeling", "nazorg", "afgesloten", "besluit"} <= set(
        files.values_list("phase", flat=True))
    assert len(set(files.values_list("domain__code", flat=True))) >= 8
    timer = BibobStep.objects.get(file__in=files, kind="lbb_gevraagd", done_on__isnull=True)
    assert timer.deadline == timer.on + timedelta(weeks=8)
    assert timer.file.decision_due > timer.file.received_on + timedelta(weeks=8)
    result = tables.build(town["orgs"]["a"], first_year=2024, last_year=2026, peildatum=demo.HORIZON)
    assert result.outcomes().row("totaal").total == files.count()
    refs = sorted(files.values_list("description", "received_on", "phase"))
    BibobFile.unscoped.all().delete()
    run(town, 7)
    assert sorted(BibobFile.objects.visible_to(access_for_user(town["bibob"])).values_list(
        "description", "received_on", "phase")) == refs
