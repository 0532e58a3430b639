"""Each builtin section of the council report, counted from constructed data (before disclosure)."""

from datetime import date, timedelta

from regie.accounts.access import access_for_user
from regie.bibob import services as bibob_services
from regie.bibob.catalogue import install_default_catalogue as install_bibob
from regie.bibob.models import BibobDomain
from regie.cases.models import Case, Intervention
from regie.controls import services as control_services
from regie.intake.models import SignalEvent
from regie.measures import services as measure_services
from regie.measures import tables as measure_tables
from regie.measures.catalogue import install_default_catalogue as install_measures
from regie.reports import sections
from regie.reports.builtin import cases, leadtimes, registers, signals

from .conftest import at, make_cases, make_signals

END_2025 = date(2025, 12, 31)


def rows(table):
    return dict(table.rows)


def test_the_builtin_sections_are_registered_in_order():
    keys = [s.key for s in sections.ordered()]
    for key in ("aard-en-omvang", "casussen", "casussen-besloten", "doorlooptijden", "maatregelen", "bibob", "controles"):
        assert key in keys
    assert keys.index("aard-en-omvang") < keys.index("casussen") < keys.index("maatregelen")
    assert sections.SECTIONS["casussen-besloten"].besloten_only
    assert not sections.SECTIONS["casussen"].besloten_only


def test_signals_per_theme_channel_and_assessment_of_the_own_municipality_only(town):
    a, b = town["orgs"]["a"], town["orgs"]["b"]
    make_signals(a, 6, year=2025, theme="drugs-handel", label="ondermijning")
    make_signals(a, 2, year=2025, theme="mensenhandel", channel="mma")
    make_signals(a, 3, year=2025, source=town["orgs"]["politie"], channel="partner")
    make_signals(a, 4, year=2024, theme="drugs-handel")
    make_signals(b, 10, year=2025, theme="drugs-handel")  # another municipality: never counted
    by_theme, by_label, by_channel, by_partner = signals.section(a, 2025, END_2025)
    assert by_theme.columns == ["2023", "2024", "2025"]
    assert rows(by_theme)["Drugs: handel"] == [0, 4, 6]
    assert rows(by_theme)["Mensenhandel"] == [0, 0, 2]
    assert rows(by_theme)[signals.NO_THEME] == [0, 0, 3]
    assert rows(by_theme)[signals.TOTAL] == [0, 4, 11]
    assert list(rows(by_theme))[-1] == signals.TOTAL
    assert rows(by_label)["Ondermijningsgerelateerd"] == [0, 0, 6]
    assert rows(by_label)["Nog niet beoordeeld"] == [0, 4, 5]
    assert rows(by_channel)["Meld Misdaad Anoniem"] == [0, 0, 2]
    assert rows(by_partner)["Politie"] == [0, 0, 3]
    assert by_theme.partial_columns == []


def test_an_incomplete_year_is_marked_partial(town):
    a = town["orgs"]["a"]
    make_signals(a, 5, year=2025, month=2)
    make_signals(a, 5, year=2025, month=11)  # after the peildatum: not counted
    by_theme = signals.section(a, 2025, date(2025, 6, 30))[0]
    assert by_theme.partial_columns == [2]
    assert rows(by_theme)[signals.TOTAL] == [0, 0, 5]


def test_cases_new_closed_running_and_interventions_by_domain(town):
    a, b = town["orgs"]["a"], town["orgs"]["b"]
    make_cases(a, 3, opened=at(2024), closed=at(2025, 6), reason=Case.ClosedReason.RESULT)
    make_cases(a, 6, opened=at(2025), interventions=[Intervention.Domain.ADMINISTRATIVE, Intervention.Domain.FISCAL])
    make_cases(b, 9, opened=at(2025), interventions=[Intervention.Domain.CRIMINAL])
    handled, reasons, interventions = cases.section(a, 2025, END_2025)
    assert rows(handled) == {cases.NEW: [0, 3, 6], cases.CLOSED: [0, 0, 3], cases.RUNNING: [0, 3, 6]}
    assert rows(reasons) == {"resultaat behaald": [0, 0, 3]}
    assert rows(interventions) == {"Bestuurlijk": [0, 0, 6], "Fiscaal": [0, 0, 6]}
    assert handled.chart_column == 2


def test_the_besloten_section_counts_running_cases_by_phase_and_escalation(town):
    a = town["orgs"]["a"]
    make_cases(a, 2, opened=at(2025), phase=Case.Phase.INTERVENTION, level=Case.Escalation.RIEC)
    make_cases(a, 1, opened=at(2025), closed=at(2025, 5))
    by_phase, by_level = cases.besloten_section(a, 2025, END_2025)
    assert rows(by_phase)["Interventie"] == [2]
    assert "Afgesloten" not in rows(by_phase)
    assert rows(by_level)["RIEC (regionaal)"] == [2]


def test_lead_times_are_medians_with_their_count_as_basis(town):
    a = town["orgs"]["a"]
    for days, signal in zip([2, 4, 30], make_signals(a, 3, year=2025)):
        SignalEvent.objects.create(signal=signal, kind=SignalEvent.Kind.RECEIVED, at=signal.received_at)
        SignalEvent.objects.create(signal=signal, kind=SignalEvent.Kind.ON_AGENDA, at=signal.received_at + timedelta(days=days))
    (table,) = leadtimes.section(a, 2025, END_2025)
    count, median = rows(table)["Ontvangen → geagendeerd"]
    assert (count, float(median)) == (3, 4.0)
    assert rows(table)["Ontvangen → besluit"] == [0, None]
    assert table.basis_column == 0


def test_the_register_tables_reuse_the_rooms_own_counts(town):
    a = town["orgs"]["a"]
    install_measures(a)
    from tests.measures.conftest import domain, kind

    jurist = access_for_user(town["users"]["jurist"])
    for i in range(3):
        m = measure_services.open_measure(jurist, kind=kind(a, "waarschuwing"), domain=domain(a, "drugspanden"),
                                          description=f"Pand {i}")
        measure_services.add_step(jurist, m, "rapportage", on=date(2025, 3, 1 + i), source="politie")
        measure_services.add_step(jurist, m, "besluit", on=date(2025, 4, 1 + i))
    generated = measure_tables.build(a, first_year=2023, last_year=2025, peildatum=END_2025)
    out = registers.measures_section(a, 2025, END_2025)
    assert out[0].title == generated.instruments.title
    assert [cells for _, cells in out[0].rows] == [row.cells for row in generated.instruments.rows]
    drugs = next(t for t in out if "drugspanden" in t.title.lower())
    assert rows(drugs)["Bestuurlijke rapportage (rapport politie/handhaving aan burgemeester)"] == [0, 0, 3]

    install_bibob(a)
    bibob = access_for_user(town["users"]["bibob_coordinator"])
    place = BibobDomain.objects.filter(organisation=a, active=True).first()
    bibob_services.open_file(bibob, domain=place.pk, description="Horecavergunning", received_on=date(2025, 2, 1),
                             today=END_2025)
    outcomes, per_domain = registers.bibob_section(a, 2025, END_2025)
    assert rows(outcomes)["Totaal"] == [0, 0, 1]
    assert rows(per_domain)["Totaal"] == [0, 0, 1]

    control_services.save_plan(access_for_user(town["users"]["coordinator"]), 2025, target=12)
    (totals,) = registers.controls_section(a, 2025, END_2025)
    assert "12" in totals.note and rows(totals)["Gepland"] == [0]
