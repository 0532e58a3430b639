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
from regie.areas.services import buurt_for_postcode
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access, organisation_access
from regie.organisations.models import Share
from regie.subjects import lookup

from . import triage
from .models import Receipt, Reporter, Signal, SignalEvent, SignalSubject, Theme, TriageRule

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


def registry_access(owner) -> Access:
    """Act for the owning municipality when no signed-in user is behind the step (public form, import)."""
    return organisation_access(owner, "intake", frozenset({SUBJECTS, SIGNALS}))


def themes_for(owner_id: int, codes: list[str]) -> list[Theme]:
    codes = [c.strip() for c in codes if c and c.strip()]
    if not codes:
        return []
    found = {t.code: t for t in catalogue_for(owner_id).filter(code__in=codes)}
    unknown = sorted(set(codes) - set(found))
    if unknown:
        raise ValidationError({"themes": f"Onbekend thema: {', '.join(unknown)}."})
    return [found[c] for c in codes if c in found]


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


def _link_mentions(access: Access, signal: Signal, mentions: list[MentionInput]) -> None:
    rows = []
    for m in mentions:
        if m.kind == "persoon":
            found = lookup.find_or_create_person(access, name=m.name, bsn=m.bsn, birth_date=m.birth_date)
            rows.append(SignalSubject(signal=signal, person=found.obj, method=found.method, as_written=m.name[:300]))
        elif m.kind == "bedrijf":
            found = lookup.find_or_create_company(access, name=m.name, kvk_number=m.kvk_number)
            rows.append(SignalSubject(signal=signal, company=found.obj, method=found.method, as_written=m.name[:300]))
        elif m.kind == "adres" and m.address:
            found = lookup.find_or_create_address(access, **_address_fields(signal.owner, m.address))
            rows.append(SignalSubject(signal=signal, address=found.obj, method=found.method, as_written=str(found.obj)[:300]))
        elif m.kind == "voertuig" and m.plate:
            plate = normalise_plate(m.plate)
            rows.append(SignalSubject(signal=signal, vehicle_plate=plate, method=SignalSubject.Method.NEW, as_written=m.plate[:300]))
        else:
            raise ValidationError({"mentions": f"Onvolledig genoemd subject ({m.kind or 'zonder soort'})."})
    SignalSubject.objects.bulk_create(rows)


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
    if signal.address_id is not None:
        known.append("address")
    if signal.buurt_id is not None:
        known.append("buurt")
    if actor is not None and actor.user_id is not None and signal.created_by_id == actor.user_id:
        known.append("created_by")
    if actor is not None and actor.organisation_id is not None and signal.source_organisation_id == actor.organisation_id:
        known.append("source_organisation")
    return known


@transaction.atomic
def register(owner, data: SignalInput, *, actor: Access | None = None, request=None) -> Registered:
    """Register a signal for municipality ``owner``; link its subjects; suggest triage; audit.

    ``actor`` is the signed-in user's access (None for the public form and imports); look-ups
    in the registry always run scoped to ``owner``.
    """
    access = registry_access(owner)
    if not data.text or not data.text.strip():
        raise ValidationError({"text": "Beschrijf wat u heeft gezien of gehoord."})
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
    location_is_new = False
    if data.address is not None:
        found = lookup.find_or_create_address(access, **_address_fields(owner, data.address))
        location_is_new = found.method == "nieuw"
        signal.address = found.obj
        if found.method == "nieuw":  # the new address was given the owner's buurt for its postcode
            signal.buurt = found.obj.buurt
        else:
            signal.buurt = found.obj.buurt or buurt_for_postcode(owner.pk, found.obj.postcode)
    themes = themes_for(owner.pk, data.theme_codes)
    suggestion = triage.suggest(signal.text, [t.code for t in themes], signal.channel, rules_for(owner.pk))
    signal.suggested_label, signal.suggested_route, signal.suggestion_reasons = (
        suggestion.label, suggestion.route, suggestion.reasons,
    )
    signal.full_clean(exclude=_loaded_relations(signal, actor))
    for _ in range(5):
        try:
            with transaction.atomic():
                signal.save()
            break
        except IntegrityError:  # reference collision: draw another
            signal.reference = new_reference()
    else:  # pragma: no cover - 32^8 references
        raise IntegrityError("no free reference")
    if themes:  # a new signal has no themes yet: add without reading them first
        signal.themes.add(*themes)
    _link_mentions(access, signal, data.mentions)
    if location_is_new:
        # record that this signal brought the address into the registry, so retention can remove it again
        SignalSubject.objects.create(signal=signal, address=signal.address, method=SignalSubject.Method.NEW, as_written="locatie van het signaal")
    feedback_code = ""
    if data.reporter is not None and not data.anonymous:
        reporter = Reporter(signal=signal, **data.reporter.__dict__)
        if reporter.wants_feedback and reporter.user_id is None:
            feedback_code, reporter.feedback_code_hash = new_feedback_code()
        reporter.full_clean(exclude=["signal"])
        reporter.save()
        if reporter.user_id:
            Receipt.objects.create(user_id=reporter.user_id, signal=signal)
    if data.source_organisation_id and data.source_organisation_id != owner.pk:
        # the partner that brought the signal in may follow it (its own contribution)
        Share.objects.create(
            content_type=ContentType.objects.get_for_model(Signal), object_id=signal.pk,
            organisation_id=data.source_organisation_id, basis="Zelf aangeleverd signaal",
        )
    _event(signal, SignalEvent.Kind.RECEIVED, by_id=actor.user_id if actor else None, at=signal.received_at)
    record(
        AuditEntry.Action.CREATE, obj=signal, access=actor or access, request=request,
        detail={"channel": signal.channel, "mentions": len(data.mentions)},
    )
    return Registered(signal, feedback_code)


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
