"""Writes of the controls room: the year plan, the control file and its status.

Every write takes the caller's :class:`Access`, validates (Dutch messages), writes and audits in
one transaction. The field work (addresses, draws, visits, findings and their follow-up) lives in
:mod:`.fieldwork` and is re-exported here.

Status: gepland → bevestigd (only with explicit goals) → uitgevoerd; gepland or bevestigd →
geannuleerd (with a reason, e.g. "geen capaciteit Arbeidsinspectie", seed 000 §3.5: "Controls
often do not go ahead because partners cannot supply people").
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from regie.accounts.models import Assignment
from regie.accounts.roles import MEETINGS
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.meetings import services as meetings
from regie.meetings.models import Action, Forum
from regie.organisations.access import Access, organisation_access
from regie.organisations.confidentiality import Confidentiality
from regie.organisations.models import Organisation, Share
from regie.organisations.sequences import next_number

from .fieldwork import (  # noqa: F401 - part of this module's interface
    add_address,
    address_candidates,
    draw_addresses,
    finding_to_action,
    finding_to_measure,
    finding_to_signal,
    mark_visited,
    record_finding,
)
from .models import (
    DEFAULT_TARGET,
    Control,
    ControlNote,
    ControlSequence,
    Participant,
    PartnerRequest,
    YearPlan,
)
from .permissions import PLANNERS, may_lead, may_plan

Status = Control.Status
EDITABLE = ("planned_on", "kind", "title", "goals", "area", "requesting_forum", "lead", "confidentiality")


def _owner_id(access: Access) -> int:
    if access.organisation_id is None:
        raise PermissionDenied("Alleen een medewerker van een gemeente kan integrale controles plannen.")
    return access.organisation_id


def _require_planner(access: Access, control: Control) -> None:
    if not may_plan(access, control):
        raise PermissionDenied("Alleen de regie van de gemeente die de controle heeft, mag haar voorbereiden.")


def _locked(access: Access, control: Control) -> Control:
    current = Control.objects.visible_to(access).select_for_update().filter(pk=control.pk).first()
    if current is None:
        raise PermissionDenied("U mag deze controle niet zien, en dus ook niet wijzigen.")
    return current


def _assign(user_id, obj) -> None:
    if user_id is not None:
        Assignment.objects.get_or_create(user_id=user_id, content_type=ContentType.objects.get_for_model(type(obj)),
                                         object_id=obj.pk)


# --- the year plan ------------------------------------------------------------------------------

def plan_for(access: Access, year: int) -> YearPlan | None:
    return YearPlan.objects.visible_to(access).filter(owner_id=access.organisation_id, year=year).first()


@transaction.atomic
def save_plan(access: Access, year: int, *, target: int | None = None, note: str = "", request=None) -> YearPlan:
    """Make (or change) the municipality's year plan; the target defaults to twelve (seed 000
    §3.5: "iedere maand een integrale ondermijningscontrole")."""
    owner_id = _owner_id(access)
    if access.role not in PLANNERS and not access.system:
        raise PermissionDenied("Alleen de regie stelt het jaarplan vast.")
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"year": "Geef een jaartal, bijvoorbeeld 2026."}) from exc
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "Geef een jaartal tussen 2000 en 2100."})
    target = DEFAULT_TARGET if target in (None, "") else target
    try:
        target = int(target)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"target": "Geef het streefaantal als getal."}) from exc
    if not 1 <= target <= 366:
        raise ValidationError({"target": "Het streefaantal ligt tussen 1 en 366."})
    plan = plan_for(access, year)
    created = plan is None
    if created:
        plan = YearPlan(owner_id=owner_id, year=year, confidentiality=Confidentiality.INTERN)
    plan.target, plan.note = target, (note or "").strip()
    plan.full_clean(exclude=["owner"], validate_constraints=False)
    plan.save()
    record(AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE, obj=plan, access=access, request=request,
           detail={"year": year, "target": target})
    return plan


def realisation(access: Access, plan: YearPlan, today: date | None = None) -> dict:
    """Where the plan stands: target, dates reserved, confirmed, executed, cancelled, still open,
    and the executed share of the target; "on_track" compares with the months gone by."""
    today = today or timezone.localdate()
    controls = Control.objects.visible_to(access).filter(plan=plan)
    counts = {status: 0 for status in Status.values}
    for status in controls.values_list("status", flat=True):
        counts[status] += 1
    executed = counts[Status.EXECUTED]
    if plan.year < today.year:
        due = plan.target
    elif plan.year > today.year:
        due = 0
    else:
        due = plan.target * (today.month - 1) // 12
    return {
        "target": plan.target,
        "reserved": sum(counts.values()),
        "planned": counts[Status.PLANNED],
        "confirmed": counts[Status.CONFIRMED],
        "executed": executed,
        "cancelled": counts[Status.CANCELLED],
        "open": counts[Status.PLANNED] + counts[Status.CONFIRMED],
        "unreserved": max(plan.target - sum(counts.values()) + counts[Status.CANCELLED], 0),
        "percentage": round(100 * executed / plan.target) if plan.target else 0,
        "due": due,
        "on_track": executed >= due,
    }


# --- the control file ---------------------------------------------------------------------------

def _forum(access: Access, value, owner_id: int):
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    forum = Forum.objects.visible_to(access).filter(pk=pk, owner_id=owner_id).first() if str(pk).isdigit() else None
    if forum is None:
        raise ValidationError({"requesting_forum": "Onbekend overleg (of u mag het niet zien)."})
    return forum


def _lead(value, owner_id: int):
    from regie.accounts.models import User

    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    user = User.objects.filter(pk=pk, organisation_id=owner_id, is_active=True).first() if str(pk).isdigit() else None
    if user is None:
        raise ValidationError({"lead": "Kies een medewerker van de eigen gemeente."})
    return user


def _set_fields(access: Access, control: Control, fields: dict) -> list[str]:
    changed = []
    for name, value in fields.items():
        if name == "requesting_forum":
            value = _forum(access, value, control.owner_id)
        elif name == "lead":
            value = _lead(value, control.owner_id)
        elif name == "confidentiality":
            value = int(value or Confidentiality.ZAAKVERTROUWELIJK)
        elif isinstance(value, str):
            value = value.strip()
        if name in ("requesting_forum", "lead"):
            if getattr(control, f"{name}_id") != (value.pk if value is not None else None):
                setattr(control, name, value)
                changed.append(name)
        elif getattr(control, name) != value:
            setattr(control, name, value)
            changed.append(name)
    return changed


def _check(access: Access, control: Control) -> None:
    if not control.title:
        raise ValidationError({"title": "Geef de controle een korte titel, bijvoorbeeld het gebied of de branche."})
    if control.kind not in Control.Kind.values:
        raise ValidationError({"kind": "Kies het soort controle."})
    if control.confidentiality > access.clearance and not access.system:
        raise ValidationError({"confidentiality": "U kunt geen controle vastleggen boven uw eigen rubricering."})


@transaction.atomic
def plan_control(access: Access, *, planned_on: date, kind: str, title: str, request=None, **fields) -> Control:
    """Reserve a date in the year plan of ``planned_on``'s year (made with the default target
    when the municipality has none yet) for a control of ``kind``."""
    owner_id = _owner_id(access)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"plan_control() got unknown fields {sorted(unknown)}")
    if not isinstance(planned_on, date):
        raise ValidationError({"planned_on": "Geef de datum van de controle."})
    control = Control(owner_id=owner_id, created_by_id=access.user_id, status=Status.PLANNED)
    _require_planner(access, control)
    plan = plan_for(access, planned_on.year) or save_plan(access, planned_on.year, request=request)
    control.plan = plan
    _set_fields(access, control, {"planned_on": planned_on, "kind": kind or "", "title": title or "", **fields})
    _check(access, control)
    control.reference = f"CTL-{planned_on.year}-{next_number(ControlSequence, owner_id, planned_on.year):04d}"
    control.full_clean(exclude=["owner", "plan", "requesting_forum", "lead", "created_by", "cancel_partner", "result_action"],
                       validate_constraints=False)
    control.save()
    _assign(access.user_id, control)
    _assign(control.lead_id, control)  # who leads on location works on it
    record(AuditEntry.Action.CREATE, obj=control, access=access, request=request,
           detail={"kind": control.kind, "planned_on": planned_on.isoformat(), "plan": plan.year})
    return control


@transaction.atomic
def update_control(access: Access, control: Control, *, request=None, **fields) -> Control:
    _require_planner(access, control)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"update_control() does not change {sorted(unknown)}")
    control = _locked(access, control)
    if not control.is_open:
        raise ValidationError("Deze controle is uitgevoerd of geannuleerd; het dossier ligt vast.")
    changed = _set_fields(access, control, fields)
    if not changed:
        raise ValidationError("Er is niets gewijzigd.")
    if "planned_on" in changed and control.planned_on.year != control.plan.year:
        raise ValidationError({"planned_on": f"De datum hoort in het jaarplan {control.plan.year}; plan anders een nieuwe controle."})
    if control.status == Status.CONFIRMED and not control.goal_list:
        raise ValidationError({"goals": "Een bevestigde controle houdt haar doelen: vul ze in."})
    _check(access, control)
    control.full_clean(exclude=["owner", "plan", "requesting_forum", "lead", "created_by", "cancel_partner", "result_action"],
                       validate_constraints=False)
    control.save()
    if "lead" in changed:
        _assign(control.lead_id, control)
    record(AuditEntry.Action.UPDATE, obj=control, access=access, request=request, detail={"fields": sorted(changed)})
    return control


@transaction.atomic
def confirm(access: Access, control: Control, *, request=None, at=None) -> Control:
    """The date goes ahead. Refused without explicit goals (seed 000 §3.5: "Goals, roles, tasks
    and responsibilities are not always made explicit beforehand")."""
    _require_planner(access, control)
    control = _locked(access, control)
    if control.status != Status.PLANNED:
        raise ValidationError(f"Alleen een geplande controle kan worden bevestigd; deze is {control.get_status_display()}.")
    if not control.goal_list:
        raise ValidationError({"goals": "Een controle kan pas worden bevestigd als haar doelen zijn vastgelegd."})
    control.status, control.confirmed_at = Status.CONFIRMED, at or timezone.now()
    control.save(update_fields=["status", "confirmed_at", "updated_at"])
    record(AuditEntry.Action.UPDATE, obj=control, access=access, request=request, detail={"status": Status.CONFIRMED})
    return control


@transaction.atomic
def cancel(access: Access, control: Control, *, kind: str, reason: str, partner=None, request=None, at=None) -> Control:
    """The date does not go ahead, with the kind of reason and the reason itself."""
    _require_planner(access, control)
    control = _locked(access, control)
    if not control.is_open:
        raise ValidationError(f"Deze controle is al {control.get_status_display()}.")
    errors = {}
    if kind not in Control.CancelKind.values:
        errors["cancel_kind"] = "Kies waarom de controle niet doorgaat."
    if len((reason or "").strip()) < 5:
        errors["cancel_reason"] = "Geef een reden (minimaal 5 tekens), bijvoorbeeld ‘geen capaciteit Arbeidsinspectie’."
    org = None
    if partner not in (None, ""):
        org = Organisation.objects.filter(pk=getattr(partner, "pk", partner)).first() if str(getattr(partner, "pk", partner)).isdigit() else None
        if org is None:
            errors["cancel_partner"] = "Onbekende partner."
    if kind == Control.CancelKind.CAPACITY and org is None and "cancel_partner" not in errors:
        errors["cancel_partner"] = "Welke partner kon geen mensen leveren?"
    if errors:
        raise ValidationError(errors)
    control.status, control.cancelled_at = Status.CANCELLED, at or timezone.now()
    control.cancel_kind, control.cancel_reason, control.cancel_partner = kind, reason.strip()[:300], org
    control.save(update_fields=["status", "cancelled_at", "cancel_kind", "cancel_reason", "cancel_partner", "updated_at"])
    record(AuditEntry.Action.UPDATE, obj=control, access=access, request=request,
           detail={"status": Status.CANCELLED, "kind": kind, "partner": org.pk if org else None})
    return control


def summary_of(control: Control) -> str:
    """The result in one paragraph: addresses visited, findings per kind, their follow-up."""
    from collections import Counter

    addresses = list(control.addresses.all())
    findings = list(control.findings.all())
    kinds = Counter(f.get_kind_display() for f in findings)
    text = f"{sum(1 for a in addresses if a.visited)} van {len(addresses)} adressen bezocht; {len(findings)} bevinding"
    text += "" if len(findings) == 1 else "en"
    if kinds:
        text += " (" + ", ".join(f"{n}× {k}" for k, n in kinds.most_common()) + ")"
    signals = sum(1 for f in findings if f.signal_id)
    measures = sum(1 for f in findings if f.measure_id)
    actions = sum(1 for f in findings if f.action_id)
    text += f". Vervolg: {signals} nieuw{'' if signals == 1 else 'e'} signa{'al' if signals == 1 else 'len'}, "
    text += f"{measures} maatregel{'' if measures == 1 else 'en'}, {actions} actie{'' if actions == 1 else 's'} voor partners."
    return text


def _report_to_forum(access: Access, control: Control, at) -> Action | None:
    """Seed 000 §3.6: "Feedback to the LOO (findings and next steps) is lacking". The result goes
    back to the forum that asked for the control as a completed follow-up of that forum, which
    the meetings room puts on the forum's next agenda as a terugkoppeling."""
    if control.requesting_forum_id is None:
        return None
    # the boa who records the execution need not know the meetings: read the forum as the municipality
    owner = Organisation.objects.get(pk=control.owner_id)
    forum = Forum.objects.visible_to(organisation_access(owner, "integrale controle", frozenset({MEETINGS}))).filter(
        pk=control.requesting_forum_id).first()
    if forum is None:
        return None
    return meetings.create_action(
        access, forum=forum, description=f"Integrale controle {control.reference} ({control.get_kind_display()}, {control.title})",
        owner_organisation=owner, owner_user_id=access.user_id, due_on=control.executed_on, confidentiality=control.confidentiality,
        status=Action.Status.DONE, done_at=at, result=summary_of(control), created_at=at,
        detail={"control": control.pk, "feedback": True},
    )


@transaction.atomic
def execute(access: Access, control: Control, *, on: date | None = None, request=None, at=None) -> Control:
    """The control was held on ``on`` (today by default); its result goes to the requesting forum."""
    if not may_lead(access, control):
        raise PermissionDenied("Alleen de regie of de boa van de gemeente legt vast dat de controle is uitgevoerd.")
    control = _locked(access, control)
    now = at or timezone.now()
    on = on or timezone.localdate(now)
    if control.status != Status.CONFIRMED:
        raise ValidationError(f"Alleen een bevestigde controle kan worden uitgevoerd; deze is {control.get_status_display()}.")
    if on > timezone.localdate(now):
        raise ValidationError({"executed_on": "De uitvoeringsdatum ligt in de toekomst."})
    control.status, control.executed_on = Status.EXECUTED, on
    action = _report_to_forum(access, control, now)
    control.result_action = action
    control.save(update_fields=["status", "executed_on", "result_action", "updated_at"])
    record(AuditEntry.Action.UPDATE, obj=control, access=access, request=request,
           detail={"status": Status.EXECUTED, "on": on.isoformat(), "feedback_action": action.pk if action else None})
    return control


# --- partners and participants ------------------------------------------------------------------

def _organisation(value, field: str) -> Organisation:
    pk = getattr(value, "pk", value)
    org = Organisation.objects.filter(pk=pk).first() if pk not in (None, "") and str(pk).isdigit() else None
    if org is None:
        raise ValidationError({field: "Kies een partner."})
    return org


def _people(value, field: str, minimum: int = 1) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError({field: "Geef een aantal mensen."}) from exc
    if not minimum <= n <= 200:
        raise ValidationError({field: f"Geef een aantal tussen {minimum} en 200."})
    return n


@transaction.atomic
def ask_partner(access: Access, control: Control, organisation, *, people: int = 1, note: str = "", request=None) -> PartnerRequest:
    """Ask a partner for people on the control's date (once per partner)."""
    _require_planner(access, control)
    control = _locked(access, control)
    if not control.is_open:
        raise ValidationError("Deze controle is uitgevoerd of geannuleerd.")
    org = _organisation(organisation, "organisation")
    if control.requests.filter(organisation=org).exists():
        raise ValidationError({"organisation": f"{org.name} is al gevraagd voor deze controle."})
    row = PartnerRequest(control=control, organisation=org, people_asked=_people(people, "people_asked"), note=(note or "").strip())
    row.full_clean(exclude=["control", "organisation"])
    row.save()
    record(AuditEntry.Action.UPDATE, obj=control, access=access, request=request,
           detail={"partner_asked": org.pk, "people": row.people_asked})
    return row


@transaction.atomic
def answer_partner(access: Access, control: Control, row: PartnerRequest, *, answer: str, people: int | None = None,
                   note: str = "", request=None) -> PartnerRequest:
    """Record the partner's answer: promised (with the number of people) or declined."""
    _require_planner(access, control)
    control = _locked(access, control)
    if row.control_id != control.pk:
        raise ValidationError("Dit verzoek hoort niet bij deze controle.")
    if answer not in (PartnerRequest.Answer.PROMISED, PartnerRequest.Answer.DECLINED):
        raise ValidationError({"answer": "Kies toegezegd of afgezegd."})
    row.answer, row.answered_at = answer, timezone.now()
    row.people_promised = _people(people, "people_promised") if answer == PartnerRequest.Answer.PROMISED else 0
    if note:
        row.note = note.strip()[:300]
    row.save()
    record(AuditEntry.Action.UPDATE, obj=control, access=access, request=request,
           detail={"partner_answer": row.organisation_id, "answer": answer, "people": row.people_promised})
    return row


@transaction.atomic
def add_participant(access: Access, control: Control, *, organisation, role: str, name: str = "", powers: str = "",
                    people: int = 1, request=None) -> Participant:
    """A participant of a partner, always with a role (and the powers he brings)."""
    _require_planner(access, control)
    control = _locked(access, control)
    if not control.is_open:
        raise ValidationError("Deze controle is uitgevoerd of geannuleerd.")
    errors = {}
    try:
        org = _organisation(organisation, "organisation")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        org = None
    if not (role or "").strip():
        errors["role"] = "Geef de rol van deze deelnemer, bijvoorbeeld ‘sterke arm’ of ‘toezicht arbeidsmarkt’."
    if errors:
        raise ValidationError(errors)
    participant = Participant(control=control, organisation=org, role=role.strip(), name=(name or "").strip(),
                              powers=(powers or "").strip(), people=_people(people, "people"))
    participant.full_clean(exclude=["control", "organisation"])
    participant.save()
    record(AuditEntry.Action.UPDATE, obj=control, access=access, request=request,
           detail={"participant": participant.pk, "organisation": org.pk, "role": participant.role})
    return participant


# --- confidential notes -------------------------------------------------------------------------

@transaction.atomic
def add_note(access: Access, control: Control, *, kind: str, text: str, confidentiality: int | None = None,
             request=None) -> ControlNote:
    """Write the draaiboek, a briefing or the debriefing, at least as confidential as the control."""
    if not may_lead(access, control):
        raise PermissionDenied("Alleen de regie of de boa van de gemeente schrijft het draaiboek en de (de)briefing.")
    control = _locked(access, control)
    if kind not in ControlNote.Kind.values:
        raise ValidationError({"kind": "Kies draaiboek, briefing of debriefing."})
    if len((text or "").strip()) < 5:
        raise ValidationError({"text": "Schrijf de tekst (minimaal 5 tekens)."})
    level = int(confidentiality or max(ControlNote.DEFAULT_LEVEL, control.confidentiality))
    if level < control.confidentiality:
        raise ValidationError({"confidentiality": "Een draaiboek of briefing is minstens zo vertrouwelijk als de controle."})
    if level > access.clearance and not access.system:
        raise ValidationError({"confidentiality": "U kunt geen tekst vastleggen boven uw eigen rubricering."})
    note = ControlNote(owner_id=control.owner_id, confidentiality=level, control=control, kind=kind, text=text.strip(),
                       written_by_id=access.user_id)
    note.full_clean(exclude=["owner", "control", "written_by"])
    note.save()
    record(AuditEntry.Action.CREATE, obj=note, access=access, request=request, detail={"control": control.pk, "kind": kind})
    return note


def read_notes(access: Access, control: Control, *, request=None) -> list[ControlNote]:
    """The notes the caller may read (scoped: clearance and shares); every read is logged."""
    notes = list(ControlNote.objects.visible_to(access).filter(control=control).order_by("kind", "created_at", "pk"))
    for note in notes:
        record(AuditEntry.Action.VIEW, obj=note, access=access, request=request, detail={"control": control.pk, "kind": note.kind})
    return notes


# --- sharing with a partner ---------------------------------------------------------------------

@transaction.atomic
def share_control(access: Access, control: Control, organisation, *, basis: str, with_briefing: bool = False,
                  request=None) -> Share:
    """Let a partner's inspectors see the control and work its field list (as cases: only what is
    shared explicitly, with its basis); optionally with the briefing and debriefing, never the draaiboek."""
    _require_planner(access, control)
    org = _organisation(organisation, "organisation")
    if org.pk == control.owner_id:
        raise ValidationError({"organisation": "De eigen gemeente ziet de controle al."})
    if len((basis or "").strip()) < 5:
        raise ValidationError({"basis": "Geef de grondslag, bijvoorbeeld het convenant en het artikel."})
    share, _ = Share.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(Control), object_id=control.pk, organisation=org,
        defaults={"basis": basis.strip()[:300], "granted_by_id": access.user_id},
    )
    shared_notes = []
    if with_briefing:
        ct = ContentType.objects.get_for_model(ControlNote)
        for note in ControlNote.objects.visible_to(access).filter(control=control).exclude(kind=ControlNote.Kind.RUNBOOK):
            Share.objects.get_or_create(content_type=ct, object_id=note.pk, organisation=org,
                                        defaults={"basis": basis.strip()[:300], "granted_by_id": access.user_id})
            shared_notes.append(note.pk)
    record(AuditEntry.Action.UPDATE, obj=control, access=access, request=request,
           detail={"shared_with": org.pk, "notes": shared_notes})
    return share


def upcoming(access: Access, *, days: int = 30, today: date | None = None):
    """Open controls in the next ``days`` days the caller may see (the start page)."""
    from datetime import timedelta

    today = today or timezone.localdate()
    return (Control.objects.visible_to(access).filter(status__in=(Status.PLANNED, Status.CONFIRMED),
                                                      planned_on__gte=today, planned_on__lte=today + timedelta(days=days))
            .order_by("planned_on", "pk"))
