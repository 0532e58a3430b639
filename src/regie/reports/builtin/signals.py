"""Nature and extent: signals per theme, per assessment and per channel, per year of receipt.

Counted from the intake register for the whole municipality (all confidentiality levels, under an
organisation access); only counts leave this module.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from regie.accounts.roles import SIGNALS
from regie.intake.models import Channel, Signal
from regie.organisations.models import Organisation

from ..sections import ReportTable
from .common import access_for, last_day, local_day, partial_columns, years_for

NO_THEME = "Zonder thema"
TOTAL = "Totaal signalen"
LABELS = {
    Signal.Label.SUBVERSIVE: "Ondermijningsgerelateerd",
    Signal.Label.NOT: "Niet ondermijningsgerelateerd",
    Signal.Label.UNKNOWN: "Onbekend",
    "": "Nog niet beoordeeld",
}
KIND_LABELS = dict(Organisation.Kind.choices)


@dataclass
class SignalCounts:
    """Counts keyed by (row label, year); summed over municipalities for the regional view."""

    themes: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)
    channels: Counter = field(default_factory=Counter)
    partner_kinds: Counter = field(default_factory=Counter)
    totals: Counter = field(default_factory=Counter)

    def __add__(self, other: SignalCounts) -> SignalCounts:
        return SignalCounts(*(getattr(self, f) + getattr(other, f) for f in
                              ("themes", "labels", "channels", "partner_kinds", "totals")))


def counts(organisation, years: list[int], peildatum: date) -> SignalCounts:
    access = access_for(organisation, "raadsrapportage signalen", SIGNALS)
    first, last = date(years[0], 1, 1), last_day(years[-1], peildatum)
    rows = list(
        Signal.objects.visible_to(access)
        .filter(owner_id=organisation.pk, received_at__date__gte=first, received_at__date__lte=last)
        .values_list("pk", "received_at", "label", "channel", "source_organisation__kind")
    )
    year_of = {pk: local_day(at).year for pk, at, *_ in rows}
    result = SignalCounts()
    themed: set[int] = set()
    for signal_id, group, name in Signal.themes.through.objects.filter(signal_id__in=list(year_of)).values_list(
            "signal_id", "theme__group", "theme__name"):
        theme = f"{group}: {name}" if group and group.lower() != name.lower() else name.capitalize()
        result.themes[(theme, year_of[signal_id])] += 1
        themed.add(signal_id)
    for pk, _, label, channel, source_kind in rows:
        year = year_of[pk]
        result.totals[year] += 1
        if pk not in themed:
            result.themes[(NO_THEME, year)] += 1
        result.labels[(LABELS.get(label, label), year)] += 1
        result.channels[(Channel(channel).label if channel in Channel.values else channel, year)] += 1
        if source_kind:
            result.partner_kinds[(KIND_LABELS.get(source_kind, source_kind), year)] += 1
    return result


def _rows(counter: Counter, years: list[int], *, last: list[str] = ()) -> list[tuple[str, list]]:
    names = sorted({name for name, _ in counter} - set(last))
    names += [name for name in last if any(counter[(name, y)] for y in years)]
    return [(name, [counter[(name, y)] for y in years]) for name in names]


def tables(data: SignalCounts, years: list[int], peildatum: date) -> list[ReportTable]:
    columns = [str(y) for y in years]
    partial = partial_columns(years, peildatum)
    chart = len(years) - 1
    result = [
        ReportTable(
            "Signalen per thema", columns,
            [*_rows(data.themes, years, last=[NO_THEME]), (TOTAL, [data.totals[y] for y in years])],
            note="Een signaal met meer dan één thema telt bij elk thema mee; het totaal telt elk signaal één keer. "
                 "Jaar van ontvangst.",
            partial_columns=partial, chart_column=chart,
        ),
        ReportTable("Signalen naar beoordeling", columns, _rows(data.labels, years), partial_columns=partial,
                    note="Beoordeling na triage: hoort het signaal bij ondermijning?"),
        ReportTable("Herkomst van de signalen (kanaal)", columns, _rows(data.channels, years), partial_columns=partial,
                    chart_column=chart),
    ]
    if data.partner_kinds:
        result.append(ReportTable("Aangeleverd door partners (soort organisatie)", columns, _rows(data.partner_kinds, years),
                                  partial_columns=partial))
    return result


def section(organisation, year: int, peildatum: date) -> list[ReportTable]:
    years = years_for(year)
    return tables(counts(organisation, years, peildatum), years, peildatum)
