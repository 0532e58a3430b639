"""Disclosure control (issue 11, point 4): primary and secondary suppression, rounding, settings."""

from decimal import Decimal

import pytest

from regie.reports import disclosure
from regie.reports.disclosure import (
    SECONDARY,
    Rules,
    apply,
    rules_for,
    suppressed_cells,
)
from regie.reports.sections import ReportTable


def table(rows, **kwargs):
    return ReportTable("T", [f"k{i}" for i in range(len(rows[0][1]))], rows, **kwargs)


def cells(t):
    return [c for _, c in t.rows]


def test_primary_suppression_hides_one_to_four_and_keeps_zero_and_five():
    out = apply(table([("a", [0, 1, 4, 5, 12])]), Rules(secondary=False))
    assert cells(out) == [[0, "<5", "<5", 5, 12]]


def test_the_threshold_is_configurable():
    out = apply(table([("a", [2, 3, 9])]), Rules(threshold=3, secondary=False))
    assert cells(out) == [["<3", 3, 9]]
    assert cells(apply(table([("a", [1, 2])]), Rules(threshold=0))) == [[1, 2]]


def test_secondary_suppression_protects_a_lone_suppressed_cell_in_a_row():
    # the row total 20 + 3 + 30 would give the 3 away: the smallest other cell goes too
    out = apply(table([("a", [20, 3, 30])]))
    assert cells(out) == [[SECONDARY, "<5", 30]]


def test_secondary_suppression_works_on_columns_and_until_stable():
    grid = [
        ("a", [10, 2, 40]),
        ("b", [12, 15, 50]),
        ("c", [30, 18, 60]),
    ]
    primary, secondary = suppressed_cells([c for _, c in grid], Rules())
    assert primary == {(0, 1)}
    # no row or column is left with exactly one hidden cell
    hidden = primary | secondary
    for r in range(3):
        assert len([c for c in range(3) if (r, c) in hidden]) != 1
    for c in range(3):
        assert len([r for r in range(3) if (r, c) in hidden]) != 1
    # and the cheapest cells were chosen: 10 in row a, 15 in column 1
    assert (0, 0) in secondary and (1, 1) in secondary


def test_two_suppressed_cells_in_a_line_need_no_secondary():
    out = apply(table([("a", [2, 3, 30])]))
    assert cells(out) == [["<5", "<5", 30]]


def test_a_line_whose_total_is_below_the_threshold_needs_no_secondary():
    # the total (3) would itself be suppressed, so the zeros need not be hidden
    out = apply(table([("a", [0, 0, 3]), ("b", [0, 0, 0])]))
    assert cells(out) == [[0, 0, "<5"], [0, 0, 0]]


def test_a_zero_is_taken_when_no_positive_cell_is_left():
    # row a: 3 and 9 hidden (9 protects 3 in row a); column 1 then holds one hidden cell (9) with total 9 + 0
    primary, secondary = suppressed_cells([[3, 9], [0, 0]], Rules())
    assert primary == {(0, 0)} and (0, 1) in secondary and (1, 1) in secondary


def test_rounding_to_multiples_of_five():
    out = apply(table([("a", [0, 6, 7, 8, 13, 102])]), Rules(threshold=0, rounding=5))
    assert cells(out) == [[0, 5, 5, 10, 15, 100]]
    out = apply(table([("a", [3, 7, 12])]), Rules(threshold=5, rounding=5, secondary=False))
    assert cells(out) == [["<5", 5, 10]]


def test_tables_that_are_not_counts_and_non_integer_cells_are_left_alone():
    plain = table([("a", [1, 2])], counts=False)
    assert apply(plain) is plain
    out = apply(table([("a", ["tekst", None, Decimal("1.5"), 7])]), Rules(secondary=False))
    assert cells(out) == [["tekst", None, Decimal("1.5"), 7]]


def test_a_median_goes_with_its_suppressed_basis_count():
    t = table([("stap 1", [3, Decimal("4.5")]), ("stap 2", [0, None]), ("stap 3", [9, Decimal(10)])], basis_column=0)
    out = apply(t, Rules(secondary=False))
    assert cells(out) == [["<5", SECONDARY], [0, None], [9, Decimal(10)]]


def test_the_table_keeps_its_other_fields():
    t = table([("a", [3, 30])], note="bron", partial_columns=[1], chart_column=1)
    out = apply(t)
    assert (out.title, out.note, out.partial_columns, out.chart_column) == ("T", "bron", [1], 1)


def test_rules_come_from_the_setting_and_per_organisation(settings):
    assert rules_for(None) == disclosure.DEFAULT_RULES == Rules(threshold=5, rounding=0, secondary=True)
    settings.REGIE_REPORT_DISCLOSURE = {"threshold": 10, "rounding": 5}
    settings.REGIE_REPORT_DISCLOSURE_BY_ORGANISATION = {"GM0001": {"rounding": 0, "secondary": False}}

    class Org:
        code = "GM0001"

    assert rules_for(None) == Rules(threshold=10, rounding=5)
    assert rules_for(Org()) == Rules(threshold=10, rounding=0, secondary=False)


def test_negative_rules_are_refused():
    with pytest.raises(ValueError):
        Rules(threshold=-1)


def test_the_rules_describe_themselves_in_dutch():
    assert "“<5”" in Rules().describe()
    assert "veelvouden van 5" in Rules(rounding=5).describe()
    assert "geen onthullingsbeheersing" in Rules(threshold=0).describe()
