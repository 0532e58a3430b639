"""Writes of the meetings room: forums, meetings, the agenda, decisions, actions.

Every function takes the caller's :class:`Access`, validates, writes and audits in one
transaction. The agenda is generated (:func:`generate_agenda`), shared with the partners at the
table under the sharing rules (:func:`share_agenda`), decided item by item (:func:`decide`) and
closed (:func:`close_meeting`), which postpones what was not discussed, explicitly.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.cases import services as cases
from regie.cases.interventions import add_intervention
from regie.intake import services as intake
from regie.intake.models import Signal, SignalEvent
from regie.accounts.models import Assignment
from regie.accounts.roles import MEETINGS, Role
from regie.organisations.access import Access, organisation_access
from regie.organisations.models import Organisation, Share
from regie.partners import flags, sharing

from . import prepare, trends
from .models import Action, AgendaItem, Decision, Forum, Meeting

#: the standard forums of seed 000 §5.4 and seed 001, installed for a new municipality
DEFAULT_FORUMS = [
    ("Lokaal overleg ondermijning", Forum.Kind.LOCAL, 14, True),
    ("Casusoverleg ondermijning", Forum.Kind.CASE, 28, False),
    ("Regiegroep ondermijning", Forum.Kind.STEERING, 42, False),
    ("Trendoverleg", Forum.Kind.TRENDS, 30, False),
    ("DTO district", Forum.Kind.DISTRICT, 28, False),
    ("RIEC-casusoverleg", Forum.Kind.RIEC, 28, False),
]
OPEN_MEETING = (Meeting.Status.DRAFT, Meeting.Status.PREPARED)
NOT_DISCUSSED = "Niet behandeld in het overleg; automatisch doorgeschoven."


def _owner_id(access: Access) -> int:
    if access.organisation_id is None:
        raise ValidationError("Alleen een gebruiker van een organisatie kan dit doen.")
    return access.organisation_id


# --- forums and meetings ------------------------------------------------------------------------

def install_default_forums(organisation) -> list[Forum]:
    """The standard forums for a municipality that has none of a kind yet."""
    installer = organisation_access(organisation, "installatie overlegvormen", frozenset({MEETINGS}))
    existing = set(Forum.objects.visible_to(installer).values_list("kind", flat=True))
    made = []
    for name, kind, days, trends_slot in DEFAULT_FORUMS:
        if kind not in existing:
            made.append(Forum.objects.create(owner=organisation, kind=kind, name=name, frequency_days=days,
                                             trends_slot=trends_slot, confidentiality=3))
    return made


@transaction.atomic
def save_forum(access: Access, forum: Forum, members=(), request=None) -> Forum:
    created = forum.pk is None
    forum.owner_id = forum.owner_id or _owner_id(access)
    forum.full_clean()
    forum.save()
    forum.members.set([m for m in members if m.pk != forum.owner_id])
    record(AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE, obj=forum, access=access, request=request)
    return forum


@transaction.atomic
def plan_meeting(access: Access, forum: Forum, starts_at, *, location: str = "", request=None) -> Meeting:
    if forum.is_escalation_target:
        raise ValidationError("Het DTO en het RIEC vergaderen in de regio; gebruik opschalen om iets aan te bieden.")
    meeting = Meeting(owner_id=forum.owner_id, forum=forum, starts_at=starts_at, location=location,
                      confidentiality=forum.confidentiality)
    meeting.full_clean()
    meeting.save()
    # who plans the meeting and who chairs it work on it: no purpose to state for their own meeting
    ct = ContentType.objects.get_for_model(Meeting)
    for user_id in {access.user_id, forum.chair_id} - {None}:
        Assignment.objects.get_or_create(user_id=user_id, content_type=ct, object_id=meeting.pk)
    record(AuditEntry.Action.CREATE, obj=meeting, access=access, request=request)
    return meeting


def previous_meeting(access: Access, meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.visible_to(access).filter(forum=meeting.forum, starts_at__lt=meeting.starts_at).order_by("-starts_at").first()
    )


def next_date(meeting: Meeting):
    return timezone.localtime(meeting.starts_at).date() + timedelta(days=meeting.forum.frequency_days)


# --- the agenda ---------------------------------------------------------------------------------

def _history(signal_id=None, case_id=None) -> list[str]:
    """Earlier decisions on the same signal or case, newest last: '12-03-2026 uitstellen: ...'."""
    cond = Q(item__signal_id=signal_id) if signal_id else Q(item__case_id=case_id)
    rows = Decision.objects.filter(cond).select_related("item__meeting__forum").order_by("decided_at")
    return [
        f"{timezone.localtime(d.decided_at):%d-%m-%Y} {d.item.meeting.forum.name}: {d.get_kind_display()}"
        + (f" ({d.reason})" if d.reason else "")
        for d in rows
    ]


def postponements(signal_id=None, case_id=None) -> int:
    cond = Q(item__signal_id=signal_id) if signal_id else Q(item__case_id=case_id)
    return Decision.objects.filter(cond, kind=Decision.Kind.POSTPONE).count()


def _last_decision_kinds(access: Access, field: str) -> dict[int, str]:
    """Per signal (or case) id of the caller's organisation: the kind of its most recent decision."""
    latest: dict[int, str] = {}
    rows = Decision.objects.filter(item__owner_id=access.organisation_id, **{f"item__{field}__isnull": False}).order_by(
        "decided_at", "pk")
    for target_id, kind in rows.values_list(f"item__{field}", "kind"):
        latest[target_id] = kind
    return latest


def _pending_elsewhere(access: Access, meeting: Meeting, field: str) -> set[int]:
    """Ids already on another open agenda without a decision: one agenda at a time."""
    return set(
        AgendaItem.objects.visible_to(access).filter(meeting__status__in=OPEN_MEETING, decisions__isnull=True, **{f"{field}__isnull": False})
        .exclude(meeting=meeting)
        .values_list(field, flat=True)
    )


def signal_candidates(access: Access, meeting: Meeting):
    """Triaged ondermijning signals, plus signals on an agenda whose last decision was to postpone."""
    postponed = [pk for pk, kind in _last_decision_kinds(access, "signal").items() if kind == Decision.Kind.POSTPONE]
    on_this = AgendaItem.objects.visible_to(access).filter(meeting=meeting, signal__isnull=False).values_list("signal_id", flat=True)
    return (
        Signal.objects.visible_to(access)
        .filter(Q(status=Signal.Status.TRIAGED, label=Signal.Label.SUBVERSIVE) | Q(status=Signal.Status.ON_AGENDA, pk__in=postponed))
        .exclude(pk__in=_pending_elsewhere(access, meeting, "signal"))
        .exclude(pk__in=list(on_this))
        .prefetch_related("themes", "mentions")
        .select_related("buurt__wijk")
    )


def _add(meeting: Meeting, kind: str, title: str, *, priority: int, waiting_since, snapshot: dict, confidentiality: int,
         signal=None, case=None, action=None, postponed: int = 0) -> AgendaItem:
    return AgendaItem.objects.create(
        owner_id=meeting.owner_id, confidentiality=confidentiality, meeting=meeting, kind=kind, title=title[:200],
        signal=signal, case=case, action=action, priority=priority, waiting_since=waiting_since,
        postponements=postponed, snapshot=snapshot,
    )


def _feedback_items(access: Access, meeting: Meeting) -> int:
    """Point 9: outcomes of earlier decisions return to the forum that took them."""
    from .models import Escalation

    added = 0
    on_agenda = set(AgendaItem.objects.visible_to(access).filter(meeting=meeting, kind=AgendaItem.Kind.FEEDBACK).values_list("snapshot__bron", flat=True))
    done = Action.objects.visible_to(access).filter(forum=meeting.forum, status=Action.Status.DONE, reported_at__isnull=True).select_related(
        "decision__item"
    )
    for action in done:
        source = f"actie:{action.pk}"
        if source in on_agenda:
            continue
        item = action.decision.item if action.decision_id else None
        _add(
            meeting, AgendaItem.Kind.FEEDBACK, f"Terugkoppeling: {action.description}", priority=prepare.PRIORITY["terugkoppeling"],
            waiting_since=action.done_at, confidentiality=item.confidentiality if item else meeting.confidentiality,
            signal=item.signal if item else None, case=item.case if item else None, action=action,
            snapshot={
                "titel": f"Terugkoppeling: {action.description}", "bron": source,
                "besluiten": [f"Gereed {timezone.localtime(action.done_at):%d-%m-%Y}: {action.result}"],
            },
        )
        added += 1
    answered = Escalation.objects.visible_to(access).filter(
        decision__item__meeting__forum=meeting.forum, answered_at__isnull=False, reported_at__isnull=True
    ).select_related("decision__item")
    for esc in answered:
        source = f"opschaling:{esc.pk}"
        if source in on_agenda:
            continue
        item = esc.decision.item
        _add(
            meeting, AgendaItem.Kind.FEEDBACK, f"Terugkoppeling {esc.get_target_display()}: {esc.title}",
            priority=prepare.PRIORITY["terugkoppeling"] + 1, waiting_since=esc.answered_at,
            confidentiality=item.confidentiality, signal=item.signal, case=item.case,
            snapshot={
                "titel": f"Terugkoppeling {esc.get_target_display()}: {esc.title}", "bron": source,
                "besluiten": [f"{esc.get_status_display()}: {esc.regional_decision}"],
            },
        )
        added += 1
    previous = previous_meeting(access, meeting)
    since = previous.starts_at if previous else meeting.starts_at - timedelta(days=meeting.forum.frequency_days)
    decided_cases = set(
        Decision.objects.filter(item__meeting__forum=meeting.forum).exclude(case=None).values_list("case_id", flat=True)
    ) | set(
        AgendaItem.objects.visible_to(access).filter(meeting__forum=meeting.forum, case__isnull=False).values_list("case_id", flat=True)
    )
    for case, intervention in cases.interventions_changed_since(access, since):
        source = f"interventie:{intervention.pk}:{intervention.status}"
        if case.pk not in decided_cases or source in on_agenda:
            continue
        text = f"{intervention.get_status_display()}" + (f": {intervention.result}" if intervention.result else "")
        _add(
            meeting, AgendaItem.Kind.FEEDBACK, f"Terugkoppeling casus {case.reference}: {intervention}",
            priority=prepare.PRIORITY["terugkoppeling"], waiting_since=since, confidentiality=case.confidentiality, case=case,
            snapshot={"titel": f"Terugkoppeling casus {case.reference}: {intervention}", "bron": source, "besluiten": [text]},
        )
        added += 1
    return added


def _signal_item(access: Access, meeting: Meeting, signal: Signal, request) -> AgendaItem:
    count = postponements(signal_id=signal.pk)
    item = _add(
        meeting, AgendaItem.Kind.SIGNAL, f"Signaal {signal.reference}", signal=signal,
        priority=prepare.signal_priority(signal, count), waiting_since=signal.received_at, postponed=count,
        confidentiality=signal.confidentiality,
        snapshot=prepare.signal_snapshot(access, signal, _history(signal_id=signal.pk)),
    )
    if signal.status == Signal.Status.TRIAGED:
        intake.set_status(access, signal, Signal.Status.ON_AGENDA, note=str(meeting), request=request)
    return item


@transaction.atomic
def add_signal(access: Access, meeting: Meeting, signal: Signal, *, request=None) -> AgendaItem:
    """Put one signal on an agenda by hand (it must be a candidate: triaged ondermijning or postponed)."""
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError("Dit overleg is al afgesloten.")
    if not signal_candidates(access, meeting).filter(pk=signal.pk).exists():
        raise ValidationError("Dit signaal kan niet op deze agenda: het is niet beoordeeld als ondermijning, "
                              "staat al op een andere agenda of is al besproken.")
    item = _signal_item(access, meeting, signal, request)
    renumber(access, meeting)
    record(AuditEntry.Action.UPDATE, obj=meeting, access=access, request=request, detail={"agenda_added_signal": signal.pk})
    return item


def _wants_trends(access: Access, meeting: Meeting) -> bool:
    if meeting.forum.kind == Forum.Kind.TRENDS:
        return True
    if not meeting.forum.trends_slot:
        return False
    start = timezone.localtime(meeting.starts_at)
    first_of_month = start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return not Meeting.objects.visible_to(access).filter(forum=meeting.forum, starts_at__gte=first_of_month, starts_at__lt=meeting.starts_at).exists()


@transaction.atomic
def generate_agenda(access: Access, meeting: Meeting, *, request=None) -> int:
    """Add every due item to a draft agenda, prepared, and number them by priority and age.

    Idempotent: what is already on this agenda is not added twice. Returns the number added.
    """
    if meeting.status != Meeting.Status.DRAFT:
        raise ValidationError("De agenda is al gedeeld; maak een nieuw overleg of voeg handmatig toe.")
    day = timezone.localtime(meeting.starts_at).date()
    added = 0
    if meeting.forum.kind == Forum.Kind.LOCAL:
        for signal in signal_candidates(access, meeting):
            _signal_item(access, meeting, signal, request)
            added += 1
    if meeting.forum.kind in (Forum.Kind.LOCAL, Forum.Kind.CASE):
        here = set(AgendaItem.objects.visible_to(access).filter(meeting=meeting, case__isnull=False).values_list("case_id", flat=True))
        busy = _pending_elsewhere(access, meeting, "case") | here
        for case in cases.due_for_discussion(access, on=day).exclude(pk__in=busy):
            count = postponements(case_id=case.pk)
            _add(
                meeting, AgendaItem.Kind.CASE, f"Casus {case.reference}: {case.title}", case=case,
                priority=prepare.PRIORITY["casus"] + min(count, 2), waiting_since=case.opened_at, postponed=count,
                confidentiality=case.confidentiality, snapshot=prepare.case_snapshot(access, case, _history(case_id=case.pk)),
            )
            added += 1
    # overdue actions of this forum return to it
    listed = set(AgendaItem.objects.visible_to(access).filter(meeting=meeting, kind=AgendaItem.Kind.ACTION).values_list("action_id", flat=True))
    for action in Action.objects.visible_to(access).filter(forum=meeting.forum, status=Action.Status.OPEN, due_on__lt=day).exclude(pk__in=listed):
        owner = action.owner_user.display_name if action.owner_user_id else (action.owner_organisation.name if action.owner_organisation_id else "")
        source_item = action.decision.item if action.decision_id else None
        _add(
            meeting, AgendaItem.Kind.ACTION, f"Actie over termijn: {action.description}", action=action,
            priority=prepare.PRIORITY["actie"], waiting_since=timezone.make_aware(
                timezone.datetime.combine(action.due_on, timezone.datetime.min.time())),
            confidentiality=source_item.confidentiality if source_item else meeting.confidentiality,
            signal=source_item.signal if source_item else None, case=source_item.case if source_item else None,
            snapshot={"titel": f"Actie over termijn: {action.description}",
                      "besluiten": [f"Eigenaar {owner}, uiterlijk {action.due_on:%d-%m-%Y}"]},
        )
        added += 1
    added += _feedback_items(access, meeting)
    if _wants_trends(access, meeting) and not AgendaItem.objects.visible_to(access).filter(meeting=meeting, kind=AgendaItem.Kind.TRENDS).exists():
        start, end = trends.period_before(day)
        figures = trends.figures(access, start, end)
        _add(meeting, AgendaItem.Kind.TRENDS, figures["titel"], priority=prepare.PRIORITY["trends"], waiting_since=None,
             confidentiality=1, snapshot=figures)
        added += 1
    renumber(access, meeting)
    meeting.prepared_at = timezone.now()
    meeting.save(update_fields=["prepared_at"])
    record(AuditEntry.Action.UPDATE, obj=meeting, access=access, request=request, detail={"agenda_added": added})
    return added


def renumber(access: Access, meeting: Meeting) -> None:
    """Priority first (higher first), then age (longest waiting first); trends last."""
    items = list(AgendaItem.objects.visible_to(access).filter(meeting=meeting))
    far = timezone.now() + timedelta(days=36500)
    items.sort(key=lambda i: (i.kind == AgendaItem.Kind.TRENDS, -i.priority, i.waiting_since or far, i.pk))
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@transaction.atomic
def set_item_sharing(access: Access, item: AgendaItem, share: bool, request=None) -> AgendaItem:
    if item.meeting.status == Meeting.Status.HELD:
        raise ValidationError("Dit overleg is al afgesloten.")
    item.share_with_partners = share
    item.save(update_fields=["share_with_partners"])
    record(AuditEntry.Action.UPDATE, obj=item, access=access, request=request, detail={"share_with_partners": share})
    if item.meeting.status == Meeting.Status.PREPARED:
        _share_items(access, item.meeting, [item], request)
    return item


def _share_items(access: Access, meeting: Meeting, items, request) -> None:
    item_ct = ContentType.objects.get_for_model(AgendaItem)
    by = access.user_id
    members = list(meeting.forum.members.all())
    for item in items:
        Share.objects.filter(content_type=item_ct, object_id=item.pk).delete()
        allowed = {}
        for org in members:
            if not item.share_with_partners:
                break
            if item.kind == AgendaItem.Kind.TRENDS:
                fields = {"titel", "onderwerp"} if sharing.receivable_fields(access, org) else set()
            elif sharing.may_receive_item(access, org, prepare.theme_codes(item)):
                fields = set(sharing.receivable_fields(access, org))
            else:
                fields = set()
            if not fields:
                continue
            allowed[str(org.pk)] = sorted(fields | {"titel"})
            Share.objects.create(content_type=item_ct, object_id=item.pk, organisation=org,
                                 basis=sharing.basis_for(access, org)[:300] or "Convenant", granted_by_id=by)
        item.partner_fields = allowed
        item.save(update_fields=["partner_fields"])
        record(AuditEntry.Action.UPDATE, obj=item, access=access, request=request,
               detail={"shared_with": sorted(int(k) for k in allowed)})


@transaction.atomic
def share_agenda(access: Access, meeting: Meeting, *, request=None) -> dict[int, int]:
    """Share the meeting and the items each partner at the table may see (point 3).

    Returns {organisation id: number of items shared}. A partner without an active profile in the
    registry gets nothing; an item outside a partner's themes or marked "niet delen" is not shared.
    """
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError("Dit overleg is al afgesloten.")
    if not AgendaItem.objects.visible_to(access).filter(meeting=meeting).exists():
        raise ValidationError("De agenda is leeg; maak eerst de agenda.")
    meeting_ct = ContentType.objects.get_for_model(Meeting)
    Share.objects.filter(content_type=meeting_ct, object_id=meeting.pk).delete()
    items = list(AgendaItem.objects.visible_to(access).filter(meeting=meeting).select_related("signal", "case"))
    _share_items(access, meeting, items, request)
    counts: dict[int, int] = {}
    for org in meeting.forum.members.all():
        n = sum(1 for i in items if str(org.pk) in i.partner_fields)
        if sharing.receivable_fields(access, org):
            Share.objects.create(content_type=meeting_ct, object_id=meeting.pk, organisation=org,
                                 basis=sharing.basis_for(access, org)[:300] or "Convenant", granted_by_id=access.user_id)
            counts[org.pk] = n
    meeting.status, meeting.shared_at = Meeting.Status.PREPARED, timezone.now()
    meeting.save(update_fields=["status", "shared_at"])
    record(AuditEntry.Action.UPDATE, obj=meeting, access=access, request=request, detail={"shared": counts})
    return counts


def partner_view(item: AgendaItem, organisation_id: int) -> dict:
    """What a partner at the table sees of an item: only its organisation's field groups."""
    fields = frozenset(item.partner_fields.get(str(organisation_id), ()))
    return sharing.filter_fields(item.snapshot, fields)


# --- decisions ----------------------------------------------------------------------------------

def flag_targets(item: AgendaItem) -> list:
    """The records an intervention on this item touches: the item, its signal or case, and the
    subjects named in it (for "niet interveniëren zonder overleg")."""
    targets = [item]
    if item.signal_id:
        signal = item.signal
        targets.append(signal)
        for m in signal.mentions.all():
            targets += [t for t in (m.person, m.company, m.address) if t is not None]
    if item.case_id:
        targets.append(item.case)
        targets += cases.subjects_of(item.case)
    return targets


def _validate_decision(item: AgendaItem, d: Decision) -> None:
    meeting = item.meeting
    errors: dict[str, str] = {}
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError("Dit overleg is al afgesloten; besluiten worden in het volgende overleg genomen.")
    if item.kind == AgendaItem.Kind.TRENDS:
        raise ValidationError("Over het trendmoment wordt geen besluit per punt vastgelegd.")
    if item.decisions.exists():
        raise ValidationError("Over dit agendapunt is al besloten.")
    allowed = Decision.DETAILS.get(d.kind, ())
    if allowed and d.detail not in allowed:
        errors["detail"] = "Kies een uitwerking die bij dit besluit past."
    if not allowed and d.detail:
        errors["detail"] = "Bij dit besluit hoort geen uitwerking."
    if d.kind in (Decision.Kind.NOT_SUBVERSIVE, Decision.Kind.POSTPONE) and len(d.reason.strip()) < 5:
        errors["reason"] = "Geef een reden (minimaal 5 tekens)."
    needs_owner = d.kind in (Decision.Kind.GATHER, Decision.Kind.INTERVENE, Decision.Kind.ESCALATE)
    if needs_owner and not (d.owner_id or d.owner_organisation_id):
        errors["owner"] = "Wijs een eigenaar of uitvoerende organisatie aan."
    if d.kind == Decision.Kind.ESCALATE and not d.owner_organisation_id:
        errors["owner_organisation"] = "Kies de organisatie aan wie wordt opgeschaald (DTO of RIEC)."
    if d.deadline and d.deadline < timezone.localtime(meeting.starts_at).date():
        errors["deadline"] = "De termijn ligt vóór de datum van het overleg."
    if d.kind == Decision.Kind.COMBINE:
        if not item.signal_id:
            errors["kind"] = "Alleen een signaal kan met een casus worden gecombineerd."
        elif d.case_id is None:
            errors["case"] = "Kies de casus waarmee het signaal wordt gecombineerd."
    if errors:
        raise ValidationError(errors)


INTERVENTION_DOMAIN = {
    Decision.Detail.CONTROL: "bestuurlijk",
    Decision.Detail.MEASURE: "bestuurlijk",
    Decision.Detail.BIBOB: "bestuurlijk",
    Decision.Detail.FORWARD: "anders",
}


@transaction.atomic
def decide(access: Access, item: AgendaItem, *, kind: str, detail: str = "", text: str = "", reason: str = "",
           owner=None, owner_organisation=None, deadline=None, case=None, confirmed: bool = False,
           request=None, at=None) -> Decision:
    """Record the forum's decision on an item and carry out what follows (point 4).

    Raises :class:`regie.partners.flags.ConfirmationRequired` when an intervention touches a record
    marked "niet interveniëren zonder overleg" and the user has not confirmed.
    """
    meeting = item.meeting
    if kind not in Decision.Kind.values:
        raise ValidationError({"kind": "Kies een geldig besluit."})
    day = timezone.localtime(meeting.starts_at).date()
    if deadline is None and kind in (Decision.Kind.NOT_SUBVERSIVE, Decision.Kind.COMBINE):
        deadline = day
    if deadline is None and kind == Decision.Kind.POSTPONE:
        deadline = next_date(meeting)
    if deadline is None:
        raise ValidationError({"deadline": "Geef een termijn (uiterlijk-datum)."})
    decision = Decision(
        item=item, kind=kind, detail=detail or "", text=(text or "").strip(), reason=(reason or "").strip(),
        deadline=deadline, owner=owner, owner_organisation=owner_organisation, case=case, decided_by_id=access.user_id,
        decided_at=at or timezone.now(),
    )
    if owner is None and owner_organisation is None and kind in (Decision.Kind.NOT_SUBVERSIVE, Decision.Kind.COMBINE,
                                                                 Decision.Kind.POSTPONE):
        decision.owner_id = access.user_id  # the coördinator who records it owns the follow-through
    _validate_decision(item, decision)
    decision.full_clean(exclude=["item"])
    if kind in (Decision.Kind.INTERVENE, Decision.Kind.ESCALATE):
        confirmed_flags = flags.require_confirmation(
            access, flag_targets(item), confirmed=confirmed, request=request,
            action=f"besluit '{decision.get_kind_display()}' over {item.title}",
        )
        decision.confirmed_flags = len(confirmed_flags)
    decision.save()
    _carry_out(access, item, decision, request)
    record(AuditEntry.Action.CREATE, obj=decision, access=access, request=request,
           detail={"item": item.pk, "kind": kind, "detail": detail})
    return decision


def create_action(access: Access, *, forum: Forum, description: str, due_on, owner_organisation=None, owner_user_id=None,
                  confidentiality: int | None = None, status: str = Action.Status.OPEN, result: str = "", done_at=None,
                  created_at=None, basis: str = "", request=None, detail: dict | None = None) -> Action:
    """An action that no decision of a meeting made: another room's follow-up (a control's
    afspraak with a partner, or its result reported back to the forum that asked for it).

    It belongs to ``forum`` (an overdue one returns on its agenda; a done one is reported there)
    and, when a partner owns it, is shared with that partner with ``basis``. The caller has
    already read ``forum`` through its own access; the foreign keys are not checked again through
    the caller's scope (a boa recording a control cannot see the meetings room). Audited here.
    """
    action = Action(
        owner_id=forum.owner_id, confidentiality=confidentiality if confidentiality is not None else forum.confidentiality,
        forum=forum, description=description.strip()[:500], owner_organisation=owner_organisation, owner_user_id=owner_user_id,
        due_on=due_on, status=status, result=result[:4000], done_at=done_at,
    )
    if created_at is not None:
        action.created_at = created_at
    action.full_clean(exclude=["decision", "forum", "owner_user", "owner_organisation"])
    action.save()
    if owner_organisation is not None and owner_organisation.pk != forum.owner_id:
        Share.objects.create(content_type=ContentType.objects.get_for_model(Action), object_id=action.pk,
                             organisation=owner_organisation, granted_by_id=access.user_id,
                             basis=(basis or sharing.basis_for(access, owner_organisation) or "Convenant")[:300])
    record(AuditEntry.Action.CREATE, obj=action, access=access, request=request, detail=detail or {})
    return action


def _action(access: Access, decision: Decision, description: str) -> Action:
    item = decision.item
    action = Action(
        owner_id=item.owner_id, confidentiality=item.confidentiality, decision=decision, forum=item.meeting.forum,
        description=description[:500], owner_user=decision.owner, owner_organisation=decision.owner_organisation,
        due_on=decision.deadline, created_at=decision.decided_at,
    )
    action.full_clean()
    action.save()
    if decision.owner_organisation_id and decision.owner_organisation_id != item.owner_id:
        # a partner that owns an action sees it (and only it) to report back
        Share.objects.create(content_type=ContentType.objects.get_for_model(Action), object_id=action.pk,
                             organisation_id=decision.owner_organisation_id, granted_by_id=access.user_id,
                             basis=sharing.basis_for(access, decision.owner_organisation)[:300] or "Convenant")
    return action


def _describe(decision: Decision) -> str:
    text = decision.get_detail_display() if decision.detail else decision.get_kind_display()
    what = decision.item.signal.reference if decision.item.signal_id else (decision.item.case.reference if decision.item.case_id else decision.item.title)
    return f"{text[:1].upper()}{text[1:]}: {what}" + (f" — {decision.text}" if decision.text else "")


def _carry_out(access: Access, item: AgendaItem, decision: Decision, request) -> None:
    from . import escalation

    signal, case, kind = item.signal, item.case, decision.kind
    at = decision.decided_at
    note = f"{item.meeting}: {decision.get_kind_display()}"
    if signal is not None and kind != Decision.Kind.POSTPONE:
        if not signal.events.filter(kind=SignalEvent.Kind.DECISION).exists():
            intake.record_milestone(signal, SignalEvent.Kind.DECISION, by_id=access.user_id, at=decision.decided_at, note=note)
    if case is not None:
        why = decision.reason or decision.text
        cases.record_event(case, "besluit", note + (f" — {why}" if why else ""), at=at, by_id=access.user_id,
                           source="overleg")
    if kind == Decision.Kind.NOT_SUBVERSIVE:
        if signal is not None and signal.status not in (Signal.Status.CLOSED, Signal.Status.COMBINED):
            intake.set_status(access, signal, Signal.Status.CLOSED, note=decision.reason, request=request, at=at)
        elif case is not None:
            cases.set_phase(access, case, "afgesloten", reason=decision.reason, request=request, at=at)
    elif kind == Decision.Kind.GATHER:
        _action(access, decision, _describe(decision))
    elif kind == Decision.Kind.INTERVENE:
        _action(access, decision, _describe(decision))
        if decision.detail == Decision.Detail.FORWARD and signal is not None and case is None:
            intake.set_status(access, signal, Signal.Status.FORWARDED, request=request, at=at,
                              note=f"Doorgezet naar {decision.owner_organisation or 'partner'}: {decision.text or note}")
            return
        if case is None and signal is not None:
            case = cases.open_case(access, title=f"Casus n.a.v. {signal.reference}", signals=[signal],
                                   themes=list(signal.themes.all()), summary=signal.text[:2000], request=request,
                                   note=note, at=at)
            decision.case = case
            decision.save(update_fields=["case"])
        if case is not None:
            partner = decision.owner_organisation or Organisation.objects.get(pk=item.owner_id)
            responsible = decision.owner if decision.owner and decision.owner.organisation_id == partner.pk else None
            add_intervention(
                access, case, partner=partner, domain=INTERVENTION_DOMAIN.get(decision.detail, "anders"),
                nature="repressief", instrument=decision.get_detail_display(), description=_describe(decision),
                responsible=responsible, planned_on=decision.deadline, request=request,
                origin=f"besluit {item.meeting}"[:200], at=at,
            )
    elif kind == Decision.Kind.ESCALATE:
        _action(access, decision, _describe(decision))
        escalation.escalate(access, decision, request=request)
    elif kind == Decision.Kind.COMBINE:
        cases.link_signal(access, decision.case, signal, request=request, note=note, at=at)


# --- after the meeting --------------------------------------------------------------------------

@transaction.atomic
def close_meeting(access: Access, meeting: Meeting, *, request=None, at=None) -> int:
    """The meeting was held: what was not decided is postponed explicitly, with a reason, and the
    feedback items are marked as reported. Returns the number of items postponed."""
    from .models import Escalation

    if meeting.status == Meeting.Status.HELD:
        raise ValidationError("Dit overleg is al afgesloten.")
    postponed = 0
    for item in AgendaItem.objects.visible_to(access).filter(meeting=meeting, decisions__isnull=True).exclude(kind=AgendaItem.Kind.TRENDS):
        if item.kind == AgendaItem.Kind.FEEDBACK:
            continue
        decide(access, item, kind=Decision.Kind.POSTPONE, reason=NOT_DISCUSSED, request=request, at=at)
        postponed += 1
    now = timezone.now()
    for item in AgendaItem.objects.visible_to(access).filter(meeting=meeting, kind=AgendaItem.Kind.FEEDBACK):
        source = item.snapshot.get("bron", "")
        kind, _, pk = source.partition(":")
        if kind == "actie":
            Action.objects.visible_to(access).filter(pk=pk.split(":")[0]).update(reported_at=now)
        elif kind == "opschaling":
            Escalation.objects.visible_to(access).filter(pk=pk).update(reported_at=now)
    meeting.status, meeting.held_at = Meeting.Status.HELD, now
    meeting.save(update_fields=["status", "held_at"])
    record(AuditEntry.Action.UPDATE, obj=meeting, access=access, request=request, detail={"held": True, "postponed": postponed})
    return postponed


@transaction.atomic
def complete_action(access: Access, action: Action, *, result: str, status: str = Action.Status.DONE, request=None) -> Action:
    if action.status != Action.Status.OPEN:
        raise ValidationError("Deze actie is al afgerond.")
    if status not in (Action.Status.DONE, Action.Status.CANCELLED):
        raise ValidationError({"status": "Kies gereed of vervallen."})
    if len(result.strip()) < 3:
        raise ValidationError({"result": "Beschrijf het resultaat (dit gaat terug naar het overleg)."})
    action.status, action.result, action.done_at = status, result.strip(), timezone.now()
    action.full_clean()
    action.save()
    decision = action.decision
    if decision is not None and decision.kind == Decision.Kind.INTERVENE and status == Action.Status.DONE:
        signal = decision.item.signal
        if signal is not None and not signal.events.filter(kind=SignalEvent.Kind.FIRST_INTERVENTION).exists():
            intake.record_milestone(signal, SignalEvent.Kind.FIRST_INTERVENTION, by_id=access.user_id, at=action.done_at,
                                    note=action.description[:200])
    if decision is not None and decision.item.case_id:
        cases.record_event(decision.item.case, "resultaat", f"{action.description}: {action.result}", by_id=access.user_id,
                           source="overleg")
    record(AuditEntry.Action.UPDATE, obj=action, access=access, request=request, detail={"status": status})
    return action


# --- what needs attention -----------------------------------------------------------------------

def often_postponed(access: Access, minimum: int = 2) -> list[dict]:
    """Signals and cases postponed ``minimum`` times or more, still open (point 4)."""
    items = AgendaItem.objects.visible_to(access).filter(decisions__kind=Decision.Kind.POSTPONE)
    counts: dict[tuple[str, int], dict] = {}
    for item in items.select_related("signal", "case"):
        key = ("signal", item.signal_id) if item.signal_id else ("case", item.case_id)
        if key[1] is None:
            continue
        row = counts.setdefault(key, {"title": item.title, "count": 0, "item": item})
        row["count"] += 1
    rows = []
    for (kind, pk), row in counts.items():
        if row["count"] < minimum:
            continue
        target = row["item"].signal if kind == "signal" else row["item"].case
        if kind == "signal" and target.status != Signal.Status.ON_AGENDA:
            continue
        rows.append(row)
    return sorted(rows, key=lambda r: -r["count"])


def actions_for(access: Access, user):
    """Open actions a user owns; for a partner, also those of his organisation."""
    qs = Action.objects.visible_to(access).filter(status=Action.Status.OPEN)
    if access.role == Role.PARTNER:
        return qs.filter(Q(owner_user=user) | Q(owner_organisation_id=access.organisation_id)).order_by("due_on")
    return qs.filter(owner_user=user).order_by("due_on")


def year_figures(access: Access, year: int) -> list[dict]:
    """Per forum, for the council and the audit follow-up: meetings held, decisions per kind,
    postponements (and items postponed twice or more), actions made, done and overdue in ``year``."""
    from collections import Counter

    today = timezone.localdate()
    rows = []
    for forum in Forum.objects.visible_to(access).exclude(kind__in=Forum.ESCALATION_KINDS).order_by("name"):
        meetings = Meeting.objects.visible_to(access).filter(forum=forum, starts_at__year=year)
        decisions = Decision.objects.filter(item__meeting__in=meetings)
        kinds = Counter(decisions.values_list("kind", flat=True))
        per_target = Counter(
            (d.item.signal_id, d.item.case_id)
            for d in decisions.filter(kind=Decision.Kind.POSTPONE).select_related("item")
        )
        actions = Action.objects.visible_to(access).filter(forum=forum, created_at__year=year)
        rows.append({
            "forum": forum.name,
            "held": meetings.filter(status=Meeting.Status.HELD).count(),
            "decisions": sum(n for kind, n in kinds.items() if kind != Decision.Kind.POSTPONE),
            "kinds": {label: kinds.get(value, 0) for value, label in Decision.Kind.choices},
            "postponed": kinds.get(Decision.Kind.POSTPONE, 0),
            "postponed_twice": sum(1 for n in per_target.values() if n >= 2),
            "actions": actions.count(),
            "actions_done": actions.filter(status=Action.Status.DONE).count(),
            "actions_overdue": actions.filter(status=Action.Status.OPEN, due_on__lt=today).count(),
        })
    return rows
