"""Writes of the cases room: open a case, link signals and subjects, phase, escalation, shares.

Every write takes the caller's :class:`Access`, validates (Dutch messages), writes a line on the
case's timeline and audits, in one transaction. Interventions live in :mod:`.interventions`;
their functions are re-exported here, so other rooms (meetings) import everything from
``regie.cases.services``.
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from regie.accounts.models import Assignment, User
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.intake import services as intake
from regie.intake.models import Signal, Theme
from regie.organisations.access import Access
from regie.organisations.confidentiality import Confidentiality
from regie.organisations.models import Organisation, Share
from regie.organisations.sequences import next_number
from regie.subjects.models import Address, Company, Person

from .interventions import (  # noqa: F401 - part of this module's interface
    MatrixRow,
    add_intervention,
    interventions_changed_since,
    matrix,
    update_intervention,
)
from .models import Case, CaseEvent, CaseSequence, CaseSignal, CaseSubject
from .permissions import may_edit

#: signal statuses a case may take in; a received signal is triaged first, a closed one reopened
LINKABLE = (Signal.Status.TRIAGED, Signal.Status.ON_AGENDA, Signal.Status.IN_CASE)
OPEN_PHASES = [p for p in Case.Phase.values if p != Case.Phase.CLOSED]
#: fields update_case() changes; phase and escalation have their own functions
EDITABLE = ("title", "summary", "target_type", "case_type", "next_discussion_on", "coordinator", "confidentiality")


def _require_editor(access: Access, case: Case) -> None:
    if not may_edit(access, case):
        raise PermissionDenied("Alleen het kernteam van de eigenaar van deze casus mag haar wijzigen.")


def _require_open(case: Case, what: str) -> None:
    if case.is_closed:
        raise ValidationError(f"Deze casus is afgesloten: {what} kan pas na heropenen.")


def record_event(case: Case, kind: str, text: str, *, at=None, by_id=None, source: str = "") -> CaseEvent:
    """Add a line to the case's timeline. No audit of its own: the caller audits its write."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("Een gebeurtenis in de tijdlijn heeft een omschrijving nodig.")
    return CaseEvent.objects.create(
        case=case, kind=str(kind)[:24], text=text[:1000], at=at or timezone.now(), by_id=by_id, source=source[:40]
    )


def _next_reference(owner_id: int, year: int) -> str:
    """CAS-<year>-<number>, numbered per organisation and year under a row lock."""
    return f"CAS-{year}-{next_number(CaseSequence, owner_id, year):04d}"


def _assign(user_id, case: Case) -> None:
    """Who opens or coordinates a case is assigned to it (no separate purpose needed)."""
    if user_id:
        Assignment.objects.get_or_create(
            user_id=user_id, content_type=ContentType.objects.get_for_model(Case), object_id=case.pk
        )


def _signals(access: Access, owner_id: int, signals) -> list[Signal]:
    """The given signals (instances or ids), visible to the caller, of the case's owner, linkable."""
    ids = [s.pk if isinstance(s, Signal) else s for s in signals]
    try:
        ids = [int(pk) for pk in ids]
    except (TypeError, ValueError) as exc:
        raise ValidationError({"signals": "Onbekend signaal."}) from exc
    found = {s.pk: s for s in Signal.objects.visible_to(access).filter(pk__in=ids)}
    result = []
    for pk in dict.fromkeys(ids):
        signal = found.get(pk)
        if signal is None:
            raise ValidationError({"signals": "Onbekend signaal."})
        if signal.owner_id != owner_id:
            raise ValidationError({"signals": f"Signaal {signal.reference} hoort niet bij deze organisatie."})
        if signal.status not in LINKABLE:
            raise ValidationError({"signals": (
                f"Signaal {signal.reference} is {signal.get_status_display()}: alleen een beoordeeld signaal "
                "kan in een casus worden opgenomen."
            )})
        result.append(signal)
    return result


def _themes(owner_id: int, themes) -> list[Theme]:
    """Theme instances or codes from the municipality's catalogue."""
    codes = [t.code if isinstance(t, Theme) else str(t) for t in themes]
    return intake.themes_for(owner_id, codes)


def _subject_row(access: Access, case: Case, subject, role: str = CaseSubject.Role.SUBJECT) -> CaseSubject:
    """A CaseSubject for a visible person, company or address, or a vehicle plate."""
    row = CaseSubject(case=case, role=role)
    if isinstance(subject, str):
        row.vehicle_plate = intake.normalise_plate(subject)
        return row
    for model, attr in ((Person, "person"), (Company, "company"), (Address, "address")):
        if isinstance(subject, model):
            if not model.objects.visible_to(access).filter(pk=subject.pk).exists():
                raise ValidationError({"subjects": "Onbekend subject."})
            setattr(row, attr, subject)
            return row
    raise ValidationError({"subjects": "Een subject is een persoon, bedrijf, adres of kenteken."})


def _add_subjects(case: Case, rows: list[CaseSubject]) -> list[CaseSubject]:
    """Store the rows the case does not hold yet; returns the new ones."""
    known = {s.key for s in case.subjects.all()}
    new = []
    for row in rows:
        if row.key not in known:
            known.add(row.key)
            new.append(row)
    for row in new:
        row.full_clean(exclude=["case"])
    return CaseSubject.objects.bulk_create(new)


def _mention_rows(case: Case, signal: Signal) -> list[CaseSubject]:
    """The subjects a signal mentions, and its location, as rows of the case."""
    rows = []
    if signal.address_id:
        rows.append(CaseSubject(case=case, address_id=signal.address_id, role=CaseSubject.Role.LOCATION))
    rows += [
        CaseSubject(case=case, person_id=m.person_id, company_id=m.company_id, address_id=m.address_id,
                    vehicle_plate=m.vehicle_plate)
        for m in signal.mentions.all()
    ]
    return rows


def _attach_signal(access: Access, case: Case, signal: Signal, *, note: str, request, at) -> None:
    CaseSignal.objects.create(case=case, signal=signal, linked_by_id=access.user_id, linked_at=at)
    if signal.status != Signal.Status.IN_CASE:
        text = f"Opgenomen in casus {case.reference}" + (f": {note.strip()}" if note.strip() else "")
        intake.set_status(access, signal, Signal.Status.IN_CASE, note=text, request=request, at=at)
    _add_subjects(case, _mention_rows(case, signal))
    record_event(case, CaseEvent.Kind.SIGNAL, f"Signaal {signal.reference} gekoppeld", at=at, by_id=access.user_id, source="casus")


@transaction.atomic
def open_case(
    access: Access,
    *,
    title: str,
    signals=(),
    subjects=(),
    themes=(),
    target_type: str = Case.TargetType.PERSON,
    case_type: str = Case.CaseType.INTEGRAL,
    summary: str = "",
    next_discussion_on: date | None = None,
    request=None,
    note: str = "",
    confidentiality: int | None = None,
    coordinator: User | None = None,
    at=None,
) -> Case:
    """Open a case for the caller's organisation.

    The signals (visible, own, triaged) go to status 'in casus'; the persons, companies,
    addresses and vehicles they mention become the case's subjects and their themes its themes.
    A case is at least as confidential as its most confidential signal.
    """
    if access.organisation_id is None and not access.system:
        raise PermissionDenied("Alleen een medewerker van een organisatie kan een casus openen.")
    owner_id = access.organisation_id
    if access.system:  # the demo and imports act for the signals' owner
        owner_id = next((s.owner_id for s in signals if isinstance(s, Signal)), owner_id)
        if owner_id is None:
            raise ValidationError("Geef signalen mee om de eigenaar van de casus te bepalen.")
    now = at or timezone.now()
    case = Case(
        owner_id=owner_id, title=(title or "").strip(), summary=(summary or "").strip(), target_type=target_type,
        case_type=case_type, next_discussion_on=next_discussion_on, opened_at=now, coordinator=coordinator,
    )
    _require_editor(access, case)
    if not case.title:
        raise ValidationError({"title": "Geef de casus een titel."})
    linked = _signals(access, owner_id, signals)
    wanted_themes = _themes(owner_id, themes)
    level = max([confidentiality or Confidentiality.ZAAKVERTROUWELIJK, *(s.confidentiality for s in linked)])
    if level > access.clearance:
        raise ValidationError({"confidentiality": "U kunt geen casus vastleggen boven uw eigen rubricering."})
    case.confidentiality = level
    _check_coordinator(case, coordinator)
    case.reference = _next_reference(owner_id, timezone.localtime(now).year)
    case.full_clean(exclude=["owner", "coordinator"])
    case.save()
    subject_rows = [_subject_row(access, case, s) for s in subjects]
    record_event(case, CaseEvent.Kind.OPENED, f"Casus geopend: {case.title}" + (f" ({note.strip()})" if note.strip() else ""),
                 at=now, by_id=access.user_id, source="casus")
    themes_all = list(wanted_themes)
    for signal in linked:
        _attach_signal(access, case, signal, note=note, request=request, at=now)
        themes_all += list(signal.themes.all())
    if themes_all:
        case.themes.add(*themes_all)
    _add_subjects(case, subject_rows)
    _assign(access.user_id, case)
    _assign(case.coordinator_id, case)
    record(
        AuditEntry.Action.CREATE, obj=case, access=access, request=request,
        detail={"signals": [s.pk for s in linked], "subjects": case.subjects.count()},
    )
    return case


def _check_coordinator(case: Case, coordinator) -> None:
    if coordinator is not None and coordinator.organisation_id != case.owner_id:
        raise ValidationError({"coordinator": "De regisseur werkt bij de organisatie die de casus heeft."})


@transaction.atomic
def link_signal(access: Access, case: Case, signal: Signal, *, request=None, note: str = "", at=None) -> None:
    """Add a signal to a case: its subjects and themes join; the case takes its level if higher."""
    _require_editor(access, case)
    _require_open(case, "een signaal koppelen")
    (signal,) = _signals(access, case.owner_id, [signal])
    if case.signal_links.filter(signal=signal).exists():
        raise ValidationError({"signals": f"Signaal {signal.reference} hoort al bij deze casus."})
    now = at or timezone.now()
    _attach_signal(access, case, signal, note=note, request=request, at=now)
    case.themes.add(*signal.themes.all())
    if signal.confidentiality > case.confidentiality:
        case.confidentiality = signal.confidentiality
        case.save(update_fields=["confidentiality", "updated_at"])
    record(AuditEntry.Action.UPDATE, obj=case, access=access, request=request, detail={"signal": signal.pk})


@transaction.atomic
def add_subject(access: Access, case: Case, subject, *, role: str = CaseSubject.Role.SUBJECT, request=None) -> CaseSubject:
    """Add a visible person, company or address, or a vehicle plate, to the case."""
    _require_editor(access, case)
    _require_open(case, "een subject toevoegen")
    if role not in CaseSubject.Role.values:
        raise ValidationError({"role": "Kies een geldige rol."})
    row = _subject_row(access, case, subject, role)
    if not _add_subjects(case, [row]):
        raise ValidationError({"subjects": "Dit subject hoort al bij deze casus."})
    label = row.vehicle_plate and f"kenteken {row.vehicle_plate}" or {
        "person": "een persoon", "company": "een bedrijf", "address": "een adres"
    }[next(a for a in ("person", "company", "address") if getattr(row, f"{a}_id"))]
    record_event(case, CaseEvent.Kind.SUBJECT, f"Subject toegevoegd: {label} ({row.get_role_display()})",
                 by_id=access.user_id, source="casus")
    record(AuditEntry.Action.UPDATE, obj=case, access=access, request=request, detail={"subject": list(row.key)})
    return row


@transaction.atomic
def update_case(access: Access, case: Case, *, request=None, themes=None, **fields) -> Case:
    """Change the case's details (not its phase or escalation: see set_phase, set_escalation)."""
    _require_editor(access, case)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"update_case() does not change {sorted(unknown)}")
    changed = []
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed.append(name)
    if "confidentiality" in changed:
        highest = max((link.signal.confidentiality for link in case.signal_links.select_related("signal")), default=0)
        if case.confidentiality < highest:
            raise ValidationError({"confidentiality": "Een casus is minstens zo vertrouwelijk als haar signalen."})
        if case.confidentiality > access.clearance:
            raise ValidationError({"confidentiality": "U kunt geen casus vastleggen boven uw eigen rubricering."})
    _check_coordinator(case, case.coordinator)
    if themes is not None:
        wanted = set(_themes(case.owner_id, themes))
        if wanted != set(case.themes.all()):
            case.themes.set(wanted)
            changed.append("themes")
    if not changed:
        raise ValidationError("Er is niets gewijzigd.")
    case.full_clean(exclude=["owner", "coordinator"])
    case.save()
    if "coordinator" in changed:
        _assign(case.coordinator_id, case)
    labels = [Case._meta.get_field(name).verbose_name for name in changed]
    record_event(case, CaseEvent.Kind.CHANGED, "Gewijzigd: " + ", ".join(labels), by_id=access.user_id, source="casus")
    record(AuditEntry.Action.UPDATE, obj=case, access=access, request=request, detail={"fields": sorted(changed)})
    return case


def _closed_reason(reason: str, note: str) -> tuple[str, str]:
    """A reason code or its label ('voortijdig wegens capaciteit'); other text counts as 'anders'."""
    reason, note = (reason or "").strip(), (note or "").strip()
    if not reason:
        raise ValidationError({"reason": "Geef een reden om de casus af te sluiten."})
    by_label = {label.lower(): value for value, label in Case.ClosedReason.choices}
    code = reason if reason in Case.ClosedReason.values else by_label.get(reason.lower())
    if code is None:
        code, note = Case.ClosedReason.OTHER, (f"{reason}. {note}" if note else reason)
    if code == Case.ClosedReason.OTHER and len(note) < 5:
        raise ValidationError({"note": "Licht de reden ‘anders’ toe."})
    return code, note[:500]


@transaction.atomic
def set_phase(access: Access, case: Case, phase: str, *, reason: str = "", note: str = "", request=None, at=None) -> Case:
    """Move an open case to another phase. Closing needs a reason (e.g. 'voortijdig wegens
    capaciteit'); a closed case comes back only through :func:`reopen`."""
    _require_editor(access, case)
    if phase not in Case.Phase.values:
        raise ValidationError({"phase": "Kies een geldige fase."})
    if case.is_closed:
        raise ValidationError({"phase": "Een afgesloten casus kan alleen expliciet worden heropend."})
    if phase == case.phase:
        raise ValidationError({"phase": f"De casus is al in de fase {case.get_phase_display()}."})
    now = at or timezone.now()
    old = case.get_phase_display()
    text = f"Fase: {old} → {Case.Phase(phase).label}"
    if phase == Case.Phase.CLOSED:
        case.closed_reason, case.closed_note = _closed_reason(reason, note)
        case.closed_at = now
        text += f" ({case.get_closed_reason_display()}{': ' + case.closed_note if case.closed_note else ''})"
        still_open = case.interventions.filter(status__in=["gepland", "in_uitvoering"]).count()
        if still_open:
            text += f"; {still_open} interventie{'s' if still_open != 1 else ''} nog open"
    elif note.strip():
        text += f": {note.strip()}"
    case.phase = phase
    case.save(update_fields=["phase", "closed_reason", "closed_note", "closed_at", "updated_at"])
    record_event(case, CaseEvent.Kind.PHASE, text, at=now, by_id=access.user_id, source="fase")
    record(AuditEntry.Action.UPDATE, obj=case, access=access, request=request,
           detail={"phase": phase, "reason": case.closed_reason})
    return case


@transaction.atomic
def reopen(access: Access, case: Case, *, reason: str, phase: str = Case.Phase.ANALYSIS, request=None, at=None) -> Case:
    """Explicitly reopen a closed case, with a reason, into an open phase."""
    _require_editor(access, case)
    if not case.is_closed:
        raise ValidationError({"phase": "Deze casus is niet afgesloten."})
    if phase not in OPEN_PHASES:
        raise ValidationError({"phase": "Kies de fase waarin de casus verdergaat."})
    if len((reason or "").strip()) < 5:
        raise ValidationError({"reason": "Geef een reden om de casus te heropenen."})
    now = at or timezone.now()
    case.phase, case.closed_at, case.closed_reason, case.closed_note = phase, None, "", ""
    case.save(update_fields=["phase", "closed_reason", "closed_note", "closed_at", "updated_at"])
    record_event(case, CaseEvent.Kind.PHASE, f"Heropend in de fase {case.get_phase_display()}: {reason.strip()}",
                 at=now, by_id=access.user_id, source="fase")
    record(AuditEntry.Action.UPDATE, obj=case, access=access, request=request, detail={"phase": phase, "reopened": True})
    return case


@transaction.atomic
def set_escalation(access: Access, case: Case, level: str, *, note: str = "", request=None, at=None) -> Case:
    """Escalate to (or back from) the DTO or the RIEC; one timeline line and one audit row."""
    _require_editor(access, case)
    if level not in Case.Escalation.values:
        raise ValidationError({"escalation_level": "Kies lokaal, DTO of RIEC."})
    _require_open(case, "opschalen")
    if level == case.escalation_level:
        raise ValidationError({"escalation_level": f"De casus ligt al op het niveau {case.get_escalation_level_display()}."})
    old = case.get_escalation_level_display()
    case.escalation_level = level
    case.save(update_fields=["escalation_level", "updated_at"])
    text = f"Opschaling: {old} → {case.get_escalation_level_display()}" + (f": {note.strip()}" if note.strip() else "")
    record_event(case, CaseEvent.Kind.ESCALATION, text, at=at, by_id=access.user_id, source="opschaling")
    record(AuditEntry.Action.UPDATE, obj=case, access=access, request=request, detail={"escalation_level": level})
    return case


@transaction.atomic
def share_case(access: Access, case: Case, organisation: Organisation, *, basis: str, request=None, at=None) -> Share:
    """Let a partner organisation see the case (and so its interventiematrix), with a legal basis."""
    _require_editor(access, case)
    basis = (basis or "").strip()
    if len(basis) < 5:
        raise ValidationError({"basis": "Noem de grondslag (convenant en artikel) voor het delen."})
    if organisation is None or not organisation.active or organisation.pk == case.owner_id:
        raise ValidationError({"organisation": "Kies een andere, actieve organisatie."})
    now = at or timezone.now()
    ct = ContentType.objects.get_for_model(Case)
    if Share.objects.filter(content_type=ct, object_id=case.pk, organisation=organisation, valid_from__lte=now).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=now)
    ).exists():
        raise ValidationError({"organisation": f"De casus is al gedeeld met {organisation.name}."})
    share = Share.objects.create(content_type=ct, object_id=case.pk, organisation=organisation, basis=basis[:300],
                                 granted_by_id=access.user_id, valid_from=now)
    record_event(case, CaseEvent.Kind.SHARED, f"Gedeeld met {organisation.name} ({basis[:200]})",
                 at=now, by_id=access.user_id, source="casus")
    record(AuditEntry.Action.UPDATE, obj=case, access=access, request=request,
           detail={"shared_with": organisation.pk, "basis": basis[:300]})
    return share


def shared_with(case: Case) -> list[Share]:
    """The organisations the case is shared with now."""
    now = timezone.now()
    return list(
        Share.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_id=case.pk, valid_from__lte=now)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .select_related("organisation")
    )


def due_for_discussion(access: Access, on: date | None = None):
    """Open cases the caller may see that are due in the overleg on or before ``on`` (today)."""
    on = on or timezone.localdate()
    return (
        Case.objects.visible_to(access)
        .exclude(phase=Case.Phase.CLOSED)
        .filter(next_discussion_on__lte=on)
        .order_by("next_discussion_on", "reference")
    )


def lead_time_days(case: Case) -> int | None:
    """Days from the earliest linked signal to the first started intervention of this case."""
    first_signal = case.signal_links.order_by("signal__received_at").values_list("signal__received_at", flat=True).first()
    first_start = case.interventions.filter(started_on__isnull=False).order_by("started_on").values_list("started_on", flat=True).first()
    if first_signal is None or first_start is None:
        return None
    return (first_start - timezone.localtime(first_signal).date()).days
