"""Disclosure control for every figure the reports publish (issue 11, points 4 and 5).

Modelled on the practice of CBS for tables of counts (docs/reports.md):

* **primary suppression** (threshold rule): a count of 1 to ``threshold - 1`` is not shown but
  published as "<threshold" (default "<5"); a zero stays a zero;
* **secondary suppression**: a row or column with exactly one suppressed cell would give that
  cell away through its total (a total in the table, in another table or in last year's report),
  so the smallest other cell of that line is suppressed too (shown "×"); repeated until no line
  holds exactly one suppressed cell. A line whose total is itself below the threshold needs no
  protection: that total is suppressed wherever Regie publishes it;
* **rounding** (optional): every published count is rounded to the nearest multiple of
  ``rounding`` (e.g. 5);
* figures that rest on a count (a median in the column named by ``basis_column``) are suppressed
  with their count.

Only the integer cells of a table marked ``counts=True`` are touched. Pure functions: no database.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from .sections import Cell, ReportTable

SECONDARY = "×"


@dataclass(frozen=True)
class Rules:
    #: counts from 1 up to (not including) this number are suppressed; 0 or 1 switches it off
    threshold: int = 5
    #: round published counts to a multiple of this number; 0 or 1: no rounding
    rounding: int = 0
    #: protect suppressed cells against derivation from row and column totals
    secondary: bool = True

    def __post_init__(self):
        if self.threshold < 0 or self.rounding < 0:
            raise ValueError("threshold and rounding must not be negative")

    @property
    def primary_mark(self) -> str:
        return f"<{self.threshold}"

    def describe(self) -> str:
        """The rule in Dutch, for the note under every report."""
        parts = []
        if self.threshold > 1:
            parts.append(f"Aantallen van 1 tot en met {self.threshold - 1} zijn vervangen door “{self.primary_mark}”")
            if self.secondary:
                parts.append(f"waar zo’n aantal uit een totaal af te leiden zou zijn, is ook een ander getal weggelaten (“{SECONDARY}”)")
        if self.rounding > 1:
            parts.append(f"aantallen zijn afgerond op veelvouden van {self.rounding}")
        if not parts:
            return "Op deze aantallen is geen onthullingsbeheersing toegepast."
        text = "; ".join(parts)
        return text[0].upper() + text[1:] + ", zodat geen persoon, bedrijf of adres herleidbaar is."


DEFAULT_RULES = Rules()


def rules_for(organisation=None) -> Rules:
    """The rules of ``organisation``: the setting ``REGIE_REPORT_DISCLOSURE`` (a dict with
    threshold, rounding, secondary), overridden per organisation code in
    ``REGIE_REPORT_DISCLOSURE_BY_ORGANISATION``. The default is :data:`DEFAULT_RULES`."""
    values = dict(getattr(settings, "REGIE_REPORT_DISCLOSURE", {}) or {})
    per_org = getattr(settings, "REGIE_REPORT_DISCLOSURE_BY_ORGANISATION", {}) or {}
    code = getattr(organisation, "code", "") or ""
    if code and code in per_org:
        values.update(per_org[code])
    known = {"threshold", "rounding", "secondary"}
    return Rules(**{k: v for k, v in values.items() if k in known})


def _is_count(cell: Cell) -> bool:
    return isinstance(cell, int) and not isinstance(cell, bool)


def _round(value: int, base: int) -> int:
    if base <= 1:
        return value
    return int((Decimal(value) / base).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * base


def suppressed_cells(grid: list[list[Cell]], rules: Rules) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(primary, secondary) positions (row, column) to suppress in ``grid``."""
    primary = {
        (r, c) for r, cells in enumerate(grid) for c, cell in enumerate(cells)
        if _is_count(cell) and 0 < cell < rules.threshold
    }
    secondary: set[tuple[int, int]] = set()
    if not rules.secondary or not primary:
        return primary, secondary
    lines = [[(r, c) for c in range(len(cells))] for r, cells in enumerate(grid)]
    width = max((len(cells) for cells in grid), default=0)
    lines += [[(r, c) for r in range(len(grid)) if c < len(grid[r])] for c in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            counts = [pos for pos in line if _is_count(grid[pos[0]][pos[1]])]
            hidden = [pos for pos in counts if pos in primary or pos in secondary]
            if len(hidden) != 1:
                continue
            if sum(grid[r][c] for r, c in counts) < rules.threshold:
                continue  # the line's total is itself below the threshold: wherever shown, it is suppressed
            candidates = [pos for pos in counts if pos not in primary and pos not in secondary]
            if not candidates:
                continue
            # the smallest positive cell costs least; a zero only when nothing else is left
            candidates.sort(key=lambda pos: (grid[pos[0]][pos[1]] == 0, grid[pos[0]][pos[1]], pos))
            secondary.add(candidates[0])
            changed = True
    return primary, secondary


def apply(table: ReportTable, rules: Rules = DEFAULT_RULES) -> ReportTable:
    """``table`` as it may be published: suppressed, protected and rounded per ``rules``."""
    if not table.counts:
        return table
    grid = [list(cells) for _, cells in table.rows]
    primary, secondary = suppressed_cells(grid, rules)
    rows = []
    for r, (label, cells) in enumerate(table.rows):
        out: list[Cell] = []
        basis_hidden = table.basis_column is not None and (r, table.basis_column) in primary | secondary
        for c, cell in enumerate(cells):
            if (r, c) in primary:
                out.append(rules.primary_mark)
            elif (r, c) in secondary or basis_hidden and c != table.basis_column and cell is not None and not isinstance(cell, str):
                out.append(SECONDARY)
            elif _is_count(cell):
                out.append(_round(cell, rules.rounding))
            else:
                out.append(cell)
        rows.append((label, out))
    return replace(table, rows=rows)


def apply_all(tables: list[ReportTable], rules: Rules = DEFAULT_RULES) -> list[ReportTable]:
    return [apply(table, rules) for table in tables]
