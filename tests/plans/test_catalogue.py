"""Each catalogue indicator against data built for it: the right rows count, the other
municipality's and the other period's rows do not."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone

from regie.bibob.catalogue import install_default_catalogue as install_bibob
from regie.bibob.models import BibobDomain, BibobFile
from regie.controls.models import Control, YearPlan
from regie.intake.models import Signal, SignalEvent
from regie.measures.catalogue import install_default_catalogue as install_measures
from regie.measures.models import Measure, MeasureDomain, MeasureKind, MeasureStep
from regie.meetings.models import AgendaItem, Decision, Forum, Meeting
from regie.plans import indicators

Y = date(2025, 1, 1), date(2025, 12, 31)
serial = count(1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def test_catalogue_holds_the_definitions():
    for code in ("controls.held", "meetings.discussed_4w", "intake.lead_time_intervention", "measures.closures_13b",
                 "meetings.postponed_twice", "bibob.files", "bibob.files.horeca-alcohol"):
        found = indicators.definition(code)
        assert found is not None and found.label and found.unit and found.description
    assert indicators.compute("bestaat.niet", None, *Y) is None


def _control(org, on, status, executed_on=None):
    plan, _ = YearPlan.unscoped.get_or_create(owner=org, year=on.year)
    return Control.objects.create(owner=org, plan=plan, reference=f"CTL-{next(serial)}", planned_on=on, kind="horeca",
                                  title="Controle", status=status, executed_on=executed_on, confidentiality=7)


def test_controls_held(orgs):
    a, b = orgs["a"], orgs["b"]
    _control(a, date(2025, 3, 1), Control.Status.EXECUTED, date(2025, 3, 1))
    _control(a, date(2025, 6, 1), Control.Status.EXECUTED, date(2025, 6, 2))
    _control(a, date(2025, 7, 1), Control.Status.CANCELLED)
    _control(a, date(2025, 8, 1), Control.Status.PLANNED)
    _control(a, date(2024, 5, 1), Control.Status.EXECUTED, date(2024, 5, 1))
    _control(b, date(2025, 3, 1), Control.Status.EXECUTED, date(2025, 3, 1))
    assert indicators.compute("controls.held", a, *Y) == 2
    assert indicators.compute("controls.held", a, date(2024, 1, 1), date(2024, 12, 31)) == 1
    assert indicators.compute("controls.held", b, *Y) == 1


def _signal(org, received: date, route=Signal.Route.MEETING, label=Signal.Label.SUBVERSIVE):
    return Signal.objects.create(owner=org, reference=f"SIG-T-{next(serial)}", received_at=at(received), channel="intern",
                                 text="Signaal", label=label, route=route, confidentiality=5)


def _decide(signal, on: date, kind=Decision.Kind.GATHER):
    forum, _ = Forum.unscoped.get_or_create(owner=signal.owner, name="Lokaal overleg", kind=Forum.Kind.LOCAL,
                                              defaults={"frequency_days": 28})
    meeting = Meeting.objects.create(owner=signal.owner, forum=forum, starts_at=at(on, 9))
    item = AgendaItem.objects.create(owner=signal.owner, meeting=meeting, kind=AgendaItem.Kind.SIGNAL, title="Punt", signal=signal)
    return Decision.objects.create(item=item, kind=kind, deadline=on + timedelta(days=14), decided_at=at(on, 11))


def test_discussed_within_four_weeks(orgs):
    a, b = orgs["a"], orgs["b"]
    on_time = _signal(a, date(2025, 2, 1))
    _decide(on_time, date(2025, 2, 20))
    late = _signal(a, date(2025, 3, 1))
    _decide(late, date(2025, 3, 10), Decision.Kind.POSTPONE)  # postponing is not discussing
    _decide(late, date(2025, 4, 20))
    _signal(a, date(2025, 5, 1))  # never discussed
    _signal(a, date(2025, 5, 1), route=Signal.Route.POLICE)  # not for the overleg: not counted
    _decide(_signal(b, date(2025, 2, 1)), date(2025, 2, 2))
    assert indicators.compute("meetings.discussed_4w", a, *Y) == Decimal("33.3")
    assert indicators.compute("meetings.discussed_4w", b, *Y) == Decimal("100.0")
    assert indicators.compute("meetings.discussed_4w", a, date(2020, 1, 1), date(2020, 12, 31)) is None


def test_median_lead_time_to_first_intervention(orgs):
    a = orgs["a"]
    for received, days in ((date(2025, 1, 1), 10), (date(2025, 2, 1), 20), (date(2025, 3, 1), 60)):
        signal = _signal(a, received)
        SignalEvent.objects.create(signal=signal, kind=SignalEvent.Kind.FIRST_INTERVENTION, at=at(received) + timedelta(days=days))
        SignalEvent.objects.create(signal=signal, kind=SignalEvent.Kind.FIRST_INTERVENTION, at=at(received) + timedelta(days=days + 50))
    _signal(a, date(2025, 4, 1))  # no intervention yet: not in the median
    assert indicators.compute("intake.lead_time_intervention", a, *Y) == Decimal("20.0")
    assert indicators.compute("intake.lead_time_intervention", orgs["b"], *Y) is None


def _measure(org, kind_code, decided: date | None):
    kind = MeasureKind.objects.get(organisation=org, code=kind_code)
    domain = MeasureDomain.objects.filter(organisation=org).first()
    measure = Measure.objects.create(owner=org, reference=f"MAA-{next(serial)}", kind=kind, domain=domain,
                                     description="Maatregel", confidentiality=5)
    MeasureStep.objects.create(measure=measure, kind=MeasureStep.Kind.REPORT, on=date(2025, 1, 2))
    if decided:
        MeasureStep.objects.create(measure=measure, kind=MeasureStep.Kind.DECISION, on=decided)
    return measure


def test_closures_13b(orgs):
    a, b = orgs["a"], orgs["b"]
    install_measures(a)
    install_measures(b)
    other_closure = MeasureKind.objects.filter(organisation=a, category="sluiting").exclude(code="sluiting-13b").first()
    _measure(a, "sluiting-13b", date(2025, 3, 1))
    _measure(a, "sluiting-13b", date(2025, 9, 1))
    _measure(a, "sluiting-13b", date(2024, 9, 1))  # another year
    _measure(a, "sluiting-13b", None)  # only reported
    if other_closure is not None:
        _measure(a, other_closure.code, date(2025, 3, 1))  # a closure on another basis
    _measure(b, "sluiting-13b", date(2025, 3, 1))
    assert indicators.compute("measures.closures_13b", a, *Y) == 2
    assert indicators.compute("measures.closures_13b", b, *Y) == 1


def test_bibob_files_per_domain(orgs):
    a, b = orgs["a"], orgs["b"]
    install_bibob(a)
    install_bibob(b)

    def file(org, code, on):
        BibobFile.objects.create(owner=org, reference=f"BIB-{next(serial)}", domain=BibobDomain.objects.get(organisation=org, code=code),
                                 description="Aanvraag", received_on=on, confidentiality=6)

    file(a, "horeca-alcohol", date(2025, 2, 1))
    file(a, "horeca-alcohol", date(2025, 5, 1))
    file(a, "vastgoed", date(2025, 5, 1))
    file(a, "vastgoed", date(2024, 5, 1))
    file(b, "horeca-alcohol", date(2025, 2, 1))
    assert indicators.compute("bibob.files", a, *Y) == 3
    assert indicators.compute("bibob.files.horeca-alcohol", a, *Y) == 2
    assert indicators.compute("bibob.files.vastgoed", a, *Y) == 1
    assert indicators.compute("bibob.files.coffeeshop", a, *Y) == 0
    assert indicators.compute("bibob.files", b, *Y) == 1


def test_signals_postponed_twice(orgs):
    a = orgs["a"]
    twice = _signal(a, date(2024, 12, 1))
    _decide(twice, date(2024, 12, 10), Decision.Kind.POSTPONE)
    _decide(twice, date(2025, 1, 10), Decision.Kind.POSTPONE)  # second time in 2025: counted in 2025
    _decide(twice, date(2025, 2, 10), Decision.Kind.POSTPONE)  # third time: still one signal
    once = _signal(a, date(2025, 1, 1))
    _decide(once, date(2025, 1, 10), Decision.Kind.POSTPONE)
    _decide(once, date(2025, 2, 10))
    early = _signal(a, date(2024, 1, 1))
    _decide(early, date(2024, 2, 1), Decision.Kind.POSTPONE)
    _decide(early, date(2024, 3, 1), Decision.Kind.POSTPONE)  # twice, but in 2024
    assert indicators.compute("meetings.postponed_twice", a, *Y) == 1
    assert indicators.compute("meetings.postponed_twice", a, date(2024, 1, 1), date(2024, 12, 31)) == 1
    assert indicators.compute("meetings.postponed_twice", orgs["b"], *Y) == 0


@pytest.mark.parametrize("code", ["controls.held", "meetings.postponed_twice", "bibob.files"])
def test_register_keeps_the_first(code):
    before = indicators.definition(code)
    indicators.register(indicators.IndicatorDefinition(code, "Ander", "aantal", "x", "y", lambda o, s, e: 99))
    assert indicators.definition(code) is before
