"""The legal steps of a measure: an explicit transition table, the terms each step starts, and
the checks a step must pass. No database access here: the services feed it the steps so far.

    bestuurlijke rapportage → voornemen → zienswijze → besluit → bezwaar → beslissing op bezwaar
    → beroep → uitvoering → einde

Terms (the defaults; a kind of measure may set its own zienswijzetermijn):

* zienswijze: 14 days after the voornemen (practice under art. 4:8 Awb);
* bezwaar: 6 weeks after the besluit (art. 6:7 Awb) — shown, not a to-do;
* beslissing op bezwaar: 6 weeks after the bezwaar (art. 7:10 lid 1 Awb);
* begunstigingstermijn: as decided, from the besluit (art. 5:32a Awb);
* heropening: the decided duration of a closure, from its execution.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError

from .models import Category, Measure, MeasureKind, MeasureStep

Kind = MeasureStep.Kind
Term = MeasureStep.Term

#: which step may follow which (None: the first step of a measure); einde is final
TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset({Kind.REPORT, Kind.INTENTION}),
    Kind.REPORT: frozenset({Kind.INTENTION, Kind.DECISION, Kind.END}),
    Kind.INTENTION: frozenset({Kind.VIEW, Kind.DECISION, Kind.END}),
    Kind.VIEW: frozenset({Kind.DECISION, Kind.END}),
    Kind.DECISION: frozenset({Kind.OBJECTION, Kind.EXECUTION, Kind.END}),
    # bezwaar does not suspend a decision (art. 6:16 Awb): execution may go on meanwhile
    Kind.OBJECTION: frozenset({Kind.OBJECTION_DECISION, Kind.EXECUTION, Kind.END}),
    Kind.OBJECTION_DECISION: frozenset({Kind.APPEAL, Kind.EXECUTION, Kind.END}),
    Kind.APPEAL: frozenset({Kind.EXECUTION, Kind.END}),
    Kind.EXECUTION: frozenset({Kind.OBJECTION, Kind.OBJECTION_DECISION, Kind.APPEAL, Kind.EXECUTION, Kind.END}),
    Kind.END: frozenset(),
}
#: steps that happen at most once in a measure
ONCE = frozenset(set(Kind.values) - {Kind.EXECUTION})
#: a step that needs another one earlier in the same measure
REQUIRES = {
    Kind.OBJECTION: Kind.DECISION,
    Kind.OBJECTION_DECISION: Kind.OBJECTION,
    Kind.APPEAL: Kind.OBJECTION_DECISION,
    Kind.EXECUTION: Kind.DECISION,
}
#: which steps settle an open term
SETTLED_BY = {
    Term.VIEW: frozenset({Kind.VIEW, Kind.DECISION, Kind.END}),
    Term.GRACE: frozenset({Kind.EXECUTION, Kind.END}),
    Term.OBJECTION: frozenset({Kind.OBJECTION_DECISION, Kind.END}),
    Term.REOPENING: frozenset({Kind.END}),
}
OBJECTION_WEEKS = 6  # art. 6:7 Awb
OBJECTION_DECISION_WEEKS = 6  # art. 7:10 lid 1 Awb
EARLIEST = date(1990, 1, 1)


@dataclass(frozen=True)
class Done:
    """A step that has happened, as the checks need it."""

    kind: str
    on: date
    term: str = ""
    deadline: date | None = None


def label(kind: str) -> str:
    return Kind(kind).label


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_kind(history: list[Done]) -> str | None:
    return history[-1].kind if history else None


def allowed_next(history: list[Done]) -> list[str]:
    """The steps that may follow ``history`` (in the order of the legal process)."""
    done = {step.kind for step in history}
    allowed = TRANSITIONS[last_kind(history)]
    return [
        kind for kind in Kind.values
        if kind in allowed and not (kind in ONCE and kind in done) and (kind not in REQUIRES or REQUIRES[kind] in done)
    ]


def check_transition(history: list[Done], kind: str) -> None:
    """Refuse a step that may not follow the steps so far, with the reason in Dutch."""
    if kind not in Kind.values:
        raise ValidationError({"kind": "Kies een geldige stap."})
    done = {step.kind for step in history}
    previous = last_kind(history)
    if previous == Kind.END:
        raise ValidationError({"kind": "Deze maatregel is beëindigd: er kan geen stap meer volgen."})
    if kind in ONCE and kind in done:
        raise ValidationError({"kind": f"De stap ‘{label(kind)}’ is al vastgelegd; die komt één keer voor."})
    if kind in REQUIRES and REQUIRES[kind] not in done:
        raise ValidationError({"kind": f"De stap ‘{label(kind)}’ kan pas na de stap ‘{label(REQUIRES[kind])}’."})
    if kind not in TRANSITIONS[previous]:
        if previous is None:
            raise ValidationError({"kind": "Een maatregel begint met een bestuurlijke rapportage of een voornemen."})
        raise ValidationError({"kind": f"Na de stap ‘{label(previous)}’ kan niet de stap ‘{label(kind)}’ volgen."})


def check_date(history: list[Done], kind: str, on: date | None, today: date) -> None:
    """A step has a date, not in the future and not before the step before it."""
    if on is None:
        raise ValidationError({"on": "Geef de datum van de stap."})
    if on > today:
        raise ValidationError({"on": "De datum van een stap kan niet in de toekomst liggen."})
    if on < EARLIEST:
        raise ValidationError({"on": f"De datum ligt vóór {EARLIEST:%Y}; controleer het jaartal."})
    for step in reversed(history):
        if on < step.on:
            raise ValidationError({"on": (
                f"De datum van de stap ‘{label(kind)}’ ({on:%d-%m-%Y}) ligt vóór de stap ‘{label(step.kind)}’ "
                f"van {step.on:%d-%m-%Y}."
            )})


def missing_weighing(measure: Measure) -> dict[str, str]:
    """The fields of the weighing a closure (or any kind that asks for it) still lacks."""
    errors = {}
    for name, what in (("suitability", "geschiktheid"), ("necessity", "noodzakelijkheid"),
                       ("proportionality", "evenredigheid")):
        if len((getattr(measure, name) or "").strip()) < 10:
            errors[name] = f"Motiveer de {what} van de maatregel (minimaal 10 tekens)."
    if not measure.strategy_step:
        errors["strategy_step"] = "Kies de stap in de handhavingsstrategie."
    elif measure.strategy_step == Measure.Strategy.DEVIATION and len(measure.strategy_note.strip()) < 10:
        errors["strategy_note"] = "Motiveer waarom wordt afgeweken van de handhavingsstrategie."
    return errors


def check_decision(measure: Measure, kind: MeasureKind, history: list[Done], on: date, *, urgent: bool, note: str) -> None:
    """What a besluit needs: the voornemen (unless urgent) and its term, the weighing of a
    closure, the duration of a closure, the amount and term of a dwangsom."""
    done = {step.kind: step for step in history}
    if urgent and len(note.strip()) < 10:
        raise ValidationError({"note": "Licht toe waarom het besluit spoedeisend is (minimaal 10 tekens)."})
    if kind.requires_voornemen and Kind.INTENTION not in done and not urgent:
        raise ValidationError({"kind": (
            "Voor dit besluit is eerst een voornemen met gelegenheid tot zienswijze nodig (art. 4:8 Awb). "
            "Leg het voornemen vast, of geef aan dat het besluit spoedeisend is."
        )})
    intention = done.get(Kind.INTENTION)
    if intention is not None and Kind.VIEW not in done and intention.deadline and on <= intention.deadline:
        raise ValidationError({"on": (
            f"De zienswijzetermijn loopt tot en met {intention.deadline:%d-%m-%Y}. "
            "Leg eerst de zienswijze vast of wacht de termijn af."
        )})
    errors: dict[str, str] = {}
    if kind.requires_weighing or kind.is_closure:
        errors.update(missing_weighing(measure))
        if errors:
            errors.setdefault("__all__", (
                "Een sluiting zonder afweging kan niet worden besloten: vul geschiktheid, noodzakelijkheid en "
                "evenredigheid in en kies de stap in de handhavingsstrategie."
            ) if kind.is_closure else "Deze maatregel vraagt eerst een volledige afweging.")
    if kind.is_closure and not measure.closure_months:
        errors["closure_months"] = "Geef de duur van de sluiting in maanden."
    if kind.is_penalty:
        if not measure.penalty_amount or measure.penalty_amount <= 0:
            errors["penalty_amount"] = "Een last onder dwangsom heeft een bedrag nodig."
        if not measure.term_days:
            errors["term_days"] = "Een last onder dwangsom heeft een begunstigingstermijn nodig."
    if kind.category == Category.ADMIN_ENFORCEMENT and not measure.term_days:
        errors["term_days"] = "Een last onder bestuursdwang heeft een begunstigingstermijn nodig (art. 5:24 Awb)."
    if measure.penalty_maximum and measure.penalty_amount and measure.penalty_maximum < measure.penalty_amount:
        errors["penalty_maximum"] = "Het maximum van de dwangsom is lager dan het bedrag."
    if errors:
        raise ValidationError(errors)


def check_end(measure: Measure, history: list[Done], outcome: str) -> None:
    decided = any(step.kind == Kind.DECISION for step in history)
    if outcome not in Measure.Outcome.values:
        raise ValidationError({"outcome": "Kies de afloop van de maatregel."})
    if decided and outcome == Measure.Outcome.WAIVED:
        raise ValidationError({"outcome": "Er is al een besluit genomen: kies een andere afloop, bijvoorbeeld ‘besluit ingetrokken’."})
    if not decided and outcome not in (Measure.Outcome.WAIVED, Measure.Outcome.OTHER):
        raise ValidationError({"outcome": "Zonder besluit is de afloop ‘afgezien van een maatregel’ of ‘anders’."})


def check_execution(measure: Measure, kind: MeasureKind, history: list[Done], on: date) -> None:
    """Execution of a closure needs its duration; a forfeited dwangsom comes after its term."""
    errors = {}
    if kind.is_closure and not measure.closure_months:
        errors["closure_months"] = "Geef de duur van de sluiting in maanden."
    if measure.forfeited:
        if not kind.is_penalty:
            errors["forfeited"] = "Alleen een dwangsom kan worden verbeurd."
        elif measure.term_ends_on and (measure.forfeited_on or on) <= measure.term_ends_on:
            errors["forfeited_on"] = (
                f"Een dwangsom wordt pas verbeurd na de begunstigingstermijn (tot en met {measure.term_ends_on:%d-%m-%Y})."
            )
    if measure.collected_amount:
        if measure.collected_amount < 0:
            errors["collected_amount"] = "Het ingevorderde bedrag kan niet negatief zijn."
        elif not measure.forfeited:
            errors["collected_amount"] = "Er kan alleen een bedrag worden ingevorderd als de dwangsom is verbeurd."
    if errors:
        raise ValidationError(errors)


def term_of(kind: str, on: date, measure: Measure, measure_kind: MeasureKind) -> tuple[str, date | None]:
    """The to-do term a new step starts: (term code, last day), or ("", None)."""
    if kind == Kind.INTENTION:
        return Term.VIEW, on + timedelta(days=measure_kind.zienswijze_days)
    if kind == Kind.DECISION and measure.term_days:
        return Term.GRACE, on + timedelta(days=measure.term_days)
    if kind == Kind.OBJECTION:
        return Term.OBJECTION, on + timedelta(weeks=OBJECTION_DECISION_WEEKS)
    if kind == Kind.EXECUTION and measure_kind.is_closure and measure.closure_months and measure.closure_ends_on is None:
        return Term.REOPENING, add_months(on, measure.closure_months)
    return "", None


def objection_until(decided_on: date | None) -> date | None:
    """The last day to lodge a bezwaar against a decision of ``decided_on`` (art. 6:7, 6:8 Awb)."""
    return decided_on + timedelta(weeks=OBJECTION_WEEKS) if decided_on else None


def settles(kind: str, term: str) -> bool:
    return kind in SETTLED_BY.get(term, frozenset())
