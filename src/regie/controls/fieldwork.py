"""The field work of a control: its address list (from signals and cases, chosen, or drawn at
random), the visits, the findings per partner, and where each finding leads — a new signal back
into intake, a measure, or a follow-up action for a partner.

Seed 004 §B3.5: businesses are selected "op basis van signalen vanuit de partners en vanuit
verschillende afdelingen van de gemeente", plus "willekeurige ondernemingen"; seed 000 §3.5:
"Er wordt vrijwel altijd wat aangetroffen" — nepsigaretten, no work permit, residents not
registered at the address, violated permit conditions.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from regie.accounts.roles import SUBJECTS, Role
from regie.areas.models import Buurt, Wijk
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.cases.models import Case
from regie.intake import services as intake
from regie.intake.models import Channel, Signal
from regie.meetings import services as meetings
from regie.meetings.models import Action, Forum
from regie.organisations.access import Access, organisation_access
from regie.organisations.models import Organisation
from regie.subjects import lookup
from regie.subjects.models import Address

from .models import AddressDraw, Control, ControlAddress, Finding
from .permissions import may_plan, may_record

#: seed 004 §B3.5: "About 6 businesses per control"
DEFAULT_DRAW = 6
MAX_DRAW = 50


def _locked(access: Access, control: Control) -> Control:
    current = Control.objects.visible_to(access).select_for_update().filter(pk=control.pk).first()
    if current is None:
        raise PermissionDenied("U mag deze controle niet zien, en dus ook niet wijzigen.")
    return current


def _pk(value):
    pk = getattr(value, "pk", value)
    if pk in (None, ""):
        return None
    try:
        return int(pk)
    except (TypeError, ValueError):
        return -1


def _require_planner(access: Access, control: Control) -> None:
    if not may_plan(access, control):
        raise PermissionDenied("Alleen de regie van de gemeente die de controle heeft, mag de adreslijst samenstellen.")


def _next_position(control: Control) -> int:
    last = control.addresses.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


# --- the address list ---------------------------------------------------------------------------

def address_candidates(access: Access, control: Control, limit: int = 40) -> list[dict]:
    """Addresses of open signals and open cases the caller may see, not yet on the list."""
    on_list = set(control.addresses.values_list("address_id", flat=True))
    found: list[dict] = []
    seen: set[int] = set()
    signals = (Signal.objects.visible_to(access).filter(owner_id=control.owner_id, address__isnull=False)
               .exclude(status__in=(Signal.Status.CLOSED, Signal.Status.COMBINED)).order_by("-received_at")[:limit])
    visible = Address.objects.visible_to(access)
    for signal in signals:
        address = visible.filter(pk=signal.address_id).first()
        if address is None or address.pk in on_list or address.pk in seen:
            continue
        seen.add(address.pk)
        found.append({"address": address, "source": ControlAddress.Source.SIGNAL, "signal": signal, "case": None,
                      "label": f"signaal {signal.reference}"})
    cases = Case.objects.visible_to(access).filter(owner_id=control.owner_id).exclude(phase="afgesloten").order_by("-opened_at")[:limit]
    for case in cases:
        for row in case.subjects.filter(address__isnull=False):
            address = visible.filter(pk=row.address_id).first()
            if address is None or address.pk in on_list or address.pk in seen:
                continue
            seen.add(address.pk)
            found.append({"address": address, "source": ControlAddress.Source.CASE, "signal": None, "case": case,
                          "label": f"casus {case.reference}"})
    return found[:limit]


@transaction.atomic
def add_address(access: Access, control: Control, address, *, source: str, signal=None, case=None, reason: str = "",
                request=None) -> ControlAddress:
    """Put an address on the list: from a signal or a case, or chosen by the regie with a reason."""
    _require_planner(access, control)
    control = _locked(access, control)
    if not control.is_open:
        raise ValidationError("Deze controle is uitgevoerd of geannuleerd; de adreslijst ligt vast.")
    obj = Address.objects.visible_to(access).filter(pk=_pk(address), owner_id=control.owner_id).first()
    if obj is None:
        raise ValidationError({"address": "Onbekend adres (of u mag het niet zien)."})
    if control.addresses.filter(address=obj).exists():
        raise ValidationError({"address": f"{obj} staat al op de adreslijst."})
    row = ControlAddress(control=control, address=obj, source=source, reason=(reason or "").strip()[:300],
                         position=_next_position(control))
    if source == ControlAddress.Source.SIGNAL:
        row.signal = Signal.objects.visible_to(access).filter(pk=_pk(signal), address_id=obj.pk).first()
        if row.signal is None:
            raise ValidationError({"signal": "Kies het signaal op dit adres."})
    elif source == ControlAddress.Source.CASE:
        row.case = Case.objects.visible_to(access).filter(pk=_pk(case), subjects__address_id=obj.pk).first()
        if row.case is None:
            raise ValidationError({"case": "Kies de casus over dit adres."})
    elif source == ControlAddress.Source.CHOSEN:
        if len(row.reason) < 5:
            raise ValidationError({"reason": "Geef een reden waarom dit adres wordt gecontroleerd."})
    else:
        raise ValidationError({"source": "Kies of het adres uit een signaal, een casus of een eigen keuze komt."})
    row.save()
    record(AuditEntry.Action.UPDATE, obj=control, access=access, request=request,
           detail={"address_added": obj.pk, "source": source, "signal": row.signal_id, "case": row.case_id})
    return row


@transaction.atomic
def draw_addresses(access: Access, control: Control, *, wijk=None, buurt=None, count: int = DEFAULT_DRAW,
                   seed: int | None = None, request=None) -> AddressDraw:
    """Draw ``count`` addresses at random from a wijk or buurt (the registry of the municipality,
    in primary-key order, minus those already on the list) with ``random.Random(seed)``. The seed
    is stored with the draw, so anyone can repeat it and check the selection."""
    _require_planner(access, control)
    control = _locked(access, control)
    if not control.is_open:
        raise ValidationError("Deze controle is uitgevoerd of geannuleerd; de adreslijst ligt vast.")
    area_buurt = Buurt.objects.visible_to(access).filter(pk=_pk(buurt), owner_id=control.owner_id).first() if buurt else None
    area_wijk = Wijk.objects.visible_to(access).filter(pk=_pk(wijk), owner_id=control.owner_id).first() if wijk and not buurt else None
    if area_buurt is None and area_wijk is None:
        raise ValidationError({"area": "Kies de wijk of de buurt waaruit wordt getrokken."})
    try:
        count = int(count)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"count": "Geef het aantal adressen als getal."}) from exc
    if not 1 <= count <= MAX_DRAW:
        raise ValidationError({"count": f"Trek tussen 1 en {MAX_DRAW} adressen."})
    pool_qs = Address.objects.visible_to(access).filter(owner_id=control.owner_id)
    pool_qs = pool_qs.filter(buurt=area_buurt) if area_buurt else pool_qs.filter(buurt__wijk=area_wijk)
    pool = list(pool_qs.exclude(pk__in=control.addresses.values("address_id")).order_by("pk").values_list("pk", flat=True))
    if not pool:
        raise ValidationError({"area": "In dit gebied staan geen adressen (meer) om uit te trekken."})
    seed = secrets.randbelow(2**31) if seed in (None, "") else int(seed)
    chosen = random.Random(seed).sample(pool, min(count, len(pool)))  # noqa: S311 — a reproducible, auditable draw from a stored seed, not a secret
    draw = AddressDraw.objects.create(control=control, wijk=area_wijk or area_buurt.wijk, buurt=area_buurt, count=count,
                                      seed=seed, pool_size=len(pool), drawn_by_id=access.user_id)
    position = _next_position(control)
    area_name = area_buurt.name if area_buurt else area_wijk.name
    for offset, pk in enumerate(chosen):
        ControlAddress.objects.create(control=control, address_id=pk, source=ControlAddress.Source.RANDOM, draw=draw,
                                      reason=f"Willekeurig getrokken in {area_name} (startwaarde {seed})"[:300],
                                      position=position + offset)
    record(AuditEntry.Action.UPDATE, obj=control, access=access, request=request, detail={
        "draw": draw.pk, "seed": seed, "area": area_name, "pool_size": len(pool), "drawn": chosen,
        "pool_sha256": hashlib.sha256(",".join(map(str, pool)).encode()).hexdigest(),
    })
    return draw


def replay_draw(access: Access, draw: AddressDraw, pool: list[int]) -> list[int]:
    """What the draw picks from ``pool`` with its stored seed: for checking a selection afterwards."""
    return random.Random(draw.seed).sample(sorted(pool), min(draw.count, len(pool)))  # noqa: S311 — replays the stored draw


# --- in the field -------------------------------------------------------------------------------

def _require_field(access: Access, control: Control) -> Control:
    if not may_record(access, control):
        raise PermissionDenied("U mag bij deze controle geen bevindingen vastleggen.")
    control = _locked(access, control)
    if not control.in_the_field:
        raise ValidationError("De controle is nog niet bevestigd (of is geannuleerd): de veldlijst is nog niet open.")
    return control


@transaction.atomic
def mark_visited(access: Access, control: Control, row, *, visited: bool = True, letter: bool | None = None,
                 request=None) -> ControlAddress:
    control = _require_field(access, control)
    row = control.addresses.filter(pk=_pk(row)).first()
    if row is None:
        raise ValidationError({"address": "Dit adres staat niet op de adreslijst van deze controle."})
    row.visited = bool(visited)
    row.visited_at = timezone.now() if visited else None
    row.visited_by_id = access.user_id if visited else None
    if letter is not None:
        row.letter_handed = bool(letter)
    row.save(update_fields=["visited", "visited_at", "visited_by", "letter_handed"])
    record(AuditEntry.Action.UPDATE, obj=control, access=access, request=request,
           detail={"visited": row.address_id, "value": row.visited, "letter": row.letter_handed})
    return row


def _partner_of_finding(access: Access, control: Control, organisation) -> Organisation:
    """A partner records for his own organisation; the municipality for itself or a participant."""
    if access.role == Role.PARTNER:
        return Organisation.objects.get(pk=access.organisation_id)
    pk = _pk(organisation) or control.owner_id
    allowed = {control.owner_id} | set(control.participants.values_list("organisation_id", flat=True)) | set(
        control.requests.values_list("organisation_id", flat=True))
    if pk not in allowed:
        raise ValidationError({"organisation": "Deze partner doet niet mee aan de controle."})
    return Organisation.objects.get(pk=pk)


def _on_site_address(access: Access, control: Control, new_address: dict, reason: str) -> ControlAddress:
    """An address not on the list: only with a reason, and then added to the list as 'ter plaatse'."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": "Dit adres staat niet op de adreslijst van de controle: geef een reden "
                                         "waarom het toch is bezocht (minimaal 5 tekens)."})
    postcode = (new_address.get("postcode") or "").replace(" ", "").upper()
    try:
        number = int(new_address.get("house_number") or 0)
    except (TypeError, ValueError):
        number = 0
    if not postcode or number <= 0:
        raise ValidationError({"address": "Geef postcode en huisnummer van het adres."})
    owner = Organisation.objects.get(pk=control.owner_id)
    registry = organisation_access(owner, "integrale controle", frozenset({SUBJECTS}))
    existing = Address.objects.visible_to(registry).filter(postcode=postcode, house_number=number,
                                                           house_letter=(new_address.get("house_letter") or "").upper()).first()
    if existing is None:
        if not (new_address.get("street") or "").strip():
            raise ValidationError({"address": "Dit adres staat niet in het register: geef ook de straat."})
        try:
            existing = lookup.find_or_create_address(
                registry, street=new_address["street"].strip(), house_number=number,
                house_letter=(new_address.get("house_letter") or "").upper(), postcode=postcode,
                city=(new_address.get("city") or "").strip() or owner.name.removeprefix("Gemeente ").strip(),
            ).obj
        except ValidationError as exc:
            raise ValidationError({"address": exc.messages}) from exc
    row = control.addresses.filter(address=existing).first()
    if row is None:
        row = ControlAddress.objects.create(control=control, address=existing, source=ControlAddress.Source.ON_SITE,
                                            reason=reason[:300], position=_next_position(control))
    return row


@transaction.atomic
def record_finding(access: Access, control: Control, *, kind: str, text: str = "", address=None,
                   new_address: dict | None = None, reason: str = "", organisation=None, persons=None,
                   to_signal: bool = False, request=None) -> Finding:
    """What one partner found at one address. ``address`` is a row of the list; an address that is
    not on it (``new_address``: postcode, house_number, street) needs a ``reason``. With
    ``to_signal`` the finding goes straight back into intake as a new signal."""
    control = _require_field(access, control)
    errors = {}
    if kind not in Finding.Kind.values:
        errors["kind"] = "Kies het soort bevinding."
    text = (text or "").strip()
    if kind != Finding.Kind.NOTHING and len(text) < 3:
        errors["text"] = "Beschrijf de bevinding."
    if persons not in (None, ""):
        try:
            persons = int(persons)
            if persons < 0 or persons > 500:
                raise ValueError
        except (TypeError, ValueError):
            errors["persons"] = "Geef het aantal personen als getal."
    else:
        persons = None
    if kind == Finding.Kind.NOT_REGISTERED and not persons:
        errors["persons"] = "Hoeveel personen verblijven er zonder inschrijving op het adres?"
    try:
        org = _partner_of_finding(access, control, organisation)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if address not in (None, ""):
        row = control.addresses.filter(pk=_pk(address)).first()
        if row is None:
            raise ValidationError({"address": "Dit adres staat niet op de adreslijst van deze controle."})
    elif new_address:
        row = _on_site_address(access, control, new_address, reason)
    else:
        raise ValidationError({"address": "Kies het adres van de bevinding."})
    if not row.visited:
        row.visited, row.visited_at, row.visited_by_id = True, timezone.now(), access.user_id
        row.save(update_fields=["visited", "visited_at", "visited_by"])
    finding = Finding(control=control, address=row, organisation=org, kind=kind, text=text, persons=persons,
                      recorded_by_id=access.user_id)
    finding.full_clean(exclude=["control", "address", "organisation", "recorded_by", "signal", "measure", "action"])
    finding.save()
    record(AuditEntry.Action.CREATE, obj=finding, access=access, request=request, detail={
        "control": control.pk, "address": row.address_id, "kind": kind, "organisation": org.pk,
        "on_site": row.source == ControlAddress.Source.ON_SITE,
    })
    if to_signal:
        finding.signal = finding_to_signal(access, finding, request=request)
    return finding


# --- where a finding leads ----------------------------------------------------------------------

def _finding(access: Access, finding: Finding) -> tuple[Control, Finding]:
    control = Control.objects.visible_to(access).filter(pk=finding.control_id).first()
    if control is None:
        raise PermissionDenied("U mag deze controle niet zien.")
    return control, Finding.objects.select_for_update().get(pk=finding.pk)


@transaction.atomic
def finding_to_signal(access: Access, finding: Finding, *, request=None) -> Signal:
    """Back into intake: a new signal on the finding's address, channel 'Integrale controle'."""
    control, finding = _finding(access, finding)
    if not may_record(access, control):
        raise PermissionDenied("U mag bij deze controle geen bevindingen vastleggen.")
    if finding.signal_id:
        raise ValidationError("Van deze bevinding is al een signaal gemaakt.")
    address = finding.address.address
    text = (f"Bevinding integrale controle {control.reference} ({control.get_kind_display()}, "
            f"{control.executed_on or control.planned_on:%d-%m-%Y}) door {finding.organisation.name}: "
            f"{finding.get_kind_display()}" + (f" — {finding.text}" if finding.text else "")
            + (f" ({finding.persons} personen)" if finding.persons else ""))
    owner = Organisation.objects.get(pk=control.owner_id)
    registered = intake.register(owner, intake.SignalInput(
        channel=Channel.CONTROL, text=text[:5000], hardness=Signal.Hardness.FACT,
        received_at=finding.recorded_at if finding.recorded_at <= timezone.now() else None,
        address=intake.AddressInput(postcode=address.postcode, house_number=address.house_number,
                                    house_letter=address.house_letter, addition=address.addition,
                                    street=address.street, city=address.city),
        source_organisation_id=finding.organisation_id if finding.organisation_id != control.owner_id else None,
    ), actor=access, request=request)
    finding.signal = registered.signal
    finding.save(update_fields=["signal"])
    record(AuditEntry.Action.UPDATE, obj=control, access=access, request=request,
           detail={"finding": finding.pk, "signal": registered.signal.pk})
    return registered.signal


@transaction.atomic
def finding_to_measure(access: Access, finding: Finding, *, kind, domain, description: str = "", request=None):
    """A measure of the mayor on the finding's address (through the measures room's own checks)."""
    from regie.measures import services as measures

    control, finding = _finding(access, finding)
    if not may_plan(access, control):
        raise PermissionDenied("Alleen de regie van de gemeente maakt van een bevinding een maatregel.")
    if finding.measure_id:
        raise ValidationError("Van deze bevinding is al een maatregel gemaakt.")
    description = (description or "").strip() or f"{finding.get_kind_display()} bij {control.reference}: {finding.address.address}"
    measure = measures.open_measure(access, kind=kind, domain=domain, description=description[:200],
                                    address=finding.address.address_id, request=request,
                                    confidentiality=control.confidentiality)
    finding.measure = measure
    finding.save(update_fields=["measure"])
    record(AuditEntry.Action.UPDATE, obj=control, access=access, request=request,
           detail={"finding": finding.pk, "measure": measure.pk})
    return measure


@transaction.atomic
def finding_to_action(access: Access, finding: Finding, *, organisation, description: str, due_on: date,
                      request=None) -> Action:
    """A follow-up for a partner (seed 004 §B3.5 debriefing: "concrete afspraken ... over de
    verdere afhandeling"), on the requesting forum or else the lokaal overleg, so an overdue one
    returns on its agenda; shared with the partner, who reports back through the meetings room."""
    control, finding = _finding(access, finding)
    if not may_plan(access, control):
        raise PermissionDenied("Alleen de regie van de gemeente spreekt vervolgacties af.")
    if finding.action_id:
        raise ValidationError("Voor deze bevinding is al een vervolgactie afgesproken.")
    errors = {}
    org = Organisation.objects.filter(pk=_pk(organisation)).first() if _pk(organisation) else None
    if org is None:
        errors["organisation"] = "Kies de partner die de actie uitvoert."
    if len((description or "").strip()) < 5:
        errors["description"] = "Beschrijf de vervolgactie (minimaal 5 tekens)."
    if not isinstance(due_on, date):
        errors["due_on"] = "Geef een uiterlijke datum."
    elif due_on < timezone.localdate():
        errors["due_on"] = "De uiterlijke datum ligt in het verleden."
    forums = Forum.objects.visible_to(access).filter(owner_id=control.owner_id, active=True)
    forum = forums.filter(pk=control.requesting_forum_id).first() if control.requesting_forum_id else None
    forum = forum or forums.filter(kind=Forum.Kind.LOCAL).order_by("pk").first()
    if forum is None:
        errors["organisation"] = "Er is geen overleg waar de actie op terugkomt; leg eerst een lokaal overleg aan."
    if errors:
        raise ValidationError(errors)
    action = meetings.create_action(
        access, forum=forum, description=f"{description.strip()} (controle {control.reference})", owner_organisation=org,
        due_on=due_on, confidentiality=control.confidentiality, basis=f"Afspraak integrale controle {control.reference}",
        request=request, detail={"control": control.pk, "finding": finding.pk},
    )
    finding.action = action
    finding.save(update_fields=["action"])
    record(AuditEntry.Action.UPDATE, obj=control, access=access, request=request,
           detail={"finding": finding.pk, "action": action.pk})
    return action

