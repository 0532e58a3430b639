"""The interventiematrix: planned interventions per partner, their status and result.

The result of each intervention flows back: to the case's timeline, to the lead-time clock of
every linked signal (the first started intervention is the signal's ``eerste_interventie``
milestone) and, through :func:`interventions_changed_since`, to the forum that decided it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from regie.accounts.models import User
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.intake import services as intake
from regie.intake.models import SignalEvent
from regie.organisations.access import Access
from regie.organisations.models import Organisation

from .models import Case, CaseEvent, Intervention
from .permissions import FEEDBACK_FIELDS, may_edit, may_report

Status = Intervention.Status
#: the status an intervention may move to from each status; done and stopped are final
TRANSITIONS = {
    Status.PLANNED: {Status.RUNNING, Status.DONE, Status.STOPPED},
    Status.RUNNING: {Status.DONE, Status.STOPPED},
    Status.DONE: set(),
    Status.STOPPED: set(),
}
STARTED = (Status.RUNNING, Status.DONE)
FIELDS = (
    "partner", "domain", "nature", "instrument", "description", "responsible", "contact", "origin",
    "status", "planned_on", "started_on", "done_on", "result",
)


def _event(case: Case, kind: str, text: str, *, at, by_id) -> None:
    CaseEvent.objects.create(case=case, kind=kind, text=text[:1000], at=at, by_id=by_id, source="interventie")


def _partner(value) -> Organisation:
    pk = value.pk if isinstance(value, Organisation) else value
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"partner": "Onbekende partner."}) from exc
    partner = Organisation.objects.filter(pk=pk, active=True).first()
    if partner is None:
        raise ValidationError({"partner": "Onbekende partner."})
    return partner


def _responsible(case: Case, partner: Organisation, value) -> User | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, User) else value
    user = User.objects.filter(pk=pk, is_active=True).first() if str(pk).isdigit() else None
    if user is None or user.organisation_id not in (case.owner_id, partner.pk):
        raise ValidationError({"responsible": "De trekker werkt bij de gemeente of bij de uitvoerende partner."})
    return user


def _moment(day: date, at: datetime) -> datetime:
    """The moment of a start date for the lead-time clock: now when it is today, else midday."""
    if day == timezone.localdate(at):
        return at
    return timezone.make_aware(datetime.combine(day, time(12)))


def _first_intervention_milestones(case: Case, day: date, *, at: datetime, by_id) -> int:
    """Start the clock's last step for every linked signal that has no first intervention yet."""
    moment = _moment(day, at)
    done = 0
    for link in case.signal_links.select_related("signal"):
        signal = link.signal
        if not signal.events.filter(kind=SignalEvent.Kind.FIRST_INTERVENTION).exists():
            intake.record_milestone(signal, SignalEvent.Kind.FIRST_INTERVENTION, by_id=by_id, at=moment,
                                    note=f"casus {case.reference}")
            done += 1
    return done


def _check_dates(item: Intervention) -> None:
    if item.started_on and item.done_on and item.done_on < item.started_on:
        raise ValidationError({"done_on": "De datum van afronden ligt vóór de startdatum."})
    if item.status == Status.STOPPED and not item.result.strip():
        raise ValidationError({"result": "Geef aan waarom de interventie is gestaakt."})
    if item.status == Status.PLANNED and (item.started_on or item.done_on):
        raise ValidationError({"status": "Een geplande interventie heeft nog geen start- of afrondingsdatum."})


def _fill_dates(item: Intervention, today: date) -> None:
    if item.status in STARTED and item.started_on is None:
        item.started_on = today
    if item.status in (Status.DONE, Status.STOPPED) and item.done_on is None:
        item.done_on = today


def _label(item: Intervention) -> str:
    what = item.instrument or item.description[:80]
    return f"{item.get_domain_display()} ({item.get_nature_display()}) door {item.partner.name}: {what}"


@transaction.atomic
def add_intervention(access: Access, case: Case, *, request=None, at=None, **fields) -> Intervention:
    """Plan an intervention of a partner (or of the municipality itself) in the case."""
    if not may_edit(access, case):
        raise PermissionDenied("Alleen het kernteam van de eigenaar van deze casus plant interventies.")
    if case.is_closed:
        raise ValidationError("Deze casus is afgesloten: plannen kan pas na heropenen.")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"add_intervention() got unknown fields {sorted(unknown)}")
    now = at or timezone.now()
    partner = _partner(fields.pop("partner", None))
    responsible = _responsible(case, partner, fields.pop("responsible", None))
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    values.setdefault("status", Status.PLANNED)
    item = Intervention(case=case, partner=partner, responsible=responsible, created_at=now, changed_at=now, **values)
    if not (item.description or "").strip():
        raise ValidationError({"description": "Beschrijf de interventie."})
    _fill_dates(item, timezone.localdate(now))
    item.full_clean(exclude=["case", "partner", "responsible"])
    _check_dates(item)
    item.save()
    _event(case, CaseEvent.Kind.INTERVENTION, f"Interventie {item.get_status_display()}: {_label(item)}", at=now, by_id=access.user_id)
    if item.result:
        _event(case, CaseEvent.Kind.RESULT, f"Resultaat ({partner.name}): {item.result}", at=now, by_id=access.user_id)
    milestones = _first_intervention_milestones(case, item.started_on, at=now, by_id=access.user_id) if item.status in STARTED else 0
    record(AuditEntry.Action.CREATE, obj=item, access=access, request=request,
           detail={"case": case.pk, "partner": partner.pk, "status": item.status, "milestones": milestones})
    return item


def _pk(value):
    """The id behind an organisation, a user or a raw value ("" and None are no one)."""
    if value in (None, ""):
        return None
    return getattr(value, "pk", value)


def _changes(item: Intervention, fields: dict) -> dict:
    """Only the fields whose value really differs: a form sends them all."""
    changes = {}
    for name, value in fields.items():
        value = value.strip() if isinstance(value, str) else value
        if name in ("partner", "responsible"):
            if str(_pk(value)) != str(getattr(item, f"{name}_id")):
                changes[name] = value
        elif getattr(item, name) != value:
            changes[name] = value
    return changes


@transaction.atomic
def update_intervention(access: Access, intervention: Intervention, *, request=None, at=None, **fields) -> Intervention:
    """Change an intervention. The case's kernteam changes anything; the executing partner
    reports status, dates and result back. Status moves forward only."""
    item = intervention
    case = item.case
    if not may_report(access, item):
        raise PermissionDenied("U mag deze interventie niet bijwerken.")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"update_intervention() got unknown fields {sorted(unknown)}")
    changes = _changes(item, fields)
    changed = sorted(changes)
    if not changes:
        raise ValidationError("Er is niets gewijzigd.")
    if not may_edit(access, case) and set(changes) - FEEDBACK_FIELDS:
        raise PermissionDenied("U mag alleen de status, de data en het resultaat terugmelden.")
    if case.is_closed and set(changes) - {"result"}:
        raise ValidationError("Deze casus is afgesloten: alleen het resultaat kan nog worden aangevuld.")
    now = at or timezone.now()
    old_status, old_result, old_start = item.status, item.result, item.started_on
    if "partner" in changes:
        item.partner = _partner(changes.pop("partner"))
        item.responsible = _responsible(case, item.partner, changes.pop("responsible", item.responsible))
    elif "responsible" in changes:
        item.responsible = _responsible(case, item.partner, changes.pop("responsible"))
    for name, value in changes.items():
        setattr(item, name, value)
    if item.status not in Status.values:
        raise ValidationError({"status": "Kies een geldige status."})
    if item.status != old_status and item.status not in TRANSITIONS.get(old_status, set()):
        if old_status in (Status.DONE, Status.STOPPED):
            raise ValidationError({"status": "Een uitgevoerde of gestaakte interventie verandert niet meer van status."})
        raise ValidationError({"status": f"Van {Status(old_status).label} kan niet terug naar {Status(item.status).label}."})
    _fill_dates(item, timezone.localdate(now))
    item.full_clean(exclude=["case", "partner", "responsible"])
    _check_dates(item)
    status_changed, result_changed = item.status != old_status, item.result != old_result
    if status_changed or result_changed:
        item.changed_at = now
    item.save()
    if status_changed:
        _event(case, CaseEvent.Kind.INTERVENTION,
               f"{_label(item)} — {Status(old_status).label} → {item.get_status_display()}", at=now, by_id=access.user_id)
    if result_changed and item.result:
        _event(case, CaseEvent.Kind.RESULT, f"Resultaat ({item.partner.name}, {item.get_domain_display()}): {item.result}",
               at=now, by_id=access.user_id)
    milestones = 0
    if item.status in STARTED and (old_status not in STARTED or old_start is None):
        milestones = _first_intervention_milestones(case, item.started_on, at=now, by_id=access.user_id)
    record(AuditEntry.Action.UPDATE, obj=item, access=access, request=request,
           detail={"case": case.pk, "fields": sorted(changed), "status": item.status, "milestones": milestones})
    return item


def interventions_changed_since(access: Access, since: datetime) -> list[tuple[Case, Intervention]]:
    """(case, intervention) for every intervention in a case the caller may see whose status or
    result changed after ``since``, oldest change first: what goes back to the forum."""
    visible = Case.objects.visible_to(access)
    rows = (
        Intervention.objects.filter(case__in=visible, changed_at__gt=since)
        .select_related("case", "partner")
        .order_by("changed_at", "pk")
    )
    return [(item.case, item) for item in rows]


@dataclass
class MatrixRow:
    """One partner's line of the interventiematrix: its interventions per domain."""

    partner: Organisation
    cells: list[list[Intervention]] = field(default_factory=list)  # in the order of DOMAINS

    @property
    def total(self) -> int:
        return sum(len(cell) for cell in self.cells)

    def natures(self) -> dict[str, int]:
        """How many of this partner's interventions are repressive, preventive or about resilience."""
        counts = dict.fromkeys(Intervention.Nature.values, 0)
        for cell in self.cells:
            for item in cell:
                counts[item.nature] += 1
        return counts


DOMAINS = list(Intervention.Domain.choices)


def matrix(case: Case) -> list[MatrixRow]:
    """The interventiematrix: one row per partner organisation (the owner first), the
    interventions per domain in each cell (each carries its nature, status and result)."""
    index = {value: i for i, (value, _) in enumerate(DOMAINS)}
    rows: dict[int, MatrixRow] = {}
    for item in case.interventions.select_related("case", "partner", "responsible").order_by("planned_on", "pk"):
        row = rows.get(item.partner_id)
        if row is None:
            row = rows[item.partner_id] = MatrixRow(item.partner, [[] for _ in DOMAINS])
        row.cells[index[item.domain]].append(item)
    return sorted(rows.values(), key=lambda r: (r.partner.pk != case.owner_id, r.partner.name))
