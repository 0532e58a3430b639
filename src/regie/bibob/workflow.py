"""The steps of a Bibob file: an explicit transition table, the terms each step starts, the
suspension of the decision term and the checks a step must pass. No database access here: the
services feed it the steps so far.

    aanvraag → Bibob-vragenformulier → volledigheid (→ aanvulling → volledigheid)
    → eigen onderzoek → [advies RIEC] → [advies LBB (+ verlenging)] → beoordeling mate van gevaar
    → besluit → nazorg (toezicht, herbeoordeling) → afgesloten

Terms:

* beslistermijn: the domain's term (default 8 weeks) from the application, suspended
  (opgeschort) while the applicant repairs an incomplete application (art. 4:15 lid 1 sub a Awb)
  and while the LBB advice is pending, at most the advice term (art. 15 Wet Bibob);
* advies LBB: 8 weeks from the request, extendable once by 4 weeks (art. 15 lid 1 Wet Bibob);
* hersteltermijn: as set when the form is found incomplete (art. 4:5 Awb);
* volledigheid beoordelen 2 weeks, eigen onderzoek 4 weeks, advies RIEC 4 weeks: working
  agreements, shown on the coordinator's start page, not law;
* nazorg: the planned date of the supervision or reassessment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError

from .models import BibobFile, BibobStep, Degree, Outcome, Phase

Kind = BibobStep.Kind
Term = BibobStep.Term

LBB_WEEKS = 8
LBB_EXTENSION_WEEKS = 4
CHECK_DAYS = 14
RESEARCH_WEEKS = 4
RIEC_WEEKS = 4
EARLIEST = date(1990, 1, 1)

#: the advice and assessment steps between the research and the decision, in any order
MIDDLE = frozenset({Kind.RIEC_REQUEST, Kind.RIEC_ADVICE, Kind.LBB_REQUEST, Kind.LBB_EXTENSION, Kind.LBB_ADVICE,
                    Kind.ASSESSMENT})
TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset({Kind.APPLICATION}),
    Kind.APPLICATION: frozenset({Kind.FORM, Kind.DECISION}),
    Kind.FORM: frozenset({Kind.COMPLETENESS, Kind.DECISION}),
    Kind.COMPLETENESS: frozenset({Kind.FORM, Kind.RESEARCH, Kind.DECISION}),
    Kind.RESEARCH: MIDDLE | {Kind.DECISION},
    **{kind: MIDDLE | {Kind.DECISION} for kind in MIDDLE},
    Kind.DECISION: frozenset({Kind.FOLLOW_UP, Kind.CLOSED}),
    Kind.FOLLOW_UP: frozenset({Kind.FOLLOW_UP, Kind.FOLLOW_UP_DONE, Kind.CLOSED}),
    Kind.FOLLOW_UP_DONE: frozenset({Kind.FOLLOW_UP, Kind.CLOSED}),
    Kind.CLOSED: frozenset(),
}
ONCE = frozenset({Kind.APPLICATION, Kind.RESEARCH, Kind.RIEC_REQUEST, Kind.RIEC_ADVICE, Kind.LBB_REQUEST,
                  Kind.LBB_EXTENSION, Kind.LBB_ADVICE, Kind.DECISION, Kind.CLOSED})
REQUIRES = {
    Kind.COMPLETENESS: Kind.FORM,
    Kind.ASSESSMENT: Kind.RESEARCH,
    Kind.RIEC_ADVICE: Kind.RIEC_REQUEST,
    Kind.LBB_EXTENSION: Kind.LBB_REQUEST,
    Kind.LBB_ADVICE: Kind.LBB_REQUEST,
    Kind.FOLLOW_UP_DONE: Kind.FOLLOW_UP,
}
#: steps that need the Bibob-vragenformulier found complete first
NEEDS_COMPLETE_FORM = frozenset({Kind.RESEARCH, Kind.RIEC_REQUEST, Kind.LBB_REQUEST})
#: steps whose term the user sets (a date that must lie ahead)
USER_TERM = {Kind.FOLLOW_UP: Term.FOLLOW_UP}
SETTLED_BY = {
    Term.DECISION: frozenset({Kind.DECISION, Kind.CLOSED}),
    Term.CHECK: frozenset({Kind.COMPLETENESS, Kind.DECISION, Kind.CLOSED}),
    Term.REPAIR: frozenset({Kind.FORM, Kind.DECISION, Kind.CLOSED}),
    Term.RESEARCH: frozenset({Kind.ASSESSMENT, Kind.DECISION, Kind.CLOSED}),
    Term.RIEC: frozenset({Kind.RIEC_ADVICE, Kind.DECISION, Kind.CLOSED}),
    Term.LBB: frozenset({Kind.LBB_ADVICE, Kind.DECISION, Kind.CLOSED}),
    Term.FOLLOW_UP: frozenset({Kind.FOLLOW_UP_DONE, Kind.CLOSED}),
}
PHASE_OF = {
    Kind.APPLICATION: Phase.APPLICATION, Kind.FORM: Phase.FORM, Kind.COMPLETENESS: Phase.FORM,
    Kind.RESEARCH: Phase.RESEARCH, **{kind: Phase.ADVICE for kind in MIDDLE}, Kind.ASSESSMENT: Phase.ASSESSMENT,
    Kind.DECISION: Phase.DECISION, Kind.FOLLOW_UP: Phase.FOLLOW_UP, Kind.FOLLOW_UP_DONE: Phase.FOLLOW_UP,
    Kind.CLOSED: Phase.CLOSED,
}
#: decisions on the merits: they need the complete form, the assessment and no pending LBB advice
ON_THE_MERITS = frozenset({Outcome.GRANTED, Outcome.GRANTED_CONDITIONS, Outcome.REFUSED, Outcome.REVOKED})
#: outcomes that follow from a degree of danger (art. 3 Wet Bibob)
NEEDS_DANGER = frozenset({Outcome.GRANTED_CONDITIONS, Outcome.REFUSED, Outcome.REVOKED})


@dataclass(frozen=True)
class Done:
    """A step that has happened, as the checks need it."""

    kind: str
    on: date
    term: str = ""
    deadline: date | None = None
    complete: bool | None = None
    outcome: str = ""


@dataclass(frozen=True)
class Suspension:
    """A period the decision term stands still: from ``start`` to ``end`` (planned while running)."""

    reason: str
    start: date
    end: date
    running: bool

    @property
    def days(self) -> int:
        return max((self.end - self.start).days, 0)


def label(kind: str) -> str:
    return Kind(kind).label


def last_kind(history: list[Done]) -> str | None:
    return history[-1].kind if history else None


def _first(history: list[Done], kind: str) -> Done | None:
    return next((step for step in history if step.kind == kind), None)


def form_complete(history: list[Done]) -> bool:
    """Whether the last completeness check found the Bibob-vragenformulier complete."""
    checks = [step for step in history if step.kind == Kind.COMPLETENESS]
    return bool(checks) and checks[-1].complete is True


def lbb_term_end(history: list[Done]) -> date | None:
    """The last day of the LBB advice term: 8 weeks from the request, 12 after the extension."""
    request = _first(history, Kind.LBB_REQUEST)
    if request is None:
        return None
    weeks = LBB_WEEKS + (LBB_EXTENSION_WEEKS if _first(history, Kind.LBB_EXTENSION) else 0)
    return request.on + timedelta(weeks=weeks)


def lbb_pending(history: list[Done]) -> bool:
    return _first(history, Kind.LBB_REQUEST) is not None and _first(history, Kind.LBB_ADVICE) is None


def suspensions(history: list[Done], today: date) -> list[Suspension]:
    """The periods the decision term is suspended, as dated events: each repair of an incomplete
    application (art. 4:15 Awb) and the LBB advice, at most its term (art. 15 Wet Bibob)."""
    found = []
    for i, step in enumerate(history):
        if step.kind == Kind.COMPLETENESS and step.complete is False and step.deadline:
            repaired = next((later for later in history[i + 1:] if later.kind in (Kind.FORM, Kind.DECISION)), None)
            end = min(repaired.on, step.deadline) if repaired else step.deadline
            found.append(Suspension("aanvulling van de aanvraag (art. 4:15 Awb)", step.on, end,
                                    repaired is None and today < step.deadline))
    request = _first(history, Kind.LBB_REQUEST)
    if request is not None:
        cap = lbb_term_end(history)
        advice = _first(history, Kind.LBB_ADVICE) or _first(history, Kind.DECISION)
        end = min(advice.on, cap) if advice else cap
        found.append(Suspension("advies Landelijk Bureau Bibob (art. 15 Wet Bibob)", request.on, end,
                                advice is None and today < cap))
    return found


def decision_due(received_on: date, weeks: int, history: list[Done], today: date) -> date:
    """The effective last day to decide: the term from the application plus every suspension."""
    return received_on + timedelta(weeks=weeks) + timedelta(days=sum(s.days for s in suspensions(history, today)))


def check_transition(history: list[Done], kind: str) -> None:
    """Refuse a step that may not follow the steps so far, with the reason in Dutch."""
    if kind not in Kind.values:
        raise ValidationError({"kind": "Kies een geldige stap."})
    done = {step.kind for step in history}
    previous = last_kind(history)
    if previous == Kind.CLOSED:
        raise ValidationError({"kind": "Dit dossier is afgesloten: er kan geen stap meer volgen."})
    if kind in ONCE and kind in done:
        raise ValidationError({"kind": f"De stap ‘{label(kind)}’ is al vastgelegd; die komt één keer voor."})
    if kind in REQUIRES and REQUIRES[kind] not in done:
        raise ValidationError({"kind": f"De stap ‘{label(kind)}’ kan pas na de stap ‘{label(REQUIRES[kind])}’."})
    if kind in NEEDS_COMPLETE_FORM and not form_complete(history):
        raise ValidationError({"kind": (
            f"De stap ‘{label(kind)}’ kan pas als het Bibob-vragenformulier is ontvangen en volledig bevonden."
        )})
    if kind not in TRANSITIONS[previous]:
        raise ValidationError({"kind": f"Na de stap ‘{label(previous)}’ kan niet de stap ‘{label(kind)}’ volgen."})
    if kind == Kind.FORM and Kind.COMPLETENESS in done and form_complete(history):
        raise ValidationError({"kind": "Het vragenformulier is al volledig bevonden."})
    if kind == Kind.LBB_EXTENSION and Kind.LBB_ADVICE in done:
        raise ValidationError({"kind": "Het advies van het LBB is al ontvangen; de termijn kan niet meer worden verlengd."})


def allowed_next(history: list[Done]) -> list[str]:
    """The steps that may follow ``history`` (in the order of the procedure)."""
    allowed = []
    for kind in Kind.values:
        try:
            check_transition(history, kind)
        except ValidationError:
            continue
        allowed.append(kind)
    return allowed


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
    if kind == Kind.LBB_EXTENSION:
        end = lbb_term_end(history)
        if end is not None and on > end:
            raise ValidationError({"on": (
                f"De adviestermijn van het LBB liep tot en met {end:%d-%m-%Y}; een verlenging moet binnen die termijn."
            )})


def check_user_term(on: date, deadline: date | None, today: date, what: str) -> None:
    """A term the user sets lies after the step and not in the past."""
    if deadline is None:
        raise ValidationError({"deadline": f"Geef de datum van {what}."})
    if deadline < today:
        raise ValidationError({"deadline": (
            f"De termijn ({deadline:%d-%m-%Y}) ligt in het verleden. Geef een datum vanaf vandaag voor {what}."
        )})
    if deadline <= on:
        raise ValidationError({"deadline": f"De termijn voor {what} moet na de datum van de stap liggen."})


def check_decision(file_kind: str, history: list[Done], outcome: str, on: date, degree: str) -> None:
    """What a decision needs (issue 6, point 6): the complete form, the assessment and no pending
    LBB advice for a decision on the merits; an incomplete form for 'buiten behandeling'."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "Kies de uitkomst van het besluit."})
    if outcome in ON_THE_MERITS:
        if outcome == Outcome.REVOKED and file_kind == BibobFile.Kind.APPLICATION:
            raise ValidationError({"outcome": "Een aanvraag wordt geweigerd, niet ingetrokken; intrekken past bij een herbeoordeling."})
        if not form_complete(history):
            raise ValidationError({"outcome": (
                "Er kan nog geen besluit worden genomen: het Bibob-vragenformulier is nog niet volledig bevonden. "
                "Leg eerst het formulier en de beoordeling van de volledigheid vast, of stel de aanvraag buiten behandeling."
            )})
        end = lbb_term_end(history)
        if lbb_pending(history) and end is not None and on <= end:
            raise ValidationError({"outcome": (
                f"Het advies van het Landelijk Bureau Bibob is gevraagd en nog niet ontvangen; de adviestermijn loopt "
                f"tot en met {end:%d-%m-%Y}. Leg eerst het advies vast of wacht de termijn af."
            )})
        if not any(step.kind == Kind.ASSESSMENT for step in history):
            raise ValidationError({"outcome": "Leg eerst de beoordeling van de mate van gevaar vast (art. 3 Wet Bibob)."})
        if outcome in NEEDS_DANGER and degree == Degree.NONE:
            raise ValidationError({"outcome": (
                "De beoordeling stelt geen mate van gevaar vast: weigeren, intrekken of voorschriften verbinden "
                "kan dan niet op grond van de Wet Bibob."
            )})
    if outcome == Outcome.NOT_PROCESSED:
        if form_complete(history):
            raise ValidationError({"outcome": (
                "Het formulier is volledig bevonden: buiten behandeling stellen kan alleen bij een onvolledige aanvraag."
            )})
        repair = next((s for s in reversed(history) if s.kind == Kind.COMPLETENESS and s.complete is False), None)
        if repair is not None and repair.deadline and on <= repair.deadline and not any(
                s.kind == Kind.FORM and s.on >= repair.on for s in history):
            raise ValidationError({"outcome": (
                f"De hersteltermijn loopt nog tot en met {repair.deadline:%d-%m-%Y}; wacht die af (art. 4:5 Awb)."
            )})


def term_of(kind: str, on: date, *, complete: bool | None = None, deadline: date | None = None) -> tuple[str, date | None]:
    """The term a new step starts: (term code, last day), or ("", None). The beslistermijn of the
    application is set by the services (it moves with every suspension)."""
    if kind == Kind.FORM:
        return Term.CHECK, on + timedelta(days=CHECK_DAYS)
    if kind == Kind.COMPLETENESS and complete is False:
        return Term.REPAIR, deadline
    if kind == Kind.RESEARCH:
        return Term.RESEARCH, on + timedelta(weeks=RESEARCH_WEEKS)
    if kind == Kind.RIEC_REQUEST:
        return Term.RIEC, on + timedelta(weeks=RIEC_WEEKS)
    if kind == Kind.LBB_REQUEST:
        return Term.LBB, on + timedelta(weeks=LBB_WEEKS)
    if kind == Kind.FOLLOW_UP:
        return Term.FOLLOW_UP, deadline
    return "", None


def settles(kind: str, term: str) -> bool:
    return kind in SETTLED_BY.get(term, frozenset())
