"""Regional accountability (issue 11, point 5): what a RIEC sees of its member municipalities.

Figures are counted per member municipality under that municipality's organisation access and
summed; only the sums leave this module, after disclosure control, so no personal data and no
single municipality's figures reach the RIEC. Members are the municipalities in the RIEC's
regions (and their sub-regions, such as districts) on the peildatum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import reduce

from regie.accounts.roles import Role
from regie.organisations.models import Organisation, Region

from . import disclosure
from .builtin import cases, signals
from .builtin.common import years_for
from .report import ShownTable, show

#: the roles of a RIEC organisation that see the regional figures
REGIONAL_ROLES = frozenset({Role.COORDINATOR, Role.ANALIST})
#: the kinds of organisation whose users may open the regional view
REGIONAL_KINDS = frozenset({Organisation.Kind.RIEC})


def may_view(user) -> bool:
    org = getattr(user, "organisation", None)
    return org is not None and org.kind in REGIONAL_KINDS and user.role in REGIONAL_ROLES


def regions_of(organisation, day: date) -> list[Region]:
    regions = list(organisation.regions_on(day))
    children = list(Region.objects.filter(parent__in=regions)) if regions else []
    return sorted({*regions, *children}, key=lambda r: r.name)


def members(organisation, day: date) -> list[Organisation]:
    """The member municipalities of ``organisation``'s regions on ``day`` (never itself)."""
    found: dict[int, Organisation] = {}
    for region in regions_of(organisation, day):
        for org in region.members_on(day).filter(kind=Organisation.Kind.GEMEENTE, active=True):
            found[org.pk] = org
    found.pop(organisation.pk, None)
    return sorted(found.values(), key=lambda o: o.name)


@dataclass
class RegionalReport:
    organisation: str
    year: int
    peildatum: date
    regions: list[str]
    members: list[str]
    rules: disclosure.Rules
    tables: list[ShownTable]

    @property
    def partial(self) -> bool:
        return self.peildatum < date(self.year, 12, 31)


def build(organisation, year: int, peildatum: date) -> RegionalReport:
    years = years_for(year)
    municipalities = members(organisation, peildatum)
    signal_sum = reduce(lambda a, b: a + b, (signals.counts(m, years, peildatum) for m in municipalities),
                        signals.SignalCounts())
    case_sum = reduce(lambda a, b: a + b, (cases.counts(m, years, peildatum) for m in municipalities), cases.CaseCounts())
    case_tables = cases.tables(case_sum, years, peildatum)
    signal_tables = signals.tables(signal_sum, years, peildatum)
    chosen = [case_tables[0], case_tables[2], signal_tables[0], *signal_tables[2:]]
    rules = disclosure.rules_for(organisation)
    return RegionalReport(
        organisation=organisation.name, year=year, peildatum=peildatum,
        regions=[r.name for r in regions_of(organisation, peildatum)],
        members=[m.name for m in municipalities], rules=rules,
        tables=[show(t, rules, peildatum) for t in chosen],
    )
