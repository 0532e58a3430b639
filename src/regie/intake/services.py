"""Writes of the intake room: register, triage, forward/close, combine. Each validates, writes,
records a :class:`SignalEvent` and audits in one transaction."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from regie.accounts.roles import SIGNALS, SUBJECTS
from regie.audit.models import AuditEntry
from regie.audit.services import record, record_many
from regie.organisations.access import Access, organisation_access
from regie.organisations.models import Share
from regie.subjects import lookup

from . import triage
from .models import (
    Receipt,
    Reporter,
    Signal,
    SignalEvent,
    SignalSubject,
    Theme,
    TriageRule,
)

_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: readable over the phone


def new_reference() -> str:
    """A random reference such as 'M-7K3F-9QXD': it reveals nothing about volumes."""
    code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"M-{code[:4]}-{code[4:]}"


def new_feedback_code() -> tuple[str, str]:
    raw = secrets.token_urlsafe(12)
    return raw, hashlib.sha256(raw.encode()).hexdigest()


@dataclass
class AddressInput:
    postcode: str
    house_number: int
    house_letter: str = ""
    addition: str = ""
    street: str = ""
    city: str = ""


@dataclass
class MentionInput:
    kind: str  # "persoon", "bedrijf", "adres", "voertuig"
    name: str = ""
    bsn: str = ""
    birth_date: date | None = None
    kvk_number: str = ""
    address: AddressInput | None = None
    plate: str = ""


@dataclass
class ReporterInput:
    name: str = ""
    email: str = ""
    phone: str = ""
    wants_feedback: bool = False
    user_id: int | None = None


@dataclass
class SignalInput:
    channel: str
    text: str
    received_at: datetime | None = None
    reported_on: date | None = None
    anonymous: bool = False
    address: AddressInput | None = None
    latitude: float | None = None
    longitude: float | None = None
    theme_codes: list[str] = field(default_factory=list)
    hardness: str = Signal.Hardness.INDICATION
    severity: str = Signal.Severity.MEDIUM
    mentions: list[MentionInput] = field(default_factory=list)
    reporter: ReporterInput | None = None
    source_organisation_id: int | None = None
    confidentiality: int | None = None


@dataclass
class Registered:
    signal: Signal
    feedback_code: str = ""


#: the most signals one call of :func:`register_many` (and one bundle through the API) may hold
MAX_BATCH = 100


class DeliveryErrors(ValidationError):
    """What is wrong with which signals of a batch (``errors``: index -> ValidationError).

    Raised before anything is written: a batch is registered whole or not at all."""

    def __init__(self, errors: dict[int, ValidationError]):
        self.errors = dict(sorted(errors.items()))
        super().__init__({str(index): error.messages for index, error in self.errors.items()})


def registry_access(owner) -> Access:
    """Act for the owning municipality when no signed-in user is behind the step (public form, import)."""
    return organisation_access(owner, "intake", frozenset({SUBJECTS, SIGNALS}))


def themes_for(owner_id: int, codes: list[str]) -> list[Theme]:
    codes = [c.strip() for c in codes if c and c.strip()]
    if not codes:
        return []
    found = {t.code: t for t in catalogue_for(owner_id).filter(code__in=codes)}
    return _known_themes(found, codes)


def _known_themes(catalogue: dict[str, Theme], codes: list[str]) -> list[Theme]:
    codes = [c.strip() for c in codes if c and c.strip()]
    unknown = sorted(set(codes) - set(catalogue))
    if unknown:
        raise ValidationError({"themes": f"Onbekend thema: {', '.join(unknown)}."})
    return list({c: catalogue[c] for c in codes}.values())  # in the given order, each once


def catalogue_for(owner_id: int):
    """Active themes: the standard catalogue plus the municipality's own additions."""
    return Theme.objects.filter(active=True).filter(Q(organisation__isnull=True) | Q(organisation_id=owner_id))


def rules_for(owner_id: int) -> list[triage.Rule]:
    rows = TriageRule.objects.filter(organisation_id=owner_id, active=True)
    return [triage.Rule(r.kind, r.value, r.label, r.route, r.weight) for r in rows]


def install_default_rules(organisation) -> int:
    """Give a municipality the default triage rules (it edits them afterwards)."""
    if TriageRule.objects.filter(organisation=organisation).exists():
        return 0
    TriageRule.objects.bulk_create(
        TriageRule(organisation=organisation, kind=r.kind, value=r.value, label=r.label, route=r.route, weight=r.weight)
        for r in triage.DEFAULT_RULES
    )
    return len(triage.DEFAULT_RULES)


def _event(signal: Signal, kind: str, by_id=None, note: str = "", at=None) -> SignalEvent:
    return SignalEvent.objects.create(signal=signal, kind=kind, by_id=by_id, note=note[:500], at=at or timezone.now())


def _address_fields(owner, address: AddressInput) -> dict:
    fields = dict(address.__dict__)
    if not fields.get("city"):
        fields["city"] = owner.name.removeprefix("Gemeente ").strip()
    return fields


def normalise_plate(plate: str) -> str:
    """'12-abc-3' -> '12ABC3'. Dutch plates are compared without dashes."""
    cleaned = "".join(ch for ch in plate.upper() if ch.isalnum())
    if not 4 <= len(cleaned) <= 8:
        raise ValidationError({"mentions": f"Ongeldig kenteken: {plate}."})
    return cleaned


def _loaded_relations(signal: Signal, actor: Access | None) -> list[str]:
    """Fields ``full_clean`` may skip for a new signal: the reference is drawn on saving, and
    relations that point at rows this transaction just loaded or created (the owner, the
    address and buurt looked up above, the signed-in user and that user's organisation) need
    no existence check, one query each. Any other value is checked as always."""
    known = ["reference", "owner"]
    if signal.address is not None:
        known.append("address")
    if signal.buurt_id is not None:
        known.append("buurt")
    if actor is not None and actor.user_id is not None and signal.created_by_id == actor.user_id:
        known.append("created_by")
    if actor is not None and actor.organisation_id is not None and signal.source_organisation_id == actor.organisation_id:
        known.append("source_organisation")
    return known


class _Owner:
    """What a batch needs once per municipality: the registry access, the subject look-ups,
    the theme catalogue and the triage rules (read at most once per batch)."""

    def __init__(self, owner):
        self.owner = owner
        self.access = registry_access(owner)
        self.subjects = lookup.Batch(self.access)
        self._catalogue: dict[str, Theme] | None = None
        self._rules: list[triage.Rule] | None = None

    def prefetch_themes(self, codes: set[str]) -> None:
        if self._catalogue is None:
            self._catalogue = {t.code: t for t in catalogue_for(self.owner.pk).filter(code__in=codes)} if codes else {}

    def themes(self, codes: list[str]) -> list[Theme]:
        return _known_themes(self._catalogue or {}, codes)

    @property
    def rules(self) -> list[triage.Rule]:
        if self._rules is None:
            self._rules = rules_for(self.owner.pk)
        return self._rules


@dataclass(eq=False)
class _Item:
    """One signal of a batch on its way to the database."""

    index: int
    place: _Owner
    data: SignalInput
    signal: Signal
    themes: list[Theme] = field(default_factory=list)
    location: lookup.Request | None = None
    mentions: list[tuple[MentionInput, lookup.Request | str]] = field(default_factory=list)  # request or plate
    reporter: Reporter | None = None
    feedback_code: str = ""


def _plan(deliveries, actor: Access | None) -> tuple[list[_Item], dict[int, list[ValidationError]]]:
    """Validate every delivery and decide its subjects; read, but write nothing."""
    places: dict[int, _Owner] = {}
    for owner, data in deliveries:
        places.setdefault(owner.pk, _Owner(owner))
    for pk, place in places.items():
        place.prefetch_themes({c.strip() for o, d in deliveries if o.pk == pk for c in d.theme_codes if c and c.strip()})
    items: list[_Item] = []
    errors: dict[int, list[ValidationError]] = {}
    for index, (owner, data) in enumerate(deliveries):
        place = places[owner.pk]
        try:
            items.append(_prepare(index, place, data, actor))
        except ValidationError as exc:
            errors.setdefault(index, []).append(exc)
    for place in places.values():
        for index, found in place.subjects.resolve().items():
            errors.setdefault(index, []).extend(found)
    for item in items:
        if item.index in errors:
            continue
        try:
            _locate(item, actor)
        except ValidationError as exc:
            errors.setdefault(item.index, []).append(exc)
    return [item for item in items if item.index not in errors], errors


def _prepare(index: int, place: _Owner, data: SignalInput, actor: Access | None) -> _Item:
    """Checks that need no registry: text, themes, mentions, reporter; the triage suggestion."""
    if not data.text or not data.text.strip():
        raise ValidationError({"text": "Beschrijf wat u heeft gezien of gehoord."})
    owner = place.owner
    signal = Signal(
        owner=owner,
        reference=new_reference(),
        received_at=data.received_at or timezone.now(),
        reported_on=data.reported_on,
        channel=data.channel,
        anonymous=data.anonymous,
        text=data.text.strip(),
        latitude=data.latitude,
        longitude=data.longitude,
        hardness=data.hardness,
        severity=data.severity,
        source_organisation_id=data.source_organisation_id,
        created_by_id=actor.user_id if actor else None,
    )
    if data.confidentiality:
        signal.confidentiality = data.confidentiality
    item = _Item(index, place, data, signal, themes=place.themes(data.theme_codes))
    suggestion = triage.suggest(signal.text, [t.code for t in item.themes], signal.channel, place.rules)
    signal.suggested_label, signal.suggested_route, signal.suggestion_reasons = (
        suggestion.label, suggestion.route, suggestion.reasons,
    )
    subjects = place.subjects
    if data.address is not None:
        item.location = subjects.address(index, **_address_fields(owner, data.address))
    for m in data.mentions:
        if m.kind == "persoon":
            item.mentions.append((m, subjects.person(index, name=m.name, bsn=m.bsn, birth_date=m.birth_date)))
        elif m.kind == "bedrijf":
            item.mentions.append((m, subjects.company(index, name=m.name, kvk_number=m.kvk_number)))
        elif m.kind == "adres" and m.address:
            item.mentions.append((m, subjects.address(index, **_address_fields(owner, m.address))))
        elif m.kind == "voertuig" and m.plate:
            item.mentions.append((m, normalise_plate(m.plate)))
        else:
            raise ValidationError({"mentions": f"Onvolledig genoemd subject ({m.kind or 'zonder soort'})."})
    if data.reporter is not None and not data.anonymous:
        item.reporter = Reporter(**data.reporter.__dict__)
        if item.reporter.wants_feedback and item.reporter.user_id is None:
            item.feedback_code, item.reporter.feedback_code_hash = new_feedback_code()
        item.reporter.full_clean(exclude=["signal"])
    return item


def _locate(item: _Item, actor: Access | None) -> None:
    """Put the decided address and its buurt on the signal, then validate the signal."""
    signal, location = item.signal, item.location
    if location is not None:
        signal.address = location.obj
        # a new address was given the owner's buurt for its postcode; an existing one may have none
        signal.buurt_id = location.obj.buurt_id
        if signal.buurt_id is None and location.method != "nieuw":
            buurt = item.place.subjects.buurt_for(location.obj.postcode)
            signal.buurt_id = buurt.pk if buurt else None
    # no constraint check: the only one (an external reference once per owner) is on a field
    # registration leaves empty, and Django would build a scoped query to find that out
    signal.full_clean(exclude=_loaded_relations(signal, actor), validate_constraints=False)


def _combined(errors: list[ValidationError]) -> ValidationError:
    merged: dict = {}
    for error in errors:
        merged = error.update_error_dict(merged)
    return ValidationError(merged)


def check_many(deliveries, *, actor: Access | None = None) -> dict[int, ValidationError]:
    """What :func:`register_many` would refuse, per index; reads only, writes nothing."""
    _, errors = _plan(list(deliveries), actor)
    return {index: _combined(found) for index, found in sorted(errors.items())}


def register(owner, data: SignalInput, *, actor: Access | None = None, request=None) -> Registered:
    """Register a signal for municipality ``owner``; link its subjects; suggest triage; audit.

    ``actor`` is the signed-in user's access (None for the public form and imports); look-ups
    in the registry always run scoped to ``owner``.
    """
    try:
        return register_many([(owner, data)], actor=actor, request=request)[0]
    except DeliveryErrors as exc:
        raise exc.errors[0] from None


@transaction.atomic
def register_many(deliveries, *, actor: Access | None = None, request=None) -> list[Registered]:
    """Register signals, each a ``(municipality, SignalInput)``, all or none, in one transaction.

    Every signal is validated, linked, triaged, given its first event and its own audit entry
    exactly as :func:`register` does for one (:func:`register` is this function for a list of
    one); the registry is read once per kind of subject and the rows are written in bulk.
    Raises :class:`DeliveryErrors` (errors per index) before writing anything when one is invalid.
    """
    deliveries = list(deliveries)
    if not 1 <= len(deliveries) <= MAX_BATCH:
        raise ValueError(f"register_many takes 1 to {MAX_BATCH} signals")
    items, errors = _plan(deliveries, actor)
    if errors:
        raise DeliveryErrors({index: _combined(found) for index, found in errors.items()})
    places = sorted({id(i.place): i.place for i in items}.values(), key=lambda p: p.owner.pk)
    for place in places:
        place.subjects.save(("adres",))  # the signals refer to them
    _save_signals([item.signal for item in items])
    _write_children(items, actor)
    # Persons as late as possible, yet before the audit entries: another batch that names one of
    # the same new BSNs waits for this transaction's commit, and every writer takes the audit
    # chain's head last (after its own rows), so no two transactions can wait for each other.
    # Municipalities in one order for the same reason.
    for place in places:
        place.subjects.save()
    _write_mentions(items)
    _propose_new_subjects(items, actor, request)
    batch = {"bundel": len(items)} if len(items) > 1 else {}
    # model and id rather than the object: a signal created just now has no stated purpose to look up
    record_many([
        dict(
            action=AuditEntry.Action.CREATE, model=Signal, object_id=item.signal.pk, access=actor or item.place.access,
            request=request, detail={"channel": item.signal.channel, "mentions": len(item.data.mentions), **batch},
        )
        for item in items
    ])
    return [Registered(item.signal, item.feedback_code) for item in items]


def _propose_new_subjects(items: list[_Item], actor: Access | None, request) -> None:
    """Issue 8 point 4: the persons and companies a signal brought into the registry are matched
    against the owning municipality's registry at once, whatever the channel (own user, partner
    bundle, import, public form); look-alikes go to that municipality's review queue. One
    proposer per municipality for the whole batch, on the cached registry index, so a bundle
    costs a fingerprint and the changed rows, not a read of the registry. The municipality's own
    user who may see the registry proposes as himself; otherwise the municipality's registry
    access does (the candidates are only shown to those who may see both subjects)."""
    from regie.subjects.incremental import Proposer
    from regie.subjects.review_models import MatchCandidate

    by_place: dict[int, tuple[_Owner, list]] = {}
    for item in items:
        new = [found.obj for _, found in item.mentions
               if not isinstance(found, str) and found.method == "nieuw" and found.kind in ("persoon", "bedrijf")]
        if new:
            by_place.setdefault(id(item.place), (item.place, []))[1].append((item.signal.reference, new))
    for place, entries in by_place.values():
        own = actor is not None and SUBJECTS in actor.categories and actor.organisation_id == place.owner.pk
        proposer = Proposer(actor if own else place.access, source=MatchCandidate.Source.SIGNAL, request=request)
        proposer.load_all([s for _, new in entries for s in new])
        seen = set()
        for reference, new in entries:
            for subject in new:
                if (type(subject), subject.pk) not in seen:
                    seen.add((type(subject), subject.pk))
                    proposer.propose(subject, reference=reference)
        proposer.audit()


def _save_signals(signals: list[Signal]) -> None:
    for _ in range(5):
        try:
            with transaction.atomic():
                Signal.objects.bulk_create(signals)
            return
        except IntegrityError:  # a reference collision: draw new ones
            for signal in signals:
                signal.reference = new_reference()
                signal.pk = None
    raise IntegrityError("no free reference")  # pragma: no cover - 32^8 references


def _write_mentions(items: list[_Item]) -> None:
    """The subjects each signal mentions, linked to the registry (or a plate)."""
    mentions = []
    for item in items:
        signal = item.signal
        for m, found in item.mentions:
            if isinstance(found, str):
                mentions.append(SignalSubject(signal=signal, vehicle_plate=found, method=SignalSubject.Method.NEW, as_written=m.plate[:300]))
            else:
                written = str(found.obj) if found.kind == "adres" else m.name
                mentions.append(SignalSubject(signal=signal, method=found.method, as_written=written[:300], **{_LINK[found.kind]: found.obj}))
        if item.location is not None and item.location.method == "nieuw":
            # this signal brought the address into the registry, so retention can remove it again
            mentions.append(SignalSubject(signal=signal, address=item.location.obj, method=SignalSubject.Method.NEW, as_written="locatie van het signaal"))
    if mentions:
        SignalSubject.objects.bulk_create(mentions)


def _write_children(items: list[_Item], actor: Access | None) -> None:
    """Themes, reporter and receipt, the partner's share and the first event, in bulk."""
    themes, reporters, receipts, shares, events = [], [], [], [], []
    Through = Signal.themes.through
    signal_type = ContentType.objects.get_for_model(Signal)
    for item in items:
        signal, data = item.signal, item.data
        themes += [Through(signal_id=signal.pk, theme_id=t.pk) for t in item.themes]
        if item.reporter is not None:
            item.reporter.signal = signal
            reporters.append(item.reporter)
            if item.reporter.user_id:
                receipts.append(Receipt(user_id=item.reporter.user_id, signal=signal))
        if data.source_organisation_id and data.source_organisation_id != signal.owner_id:
            # the partner that brought the signal in may follow it (its own contribution)
            shares.append(Share(content_type=signal_type, object_id=signal.pk, organisation_id=data.source_organisation_id, basis="Zelf aangeleverd signaal"))
        events.append(SignalEvent(signal=signal, kind=SignalEvent.Kind.RECEIVED, by_id=actor.user_id if actor else None, at=signal.received_at))
    for model, rows in ((Through, themes), (Reporter, reporters), (Receipt, receipts), (Share, shares), (SignalEvent, events)):
        if rows:
            model.objects.bulk_create(rows)


_LINK = {"persoon": "person", "bedrijf": "company", "adres": "address"}


CLOSING_ROUTES = {Signal.Route.CLOSE}


@transaction.atomic
def decide_triage(access: Access, signal: Signal, *, label: str, route: str, reason: str = "", request=None, at=None) -> Signal:
    """A person confirms (or overrides) the suggestion. Not-ondermijning never reaches the agenda."""
    if signal.status not in (Signal.Status.RECEIVED, Signal.Status.TRIAGED):
        raise ValidationError("Dit signaal is al afgehandeld.")
    if label not in Signal.Label.values or route not in Signal.Route.values:
        raise ValidationError("Kies een geldig label en een geldige route.")
    if label == Signal.Label.UNKNOWN:
        raise ValidationError({"label": "Kies ondermijningsgerelateerd of niet; ‘onbekend’ is alleen een voorstel."})
    if label == Signal.Label.NOT and route == Signal.Route.MEETING:
        raise ValidationError({"route": "Een signaal dat niet ondermijningsgerelateerd is, gaat niet naar het overleg."})
    if label == Signal.Label.NOT and len(reason.strip()) < 5:
        raise ValidationError({"reason": "Geef een reden waarom dit signaal wordt doorgezet of gesloten."})
    now = at or timezone.now()
    signal.label, signal.route = label, route
    _event(signal, SignalEvent.Kind.TRIAGED, by_id=access.user_id, note=f"{label} → {route}", at=now)
    if label == Signal.Label.SUBVERSIVE and route == Signal.Route.MEETING:
        signal.status = Signal.Status.TRIAGED
    elif route in CLOSING_ROUTES:
        signal.status, signal.closed_at, signal.close_reason = Signal.Status.CLOSED, now, reason.strip()
        _event(signal, SignalEvent.Kind.CLOSED, by_id=access.user_id, note=reason, at=now)
    else:
        signal.status, signal.closed_at, signal.close_reason = Signal.Status.FORWARDED, now, reason.strip()
        _event(signal, SignalEvent.Kind.FORWARDED, by_id=access.user_id, note=f"{route}: {reason}", at=now)
    signal.save()
    record(AuditEntry.Action.UPDATE, obj=signal, access=access, request=request, detail={"triage": label, "route": route})
    return signal


@transaction.atomic
def combine(access: Access, keep: Signal, other: Signal, request=None) -> Signal:
    """Fold ``other`` into ``keep``: mentions and themes join, ``other`` is marked combined."""
    if keep.pk == other.pk:
        raise ValidationError("Een signaal kan niet met zichzelf worden samengevoegd.")
    if other.status == Signal.Status.COMBINED or keep.status == Signal.Status.COMBINED:
        raise ValidationError("Een van beide signalen is al samengevoegd.")
    if keep.owner_id != other.owner_id:
        raise ValidationError("Alleen signalen van dezelfde organisatie kunnen worden samengevoegd.")
    known = {(m.person_id, m.company_id, m.address_id, m.vehicle_plate) for m in keep.mentions.all()}
    for m in other.mentions.all():
        key = (m.person_id, m.company_id, m.address_id, m.vehicle_plate)
        if key not in known:
            SignalSubject.objects.create(
                signal=keep, person_id=m.person_id, company_id=m.company_id, address_id=m.address_id,
                vehicle_plate=m.vehicle_plate, method=m.method, as_written=m.as_written,
            )
            known.add(key)
    keep.themes.add(*other.themes.all())
    if other.hardness == Signal.Hardness.FACT:
        keep.hardness = Signal.Hardness.FACT
    order = [Signal.Severity.LOW, Signal.Severity.MEDIUM, Signal.Severity.HIGH]
    keep.severity = max(keep.severity, other.severity, key=order.index)
    keep.save()
    other.status, other.combined_into = Signal.Status.COMBINED, keep
    other.save()
    _event(keep, SignalEvent.Kind.COMBINED, by_id=access.user_id, note=f"{other.reference} opgenomen")
    _event(other, SignalEvent.Kind.COMBINED, by_id=access.user_id, note=f"opgenomen in {keep.reference}")
    record(AuditEntry.Action.UPDATE, obj=keep, access=access, request=request, detail={"combined": other.pk})
    record(AuditEntry.Action.UPDATE, obj=other, access=access, request=request, detail={"combined_into": keep.pk})
    return keep


def record_milestone(signal: Signal, kind: str, *, by_id=None, at=None, note: str = "") -> SignalEvent:
    """For later rooms (meetings, cases, measures): on agenda, decision, first intervention."""
    if kind not in (SignalEvent.Kind.ON_AGENDA, SignalEvent.Kind.DECISION, SignalEvent.Kind.FIRST_INTERVENTION):
        raise ValueError(kind)
    return _event(signal, kind, by_id=by_id, note=note, at=at)


#: statuses later rooms may move a signal to, with the event each writes
ROOM_STATUSES = {
    Signal.Status.ON_AGENDA: SignalEvent.Kind.ON_AGENDA,
    Signal.Status.IN_CASE: SignalEvent.Kind.IN_CASE,
    Signal.Status.CLOSED: SignalEvent.Kind.CLOSED,
    Signal.Status.FORWARDED: SignalEvent.Kind.FORWARDED,
    Signal.Status.TRIAGED: SignalEvent.Kind.REOPENED,
}


@transaction.atomic
def set_status(access: Access, signal: Signal, status: str, *, note: str = "", request=None, at=None) -> Signal:
    """For later rooms (meetings, cases): put a signal on an agenda, into a case, close or forward
    it after a decision, or return it to the local route ("te licht voor RIEC"). One event, one
    audit row. Closing and forwarding need a reason, as in triage."""
    if status not in ROOM_STATUSES:
        raise ValueError(status)
    if signal.status == Signal.Status.COMBINED:
        raise ValidationError("Dit signaal is samengevoegd met een ander signaal.")
    now = at or timezone.now()
    if status in (Signal.Status.CLOSED, Signal.Status.FORWARDED):
        if len(note.strip()) < 5:
            raise ValidationError("Geef een reden waarom dit signaal wordt gesloten of doorgezet.")
        signal.closed_at, signal.close_reason = now, note.strip()[:300]
    elif status == Signal.Status.TRIAGED:
        signal.closed_at, signal.close_reason = None, ""
    signal.status = status
    signal.save(update_fields=["status", "closed_at", "close_reason"])
    _event(signal, ROOM_STATUSES[status], by_id=access.user_id, note=note[:500], at=now)
    record(AuditEntry.Action.UPDATE, obj=signal, access=access, request=request, detail={"status": status})
    return signal


FEEDBACK_STATUS = {
    Signal.Status.RECEIVED: "ontvangen",
    Signal.Status.TRIAGED: "in behandeling",
    Signal.Status.ON_AGENDA: "in behandeling",
    Signal.Status.IN_CASE: "in behandeling",
    Signal.Status.COMBINED: "in behandeling",
    Signal.Status.FORWARDED: "afgehandeld",
    Signal.Status.CLOSED: "afgehandeld",
}


def feedback_status(signal: Signal) -> str:
    """The only thing a reporter learns: ontvangen, in behandeling or afgehandeld."""
    return FEEDBACK_STATUS.get(signal.status, "in behandeling")


def receipts_of(user) -> list[dict]:
    """An internal reporter's own reports: reference, date and feedback status, nothing else."""
    rows = Receipt.objects.filter(user=user).select_related("signal").order_by("-signal__received_at")
    return [
        {"reference": r.signal.reference, "received_at": r.signal.received_at, "status": feedback_status(r.signal)}
        for r in rows
    ]


def public_status(reference: str, code: str) -> str | None:
    """Status for a public reporter who asked for feedback and kept his code; None if no match."""
    digest = hashlib.sha256(code.strip().encode()).hexdigest()
    reporter = (
        Reporter.objects.filter(signal__reference=reference.strip().upper(), feedback_code_hash=digest, wants_feedback=True)
        .select_related("signal")
        .first()
    )
    if reporter is None or reporter.signal.anonymous:
        return None
    return feedback_status(reporter.signal)


def attention(access: Access) -> dict:
    """What the start page shows the kernteam: signals waiting for triage, answered questions."""
    from .models import HitQuestion

    signals = Signal.objects.visible_to(access)
    return {
        "to_triage": signals.filter(status=Signal.Status.RECEIVED).count(),
        "triaged": signals.filter(status=Signal.Status.TRIAGED).count(),
        "answers": HitQuestion.objects.filter(signal__in=signals, answer__gt="").count(),
    }


def agenda_candidates(access: Access):
    """Signals ready for the meeting: confirmed as ondermijning. Closed or forwarded ones never are."""
    return Signal.objects.visible_to(access).filter(status=Signal.Status.TRIAGED, label=Signal.Label.SUBVERSIVE)
