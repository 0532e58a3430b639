"""The measure services: opening, the legal steps with their terms, bad input, tenancy, audit."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from regie.accounts.access import access_for_user
from regie.accounts.models import Assignment
from regie.audit.models import AuditEntry
from regie.cases import services as cases
from regie.cases.models import CaseEvent
from regie.measures import services
from regie.measures.models import Measure
from regie.subjects.models import Address
from tests.measures.conftest import (
    WEIGHING,
    closure,
    domain,
    kind,
    measure,
    walk_to_decision,
)

START = date(2025, 3, 3)


def audit_rows(obj_type: str, action=AuditEntry.Action.CREATE):
    return AuditEntry.objects.filter(object_type=obj_type, action=action)


@pytest.fixture
def case(town):
    return cases.open_case(access_for_user(town["coordinator"]), title="Hennepkwekerij Kanaalweg 12", confidentiality=5)


def test_open_a_measure_from_a_case(town, access, case):
    m = measure(access, town["orgs"]["a"], case=case)
    assert m.reference.startswith("MTR-") and m.reference.endswith("-0001")
    assert m.owner == town["orgs"]["a"] and m.created_by == town["jurist"]
    assert m.confidentiality == 5  # at least as confidential as its case
    assert Assignment.objects.filter(user=town["jurist"], object_id=m.pk).exists()
    entry = audit_rows("measures.measure").get(object_id=str(m.pk))
    assert entry.username == town["jurist"].username and entry.detail["case"] == case.pk
    assert CaseEvent.objects.filter(case=case, source="maatregel", text__contains=m.reference).exists()
    assert measure(access, town["orgs"]["a"]).reference.endswith("-0002")


def test_a_13b_closure_walks_its_steps_with_their_terms(town, access, case):
    m = closure(access, town["orgs"]["a"], case=case, term_days=7)
    services.add_step(access, m, "rapportage", on=START, source="politie", note="Hennepkwekerij van 400 planten.")
    intention = services.add_step(access, m, "voornemen", on=START + timedelta(days=2))
    assert (intention.term, intention.deadline) == ("zienswijze", date(2025, 3, 19))  # 14 days
    services.add_step(access, m, "zienswijze", on=START + timedelta(days=9), note="Huurder vraagt om uitstel.")
    intention.refresh_from_db()
    assert intention.done_on == START + timedelta(days=9)  # the zienswijze settles its term
    decision = services.add_step(access, m, "besluit", on=date(2025, 3, 24))
    assert (decision.term, decision.deadline) == ("begunstiging", date(2025, 3, 31))
    execution = services.add_step(access, m, "uitvoering", on=date(2025, 4, 1), note="Pand verzegeld.")
    decision.refresh_from_db()
    assert decision.done_on == date(2025, 4, 1)
    assert (execution.term, execution.deadline) == ("heropening", date(2025, 7, 1))  # three months
    m.refresh_from_db()
    assert (m.stage, m.reported_on, m.decided_on) == ("uitvoering", START, date(2025, 3, 24))
    assert (m.closure_starts_on, m.closure_ends_on, m.term_ends_on) == (date(2025, 4, 1), date(2025, 7, 1), date(2025, 3, 31))
    assert list(services.deadlines(access)) == [execution]
    services.add_step(access, m, "einde", on=date(2025, 7, 1), outcome="uitgevoerd", note="Pand heropend.")
    m.refresh_from_db()
    assert (m.stage, m.outcome, m.ended_on) == ("einde", "uitgevoerd", date(2025, 7, 1))
    assert list(services.deadlines(access)) == []
    # every step is on the case's timeline and in the audit log
    lines = list(CaseEvent.objects.filter(case=case, source="maatregel").values_list("text", flat=True))
    assert len(lines) == 7 and any("uitvoering op 01-04-2025; heropening (einde sluiting) 01-07-2025" in line for line in lines)
    steps = audit_rows("measures.measurestep")
    assert steps.count() == 6
    assert {e.detail["kind"] for e in steps} == {"rapportage", "voornemen", "zienswijze", "besluit", "uitvoering", "einde"}
    with pytest.raises(ValidationError) as exc:
        services.add_step(access, m, "uitvoering", on=date(2025, 7, 2))
    assert "beëindigd" in " ".join(exc.value.messages)


def test_a_decision_dated_before_its_rapportage_is_refused_without_a_partial_write(town, access):
    m = closure(access, town["orgs"]["a"])
    services.add_step(access, m, "rapportage", on=START, source="boa")
    services.add_step(access, m, "voornemen", on=START)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.add_step(access, m, "besluit", on=START - timedelta(days=5), closure_months=6)
    assert exc.value.message_dict["on"] == [
        "De datum van de stap ‘besluit’ (26-02-2025) ligt vóór de stap ‘voornemen (zienswijze gevraagd)’ van 03-03-2025."
    ]
    assert m.steps.count() == 2 and AuditEntry.objects.count() == before
    m.refresh_from_db()
    assert m.closure_months == 3 and m.decided_on is None  # the decided duration was not written


def test_a_closure_without_the_weighing_is_refused(town, access):
    m = measure(access, town["orgs"]["a"], closure_months=3)  # no weighing
    services.add_step(access, m, "rapportage", on=START, source="politie")
    services.add_step(access, m, "voornemen", on=START)
    with pytest.raises(ValidationError) as exc:
        services.add_step(access, m, "besluit", on=START + timedelta(days=20))
    assert "Een sluiting zonder afweging kan niet worden besloten" in " ".join(exc.value.messages)
    assert not m.steps.filter(kind="besluit").exists()
    services.update_measure(access, m, **WEIGHING)
    services.add_step(access, m, "besluit", on=START + timedelta(days=20))
    assert Measure.objects.visible_to(access).get(pk=m.pk).decided_on == START + timedelta(days=20)


def test_a_dwangsom_without_amount_or_term_is_refused(town, access):
    m = measure(access, town["orgs"]["a"], kind_code="last-onder-dwangsom", domain_code="drugsdealen",
                description="Dealen vanaf de hoek Stationsplein")
    services.add_step(access, m, "voornemen", on=START)
    with pytest.raises(ValidationError) as exc:
        services.add_step(access, m, "besluit", on=START + timedelta(days=15))
    assert set(exc.value.message_dict) == {"penalty_amount", "term_days"}
    with pytest.raises(ValidationError) as exc:
        services.add_step(access, m, "besluit", on=START + timedelta(days=15), penalty_amount=Decimal(2500))
    assert exc.value.message_dict == {"term_days": ["Een last onder dwangsom heeft een begunstigingstermijn nodig."]}
    step = services.add_step(access, m, "besluit", on=START + timedelta(days=15), penalty_amount=Decimal(2500),
                             penalty_maximum=Decimal(10000), term_days=14)
    assert (step.term, step.deadline) == ("begunstiging", START + timedelta(days=29))
    # forfeited: only after the begunstigingstermijn; collected only when forfeited
    with pytest.raises(ValidationError) as exc:
        services.add_step(access, m, "uitvoering", on=START + timedelta(days=20), forfeited=True)
    assert "forfeited_on" in exc.value.message_dict
    services.add_step(access, m, "uitvoering", on=START + timedelta(days=40), forfeited=True)
    services.update_measure(access, m, collected_amount=Decimal(2500))
    m.refresh_from_db()
    assert (m.forfeited, m.forfeited_on, m.collected_amount) == (True, START + timedelta(days=40), Decimal("2500.00"))


def test_what_the_decision_fixed_cannot_change_afterwards(town, access):
    m = closure(access, town["orgs"]["a"])
    walk_to_decision(access, m, START)
    with pytest.raises(ValidationError) as exc:
        services.update_measure(access, m, closure_months=12)
    assert "Het besluit is genomen: duur sluiting (maanden) ligt vast." in exc.value.messages
    with pytest.raises(ValidationError):
        services.update_measure(access, m, kind=kind(town["orgs"]["a"], "waarschuwing"))
    services.update_measure(access, m, description="Hennepkwekerij Kanaalweg 12 (achterhuis)")  # details may change
    assert audit_rows("measures.measure", AuditEntry.Action.UPDATE).filter(object_id=str(m.pk)).count() == 1


def test_steps_need_their_own_facts(town, access):
    m = measure(access, town["orgs"]["a"], kind_code="waarschuwing")
    with pytest.raises(ValidationError) as exc:
        services.add_step(access, m, "rapportage", on=START)
    assert "source" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.add_step(access, m, "rapportage", on=START, source="politie", closure_months=3)
    services.add_step(access, m, "rapportage", on=START, source="politie")
    services.add_step(access, m, "besluit", on=START)  # a warning needs no voornemen
    with pytest.raises(ValidationError) as exc:
        services.add_step(access, m, "einde", on=START)
    assert "outcome" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.add_step(access, m, "uitvoering", on=date.today() + timedelta(days=1))


def test_only_the_writers_of_the_owner_change_measures(town, access):
    m = measure(access, town["orgs"]["a"])
    for role in ("analist", "burgemeester"):
        with pytest.raises(PermissionDenied):
            services.add_step(access_for_user(town[role]), m, "rapportage", on=START, source="politie")
    services.add_step(access_for_user(town["coordinator"]), m, "rapportage", on=START, source="politie")
    with pytest.raises(PermissionDenied):
        services.update_measure(access_for_user(town["jurist_b"]), m, description="overgenomen")


def test_the_catalogue_case_and_address_must_be_the_municipalitys_own(town, access):
    a, b = town["orgs"]["a"], town["orgs"]["b"]
    with pytest.raises(ValidationError) as exc:
        services.open_measure(access, kind=kind(b, "sluiting-13b"), domain=domain(a, "drugspanden"), description="x")
    assert "catalogus van uw gemeente" in exc.value.message_dict["kind"][0]
    other_case = cases.open_case(access_for_user(town["coordinator_b"]), title="Casus van Bedorp")
    with pytest.raises(ValidationError) as exc:
        measure(access, a, case=other_case)
    assert exc.value.message_dict["case"] == ["Onbekende casus (of u mag het niet zien)."]
    address_b = Address.unscoped.create(owner=b, street="Dorpsweg", house_number=1, postcode="9999ZZ", city="Bedorp")
    with pytest.raises(ValidationError):
        measure(access, a, address=address_b)
    assert Measure.objects.visible_to(access).count() == 0


def test_tenancy_and_need_to_know_in_the_register(town, access):
    m = measure(access, town["orgs"]["a"], confidentiality=6)
    walk = services.add_step(access, m, "rapportage", on=START, source="politie")
    services.add_step(access, m, "voornemen", on=START)
    assert Measure.objects.visible_to(access_for_user(town["jurist_b"])).count() == 0
    assert Measure.objects.visible_to(access_for_user(town["boa"])).count() == 0  # no need to know
    assert Measure.objects.visible_to(access_for_user(town["burgemeester"])).get() == m
    assert Measure.objects.visible_to(access_for_user(town["coordinator"])).get() == m
    assert list(services.deadlines(access_for_user(town["jurist_b"]))) == []
    assert services.deadlines(access).get().kind == "voornemen"
    assert walk.by == town["jurist"]
