"""The indicator catalogue: definitions computed from registered data (issue 11, point 2).

A room that registers something measurable adds its definitions here from its ``AppConfig.ready``
(the same way enrichers are added to ``regie.intake.enrichment``), so the plans room never imports
the internals of another room. A definition computes one figure for one organisation over a period;
it reads through the scoped managers with ``regie.organisations.access.organisation_access`` and
returns an aggregate only, never a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable

Value = Decimal | int | None


@dataclass(frozen=True)
class IndicatorDefinition:
    #: stable key, stored on goals (e.g. "controls.held")
    code: str
    #: Dutch label shown to users (e.g. "Integrale controles uitgevoerd")
    label: str
    #: Dutch unit: "aantal", "%", "dagen", "personen", ...
    unit: str
    #: Dutch explanation of how the figure is computed, shown beside it
    description: str
    #: the register it reads (Dutch, e.g. "Integrale controles")
    source: str
    #: (organisation, first day, last day) -> the figure, or None when it cannot be computed
    compute: Callable[[object, date, date], Value]


CATALOGUE: dict[str, IndicatorDefinition] = {}


def register(definition: IndicatorDefinition) -> None:
    """Add ``definition``; registering the same code twice keeps the first (reloads are harmless)."""
    CATALOGUE.setdefault(definition.code, definition)


def definition(code: str) -> IndicatorDefinition | None:
    return CATALOGUE.get(code)


def compute(code: str, organisation, start: date, end: date) -> Value:
    """The figure of indicator ``code`` for ``organisation`` from ``start`` to ``end`` (inclusive)."""
    found = CATALOGUE.get(code)
    if found is None:
        return None
    return found.compute(organisation, start, end)
