"""Birth dates: parsed from the common Dutch and ISO spellings; impossible dates are flagged.

Accepted: a ``date``; '1980-05-12', '12-05-1980', '12/05/1980', '12.05.1980', '19800512'.
Refused with a problem: 31-02-1980 (no such day), month 13, a date in the future or before 1880.
"""

from __future__ import annotations

import re
from datetime import date

from .records import Problem

_EARLIEST_YEAR = 1880
_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),
]


def parse_date(value, field: str = "birth_date", today: date | None = None) -> tuple[date | None, list[Problem]]:
    if value is None or value == "":
        return None, []
    if isinstance(value, date):
        parts = (value.year, value.month, value.day)
    else:
        text = str(value).strip()
        if text.lower() in ("", "nan", "none"):
            return None, []
        for pattern, order in _PATTERNS:
            match = pattern.match(text)
            if match:
                found = dict(zip(order, (int(g) for g in match.groups()), strict=True))
                parts = (found["y"], found["m"], found["d"])
                break
        else:
            return None, [Problem(field, "date.format", "Deze datum is onleesbaar (verwacht bijvoorbeeld 12-05-1980).")]
    try:
        parsed = date(*parts)
    except ValueError:
        return None, [Problem(field, "date.impossible", "Deze datum bestaat niet.")]
    today = today or date.today()
    if parsed > today:
        return None, [Problem(field, "date.future", "Deze geboortedatum ligt in de toekomst.")]
    if parsed.year < _EARLIEST_YEAR:
        return None, [Problem(field, "date.too_early", f"Een geboortedatum vóór {_EARLIEST_YEAR} is onwaarschijnlijk.")]
    return parsed, []
