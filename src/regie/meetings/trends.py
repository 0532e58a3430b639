"""The monthly trends slot: aggregated figures on the signals of a period (issue 4, point 6).

Counts only, per theme, per source (channel) and per wijk; no record is named. Cells below
:data:`SMALL_CELL` are shown as "<5" so partners at the table cannot single out one report.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from regie.intake.models import Channel, Signal
from regie.organisations.access import Access

SMALL_CELL = 5


def _cell(n: int) -> str:
    return f"<{SMALL_CELL}" if 0 < n < SMALL_CELL else str(n)


def period_before(day: date, days: int = 30) -> tuple[date, date]:
    return day - timedelta(days=days), day


def figures(access: Access, start: date, end: date) -> dict:
    """Signals received in [start, end): totals per theme, channel and wijk, small cells hidden."""
    tz = timezone.get_current_timezone()
    signals = Signal.objects.visible_to(access).filter(
        received_at__gte=datetime.combine(start, time.min, tz), received_at__lt=datetime.combine(end, time.min, tz)
    )
    themes, channels, wijken = Counter(), Counter(), Counter()
    total = 0
    channel_names = dict(Channel.choices)
    for signal in signals.prefetch_related("themes").select_related("buurt__wijk"):
        total += 1
        names = [t.name for t in signal.themes.all()] or ["zonder thema"]
        themes.update(names)
        channels[channel_names.get(signal.channel, signal.channel)] += 1
        wijken[signal.buurt.wijk.name if signal.buurt_id and signal.buurt.wijk_id else "onbekend"] += 1

    def rows(counter: Counter) -> list[list[str]]:
        return [[name, _cell(n)] for name, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]

    return {
        "titel": f"Trends: signalen {start:%d-%m-%Y} t/m {end - timedelta(days=1):%d-%m-%Y}",
        "onderwerp": {
            "totaal": _cell(total),
            "per_thema": rows(themes),
            "per_bron": rows(channels),
            "per_wijk": rows(wijken),
        },
    }
