"""The sections Regie's own rooms contribute to the council report, registered from
``ReportsConfig.ready`` (other rooms, such as plans, register theirs from their own app)."""

from __future__ import annotations

from ..sections import ReportSection, register
from . import cases, leadtimes, registers, signals


def register_all() -> None:
    register(ReportSection("aard-en-omvang", "Aard en omvang: signalen", 10, signals.section))
    register(ReportSection("casussen", "Behandelde casussen en interventies", 20, cases.section))
    register(ReportSection("casussen-besloten", "Casussen naar fase en opschaling", 25, cases.besloten_section,
                           besloten_only=True))
    register(ReportSection("doorlooptijden", "Doorlooptijden", 30, leadtimes.section))
    register(ReportSection("maatregelen", "Bestuurlijke maatregelen", 40, registers.measures_section))
    register(ReportSection("bibob", "Wet Bibob", 45, registers.bibob_section))
    register(ReportSection("controles", "Integrale controles", 48, registers.controls_section))
