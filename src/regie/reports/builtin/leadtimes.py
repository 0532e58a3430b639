"""Lead times: received → assessed → on an agenda → decision → first intervention, as the median
in days over the signals received in the year (intake.leadtimes, under an organisation access).

The number of signals is the basis of each median: when it is suppressed, so is the median.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from regie.accounts.roles import SIGNALS
from regie.intake.leadtimes import lead_times

from ..sections import ReportTable
from .common import access_for, partial_columns


def section(organisation, year: int, peildatum: date) -> list[ReportTable]:
    access = access_for(organisation, "raadsrapportage doorlooptijden", SIGNALS)
    rows = [
        (item.step.capitalize(), [item.signals, None if item.median_days is None else Decimal(str(item.median_days))])
        for item in lead_times(access, years=[year])
        if item.year == year
    ]
    through = f" t/m {peildatum:%d-%m-%Y}" if partial_columns([year], peildatum) else ""
    return [
        ReportTable(
            f"Doorlooptijden van signalen ontvangen in {year}{through}", ["Aantal signalen", "Mediaan (dagen)"], rows,
            note="De mediaan: de helft van de signalen was sneller, de helft langzamer. Alleen signalen die de stap "
                 "hebben bereikt tellen mee.",
            basis_column=0, chart_column=1,
        )
    ]
