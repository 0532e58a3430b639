"""The interventiematrix: planning, status and result flowing back, the first-intervention clock."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone as dj_timezone

from regie.accounts.access import access_for_user
from regie.audit.models import AuditEntry
from regie.cases import services
from regie.cases.models import CaseEvent, Intervention
from regie.intake import services as intake
from regie.intake.leadtimes import lead_times
from regie.intake.models import SignalEvent
from regie.organisations.models import Organisation
from tests.conftest import as_user


@pytest.fixture
def case(town, access, make_signal):
    with as_user(town["coordinator"]):
        return services.open_case(access, title="Loods", signals=[make_signal(), make_signal(text="Tweede melding")])


def first_interventions(case):
    return SignalEvent.objects.filter(signal__case_links__case=case, kind=SignalEvent.Kind.FIRST_INTERVENTION)


def test_plan_an_intervention_lands_on_the_timeline_and_in_the_audit(town, access, case):
    item = services.add_intervention(
        access, case, partner=town["orgs"]["politie"], domain="strafrechtelijk", nature="repressief",
        instrument="doorzoeking", description="Doorzoeking van de loods", planned_on=date(2026, 2, 1),
    )
    assert item.status == "gepland" and item.started_on is None
    assert case.events.filter(kind=CaseEvent.Kind.INTERVENTION).get().text == (
        "Interventie gepland: strafrechtelijk (repressief) door Politie Testeenheid: doorzoeking")
    entry = AuditEntry.objects.get(object_type="cases.intervention", object_id=str(item.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.detail["case"] == case.pk
    assert not first_interventions(case).exists()  # planned is not started


@pytest.mark.parametrize("partner", [None, 999_999, "politie", "inactive"])
def test_unknown_partner_is_refused(town, access, case, partner):
    if partner == "inactive":
        partner = Organisation.objects.create(name="Opgeheven dienst", kind="overig", active=False)
    with pytest.raises(ValidationError, match="Onbekende partner"):
        services.add_intervention(access, case, partner=partner, domain="fiscaal", description="Boekenonderzoek")
    assert not Intervention.objects.exists()


def test_bad_fields_are_refused(town, access, case):
    base = {"partner": town["orgs"]["a"], "description": "Sluiting"}
    with pytest.raises(ValidationError):
        services.add_intervention(access, case, domain="militair", **base)
    with pytest.raises(ValidationError, match="Beschrijf"):
        services.add_intervention(access, case, domain="bestuurlijk", partner=town["orgs"]["a"], description=" ")
    with pytest.raises(ValidationError, match="gestaakt"):
        services.add_intervention(access, case, domain="bestuurlijk", status="gestaakt", **base)
    with pytest.raises(ValidationError, match="trekker"):
        services.add_intervention(access, case, domain="bestuurlijk", responsible=town["coordinator_b"], **base)
    with pytest.raises(ValidationError, match="vóór de startdatum"):
        services.add_intervention(access, case, domain="bestuurlijk", status="uitgevoerd",
                                  started_on=date(2026, 3, 2), done_on=date(2026, 3, 1), **base)
    with pytest.raises(TypeError):
        services.add_intervention(access, case, domain="bestuurlijk", budget=10, **base)
    assert not Intervention.objects.exists()


def test_no_new_intervention_in_a_closed_case(town, access, case):
    services.set_phase(access, case, "afgesloten", reason="resultaat")
    with pytest.raises(ValidationError, match="afgesloten"):
        services.add_intervention(access, case, partner=town["orgs"]["a"], domain="bestuurlijk", description="Sluiting")


def test_first_start_records_the_milestone_once_per_signal(town, access, case, make_signal):
    signals = [link.signal for link in case.signal_links.all()]
    # one signal already had its first intervention (e.g. from an earlier case): it keeps that date
    earlier = datetime(2026, 1, 20, 12, tzinfo=UTC)
    intake.record_milestone(signals[0], "eerste_interventie", at=earlier)
    item = services.add_intervention(access, case, partner=town["orgs"]["a"], domain="bestuurlijk",
                                     description="Waarschuwing", planned_on=date(2026, 2, 1))
    services.update_intervention(access, item, status="in_uitvoering", started_on=date(2026, 2, 3))
    events = first_interventions(case).order_by("signal_id")
    assert [(e.signal_id, e.at) for e in events] == [
        (signals[0].pk, earlier),
        (signals[1].pk, datetime(2026, 2, 3, 11, tzinfo=UTC)),  # midday in Amsterdam
    ]
    assert events[1].note == f"casus {case.reference}"
    # a second intervention starting later changes nothing
    other = services.add_intervention(access, case, partner=town["orgs"]["politie"], domain="strafrechtelijk",
                                      description="Aanhouding", status="uitgevoerd", started_on=date(2026, 3, 1))
    assert other.done_on is not None
    assert first_interventions(case).count() == 2
    # and the clock counts it: received 5 January, first intervention 3 February
    with as_user(town["coordinator"]) as acting:
        rows = {r.step: r for r in lead_times(acting, years=[2026])}
    assert rows["ontvangen → eerste interventie"].signals == 2
    assert services.lead_time_days(case) == 29


def test_status_moves_forward_only_and_result_flows_to_the_timeline(town, access, case):
    item = services.add_intervention(access, case, partner=town["orgs"]["politie"], domain="strafrechtelijk",
                                     description="Inval")
    services.update_intervention(access, item, status="uitgevoerd", result="Kwekerij van 400 planten ontmanteld")
    item.refresh_from_db()
    today = dj_timezone.localdate()
    assert (item.status, item.started_on, item.done_on) == ("uitgevoerd", today, today)
    with pytest.raises(ValidationError, match="verandert niet meer"):
        services.update_intervention(access, item, status="in_uitvoering")
    with pytest.raises(ValidationError, match="niets gewijzigd"):
        services.update_intervention(access, item, result="Kwekerij van 400 planten ontmanteld")
    with pytest.raises(ValidationError, match="geldige status"):
        services.update_intervention(access, item, status="klaar")
    texts = list(case.events.filter(source="interventie").values_list("kind", "text"))
    assert texts[-2:] == [
        ("interventie", "strafrechtelijk (repressief) door Politie Testeenheid: Inval — gepland → uitgevoerd"),
        ("resultaat", "Resultaat (Politie Testeenheid, strafrechtelijk): Kwekerij van 400 planten ontmanteld"),
    ]
    entry = AuditEntry.objects.filter(object_type="cases.intervention", action=AuditEntry.Action.UPDATE).get()
    assert entry.detail["fields"] == ["result", "status"] and entry.detail["milestones"] == 2


def test_running_back_to_planned_is_refused(town, access, case):
    item = services.add_intervention(access, case, partner=town["orgs"]["a"], domain="bestuurlijk",
                                     description="Sluiting", status="in_uitvoering")
    with pytest.raises(ValidationError, match="kan niet terug"):
        services.update_intervention(access, item, status="gepland")
    with pytest.raises(ValidationError, match="waarom"):
        services.update_intervention(access, item, status="gestaakt")
    item.refresh_from_db()
    assert item.status == "in_uitvoering"


def test_the_executing_partner_reports_back_only_status_and_result(town, access, case):
    item = services.add_intervention(access, case, partner=town["orgs"]["politie"], domain="strafrechtelijk",
                                     description="Inval")
    other = services.add_intervention(access, case, partner=town["orgs"]["a"], domain="bestuurlijk",
                                      description="Sluiting")
    partner = access_for_user(town["partner"])
    services.update_intervention(partner, item, status="in_uitvoering")
    with pytest.raises(PermissionDenied, match="alleen de status"):
        services.update_intervention(partner, item, description="iets anders")
    with pytest.raises(PermissionDenied):
        services.update_intervention(partner, other, status="in_uitvoering")
    with pytest.raises(PermissionDenied):
        services.update_intervention(access_for_user(town["jurist"]), other, result="gesloten")
    item.refresh_from_db()
    other.refresh_from_db()
    assert (item.status, other.status) == ("in_uitvoering", "gepland")
    assert case.events.filter(by=town["partner"], kind=CaseEvent.Kind.INTERVENTION).count() == 1


def test_interventions_changed_since_is_what_goes_back_to_the_forum(town, access, case):
    t0 = datetime(2026, 2, 1, tzinfo=UTC)
    old = services.add_intervention(access, case, partner=town["orgs"]["a"], domain="bestuurlijk",
                                    description="Waarschuwing", at=t0)
    quiet = services.add_intervention(access, case, partner=town["orgs"]["a"], domain="anders",
                                      nature="preventief", description="Voorlichting", at=t0)
    services.update_intervention(access, old, status="uitgevoerd", result="Waarschuwing verstuurd",
                                 at=t0 + timedelta(days=10))
    services.update_intervention(access, quiet, contact="Wijkagent", at=t0 + timedelta(days=11))
    # a case of another municipality never shows
    other_case = services.open_case(access_for_user(town["coordinator_b"]), title="Buren")
    services.add_intervention(access_for_user(town["coordinator_b"]), other_case, partner=town["orgs"]["b"],
                              domain="bestuurlijk", description="Bij de buren", at=t0 + timedelta(days=12))
    changed = services.interventions_changed_since(access, t0 + timedelta(days=1))
    assert changed == [(case, old)]
    assert len(services.interventions_changed_since(access, t0 - timedelta(days=1))) == 2
    assert services.interventions_changed_since(access_for_user(town["boa"]), t0 - timedelta(days=1)) == []


def test_matrix_rows_per_partner_with_cells_per_domain(town, access, case):
    politie, gemeente = town["orgs"]["politie"], town["orgs"]["a"]
    services.add_intervention(access, case, partner=politie, domain="strafrechtelijk", description="Inval")
    services.add_intervention(access, case, partner=politie, domain="anders", nature="preventief", description="Voorlichting")
    services.add_intervention(access, case, partner=gemeente, domain="bestuurlijk", description="Sluiting 13b")
    services.add_intervention(access, case, partner=gemeente, domain="bestuurlijk", nature="weerbaarheid",
                              description="Gesprek met pandeigenaar")
    rows = services.matrix(case)
    assert [r.partner for r in rows] == [gemeente, politie]  # the owner first
    assert [[len(cell) for cell in r.cells] for r in rows] == [[2, 0, 0, 0], [0, 0, 1, 1]]
    assert rows[0].natures() == {"repressief": 1, "preventief": 0, "weerbaarheid": 1}
    assert [r.total for r in rows] == [2, 2]


def test_after_closing_only_the_result_can_still_be_reported(town, access, case):
    item = services.add_intervention(access, case, partner=town["orgs"]["politie"], domain="strafrechtelijk",
                                     description="Inval", status="uitgevoerd")
    services.set_phase(access, case, "afgesloten", reason="resultaat")
    partner = access_for_user(town["partner"])
    form = {"status": item.status, "started_on": item.started_on, "done_on": item.done_on}  # as the form sends them
    services.update_intervention(partner, item, result="Verdachte veroordeeld", **form)
    with pytest.raises(ValidationError, match="alleen het resultaat"):
        services.update_intervention(access, item, description="Inval en beslag")
    item.refresh_from_db()
    assert (item.result, item.description) == ("Verdachte veroordeeld", "Inval")
    assert case.events.filter(kind=CaseEvent.Kind.RESULT, by=town["partner"]).count() == 1
