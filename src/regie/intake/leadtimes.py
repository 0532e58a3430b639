"""Lead times from the event clock: received → triaged → on an agenda → decision → first
intervention, as medians in days per year of receipt (point 7 of the intake issue).

Reports read this; it only counts signals the caller may see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import median

from regie.organisations.access import Access

from .models import Signal, SignalEvent

STEPS = [
    (SignalEvent.Kind.RECEIVED, SignalEvent.Kind.TRIAGED, "ontvangen → beoordeeld"),
    (SignalEvent.Kind.RECEIVED, SignalEvent.Kind.ON_AGENDA, "ontvangen → geagendeerd"),
    (SignalEvent.Kind.RECEIVED, SignalEvent.Kind.DECISION, "ontvangen → besluit"),
    (SignalEvent.Kind.RECEIVED, SignalEvent.Kind.FIRST_INTERVENTION, "ontvangen → eerste interventie"),
]


@dataclass
class LeadTime:
    year: int
    step: str
    signals: int
    median_days: float | None


def lead_times(access: Access, years: list[int] | None = None) -> list[LeadTime]:
    visible = Signal.objects.visible_to(access).values("pk")
    first: dict[tuple[int, str], object] = {}
    for signal_id, kind, at in (
        SignalEvent.objects.filter(signal_id__in=visible).order_by("at").values_list("signal_id", "kind", "at")
    ):
        first.setdefault((signal_id, kind), at)
    durations: dict[tuple[int, str], list[float]] = defaultdict(list)
    for (signal_id, kind), received in first.items():
        if kind != SignalEvent.Kind.RECEIVED:
            continue
        for start, end, label in STEPS:
            reached = first.get((signal_id, end))
            if reached is not None and reached >= received:
                durations[(received.year, label)].append((reached - received).total_seconds() / 86400)
    all_years = sorted({y for y, _ in durations} | set(years or []))
    result = []
    for year in all_years:
        if years and year not in years:
            continue
        for _, _, label in STEPS:
            values = durations.get((year, label), [])
            result.append(LeadTime(year, label, len(values), round(median(values), 1) if values else None))
    return result
