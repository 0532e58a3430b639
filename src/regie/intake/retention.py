"""Retention of signals that led to nothing (docs/privacy.md, "Bewaartermijnen").

A signal is removed ``settings.REGIE_SIGNAL_RETENTION_DAYS`` days after it was closed when it
led to nothing:

* status "gesloten" (closed without action), or status "doorgezet" with label "niet"
  (forwarded because it was not ondermijning);
* it was not itself combined into another signal (that one carries it on);
* no still-open signal refers to it. Signals that were combined *into* it share its fate and go
  with it (their mentions were copied into it); any other referring signal keeps it. A row of
  another room (a case, a meeting) that refers to it keeps it too.

With the signal go its mentions, events, reporter, receipt, hit/no-hit questions, shares,
assignments and photo files; and the persons, companies and addresses that were registered new
for such a signal (mention method "nieuw") and that nothing else refers to.

Each run writes :class:`RetentionLog` rows (counts per record type and organisation, and the
basis; never a name, reference or text) and one audit entry with action "system".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone

from regie.accounts.models import Assignment
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import current_access, system_access
from regie.organisations.models import Share
from regie.subjects.models import Address, Company, Person

from . import attachments
from .models import Attachment, HitQuestion, Receipt, Reporter, RetentionLog, Signal, SignalEvent, SignalSubject

REASON = "Bewaartermijn signalen zonder vervolg"
ACTION = "verwijderd"

#: record type names in the log (Dutch, as the privacy officer reads them)
LABELS = {
    Signal: "signaal",
    SignalSubject: "genoemd subject",
    SignalEvent: "gebeurtenis",
    Reporter: "melder",
    Receipt: "ontvangstbevestiging",
    HitQuestion: "hit/no-hit-vraag",
    Attachment: "bijlage",
    Share: "deling",
    Assignment: "toewijzing",
    Person: "persoon",
    Company: "bedrijf",
    Address: "adres",
}
#: the intake rows that belong to a signal and go with it
OWN_PARTS = {SignalSubject, SignalEvent, Reporter, Receipt, HitQuestion, Attachment}
SETTLED = {Signal.Status.CLOSED, Signal.Status.FORWARDED, Signal.Status.COMBINED}


@dataclass
class Outcome:
    cutoff: datetime
    days: int
    dry_run: bool
    #: organisation id -> record type -> count
    counts: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))

    @property
    def signals(self) -> int:
        return sum(c[LABELS[Signal]] for c in self.counts.values())

    def totals(self) -> Counter:
        total = Counter()
        for c in self.counts.values():
            total.update(c)
        return total


def basis_text(days: int) -> str:
    return (
        f"{REASON}: {days} dagen na sluiten (REGIE_SIGNAL_RETENTION_DAYS); gesloten, of doorgezet als "
        "niet-ondermijning; zie docs/privacy.md"
    )[:300]


def led_to_nothing() -> Q:
    return Q(status=Signal.Status.CLOSED) | Q(status=Signal.Status.FORWARDED, label=Signal.Label.NOT)


def expired(cutoff: datetime):
    """Signals past their term, before the checks on references (system access required)."""
    return Signal.objects.filter(led_to_nothing(), closed_at__lt=cutoff, combined_into__isnull=True)


def _require_system() -> None:
    """The checks below must see every tenant's rows: a reference hidden by scoping would delete too much."""
    access = current_access()
    if access is None or not access.system:
        raise RuntimeError("retention checks run under system_access only")


def _reverse_relations(model) -> list:
    """Every relation of another model to ``model``, hidden ones (related_name "+") included.

    Auto-created M2M through tables are left out: the M2M relation itself is in the list, and a
    model's own M2M fields (a signal's themes) are its own data, not a reference to it.
    """
    return [
        f for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and f.is_relation and not f.related_model._meta.auto_created
    ]


def _referring(rel, ids: set[int]):
    """Rows of ``rel.related_model`` that refer to one of ``ids`` (reverse FK, one-to-one or M2M)."""
    return rel.related_model._default_manager.filter(**{f"{rel.field.name}__in": ids})


def _referred_ids(rows, rel, ids: set[int]) -> set[int]:
    return set(rows.values_list(rel.field.name, flat=True)) & ids


#: models of other rooms whose reference to a signal is a *copy* made for a step that is over (an
#: agenda item, an escalation package): it does not keep the signal, and the room clears the copy's
#: personal data when the signal goes (meetings.retention). Rooms register with :func:`register_copy`.
COPIES: set[str] = set()


def register_copy(label: str) -> None:
    """Declare ``label`` ("app_label.model") a copy: its FK to a signal must be SET_NULL."""
    COPIES.add(label.lower())


def _is_copy(rel) -> bool:
    return rel.related_model._meta.label_lower in COPIES and rel.on_delete is models.SET_NULL


def _foreign_references(model, ids: set[int], own: set[type]) -> set[int]:
    """Ids in ``ids`` that a row of a model outside ``own`` (and other than ``model``) refers to."""
    referenced: set[int] = set()
    if not ids:
        return referenced
    for rel in _reverse_relations(model):
        if rel.related_model in own or rel.related_model is model or _is_copy(rel):
            continue
        referenced |= _referred_ids(_referring(rel, ids), rel, ids)
    return referenced


def _generic_references(model, ids: set[int]) -> set[int]:
    ct = ContentType.objects.get_for_model(model)
    shared = Share.objects.filter(content_type=ct, object_id__in=ids).values_list("object_id", flat=True)
    assigned = Assignment.objects.filter(content_type=ct, object_id__in=ids).values_list("object_id", flat=True)
    return set(shared) | set(assigned)


def _group(root: int) -> set[int] | None:
    """The root and every signal combined into it (transitively); None if an unsettled signal refers to it."""
    members, frontier = {root}, {root}
    while frontier:
        children = list(Signal.objects.filter(combined_into_id__in=frontier).values_list("pk", "status"))
        if any(status not in SETTLED for _pk, status in children):
            return None
        frontier = {pk for pk, _status in children} - members
        members |= frontier
    return members


def select(cutoff: datetime) -> set[int]:
    """Ids of every signal to remove at ``cutoff``: expired signals and what was combined into them.

    A group is kept whole when a row of another room (a case, a meeting) refers to any member.
    """
    _require_system()
    selected: set[int] = set()
    for root in expired(cutoff).values_list("pk", flat=True):
        members = _group(root)
        if members and not _foreign_references(Signal, members, OWN_PARTS):
            selected |= members
    return selected


def orphan_subjects(signal_ids: set[int]) -> dict[type, set[int]]:
    """Persons, companies and addresses registered new for these signals that nothing else refers to."""
    _require_system()
    new = SignalSubject.objects.filter(signal_id__in=signal_ids, method=SignalSubject.Method.NEW)
    candidates = {
        Person: set(new.exclude(person=None).values_list("person_id", flat=True)),
        Company: set(new.exclude(company=None).values_list("company_id", flat=True)),
        Address: set(new.exclude(address=None).values_list("address_id", flat=True)),
    }
    result: dict[type, set[int]] = {}
    for model in (Person, Company, Address):  # addresses last: persons and companies may refer to them
        ids = candidates[model]
        if not ids:
            result[model] = set()
            continue
        blocked = _generic_references(model, ids)
        for rel in _reverse_relations(model):
            rows = _referring(rel, ids)
            if rel.related_model is SignalSubject:
                rows = rows.exclude(signal_id__in=signal_ids)
            elif rel.related_model is Signal:
                rows = rows.exclude(pk__in=signal_ids)
            elif rel.related_model in result:  # a person or company that goes too
                rows = rows.exclude(pk__in=result[rel.related_model])
            blocked |= _referred_ids(rows, rel, ids)
        result[model] = ids - blocked
    return result


def _count(outcome: Outcome, model, rows) -> None:
    for owner_id, n in rows:
        outcome.counts[owner_id][LABELS[model]] += n


def _per_owner(queryset, path: str = "signal__owner_id"):
    """(owning organisation id, number of rows) for ``queryset``."""
    return queryset.values_list(path).annotate(n=Count("pk")).values_list(path, "n")


def run(*, now: datetime | None = None, days: int | None = None, dry_run: bool = False) -> Outcome:
    """Remove what is past its term (or, with ``dry_run``, only count it)."""
    days = settings.REGIE_SIGNAL_RETENTION_DAYS if days is None else days
    if days < 1:
        raise ValueError("the retention term must be at least one day")
    now = now or timezone.now()
    outcome = Outcome(cutoff=now - timedelta(days=days), days=days, dry_run=dry_run)
    with system_access(REASON), transaction.atomic():
        signal_ids = select(outcome.cutoff)
        subjects = orphan_subjects(signal_ids)
        signal_ct = ContentType.objects.get_for_model(Signal)
        signals = Signal.objects.filter(pk__in=signal_ids)
        parts = {
            model: model._default_manager.filter(signal_id__in=signal_ids)
            for model in (SignalSubject, SignalEvent, Reporter, Receipt, HitQuestion, Attachment)
        }
        _count(outcome, Signal, _per_owner(signals, "owner_id"))
        for model, rows in parts.items():
            _count(outcome, model, _per_owner(rows))
        owner_of = dict(signals.values_list("pk", "owner_id"))
        for model, generic in ((Share, Share.objects), (Assignment, Assignment.objects)):
            per_owner = Counter(
                owner_of[object_id]
                for object_id in generic.filter(content_type=signal_ct, object_id__in=signal_ids).values_list("object_id", flat=True)
            )
            _count(outcome, model, per_owner.items())
        for model, ids in subjects.items():
            _count(outcome, model, _per_owner(model.objects.filter(pk__in=ids), "owner_id"))
        if dry_run:
            return outcome
        files = list(parts[Attachment].values_list("file", flat=True))
        Share.objects.filter(content_type=signal_ct, object_id__in=signal_ids).delete()
        Assignment.objects.filter(content_type=signal_ct, object_id__in=signal_ids).delete()
        # combined members point at each other; unlink first so the delete order does not matter
        signals.update(combined_into=None)
        signals.delete()  # cascades to mentions, events, reporter, receipt, questions, attachment rows
        for model in (Person, Company, Address):
            model.objects.filter(pk__in=subjects[model]).delete()
        RetentionLog.objects.bulk_create(
            RetentionLog(organisation_id=org_id, action=ACTION, record_type=kind, count=n, basis=basis_text(days))
            for org_id, counter in sorted(outcome.counts.items())
            for kind, n in sorted(counter.items())
            if n
        )
        record(
            AuditEntry.Action.SYSTEM,
            model=RetentionLog,
            detail={
                "job": "intake-retention",
                "cutoff": outcome.cutoff.isoformat(),
                "days": days,
                "removed": {str(org): dict(c) for org, c in sorted(outcome.counts.items())},
            },
        )
        # the files go once the rows are gone for good
        transaction.on_commit(lambda: attachments.delete_files(files))
    return outcome
