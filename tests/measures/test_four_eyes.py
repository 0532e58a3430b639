"""Four eyes on the 13b decision (issue 12, point 6): where the municipality's safeguard register
enforces a four-eyes rule on "13b-besluit", a recorded besluit waits for a second person's
approval; the person who recorded it is refused (Dutch error, logged); nothing follows before."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from regie.accounts.access import access_for_user
from regie.accounts.models import Assignment
from regie.audit.models import AuditEntry
from regie.measures import services
from regie.measures.models import MeasureStep
from regie.resilience import services as resilience
from regie.resilience.models import SafeguardRule
from tests.conftest import verified_client

from .conftest import closure, measure, walk_to_decision

START = date(2025, 3, 3)


def enforce(town, org_key="a", enforced=True, process="13b-besluit", kind=SafeguardRule.Kind.FOUR_EYES):
    user = town["coordinator"] if org_key == "a" else town["coordinator_b"]
    return resilience.add_safeguard(access_for_user(user), process=process, process_name="Besluit sluiting 13b",
                                    kind=kind, description="Jurist legt vast, tweede persoon keurt goed.", enforced=enforced)


def assign(user, m):
    from django.contrib.contenttypes.models import ContentType

    Assignment.objects.get_or_create(user=user, content_type=ContentType.objects.get_for_model(m), object_id=m.pk)


@pytest.mark.django_db
def test_an_enforced_rule_makes_the_13b_decision_wait_for_a_second_person(town, access):
    enforce(town)
    m = closure(access, town["orgs"]["a"])
    decision = walk_to_decision(access, m, START)
    assert decision.approval_required and decision.awaits_approval
    assert services.awaiting_approval(m) == decision
    with pytest.raises(ValidationError) as exc:
        services.add_step(access, m, "uitvoering", on=date(2025, 4, 20))
    assert "wacht op goedkeuring" in exc.value.messages[0]
    assert not m.steps.filter(kind="uitvoering").exists()

    second = access_for_user(town["coordinator"])
    approved = services.approve_decision(second, m)
    approved.refresh_from_db()
    assert approved.approved_by_id == town["coordinator"].pk and approved.approved_at is not None
    entry = AuditEntry.objects.filter(object_type="measures.measurestep", object_id=str(approved.pk), action="update").last()
    assert entry is not None and entry.detail["approved"] is True and entry.user_id == town["coordinator"].pk
    # now the next step may follow
    services.add_step(access, m, "uitvoering", on=date(2025, 4, 20))
    assert m.steps.filter(kind="uitvoering").exists()


@pytest.mark.django_db
def test_the_person_who_recorded_the_decision_cannot_approve_it(town, access):
    enforce(town)
    m = closure(access, town["orgs"]["a"])
    decision = walk_to_decision(access, m, START)
    with pytest.raises(ValidationError) as exc:
        services.approve_decision(access, m)
    assert exc.value.messages == [services.SAME_PERSON]
    decision.refresh_from_db()
    assert decision.approved_at is None
    denied = AuditEntry.objects.filter(action="denied", object_type="measures.measurestep", object_id=str(decision.pk))
    assert denied.count() == 1 and denied.get().user_id == town["jurist"].pk


@pytest.mark.django_db
def test_without_an_enforced_rule_nothing_waits(town, access):
    enforce(town, enforced=False)
    enforce(town, process="reisdocumenten", kind=SafeguardRule.Kind.SIX_EYES)  # another process: irrelevant
    m = closure(access, town["orgs"]["a"])
    decision = walk_to_decision(access, m, START)
    assert not decision.approval_required
    services.add_step(access, m, "uitvoering", on=date(2025, 4, 20))
    with pytest.raises(ValidationError):
        services.approve_decision(access_for_user(town["coordinator"]), m)


@pytest.mark.django_db
def test_only_13b_decisions_and_only_the_owning_municipalitys_rule_count(town, access):
    enforce(town, org_key="b")  # gemeente B enforces; A does not
    m = closure(access, town["orgs"]["a"])
    assert not walk_to_decision(access, m, START).approval_required
    enforce(town)
    warning = measure(access, town["orgs"]["a"], kind_code="waarschuwing", description="Waarschuwing Dorpsstraat 3")
    services.add_step(access, warning, "rapportage", on=START, source="politie")
    step = services.add_step(access, warning, "besluit", on=date(2025, 3, 10))
    assert not step.approval_required


@pytest.mark.django_db
def test_who_may_approve(town, access):
    enforce(town)
    m = closure(access, town["orgs"]["a"])
    walk_to_decision(access, m, START)
    for user in (town["analist"], town["jurist_b"], town["beheerder"]):
        with pytest.raises(PermissionDenied):
            services.approve_decision(access_for_user(user), m)
    step = services.approve_decision(access_for_user(town["burgemeester"]), m)
    assert step.approved_by_id == town["burgemeester"].pk


@pytest.mark.django_db
def test_approval_through_the_page(town, access):
    enforce(town)
    m = closure(access, town["orgs"]["a"])
    walk_to_decision(access, m, START)
    for user in (town["jurist"], town["coordinator"]):
        assign(user, m)
    # the recorder sees the waiting decision and gets the Dutch error
    jurist = verified_client(town["jurist"])
    page = jurist.get(reverse("measures:detail", args=[m.pk]))
    assert "wacht op goedkeuring door een tweede persoon" in page.content.decode()
    response = jurist.post(reverse("measures:approve", args=[m.pk]), follow=True)
    assert services.SAME_PERSON in response.content.decode()
    assert services.awaiting_approval(m) is not None
    # the coordinator approves
    response = verified_client(town["coordinator"]).post(reverse("measures:approve", args=[m.pk]), follow=True)
    assert "goedgekeurd door een tweede persoon" in response.content.decode()
    assert services.awaiting_approval(m) is None
    assert MeasureStep.objects.get(measure=m, kind="besluit").approved_by_id == town["coordinator"].pk
    # an analist may read but not approve; another municipality gets 404
    assert verified_client(town["analist"]).post(reverse("measures:approve", args=[m.pk])).status_code == 403
    assert verified_client(town["jurist_b"]).post(reverse("measures:approve", args=[m.pk])).status_code == 404
    assert verified_client(town["coordinator"]).get(reverse("measures:approve", args=[m.pk])).status_code == 405
