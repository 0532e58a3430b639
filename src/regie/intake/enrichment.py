"""'Wat weten we al': what the municipality already holds about a signal's subjects and place,
shown before any meeting; and hit/no-hit questions to partners.

Later rooms (cases, measures, Bibob, controls, permits) add a section by appending a function
to :data:`ENRICHERS`; each receives the access and the signal's subject keys and returns a
:class:`Section` built from scoped queries only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access
from regie.organisations.models import Organisation

from .models import HitQuestion, Signal, SignalEvent, SignalSubject


@dataclass
class Item:
    label: str
    date: object
    url: str = ""


@dataclass
class Section:
    title: str
    items: list[Item] = field(default_factory=list)
    note: str = ""

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass
class Keys:
    person_ids: set[int]
    company_ids: set[int]
    address_ids: set[int]
    plates: set[str]
    #: (postcode, house number) of the signal's and mentioned addresses: the same building
    buildings: set[tuple[str, int]]


def keys_of(signal: Signal) -> Keys:
    mentions = list(signal.mentions.select_related("address"))
    addresses = [m.address for m in mentions if m.address_id]
    if signal.address_id:
        addresses.append(signal.address)
    return Keys(
        person_ids={m.person_id for m in mentions if m.person_id},
        company_ids={m.company_id for m in mentions if m.company_id},
        address_ids={a.pk for a in addresses},
        plates={m.vehicle_plate for m in mentions if m.vehicle_plate},
        buildings={(a.postcode, a.house_number) for a in addresses},
    )


def related_signals(access: Access, signal: Signal, keys: Keys):
    """Other visible signals on the same subjects, address, building or vehicle."""
    cond = Q(mentions__person_id__in=keys.person_ids) | Q(mentions__company_id__in=keys.company_ids)
    cond |= Q(mentions__address_id__in=keys.address_ids) | Q(address_id__in=keys.address_ids)
    cond |= Q(mentions__vehicle_plate__in=keys.plates)
    for postcode, number in keys.buildings:
        cond |= Q(address__postcode=postcode, address__house_number=number)
        cond |= Q(mentions__address__postcode=postcode, mentions__address__house_number=number)
    return Signal.objects.visible_to(access).filter(cond).exclude(pk=signal.pk).distinct().order_by("-received_at")


def earlier_signals(access: Access, signal: Signal, keys: Keys) -> Section:
    from django.urls import reverse

    rows = related_signals(access, signal, keys)[:50]
    items = [
        Item(f"{s.reference} ({s.get_channel_display()}, {s.get_status_display()})", s.received_at, reverse("intake:detail", args=[s.pk]))
        for s in rows
    ]
    return Section("Eerdere signalen over dezelfde subjecten, hetzelfde adres of hetzelfde pand", items)


#: each later room appends its own function here
ENRICHERS = [earlier_signals]


def what_we_know(access: Access, signal: Signal) -> list[Section]:
    keys = keys_of(signal)
    return [enricher(access, signal, keys) for enricher in ENRICHERS]


def combine_candidates(access: Access, signal: Signal) -> list[Signal]:
    """Open signals on the same subject or address: shown together, and may be combined."""
    closed = [Signal.Status.COMBINED, Signal.Status.CLOSED, Signal.Status.FORWARDED]
    if signal.status in closed:
        return []
    return list(related_signals(access, signal, keys_of(signal)).exclude(status__in=closed)[:20])


def describe(mention: SignalSubject) -> str:
    """The minimum a partner needs to answer a hit/no-hit question."""
    if mention.person_id:
        p = mention.person
        born = f", geboren {p.birth_date:%d-%m-%Y}" if p.birth_date else ""
        return f"Persoon: {p.full_name}{born}"
    if mention.company_id:
        c = mention.company
        return f"Bedrijf: {c.name}" + (f", KvK {c.kvk_number}" if c.kvk_number else "")
    if mention.address_id:
        return f"Adres: {mention.address}"
    return f"Voertuig: {mention.vehicle_plate}"


@transaction.atomic
def ask_partner(access: Access, signal: Signal, mention: SignalSubject, partner: Organisation, request=None) -> HitQuestion:
    if mention.signal_id != signal.pk:
        raise ValidationError("Dit subject hoort niet bij dit signaal.")
    if partner.kind == Organisation.Kind.GEMEENTE or partner.pk == signal.owner_id:
        raise ValidationError("Een hit/no-hit-vraag gaat naar een partnerorganisatie.")
    question = HitQuestion.objects.create(
        signal=signal, mention=mention, partner=partner, subject_description=describe(mention), asked_by_id=access.user_id
    )
    SignalEvent.objects.create(signal=signal, kind=SignalEvent.Kind.HIT_QUESTION, by_id=access.user_id, note=f"{partner.name}: {question.subject_description}"[:500])
    record(AuditEntry.Action.CREATE, obj=question, access=access, request=request, detail={"partner": partner.pk, "signal": signal.pk})
    return question


def inbox(access: Access):
    """Open and answered questions addressed to the caller's organisation (no signal details)."""
    return HitQuestion.objects.filter(partner_id=access.organisation_id).order_by("answer", "-asked_at")


@transaction.atomic
def answer(access: Access, question: HitQuestion, value: str, request=None) -> HitQuestion:
    if question.partner_id != access.organisation_id:
        raise ValidationError("Deze vraag is niet aan uw organisatie gesteld.")
    if value not in HitQuestion.Answer.values:
        raise ValidationError({"answer": "Kies hit, no-hit of niet interveniëren zonder overleg."})
    if question.answer:
        raise ValidationError("Deze vraag is al beantwoord.")
    question.answer, question.answered_by_id, question.answered_at = value, access.user_id, timezone.now()
    question.save()
    record(AuditEntry.Action.UPDATE, obj=question, access=access, request=request, detail={"answer": value})
    return question
