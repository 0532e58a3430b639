"""The controls services: year plan and realisation (issue 7 point 1), the control file (point 2),
findings and where they lead (point 4), bad input refused (point 6), the audit row of each write."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from regie.accounts.access import access_for_user
from regie.audit.models import AuditEntry
from regie.controls import services
from regie.controls.fieldwork import replay_draw
from regie.controls.models import (
    Control,
    ControlAddress,
    ControlNote,
    Finding,
    YearPlan,
)
from regie.intake.enrichment import what_we_know
from regie.intake.models import Signal
from regie.measures import services as measures
from regie.measures.models import MeasureDomain, MeasureKind
from regie.meetings import services as meetings
from regie.meetings.models import Action, AgendaItem
from regie.organisations.models import Share
from regie.subjects.models import Address
from tests.controls.conftest import TODAY, plan, ready


def last_audit(object_type: str) -> AuditEntry:
    return AuditEntry.objects.filter(object_type=object_type).latest("seq")


# --- point 1: the year plan --------------------------------------------------------------------

def test_a_year_plan_defaults_to_twelve_and_shows_its_realisation(town):
    access = town["access"]
    year_plan = services.save_plan(access, TODAY.year)
    assert year_plan.target == 12
    assert last_audit("controls.yearplan").detail == {"year": TODAY.year, "target": 12}
    first = plan(town, on=TODAY)
    second = plan(town, on=TODAY + timedelta(days=30) if (TODAY + timedelta(days=30)).year == TODAY.year else TODAY)
    third = plan(town, on=TODAY)
    services.confirm(access, first)
    services.execute(access, first)
    services.cancel(access, second, kind="capaciteit", reason="geen capaciteit Arbeidsinspectie",
                    partner=town["orgs"]["inspectie"])
    figures = services.realisation(access, year_plan)
    assert (figures["reserved"], figures["executed"], figures["cancelled"], figures["planned"]) == (3, 1, 1, 1)
    assert figures["percentage"] == round(100 / 12)
    assert figures["unreserved"] == 12 - 3 + 1  # a cancelled date has to be planned again
    second.refresh_from_db()
    assert (second.status, second.cancel_reason, second.cancel_partner) == (
        "geannuleerd", "geen capaciteit Arbeidsinspectie", town["orgs"]["inspectie"])
    assert third.status == "gepland"
    # a second save changes the target of the same plan
    services.save_plan(access, TODAY.year, target=10)
    assert YearPlan.objects.visible_to(access).get(year=TODAY.year).target == 10


def test_planning_a_control_makes_the_plan_when_there_is_none(town):
    control = plan(town)
    assert control.plan.year == control.planned_on.year and control.plan.target == 12
    assert control.reference == f"CTL-{control.planned_on.year}-0001"
    entry = last_audit("controls.control")
    assert entry.action == "create" and entry.detail["kind"] == "bedrijventerrein"


def test_a_partner_asked_for_people_answers_and_can_decline(town):
    access = town["access"]
    control = plan(town)
    row = services.ask_partner(access, control, town["orgs"]["inspectie"], people=3)
    with pytest.raises(ValidationError, match="al gevraagd"):
        services.ask_partner(access, control, town["orgs"]["inspectie"], people=1)
    services.answer_partner(access, control, row, answer="afgezegd")
    row.refresh_from_db()
    assert (row.answer, row.people_promised) == ("afgezegd", 0)
    assert last_audit("controls.control").detail["partner_answer"] == town["orgs"]["inspectie"].pk


# --- point 2: the control file -------------------------------------------------------------------

def test_addresses_come_from_signals_and_cases(town):
    from regie.cases import services as cases

    access = town["access"]
    a = town["orgs"]["a"]
    registered = services_signal(town, "Veel busjes en bewoning bij Industrieweg 3", number=3)
    case = cases.open_case(access, title="Loods Industrieweg 5", subjects=[town["addresses"][4]])
    control = plan(town)
    candidates = services.address_candidates(access, control)
    sources = {(c["source"], c["address"].pk) for c in candidates}
    assert ("signaal", registered.address_id) in sources and ("casus", town["addresses"][4].pk) in sources
    row = services.add_address(access, control, registered.address_id, source="signaal", signal=registered.pk)
    assert row.signal == registered
    row = services.add_address(access, control, town["addresses"][4], source="casus", case=case.pk)
    assert row.case == case
    # from now on, the candidate list leaves them out
    assert not {c["address"].pk for c in services.address_candidates(access, control)} & {registered.address_id, town["addresses"][4].pk}
    assert Address.objects.visible_to(access).filter(owner=a).count() >= 12


def services_signal(town, text, number=3):
    from regie.intake import services as intake

    return intake.register(town["orgs"]["a"], intake.SignalInput(
        channel="internal", text=text, address=intake.AddressInput(postcode="1234AB", house_number=number,
                                                                   street="Industrieweg", city="Aastad")),
        actor=town["access"]).signal


def test_a_random_draw_is_reproducible_from_its_stored_seed(town):
    access = town["access"]
    first, second = plan(town), plan(town)
    draw = services.draw_addresses(access, first, buurt=town["buurt"].pk, count=4, seed=20260315)
    again = services.draw_addresses(access, second, buurt=town["buurt"].pk, count=4, seed=20260315)
    picked = list(first.addresses.filter(draw=draw).values_list("address_id", flat=True))
    assert len(picked) == 4 and picked == list(second.addresses.filter(draw=again).values_list("address_id", flat=True))
    pool = [a.pk for a in town["addresses"]]
    assert replay_draw(access, draw, pool) == picked
    assert (draw.seed, draw.pool_size) == (20260315, 12)
    entry = last_audit("controls.control")
    assert entry.detail["seed"] == 20260315 and entry.detail["drawn"] == picked
    other = services.draw_addresses(access, first, wijk=town["wijk"].pk, count=3)  # a fresh seed, stored
    assert other.seed is not None and other.pool_size == 8  # the four already drawn are left out
    assert all(row.source == ControlAddress.Source.RANDOM for row in first.addresses.all())


def test_participants_carry_role_and_powers(town):
    access = town["access"]
    control = plan(town)
    person = services.add_participant(access, control, organisation=town["orgs"]["politie"], role="sterke arm",
                                      powers="Politiewet art. 3", name="Wijkagent", people=2)
    assert (person.role, person.powers, person.people) == ("sterke arm", "Politiewet art. 3", 2)


def test_draaiboek_and_briefing_are_confidential_and_every_read_is_logged(town):
    access = town["access"]
    control = plan(town)
    runbook = services.add_note(access, control, kind="draaiboek", text="Start 07.00 uur bij de brandweerkazerne.")
    briefing = services.add_note(access, control, kind="briefing", text="Let op honden op nummer 4.", confidentiality=4)
    assert runbook.confidentiality == ControlNote.DEFAULT_LEVEL == 5
    # the boa (clearance 4) reads the briefing, not the draaiboek
    boa = access_for_user(town["boa"])
    before = AuditEntry.objects.filter(object_type="controls.controlnote", action="view").count()
    assert [n.pk for n in services.read_notes(boa, control)] == [briefing.pk]
    assert [n.pk for n in services.read_notes(access, control)] == [briefing.pk, runbook.pk]
    assert AuditEntry.objects.filter(object_type="controls.controlnote", action="view").count() == before + 3
    with pytest.raises(ValidationError, match="minstens zo vertrouwelijk"):
        services.add_note(access, control, kind="briefing", text="Te open briefing", confidentiality=2)


def test_sharing_gives_a_partner_the_control_and_the_briefing_never_the_draaiboek(town):
    access = town["access"]
    control = plan(town)
    services.add_note(access, control, kind="draaiboek", text="Draaiboek met de opstelling.")
    services.add_note(access, control, kind="briefing", text="Briefing voor de partners.")
    partner = access_for_user(town["inspecteur"])
    assert not Control.objects.visible_to(partner).exists()
    services.share_control(access, control, town["orgs"]["inspectie"], basis="Convenant integrale controles art. 4",
                           with_briefing=True)
    assert Control.objects.visible_to(partner).get() == control
    assert [n.kind for n in services.read_notes(partner, control)] == ["briefing"]


# --- point 6: bad input ---------------------------------------------------------------------------

def test_a_control_without_goals_is_not_confirmed(town):
    control = plan(town, goals="")
    with pytest.raises(ValidationError) as exc:
        services.confirm(town["access"], control)
    assert exc.value.message_dict["goals"] == ["Een controle kan pas worden bevestigd als haar doelen zijn vastgelegd."]
    control.refresh_from_db()
    assert control.status == "gepland" and control.confirmed_at is None


def test_a_participant_without_a_role_is_refused(town):
    control = plan(town)
    with pytest.raises(ValidationError) as exc:
        services.add_participant(town["access"], control, organisation=town["orgs"]["inspectie"], role="  ")
    assert "Geef de rol van deze deelnemer" in exc.value.message_dict["role"][0]
    assert not control.participants.exists()


def test_a_finding_on_an_address_not_on_the_list_needs_a_reason(town):
    access = town["access"]
    control = ready(town)
    elsewhere = {"postcode": "1234AB", "house_number": "9", "street": "Industrieweg"}
    with pytest.raises(ValidationError) as exc:
        services.record_finding(access, control, kind="overtreding", text="Opslag zonder vergunning", new_address=elsewhere)
    assert "staat niet op de adreslijst" in exc.value.message_dict["reason"][0]
    assert not Finding.objects.filter(control=control).exists() and control.addresses.count() == 2
    finding = services.record_finding(access, control, kind="overtreding", text="Opslag zonder vergunning",
                                      new_address=elsewhere, reason="Buurman wees ons op de achterloods")
    assert finding.address.source == "ter_plaatse" and finding.address.reason == "Buurman wees ons op de achterloods"
    assert control.addresses.count() == 3


def test_cancelling_needs_a_reason_and_findings_need_a_confirmed_control(town):
    access = town["access"]
    control = plan(town)
    with pytest.raises(ValidationError) as exc:
        services.cancel(access, control, kind="capaciteit", reason="")
    assert set(exc.value.message_dict) == {"cancel_reason", "cancel_partner"}
    services.add_address(access, control, town["addresses"][0], source="gekozen", reason="Signaal wijkboa")
    with pytest.raises(ValidationError, match="nog niet bevestigd"):
        services.record_finding(access, control, kind="overtreding", text="x y z", address=control.addresses.get().pk)
    with pytest.raises(ValidationError, match="Alleen een bevestigde controle"):
        services.execute(access, control)


# --- point 4: findings lead somewhere -------------------------------------------------------------

def test_a_finding_becomes_a_signal_back_in_intake(town):
    boa = access_for_user(town["boa"])
    control = ready(town)
    row = control.addresses.first()
    finding = services.record_finding(boa, control, kind="niet_ingeschreven", text="Zes matrassen in de loods",
                                      persons=6, address=row.pk, to_signal=True)
    signal = Signal.objects.visible_to(town["access"]).get(pk=finding.signal_id)
    assert signal.channel == "control" and signal.status == "ontvangen"
    assert control.reference in signal.text and "6 personen" in signal.text
    assert signal.address.postcode == row.address.postcode and signal.address.house_number == row.address.house_number
    row.refresh_from_db()
    assert row.visited and row.visited_by == town["boa"]
    assert AuditEntry.objects.filter(object_type="controls.finding", action="create", object_id=str(finding.pk)).exists()
    with pytest.raises(ValidationError, match="al een signaal"):
        services.finding_to_signal(boa, finding)
    # 'wat weten we al' on the new signal names the control that visited the address
    sections = what_we_know(town["access"], signal)
    section = next(s for s in sections if s.title.startswith("Integrale controles"))
    assert control.reference in section.items[0].label


def test_a_finding_becomes_a_measure_and_an_action_for_a_partner(town):
    access, a = town["access"], town["orgs"]["a"]
    measures.install_default_catalogue(a)
    control = ready(town)
    finding = services.record_finding(access, control, kind="overtreding", text="Hennepkwekerij in de achterruimte",
                                      address=control.addresses.first().pk)
    measure = services.finding_to_measure(
        access, finding, kind=MeasureKind.objects.get(organisation=a, code="sluiting-13b"),
        domain=MeasureDomain.objects.get(organisation=a, code="drugspanden"))
    assert measure.address == finding.address.address and Finding.objects.get(pk=finding.pk).measure == measure
    action = services.finding_to_action(access, finding, organisation=town["orgs"]["inspectie"],
                                        description="Onderzoek naar illegale tewerkstelling starten",
                                        due_on=TODAY + timedelta(days=14))
    assert (action.forum, action.owner_organisation, action.status) == (town["forum"], town["orgs"]["inspectie"], "open")
    assert Share.objects.filter(object_id=action.pk, organisation=town["orgs"]["inspectie"]).exists()
    inspecteur = access_for_user(town["inspecteur"])
    assert list(Action.objects.visible_to(inspecteur)) == [action]
    with pytest.raises(ValidationError) as exc:
        services.finding_to_action(access, services.record_finding(
            access, control, kind="overtreding", text="Nog een", address=control.addresses.first().pk),
            organisation=None, description="", due_on=TODAY - timedelta(days=1))
    assert set(exc.value.message_dict) == {"organisation", "description", "due_on"}
    # a boa may not open a measure
    with pytest.raises(PermissionDenied):
        services.finding_to_measure(access_for_user(town["boa"]), finding, kind=None, domain=None)


def test_the_requesting_forum_gets_the_result_on_its_next_agenda(town):
    access = town["access"]
    control = ready(town, requesting_forum=town["forum"].pk)
    services.record_finding(access, control, kind="tewerkstelling", text="Drie werknemers zonder vergunning",
                            address=control.addresses.first().pk, organisation=town["orgs"]["inspectie"].pk)
    services.execute(access_for_user(town["boa"]), control)
    control.refresh_from_db()
    assert control.status == "uitgevoerd" and control.result_action is not None
    from django.utils import timezone

    meeting = meetings.plan_meeting(access, town["forum"], timezone.now() + timedelta(days=3))
    meetings.generate_agenda(access, meeting)
    item = AgendaItem.objects.visible_to(access).get(meeting=meeting, kind=AgendaItem.Kind.FEEDBACK)
    assert control.reference in item.title
    assert "1 van 2 adressen bezocht; 1 bevinding" in item.snapshot["besluiten"][0]
    assert "illegale tewerkstelling" in item.snapshot["besluiten"][0]


def test_another_municipality_cannot_touch_the_control(town):
    control = plan(town)
    other = access_for_user(town["coordinator_b"])
    assert not Control.objects.visible_to(other).exists()
    with pytest.raises(PermissionDenied):
        services.confirm(other, control)
    with pytest.raises(PermissionDenied):
        services.record_finding(access_for_user(town["boa_b"]), control, kind="overtreding", text="abc")
    # a role without CONTROLS sees nothing
    assert not Control.objects.visible_to(access_for_user(town["jurist"])).exists()
