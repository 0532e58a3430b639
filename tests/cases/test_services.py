"""The case services: opening, linking, phase, escalation, sharing, the timeline and the audit."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from regie.accounts.access import access_for_user
from regie.accounts.models import Assignment
from regie.audit.models import AuditEntry
from regie.cases import services
from regie.cases.models import Case, CaseEvent, CaseSubject
from regie.intake.models import Signal, SignalEvent
from regie.organisations.models import Share
from regie.subjects.models import Person
from tests.conftest import as_user

from .conftest import address, person


def audit_rows(obj, action):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action)


def test_open_case_links_signals_copies_subjects_and_themes_and_audits(town, access, make_signal):
    signal = make_signal(mentions=[person(), intake_plate()], address=address(), themes=["drugs-productie"])
    with as_user(town["coordinator"]):
        case = services.open_case(access, title="Loods aan de Loodsweg", signals=[signal], themes=["witwassen"],
                                  note="aangenomen in LOO")
    signal.refresh_from_db()
    assert signal.status == Signal.Status.IN_CASE
    assert signal.events.filter(kind=SignalEvent.Kind.IN_CASE, note__contains=case.reference).count() == 1
    assert case.reference == f"CAS-{timezone.localdate().year}-0001"
    assert {t.code for t in case.themes.all()} == {"drugs-productie", "witwassen"}
    kinds = sorted((bool(s.person_id), bool(s.address_id), s.vehicle_plate, s.role) for s in case.subjects.all())
    assert kinds == [(False, False, "12ABC3", "subject"), (False, True, "", "locatie"), (True, False, "", "subject")]
    assert [e.kind for e in case.events.all()] == [CaseEvent.Kind.OPENED, CaseEvent.Kind.SIGNAL]
    assert "aangenomen in LOO" in case.events.first().text
    assert audit_rows(case, AuditEntry.Action.CREATE).count() == 1
    assert audit_rows(signal, AuditEntry.Action.UPDATE).filter(detail__status="in_casus").exists()
    assert Assignment.objects.filter(user=town["coordinator"], object_id=case.pk).exists()


def intake_plate():
    from regie.intake.services import MentionInput

    return MentionInput(kind="voertuig", plate="12-abc-3")


def test_references_count_per_organisation_and_year(town, access):
    access_b = access_for_user(town["coordinator_b"])
    first = services.open_case(access, title="Eerste")
    second = services.open_case(access, title="Tweede")
    other = services.open_case(access_b, title="Bij de buren")
    year = timezone.localdate().year
    assert (first.reference, second.reference, other.reference) == (
        f"CAS-{year}-0001", f"CAS-{year}-0002", f"CAS-{year}-0001")
    assert other.owner_id == town["orgs"]["b"].pk


@pytest.mark.parametrize("status", ["ontvangen", "gesloten"])
def test_only_a_triaged_signal_goes_into_a_case(town, access, make_signal, status):
    signal = make_signal(triaged=False)
    if status == "gesloten":
        Signal.unscoped.filter(pk=signal.pk).update(status=status)
    with pytest.raises(ValidationError, match="alleen een beoordeeld signaal"):
        services.open_case(access, title="Te vroeg", signals=[signal])
    assert not Case.unscoped.exists()


def test_another_municipalitys_signal_is_unknown(town, access, make_signal):
    foreign = make_signal(org=town["orgs"]["b"])
    with pytest.raises(ValidationError, match="Onbekend signaal"):
        services.open_case(access, title="Buren", signals=[foreign])
    with pytest.raises(ValidationError, match="Onbekend signaal"):
        services.open_case(access, title="Onzin", signals=["abc"])
    assert not Case.unscoped.exists()


def test_only_the_kernteam_opens_cases(town, make_signal):
    for role in ("jurist", "burgemeester", "partner"):
        with pytest.raises(PermissionDenied):
            services.open_case(access_for_user(town[role]), title="Niet van mij")
    assert not Case.unscoped.exists()


def test_a_case_is_as_confidential_as_its_signals(town, access, make_signal):
    secret = make_signal(level=6)
    case = services.open_case(access, title="Gevoelig", signals=[secret])
    assert case.confidentiality == 6
    with pytest.raises(ValidationError, match="minstens zo vertrouwelijk"):
        services.update_case(access, case, confidentiality=4)
    with pytest.raises(ValidationError, match="boven uw eigen rubricering"):
        services.open_case(access, title="Te geheim", confidentiality=8)


def test_empty_title_and_unknown_theme_are_refused(town, access):
    with pytest.raises(ValidationError, match="titel"):
        services.open_case(access, title="   ")
    with pytest.raises(ValidationError, match="Onbekend thema"):
        services.open_case(access, title="Thema", themes=["bestaat-niet"])
    with pytest.raises(ValidationError):
        services.open_case(access, title="Soort", case_type="groot")
    assert not Case.unscoped.exists()


def test_link_signal_adds_subjects_and_refuses_twice(town, access, make_signal):
    case = services.open_case(access, title="Netwerk", target_type="netwerk")
    signal = make_signal(mentions=[person("Piet Bakker")], themes=["witwassen"], level=5)
    with as_user(town["coordinator"]):
        services.link_signal(access, case, signal, note="besproken")
        with pytest.raises(ValidationError, match="hoort al bij deze casus"):
            services.link_signal(access, case, signal)
    case.refresh_from_db()
    assert case.confidentiality == 5
    assert case.subjects.filter(person__isnull=False).count() == 1
    assert list(case.themes.values_list("code", flat=True)) == ["witwassen"]
    assert audit_rows(case, AuditEntry.Action.UPDATE).filter(detail__signal=signal.pk).count() == 1


def test_add_subject_visible_records_and_plates(town, access):
    case = services.open_case(access, title="Bedrijf")
    own = Person.objects.create(owner=town["orgs"]["a"], surname="Jansen")
    foreign = Person.objects.create(owner=town["orgs"]["b"], surname="Elders")
    services.add_subject(access, case, own, role=CaseSubject.Role.MAIN)
    services.add_subject(access, case, "12-abc-3")
    with pytest.raises(ValidationError, match="Onbekend subject"):
        services.add_subject(access, case, foreign)
    with pytest.raises(ValidationError, match="al bij deze casus"):
        services.add_subject(access, case, own)
    with pytest.raises(ValidationError, match="kenteken"):
        services.add_subject(access, case, "x")
    assert sorted(case.subjects.values_list("role", flat=True)) == ["hoofdsubject", "subject"]
    assert case.events.filter(kind=CaseEvent.Kind.SUBJECT).count() == 2


def test_phase_moves_and_closing_needs_a_reason(town, access):
    case = services.open_case(access, title="Fasen")
    with pytest.raises(ValidationError, match="al in de fase"):
        services.set_phase(access, case, "verkenning")
    with pytest.raises(ValidationError, match="geldige fase"):
        services.set_phase(access, case, "klapdag")
    services.set_phase(access, case, "analyse")
    with pytest.raises(ValidationError, match="reden"):
        services.set_phase(access, case, "afgesloten")
    with pytest.raises(ValidationError, match="Licht de reden"):
        services.set_phase(access, case, "afgesloten", reason="anders")
    case.refresh_from_db()
    assert case.phase == "analyse" and case.closed_at is None
    services.set_phase(access, case, "afgesloten", reason="voortijdig wegens capaciteit")
    case.refresh_from_db()
    assert (case.phase, case.closed_reason) == ("afgesloten", Case.ClosedReason.CAPACITY)
    assert case.closed_at is not None
    texts = list(case.events.filter(kind=CaseEvent.Kind.PHASE).values_list("text", flat=True))
    assert texts == ["Fase: verkenning → analyse", "Fase: analyse → afgesloten (voortijdig wegens capaciteit)"]
    assert audit_rows(case, AuditEntry.Action.UPDATE).filter(detail__phase="afgesloten", detail__reason="capaciteit").exists()


def test_free_text_reason_counts_as_other(town, access):
    case = services.open_case(access, title="Vrije reden")
    services.set_phase(access, case, "afgesloten", reason="Subject is verhuisd naar het buitenland")
    assert (case.closed_reason, case.closed_note) == ("anders", "Subject is verhuisd naar het buitenland")


def test_a_closed_case_is_reopened_only_explicitly(town, access):
    case = services.open_case(access, title="Dicht")
    services.set_phase(access, case, "afgesloten", reason="resultaat")
    with pytest.raises(ValidationError, match="alleen expliciet"):
        services.set_phase(access, case, "analyse")
    with pytest.raises(ValidationError, match="reden"):
        services.reopen(access, case, reason="")
    with pytest.raises(ValidationError, match="Deze casus is afgesloten"):
        services.set_escalation(access, case, "riec")
    services.reopen(access, case, reason="Nieuwe signalen over hetzelfde pand", phase="interventie")
    case.refresh_from_db()
    assert (case.phase, case.closed_reason, case.closed_at) == ("interventie", "", None)
    with pytest.raises(ValidationError, match="niet afgesloten"):
        services.reopen(access, case, reason="nog een keer")
    assert case.events.filter(kind=CaseEvent.Kind.PHASE, text__startswith="Heropend").count() == 1


def test_escalation(town, access):
    case = services.open_case(access, title="Zwaar")
    services.set_escalation(access, case, "riec", note="te zwaar voor lokaal")
    with pytest.raises(ValidationError, match="al op het niveau"):
        services.set_escalation(access, case, "riec")
    with pytest.raises(ValidationError, match="lokaal, DTO of RIEC"):
        services.set_escalation(access, case, "landelijk")
    case.refresh_from_db()
    assert case.escalation_level == "riec"
    assert case.events.get(kind=CaseEvent.Kind.ESCALATION).text == "Opschaling: lokaal → RIEC (regionaal): te zwaar voor lokaal"
    assert audit_rows(case, AuditEntry.Action.UPDATE).filter(detail__escalation_level="riec").count() == 1


def test_another_organisation_or_a_reader_cannot_change_a_case(town, access):
    case = services.open_case(access, title="Van A")
    for role in ("coordinator_b", "jurist", "partner"):
        with pytest.raises(PermissionDenied):
            services.set_phase(access_for_user(town[role]), case, "analyse")
    case.refresh_from_db()
    assert case.phase == "verkenning"


def test_update_case_records_changed_fields(town, access):
    case = services.open_case(access, title="Oud")
    services.update_case(access, case, title="Nieuw", themes=["horeca"], next_discussion_on=date(2026, 3, 1),
                         coordinator=town["analist"])
    case.refresh_from_db()
    assert (case.title, case.coordinator, case.next_discussion_on) == ("Nieuw", town["analist"], date(2026, 3, 1))
    assert case.events.get(kind=CaseEvent.Kind.CHANGED).text == "Gewijzigd: titel, volgende bespreking, regisseur, thema's"
    assert Assignment.objects.filter(user=town["analist"], object_id=case.pk).exists()
    entry = audit_rows(case, AuditEntry.Action.UPDATE).get()
    assert entry.detail["fields"] == ["coordinator", "next_discussion_on", "themes", "title"]
    with pytest.raises(ValidationError, match="niets gewijzigd"):
        services.update_case(access, case, title="Nieuw")
    with pytest.raises(ValidationError, match="regisseur"):
        services.update_case(access, case, coordinator=town["coordinator_b"])


def test_record_event_is_a_timeline_line_for_other_rooms(town, access):
    case = services.open_case(access, title="Overleg")
    at = timezone.now() - timedelta(days=3)
    event = services.record_event(case, "besluit", "LOO: bestuurlijke rapportage vragen", at=at,
                                  by_id=town["coordinator"].pk, source="overleg")
    assert (event.kind, event.source, event.at, event.get_kind_display()) == ("besluit", "overleg", at, "besluit")
    assert services.record_event(case, "agenda", "op de agenda").get_kind_display() == "agenda"
    with pytest.raises(ValidationError):
        services.record_event(case, "notitie", "  ")


def test_due_for_discussion(town, access):
    today = date(2026, 5, 1)
    due = services.open_case(access, title="Vandaag", next_discussion_on=today)
    services.open_case(access, title="Later", next_discussion_on=today + timedelta(days=1))
    closed = services.open_case(access, title="Dicht", next_discussion_on=today - timedelta(days=7))
    services.set_phase(access, closed, "afgesloten", reason="resultaat")
    services.open_case(access_for_user(town["coordinator_b"]), title="Buren", next_discussion_on=today)
    assert list(services.due_for_discussion(access, on=today)) == [due]


def test_share_case_lets_the_partner_see_it(town, access):
    case = services.open_case(access, title="Samen met politie")
    partner_access = access_for_user(town["partner"])
    assert not Case.objects.visible_to(partner_access).exists()
    with pytest.raises(ValidationError, match="grondslag"):
        services.share_case(access, case, town["orgs"]["politie"], basis="")
    services.share_case(access, case, town["orgs"]["politie"], basis="Convenant RIEC 2023, art. 5")
    with pytest.raises(ValidationError, match="al gedeeld"):
        services.share_case(access, case, town["orgs"]["politie"], basis="Convenant RIEC 2023, art. 5")
    with pytest.raises(ValidationError, match="andere, actieve organisatie"):
        services.share_case(access, case, town["orgs"]["a"], basis="Convenant RIEC 2023, art. 5")
    assert list(Case.objects.visible_to(partner_access)) == [case]
    assert Share.objects.count() == 1
    assert case.events.filter(kind=CaseEvent.Kind.SHARED).count() == 1


def test_need_to_know_and_tenancy_at_the_manager(town, access):
    case = services.open_case(access, title="Alleen voor wie het moet weten")
    assert list(Case.objects.visible_to(access)) == [case]
    assert list(Case.objects.visible_to(access_for_user(town["jurist"]))) == [case]
    for role in ("boa", "medewerker", "coordinator_b", "partner"):
        assert not Case.objects.visible_to(access_for_user(town[role])).exists(), role
    assert not Case.objects.all().exists()  # no access context: nothing
