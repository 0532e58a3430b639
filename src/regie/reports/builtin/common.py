"""Small helpers the builtin sections share: the years shown and the organisation's access."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from regie.organisations.access import Access, organisation_access

#: how many years a trend table shows (the report's year and the two before it)
YEARS_SHOWN = 3


def years_for(year: int) -> list[int]:
    return list(range(year - YEARS_SHOWN + 1, year + 1))


def partial_columns(years: list[int], peildatum: date) -> list[int]:
    """Indexes of the years that are not complete on the peildatum."""
    return [i for i, y in enumerate(years) if y == peildatum.year and peildatum < date(y, 12, 31)]


def last_day(year: int, peildatum: date) -> date:
    return min(peildatum, date(year, 12, 31))


def access_for(organisation, reason: str, *categories: str) -> Access:
    """The organisation as a whole: aggregates never depend on the viewer's own categories."""
    return organisation_access(organisation, reason, frozenset(categories))


def local_day(moment) -> date:
    return timezone.localtime(moment).date()
