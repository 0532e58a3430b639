"""Server-side SVG bar charts for the reports: no script, no inline style, the same in HTML and PDF.

The chart is drawn from a table *after* disclosure control, so it never shows more than the
table: a suppressed cell gets no bar, only its mark ("<5", "×").
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .sections import ReportTable

BAR_HEIGHT = 16
GAP = 6
LABEL_WIDTH = 230
BAR_WIDTH = 300
VALUE_WIDTH = 60
FILL = "#1f5c99"


def _number(cell) -> float | None:
    if isinstance(cell, bool) or cell is None or isinstance(cell, str):
        return None
    if isinstance(cell, (int, float, Decimal)):
        return float(cell)
    return None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(table: ReportTable) -> SafeString:
    """An SVG bar chart of ``table``'s ``chart_column`` (one bar per row), or "" without one."""
    column = table.chart_column
    if column is None or not table.rows:
        return SafeString("")
    values = [(label, cells[column] if column < len(cells) else None) for label, cells in table.rows]
    largest = max((n for _, cell in values if (n := _number(cell)) is not None), default=0) or 1
    heading = table.columns[column] if column < len(table.columns) else ""
    height = len(values) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    title = f"{table.title} – {heading}"
    # every value goes through format_html, which escapes it: labels and titles come from the data
    parts = [
        format_html('<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" aria-label="{}" '
                    'width="{}" height="{}" viewBox="0 0 {} {}">', title, width, height, width, height),
        format_html("<title>{}</title>", title),
    ]
    for i, (label, cell) in enumerate(values):
        y = GAP + i * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT - 4
        parts.append(format_html('<text x="{}" y="{}" text-anchor="end" font-size="10" fill="#1a1a1a">{}</text>',
                                 LABEL_WIDTH - 6, text_y, _short(str(label))))
        number = _number(cell)
        if number is not None and number > 0:
            length = max(1, round(BAR_WIDTH * number / largest))
            parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                                     LABEL_WIDTH, y, length, BAR_HEIGHT, FILL))
        else:
            length = 0
        shown = "" if cell is None else str(cell).replace(".", ",") if isinstance(cell, (float, Decimal)) else str(cell)
        parts.append(format_html('<text x="{}" y="{}" font-size="10" fill="#1a1a1a">{}</text>',
                                 LABEL_WIDTH + length + 4, text_y, shown))
    parts.append(SafeString("</svg>"))
    return format_html_join("", "{}", ((part,) for part in parts))
