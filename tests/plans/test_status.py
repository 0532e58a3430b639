"""The status per kind of target: a pure function, every kind and its edges."""

from decimal import Decimal

import pytest

from regie.plans.status import GoalStatus as S
from regie.plans.status import TargetKind as K
from regie.plans.status import describe, evaluate, percent_threshold


@pytest.mark.parametrize("value,expected", [(12, S.REACHED), (13, S.REACHED), (11, S.PARTLY), (5, S.NOT_REACHED), (4, S.NOT_REACHED)])
def test_minimum(value, expected):
    assert evaluate(K.MINIMUM, value, target=12, baseline=5) == expected


def test_minimum_without_baseline_is_never_partly():
    assert evaluate(K.MINIMUM, 11, target=12) == S.NOT_REACHED
    assert evaluate(K.MINIMUM, 12, target=12) == S.REACHED


@pytest.mark.parametrize("value,expected", [(21, S.REACHED), (Decimal("20.9"), S.REACHED), (Decimal("22.0"), S.PARTLY),
                                            (Decimal("22.7"), S.NOT_REACHED), (25, S.NOT_REACHED)])
def test_maximum(value, expected):
    assert evaluate(K.MAXIMUM, value, target=21, baseline=Decimal("22.7")) == expected


@pytest.mark.parametrize("value,expected", [(10, S.REACHED), (9, S.PARTLY), (11, S.PARTLY), (2, S.NOT_REACHED), (18, S.NOT_REACHED)])
def test_exact(value, expected):
    assert evaluate(K.EXACT, value, target=10, baseline=2) == expected


@pytest.mark.parametrize("value,expected", [(40, S.REACHED), (50, S.REACHED), (45, S.REACHED), (39, S.PARTLY),
                                            (51, S.PARTLY), (61, S.NOT_REACHED), (30, S.NOT_REACHED)])
def test_range_inclusive(value, expected):
    assert evaluate(K.RANGE, value, target=40, upper=50, baseline=30) == expected


def test_range_with_inverted_or_missing_bounds_is_unknown():
    assert evaluate(K.RANGE, 45, target=50, upper=40) == S.UNKNOWN
    assert evaluate(K.RANGE, 45, target=40) == S.UNKNOWN


def test_percent_of_baseline_follows_the_seed_rule():
    # seed 002 Tabel 2: woninginbraken 617 (2018), target −10 %: 205 in 2021 is behaald
    assert evaluate(K.PERCENT, 205, target=-10, baseline=617) == S.REACHED
    # jeugdoverlast 1223, −5 %: 1966 is niet behaald
    assert evaluate(K.PERCENT, 1966, target=-5, baseline=1223) == S.NOT_REACHED
    # exactly on the threshold counts, just below the baseline is deels
    assert percent_threshold(1000, -5) == Decimal(950)
    assert evaluate(K.PERCENT, 950, target=-5, baseline=1000) == S.REACHED
    assert evaluate(K.PERCENT, 990, target=-5, baseline=1000) == S.PARTLY


def test_percent_increase():
    assert evaluate(K.PERCENT, 110, target=10, baseline=100) == S.REACHED
    assert evaluate(K.PERCENT, 105, target=10, baseline=100) == S.PARTLY
    assert evaluate(K.PERCENT, 100, target=10, baseline=100) == S.NOT_REACHED


def test_percent_without_baseline_or_with_zero_is_unknown():
    assert evaluate(K.PERCENT, 100, target=-5) == S.UNKNOWN
    assert evaluate(K.PERCENT, 100, target=0, baseline=100) == S.UNKNOWN


@pytest.mark.parametrize("kind", [K.QUALITATIVE, K.NOT_SET])
def test_qualitative_and_not_set_are_unknown(kind):
    assert evaluate(kind, 100, target=1, baseline=0) == S.UNKNOWN


@pytest.mark.parametrize("kind", [K.EXACT, K.MINIMUM, K.MAXIMUM, K.RANGE, K.PERCENT])
def test_no_figure_is_unknown(kind):
    assert evaluate(kind, None, target=1, upper=2, baseline=1) == S.UNKNOWN


def test_no_target_is_unknown():
    assert evaluate(K.MINIMUM, 5) == S.UNKNOWN


def test_describe_in_dutch():
    assert describe(K.MINIMUM, target=Decimal("12.00")) == "minimaal 12"
    assert describe(K.RANGE, target=40, upper=50) == "tussen 40 en 50"
    assert describe(K.PERCENT, target=Decimal(-5)) == "-5% ten opzichte van de nulmeting"
    assert describe(K.MAXIMUM, target=Decimal("21.5"), unit="%") == "maximaal 21,5 %"
    assert describe(K.QUALITATIVE, text="Blauwdruk LOO vastgesteld") == "Blauwdruk LOO vastgesteld"
    assert describe(K.NOT_SET) == "nog niet vastgesteld"
