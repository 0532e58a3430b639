"""The transition table and the terms of the legal steps, without the database."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from regie.measures import workflow
from regie.measures.models import Category, Measure, MeasureKind
from regie.measures.workflow import Done

CLOSURE = MeasureKind(code="sluiting-13b", name="Sluiting 13b", category=Category.CLOSURE, requires_voornemen=True,
                      requires_weighing=True)
PENALTY = MeasureKind(code="dwangsom", name="Last onder dwangsom", category=Category.PENALTY, requires_voornemen=True)
WARNING = MeasureKind(code="waarschuwing", name="Waarschuwing", category=Category.WARNING, requires_voornemen=False)
D = date(2025, 3, 3)


def weighed(**extra) -> Measure:
    fields = {"suitability": "Geschikt: de handel stopt.", "necessity": "Noodzakelijk: waarschuwing hielp niet.",
              "proportionality": "Evenredig: drie maanden, kortste duur.", "strategy_step": "eerste", "closure_months": 3}
    return Measure(**{**fields, **extra})


def message(exc_info) -> str:
    return " ".join(exc_info.value.messages)


def test_a_measure_starts_with_a_rapportage_or_a_voornemen():
    assert workflow.allowed_next([]) == ["rapportage", "voornemen"]
    with pytest.raises(ValidationError) as exc:
        workflow.check_transition([], "besluit")
    assert "begint met een bestuurlijke rapportage of een voornemen" in message(exc)


def test_the_legal_order_of_the_steps():
    history = [Done("rapportage", D)]
    assert workflow.allowed_next(history) == ["voornemen", "besluit", "einde"]
    history.append(Done("voornemen", D))
    assert workflow.allowed_next(history) == ["zienswijze", "besluit", "einde"]
    history += [Done("zienswijze", D), Done("besluit", D)]
    assert workflow.allowed_next(history) == ["bezwaar", "uitvoering", "einde"]
    # beslissing op bezwaar only after a bezwaar, beroep only after the beslissing
    history.append(Done("uitvoering", D))
    assert workflow.allowed_next(history) == ["bezwaar", "uitvoering", "einde"]
    history.append(Done("bezwaar", D))
    assert workflow.allowed_next(history) == ["beslissing_bezwaar", "uitvoering", "einde"]
    history.append(Done("beslissing_bezwaar", D))
    assert workflow.allowed_next(history) == ["beroep", "uitvoering", "einde"]
    history.append(Done("einde", D))
    assert workflow.allowed_next(history) == []


@pytest.mark.parametrize(
    ("history", "kind", "expected"),
    [
        (["rapportage", "besluit"], "zienswijze", "Na de stap ‘besluit’ kan niet de stap ‘zienswijze’ volgen"),
        (["rapportage"], "rapportage", "is al vastgelegd"),
        (["rapportage"], "bezwaar", "kan pas na de stap ‘besluit’"),
        (["rapportage", "besluit"], "beroep", "kan pas na de stap ‘beslissing op bezwaar’"),
        (["rapportage", "einde"], "voornemen", "beëindigd"),
        (["rapportage"], "onzin", "Kies een geldige stap"),
    ],
)
def test_illegal_transitions_are_refused_in_dutch(history, kind, expected):
    with pytest.raises(ValidationError) as exc:
        workflow.check_transition([Done(k, D) for k in history], kind)
    assert expected in message(exc)


def test_every_transition_in_the_table_names_known_steps():
    steps = set(workflow.Kind.values)
    assert set(workflow.TRANSITIONS) - {None} == steps
    assert all(targets <= steps for targets in workflow.TRANSITIONS.values())
    assert workflow.TRANSITIONS["einde"] == frozenset()


def test_a_step_is_dated_not_in_the_future_and_not_before_the_previous_one():
    history = [Done("rapportage", date(2025, 3, 10))]
    with pytest.raises(ValidationError) as exc:
        workflow.check_date(history, "besluit", date(2025, 3, 1), today=date(2025, 4, 1))
    assert "De datum van de stap ‘besluit’ (01-03-2025) ligt vóór de stap ‘bestuurlijke rapportage’ van 10-03-2025." in message(exc)
    with pytest.raises(ValidationError) as exc:
        workflow.check_date(history, "besluit", date(2025, 4, 2), today=date(2025, 4, 1))
    assert "toekomst" in message(exc)
    with pytest.raises(ValidationError):
        workflow.check_date(history, "besluit", None, today=date(2025, 4, 1))
    workflow.check_date(history, "besluit", date(2025, 3, 10), today=date(2025, 4, 1))  # the same day is fine


def test_terms_of_the_steps():
    m = weighed(term_days=10)
    assert workflow.term_of("voornemen", D, m, CLOSURE) == ("zienswijze", date(2025, 3, 17))  # 14 days
    assert workflow.term_of("besluit", D, m, CLOSURE) == ("begunstiging", date(2025, 3, 13))
    assert workflow.term_of("bezwaar", D, m, CLOSURE) == ("beslistermijn_bezwaar", date(2025, 4, 14))  # 6 weeks
    assert workflow.term_of("uitvoering", date(2025, 1, 31), m, CLOSURE) == ("heropening", date(2025, 4, 30))
    assert workflow.term_of("rapportage", D, m, CLOSURE) == ("", None)
    assert workflow.term_of("besluit", D, Measure(), WARNING) == ("", None)  # no last, no begunstigingstermijn
    assert workflow.objection_until(D) == date(2025, 4, 14)
    own = MeasureKind(category=Category.CLOSURE, zienswijze_days=21)
    assert workflow.term_of("voornemen", D, m, own) == ("zienswijze", date(2025, 3, 24))


def test_add_months_keeps_to_the_calendar():
    assert workflow.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert workflow.add_months(date(2024, 11, 15), 3) == date(2025, 2, 15)
    assert workflow.add_months(date(2024, 6, 30), 12) == date(2025, 6, 30)


def test_which_step_settles_which_term():
    assert workflow.settles("zienswijze", "zienswijze") and workflow.settles("besluit", "zienswijze")
    assert workflow.settles("uitvoering", "begunstiging") and not workflow.settles("bezwaar", "begunstiging")
    assert workflow.settles("einde", "heropening") and not workflow.settles("uitvoering", "heropening")


def test_a_closure_without_the_weighing_is_refused():
    history = [Done("rapportage", D), Done("voornemen", D, "zienswijze", date(2025, 3, 17)), Done("zienswijze", D)]
    with pytest.raises(ValidationError) as exc:
        workflow.check_decision(Measure(closure_months=3), CLOSURE, history, date(2025, 3, 20), urgent=False, note="")
    errors = exc.value.message_dict
    assert set(errors) >= {"suitability", "necessity", "proportionality", "strategy_step", "__all__"}
    assert "Een sluiting zonder afweging" in errors["__all__"][0]
    with pytest.raises(ValidationError) as exc:
        workflow.check_decision(weighed(closure_months=None), CLOSURE, history, date(2025, 3, 20), urgent=False, note="")
    assert exc.value.message_dict == {"closure_months": ["Geef de duur van de sluiting in maanden."]}
    deviating = weighed(strategy_step="afwijking")
    with pytest.raises(ValidationError) as exc:
        workflow.check_decision(deviating, CLOSURE, history, date(2025, 3, 20), urgent=False, note="")
    assert "strategy_note" in exc.value.message_dict
    workflow.check_decision(weighed(), CLOSURE, history, date(2025, 3, 20), urgent=False, note="")


def test_a_dwangsom_needs_its_amount_and_term():
    history = [Done("voornemen", D, "zienswijze", date(2025, 3, 17)), Done("zienswijze", D)]
    with pytest.raises(ValidationError) as exc:
        workflow.check_decision(Measure(), PENALTY, history, date(2025, 3, 20), urgent=False, note="")
    assert exc.value.message_dict == {
        "penalty_amount": ["Een last onder dwangsom heeft een bedrag nodig."],
        "term_days": ["Een last onder dwangsom heeft een begunstigingstermijn nodig."],
    }
    with pytest.raises(ValidationError) as exc:
        workflow.check_decision(Measure(penalty_amount=Decimal(1000), penalty_maximum=Decimal(500), term_days=7),
                                PENALTY, history, date(2025, 3, 20), urgent=False, note="")
    assert "penalty_maximum" in exc.value.message_dict
    workflow.check_decision(Measure(penalty_amount=Decimal(1000), term_days=7), PENALTY, history, date(2025, 3, 20),
                            urgent=False, note="")


def test_a_burdening_decision_needs_a_voornemen_unless_urgent():
    with pytest.raises(ValidationError) as exc:
        workflow.check_decision(weighed(), CLOSURE, [Done("rapportage", D)], D, urgent=False, note="")
    assert "art. 4:8 Awb" in message(exc)
    with pytest.raises(ValidationError) as exc:  # urgent, but without a reason
        workflow.check_decision(weighed(), CLOSURE, [Done("rapportage", D)], D, urgent=True, note="spoed")
    assert "spoedeisend" in message(exc)
    workflow.check_decision(weighed(), CLOSURE, [Done("rapportage", D)], D, urgent=True,
                            note="Wapens en explosieven in het pand: direct gevaar voor de buren.")
    workflow.check_decision(Measure(), WARNING, [Done("rapportage", D)], D, urgent=False, note="")  # no voornemen needed


def test_the_decision_waits_for_the_zienswijze_term():
    history = [Done("rapportage", D), Done("voornemen", D, "zienswijze", date(2025, 3, 17))]
    with pytest.raises(ValidationError) as exc:
        workflow.check_decision(weighed(), CLOSURE, history, date(2025, 3, 17), urgent=False, note="")
    assert "De zienswijzetermijn loopt tot en met 17-03-2025" in message(exc)
    workflow.check_decision(weighed(), CLOSURE, history, date(2025, 3, 18), urgent=False, note="")


def test_the_outcome_fits_whether_a_decision_was_taken():
    with pytest.raises(ValidationError):
        workflow.check_end(Measure(), [Done("rapportage", D)], "")
    with pytest.raises(ValidationError) as exc:
        workflow.check_end(Measure(), [Done("rapportage", D), Done("besluit", D)], "afgezien")
    assert "Er is al een besluit genomen" in message(exc)
    with pytest.raises(ValidationError):
        workflow.check_end(Measure(), [Done("rapportage", D)], "uitgevoerd")
    workflow.check_end(Measure(), [Done("rapportage", D)], "afgezien")


def test_a_dwangsom_is_forfeited_only_after_its_term():
    m = Measure(penalty_amount=Decimal(500), term_days=14, term_ends_on=date(2025, 3, 17), forfeited=True,
                forfeited_on=date(2025, 3, 10))
    with pytest.raises(ValidationError) as exc:
        workflow.check_execution(m, PENALTY, [], date(2025, 3, 20))
    assert "pas verbeurd na de begunstigingstermijn (tot en met 17-03-2025)" in message(exc)
    m.forfeited_on = date(2025, 3, 18)
    workflow.check_execution(m, PENALTY, [], date(2025, 3, 20))
    with pytest.raises(ValidationError) as exc:
        workflow.check_execution(Measure(collected_amount=Decimal(10)), PENALTY, [], D)
    assert "alleen een bedrag worden ingevorderd als de dwangsom is verbeurd" in message(exc)
