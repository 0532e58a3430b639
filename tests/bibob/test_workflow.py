"""Issue 6, point 2 (the workflow and its terms) and point 6 (bad input), as service units."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from regie.audit.models import AuditEntry
from regie.bibob import services, workflow
from regie.bibob.models import BibobFile, BibobFinding, BibobStep
from tests.bibob.conftest import assess, new_file, to_research

TODAY = date(2026, 6, 1)


def test_a_file_walks_from_application_to_decision_and_follow_up(town, access):
    start = date(2026, 1, 5)
    f = new_file(access, town["orgs"]["a"], start, company=town["company"], today=TODAY)
    assert f.reference == "BIB-2026-0001" and f.phase == "aanvraag"
    assert f.decision_due == start + timedelta(weeks=8)
    to_research(access, f, start)
    services.add_step(access, f, "riec_gevraagd", on=start + timedelta(days=7), today=TODAY)
    services.add_step(access, f, "riec_ontvangen", on=start + timedelta(days=20), degree="",
                      finding="Het RIEC ziet geen verbanden met ondermijnende netwerken.", today=TODAY)
    assess(access, f, start + timedelta(days=21), degree="mindere")
    services.add_step(access, f, "besluit", on=start + timedelta(days=30), outcome="verleend_voorschriften", today=TODAY)
    follow = services.add_step(access, f, "nazorg", on=start + timedelta(days=31), follow_up="toezicht",
                               deadline=TODAY + timedelta(days=60), today=TODAY)
    f.refresh_from_db()
    assert f.phase == "nazorg" and f.outcome == "verleend_voorschriften" and f.decided_on == start + timedelta(days=30)
    assert follow.term == "nazorg" and follow.is_open
    # the decision settled the beslistermijn, the research and RIEC terms
    assert not BibobStep.objects.filter(file=f, term__in=["beslistermijn", "onderzoek", "riec"], done_on__isnull=True).exists()
    services.add_step(access, f, "afgesloten", on=start + timedelta(days=40), today=TODAY)
    assert not BibobStep.objects.filter(file=f, deadline__isnull=False, done_on__isnull=True).exists()
    with pytest.raises(ValidationError, match="afgesloten"):
        services.add_step(access, f, "nazorg", on=start + timedelta(days=41), follow_up="toezicht",
                          deadline=TODAY + timedelta(days=5), today=TODAY)


def test_the_lbb_advice_suspends_the_decision_term_up_to_8_plus_4_weeks(town, access):
    start = date(2026, 1, 5)
    f = new_file(access, town["orgs"]["a"], start, today=TODAY)
    to_research(access, f, start)
    asked = start + timedelta(days=10)
    request = services.add_step(access, f, "lbb_gevraagd", on=asked, today=asked)
    assert request.term == "lbb" and request.deadline == asked + timedelta(weeks=8)
    f.refresh_from_db()
    # while pending the whole advice term is added to the decision term
    assert f.decision_due == start + timedelta(weeks=8) + timedelta(weeks=8)
    services.add_step(access, f, "lbb_verlengd", on=asked + timedelta(weeks=7), today=TODAY)
    request.refresh_from_db()
    f.refresh_from_db()
    assert request.deadline == asked + timedelta(weeks=12)
    assert f.decision_due == start + timedelta(weeks=8 + 12)
    # the advice comes after 9 weeks: the suspension is exactly those 63 days
    received = asked + timedelta(weeks=9)
    services.add_step(access, f, "lbb_ontvangen", on=received, degree="ernstig",
                      finding="Ernstig gevaar: de financier heeft banden met een crimineel samenwerkingsverband.", today=TODAY)
    f.refresh_from_db()
    request.refresh_from_db()
    assert request.done_on == received
    assert f.decision_due == start + timedelta(weeks=8) + timedelta(days=63)
    stops = workflow.suspensions(services.history(f), TODAY)
    assert [(s.start, s.end, s.running) for s in stops] == [(asked, received, False)]
    # a second extension is refused
    with pytest.raises(ValidationError, match="komt één keer voor|al ontvangen"):
        services.add_step(access, f, "lbb_verlengd", on=received, today=TODAY)


def test_an_lbb_advice_that_stays_out_suspends_at_most_its_term(town, access):
    start = date(2026, 1, 5)
    f = new_file(access, town["orgs"]["a"], start, today=TODAY)
    to_research(access, f, start)
    services.add_step(access, f, "lbb_gevraagd", on=start + timedelta(days=10), today=TODAY)
    stops = workflow.suspensions(services.history(f), TODAY)
    assert stops[0].end == start + timedelta(days=10, weeks=8) and not stops[0].running
    # after the term a decision may be taken without the advice
    assess(access, f, start + timedelta(days=90))
    services.add_step(access, f, "besluit", on=start + timedelta(days=100), outcome="verleend", today=TODAY)


def test_an_incomplete_form_suspends_the_term_and_allows_buiten_behandeling_after_the_repair_term(town, access):
    start = date(2026, 3, 2)
    f = new_file(access, town["orgs"]["a"], start, today=start)
    services.add_step(access, f, "formulier", on=start + timedelta(days=1), today=start + timedelta(days=1))
    check_day = start + timedelta(days=3)
    services.add_step(access, f, "volledigheid", on=check_day, complete=False, deadline=check_day + timedelta(days=14),
                      today=check_day)
    f.refresh_from_db()
    assert f.decision_due == start + timedelta(weeks=8, days=14)
    with pytest.raises(ValidationError, match="hersteltermijn loopt nog"):
        services.add_step(access, f, "besluit", on=check_day + timedelta(days=5), outcome="buiten_behandeling",
                          today=check_day + timedelta(days=5))
    later = check_day + timedelta(days=20)
    services.add_step(access, f, "besluit", on=later, outcome="buiten_behandeling", today=later)
    f.refresh_from_db()
    assert f.outcome == "buiten_behandeling"


def test_point_6_a_decision_before_the_form_was_complete_is_refused(town, access):
    start = date(2026, 1, 5)
    f = new_file(access, town["orgs"]["a"], start, today=TODAY)
    services.add_step(access, f, "formulier", on=start + timedelta(days=2), today=TODAY)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        services.add_step(access, f, "besluit", on=start + timedelta(days=3), outcome="verleend", today=TODAY)
    assert "vragenformulier is nog niet volledig" in " ".join(err.value.messages)
    assert not BibobStep.objects.filter(file=f, kind="besluit").exists()
    assert AuditEntry.objects.count() == before
    # nor a research or an LBB request
    with pytest.raises(ValidationError, match="volledig bevonden"):
        services.add_step(access, f, "onderzoek", on=start + timedelta(days=3), today=TODAY)


def test_point_6_an_lbb_request_without_a_file_is_refused(town, access):
    with pytest.raises(ValidationError, match="hoort bij een bestaand Bibob-dossier"):
        services.add_step(access, None, "lbb_gevraagd", on=TODAY, today=TODAY)
    unsaved = BibobFile(owner=town["orgs"]["a"])
    with pytest.raises(ValidationError, match="hoort bij een bestaand Bibob-dossier"):
        services.add_step(access, unsaved, "lbb_gevraagd", on=TODAY, today=TODAY)
    assert not BibobStep.objects.filter(kind="lbb_gevraagd").exists()


def test_point_6_a_term_in_the_past_is_refused(town, access):
    start = date(2026, 1, 5)
    f = new_file(access, town["orgs"]["a"], start, today=TODAY)
    services.add_step(access, f, "formulier", on=start + timedelta(days=2), today=TODAY)
    with pytest.raises(ValidationError) as err:
        services.add_step(access, f, "volledigheid", on=start + timedelta(days=3), complete=False,
                          deadline=TODAY - timedelta(days=1), today=TODAY)
    assert "ligt in het verleden" in " ".join(err.value.messages)
    assert not BibobStep.objects.filter(file=f, kind="volledigheid").exists()


def test_other_bad_input_is_refused_in_dutch(town, access):
    start = date(2026, 1, 5)
    a = town["orgs"]["a"]
    with pytest.raises(ValidationError, match="toekomst"):
        new_file(access, a, TODAY + timedelta(days=1), today=TODAY)
    with pytest.raises(ValidationError, match="domein uit de Bibob-catalogus"):
        services.open_file(access, domain=None, description="x", received_on=start, today=TODAY)
    f = new_file(access, a, start, today=TODAY)
    with pytest.raises(ValidationError, match="ligt vóór"):
        services.add_step(access, f, "formulier", on=start - timedelta(days=1), today=TODAY)
    to_research(access, f, start)
    with pytest.raises(ValidationError, match="mate van gevaar"):
        services.add_step(access, f, "beoordeling", on=start + timedelta(days=8), finding="Een beoordeling zonder mate van gevaar", today=TODAY)
    with pytest.raises(ValidationError, match="beoordeling van de mate van gevaar"):
        services.add_step(access, f, "besluit", on=start + timedelta(days=9), outcome="verleend", today=TODAY)
    assess(access, f, start + timedelta(days=9), degree="geen")
    with pytest.raises(ValidationError, match="geen mate van gevaar"):
        services.add_step(access, f, "besluit", on=start + timedelta(days=10), outcome="geweigerd", today=TODAY)
    with pytest.raises(ValidationError, match="niet ingetrokken"):
        services.add_step(access, f, "besluit", on=start + timedelta(days=10), outcome="ingetrokken", today=TODAY)
    with pytest.raises(ValidationError, match="kan pas na de stap ‘advies Landelijk Bureau Bibob gevraagd’"):
        services.add_step(access, f, "lbb_ontvangen", on=start + timedelta(days=10), degree="geen",
                          finding="Een advies zonder aanvraag", today=TODAY)


def test_a_pending_lbb_advice_blocks_a_decision_on_the_merits(town, access):
    start = date(2026, 1, 5)
    f = new_file(access, town["orgs"]["a"], start, today=TODAY)
    to_research(access, f, start)
    assess(access, f, start + timedelta(days=8), degree="ernstig")
    services.add_step(access, f, "lbb_gevraagd", on=start + timedelta(days=9), today=TODAY)
    with pytest.raises(ValidationError, match="nog niet ontvangen"):
        services.add_step(access, f, "besluit", on=start + timedelta(days=20), outcome="geweigerd", today=TODAY)
    # the applicant withdrawing the application ends the procedure all the same
    services.add_step(access, f, "besluit", on=start + timedelta(days=20), outcome="procedure_beeindigd", today=TODAY)


def test_every_write_is_audited_and_only_the_team_writes(town, access):
    from regie.accounts.access import access_for_user

    start = date(2026, 1, 5)
    f = new_file(access, town["orgs"]["a"], start, today=TODAY)
    assert AuditEntry.objects.filter(action="create", object_type="bibob.bibobfile", object_id=str(f.pk)).exists()
    step = services.add_step(access, f, "formulier", on=start + timedelta(days=1), today=TODAY)
    entry = AuditEntry.objects.get(action="create", object_type="bibob.bibobstep", object_id=str(step.pk))
    assert entry.detail["kind"] == "formulier"
    coordinator = access_for_user(town["coordinator"])
    with pytest.raises(PermissionDenied):
        services.add_step(coordinator, f, "volledigheid", on=start + timedelta(days=2), complete=True, today=TODAY)
    jurist = access_for_user(town["jurist"])
    with pytest.raises(PermissionDenied):
        services.add_step(jurist, f, "volledigheid", on=start + timedelta(days=2), complete=True, today=TODAY)
    services.assign_jurist(access, f, town["jurist"])
    assert AuditEntry.objects.filter(action="update", object_type="bibob.bibobfile", detail__jurist=town["jurist"].pk).exists()
    services.add_step(jurist, f, "volledigheid", on=start + timedelta(days=2), complete=True, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.open_file(jurist, domain=f.domain, description="x", received_on=start, today=TODAY)
    with pytest.raises(ValidationError, match="jurist van uw gemeente"):
        services.assign_jurist(access, f, town["coordinator"])
    assert BibobFinding.objects.count() == 0
