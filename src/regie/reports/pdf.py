"""The council report as PDF (WeasyPrint), with the report's own print stylesheet.

Nothing is fetched while rendering (no protocol allowed): the charts are inline SVG and the only
stylesheet is passed in as a file (``partners.documents.render_pdf``).
"""

from __future__ import annotations

from regie.partners import documents
from regie.partners.documents import PdfUnavailable

STYLESHEET = "reports/report.css"

__all__ = ["PdfUnavailable", "render_pdf"]


def render_pdf(html: str) -> bytes:
    return documents.render_pdf(html, STYLESHEET)
