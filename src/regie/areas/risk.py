"""Writes and counts of the risk-location register (seed 001 §3.3: nulmeting → in beeld brengen,
vermoeden bevestigd of ontkracht → aangepakt). Every write validates, writes and logs in one
transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from .risk_models import RiskLocation, RiskLocationEvent, RiskLocationLink

S = RiskLocation.Status
#: the allowed next statuses; a refuted or tackled location may come back into view on new signals
TRANSITIONS: dict[str, set[str]] = {
    S.BASELINE: {S.IN_VIEW, S.CONFIRMED, S.REFUTED},
    S.IN_VIEW: {S.CONFIRMED, S.REFUTED},
    S.CONFIRMED: {S.TACKLED, S.REFUTED},
    S.REFUTED: {S.IN_VIEW},
    S.TACKLED: {S.IN_VIEW},
}
EDITABLE = ("kind", "name", "address", "buurt", "branch", "description", "confidentiality")


def _check_owner(access: Access, location: RiskLocation) -> None:
    if location.owner_id != access.organisation_id:
        raise ValidationError("Alleen de eigen gemeente kan deze risicolocatie wijzigen.")


def create_location(access: Access, *, kind: str, name: str, on: date | None = None, address=None, buurt=None,
                    branch: str = "", description: str = "", confidentiality: int | None = None) -> RiskLocation:
    """Register a location in the baseline (nulmeting) of the caller's municipality."""
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"status_on": "De datum ligt in de toekomst."})
    if buurt is None and address is not None and address.buurt_id:
        buurt = address.buurt
    location = RiskLocation(owner_id=access.organisation_id, kind=kind, name=(name or "").strip(), address=address,
                            buurt=buurt, branch=branch.strip(), description=description.strip(), status=S.BASELINE,
                            status_on=on)
    if confidentiality is not None:
        location.confidentiality = confidentiality
    location.full_clean()
    with transaction.atomic():
        location.save()
        RiskLocationEvent.objects.create(location=location, status=S.BASELINE, on=on, username=access.username)
        record(AuditEntry.Action.CREATE, obj=location, access=access, detail={"soort": kind, "status": S.BASELINE})
    return location


def update_location(access: Access, location: RiskLocation, **fields) -> RiskLocation:
    """Change the descriptive fields (not the status: :func:`change_status`)."""
    _check_owner(access, location)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    changed = sorted(k for k, v in fields.items() if getattr(location, k) != v)
    for key, value in fields.items():
        setattr(location, key, value.strip() if isinstance(value, str) else value)
    location.full_clean()
    with transaction.atomic():
        location.save()
        record(AuditEntry.Action.UPDATE, obj=location, access=access, detail={"velden": changed})
    return location


def change_status(access: Access, location: RiskLocation, status: str, *, on: date | None = None, reason: str = "") -> RiskLocationEvent:
    """Move a location along the lifecycle; refuses a step the table does not allow, a date before
    the previous status or in the future, and 'aangepakt' without a linked measure or a reason."""
    _check_owner(access, location)
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    if status not in S.values:
        raise ValidationError({"status": "Onbekende status."})
    if status not in TRANSITIONS[location.status]:
        raise ValidationError({"status": f"Van ‘{location.get_status_display()}’ kan niet naar ‘{S(status).label}’."})
    if on > timezone.localdate():
        raise ValidationError({"on": "De datum ligt in de toekomst."})
    if on < location.status_on:
        raise ValidationError({"on": f"De datum ligt vóór de vorige status ({location.status_on:%d-%m-%Y})."})
    if status == S.TACKLED and not reason and not measure_ids(location):
        raise ValidationError({"reason": "Koppel eerst een maatregel of geef aan hoe de locatie is aangepakt."})
    if status == S.REFUTED and not reason:
        raise ValidationError({"reason": "Geef aan waarom het vermoeden is ontkracht."})
    previous = location.status
    with transaction.atomic():
        location.status, location.status_on = status, on
        location.save(update_fields=["status", "status_on", "updated_at"])
        event = RiskLocationEvent.objects.create(location=location, status=status, on=on, reason=reason, username=access.username)
        record(AuditEntry.Action.UPDATE, obj=location, access=access,
               detail={"status": status, "vorige": previous, "datum": on.isoformat()})
    return event


def link_measure(access: Access, location: RiskLocation, measure) -> None:
    """Link a measure the caller may see (the caller fetched it through the scoped manager)."""
    _check_owner(access, location)
    if measure.owner_id != access.organisation_id:
        raise ValidationError("Alleen maatregelen van de eigen gemeente kunnen worden gekoppeld.")
    with transaction.atomic():
        location.measures.add(measure)
        record(AuditEntry.Action.UPDATE, obj=location, access=access, detail={"maatregel": measure.pk})


def measure_ids(location: RiskLocation) -> list[int]:
    """Ids of the linked measures (through the plain link table; show them via the scoped manager)."""
    through = RiskLocation.measures.through
    return list(through.objects.filter(risklocation_id=location.pk).values_list("measure_id", flat=True))


def link_record(access: Access, location: RiskLocation, obj) -> RiskLocationLink:
    """The hook for other rooms (integrale controles): link any record of the caller's own
    municipality to the location, without this app importing that room."""
    _check_owner(access, location)
    if getattr(obj, "owner_id", None) != access.organisation_id:
        raise ValidationError("Alleen records van de eigen gemeente kunnen worden gekoppeld.")
    with transaction.atomic():
        link, _ = RiskLocationLink.objects.get_or_create(
            location=location, content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        )
        record(AuditEntry.Action.UPDATE, obj=location, access=access,
               detail={"gekoppeld": type(obj)._meta.label_lower, "id": obj.pk})
    return link


def linked_ids(location: RiskLocation, model) -> list[int]:
    """Ids of ``model`` records linked through :func:`link_record` (fetch them scoped to show them)."""
    ct = ContentType.objects.get_for_model(model)
    return list(location.links.filter(content_type=ct).values_list("object_id", flat=True))


COLUMNS = [
    ("nieuw", "Nieuw in register"),
    (S.IN_VIEW, "In beeld brengen"),
    (S.CONFIRMED, "Vermoeden bevestigd"),
    (S.REFUTED, "Vermoeden ontkracht"),
    (S.TACKLED, "Aangepakt"),
    ("open", "Open op 31-12"),
]


def counts_per_year(queryset) -> list[dict]:
    """Per year: how many locations entered the register, reached each status in that year, and
    how many were still open (not tackled, not refuted) at the end of it. ``queryset`` is the
    caller's scoped RiskLocation queryset (filters applied)."""
    events = RiskLocationEvent.objects.filter(location__in=queryset.values("pk")).order_by("on", "pk")
    reached: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    history: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for location_id, status, on in events.values_list("location_id", "status", "on"):
        history[location_id].append((on, status))
        reached[on.year]["nieuw" if status == S.BASELINE and len(history[location_id]) == 1 else status] += 1
    if not reached:
        return []
    rows = []
    for year in range(min(reached), max(max(reached), timezone.localdate().year) + 1):
        end = date(year, 12, 31)
        open_ = 0
        for steps in history.values():
            at_end = [s for d, s in steps if d <= end]
            if at_end and at_end[-1] not in (S.TACKLED, S.REFUTED):
                open_ += 1
        counts = {key: reached[year].get(key, 0) for key, _ in COLUMNS[:-1]}
        counts["open"] = open_
        rows.append({"year": year, "counts": [counts[key] for key, _ in COLUMNS], **counts})
    return rows
