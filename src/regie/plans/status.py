"""Whether a goal is reached, per kind of target (issue 11, point 2). Pure functions, no database.

The rules, also shown beside the dashboard:

* exact: behaald when the figure equals the target;
* minimum / maximum: behaald at or above / at or below the target;
* range: behaald inside the bounds (inclusive);
* percentage of the baseline: the target is a change in percent (−5 = five percent fewer); behaald
  when the figure is at or beyond baseline × (1 + target/100), the rule of seed 002 Tabel 2;
* deels: not reached, but closer to the target than the baseline was (needs a baseline);
* qualitative and "nog niet vastgesteld": a figure cannot decide them, so onbekend until someone
  sets the status by hand with a reason; onbekend as well when there is no figure.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models


class TargetKind(models.TextChoices):
    EXACT = "exact", "exact"
    MINIMUM = "minimum", "minimaal"
    MAXIMUM = "maximum", "maximaal"
    RANGE = "bandbreedte", "bandbreedte"
    PERCENT = "percentage", "percentage van de nulmeting"
    QUALITATIVE = "kwalitatief", "kwalitatief"
    NOT_SET = "niet_vastgesteld", "nog niet vastgesteld"


class GoalStatus(models.TextChoices):
    REACHED = "behaald", "behaald"
    PARTLY = "deels", "deels behaald"
    NOT_REACHED = "niet_behaald", "niet behaald"
    UNKNOWN = "onbekend", "onbekend"


Number = Decimal | int | float | None


def _d(value: Number) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def percent_threshold(baseline: Number, percent: Number) -> Decimal | None:
    """baseline × (1 + percent/100), or None without a baseline or percentage."""
    baseline, percent = _d(baseline), _d(percent)
    if baseline is None or percent is None:
        return None
    return baseline * (1 + percent / 100)


def _distance(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    if value < low:
        return low - value
    if value > high:
        return value - high
    return Decimal(0)


def evaluate(kind: str, realised: Number, *, target: Number = None, upper: Number = None,
             baseline: Number = None) -> GoalStatus:
    """The status of a goal of ``kind`` with figure ``realised``."""
    value, target, upper, baseline = _d(realised), _d(target), _d(upper), _d(baseline)
    if value is None or kind in (TargetKind.QUALITATIVE, TargetKind.NOT_SET):
        return GoalStatus.UNKNOWN
    if kind == TargetKind.PERCENT:
        threshold = percent_threshold(baseline, target)
        if threshold is None or target == 0:
            return GoalStatus.UNKNOWN
        low, high = (Decimal("-Infinity"), threshold) if target < 0 else (threshold, Decimal("Infinity"))
    elif target is None:
        return GoalStatus.UNKNOWN
    elif kind == TargetKind.EXACT:
        low = high = target
    elif kind == TargetKind.MINIMUM:
        low, high = target, Decimal("Infinity")
    elif kind == TargetKind.MAXIMUM:
        low, high = Decimal("-Infinity"), target
    elif kind == TargetKind.RANGE:
        if upper is None or upper < target:
            return GoalStatus.UNKNOWN
        low, high = target, upper
    else:
        return GoalStatus.UNKNOWN
    if low <= value <= high:
        return GoalStatus.REACHED
    if baseline is not None and _distance(value, low, high) < _distance(baseline, low, high):
        return GoalStatus.PARTLY
    return GoalStatus.NOT_REACHED


def describe(kind: str, *, target: Number = None, upper: Number = None, text: str = "", unit: str = "") -> str:
    """The target in words, as the dashboard shows it."""
    suffix = f" {unit}" if unit and unit != "aantal" else ""

    def fmt(v):
        d = _d(v)
        return "–" if d is None else f"{d.normalize():f}".replace(".", ",")

    if kind == TargetKind.EXACT:
        return f"precies {fmt(target)}{suffix}"
    if kind == TargetKind.MINIMUM:
        return f"minimaal {fmt(target)}{suffix}"
    if kind == TargetKind.MAXIMUM:
        return f"maximaal {fmt(target)}{suffix}"
    if kind == TargetKind.RANGE:
        return f"tussen {fmt(target)} en {fmt(upper)}{suffix}"
    if kind == TargetKind.PERCENT:
        d = _d(target)
        sign = "+" if d is not None and d > 0 else ""
        return f"{sign}{fmt(target)}% ten opzichte van de nulmeting"
    if kind == TargetKind.QUALITATIVE:
        return text or "kwalitatief"
    return "nog niet vastgesteld"
