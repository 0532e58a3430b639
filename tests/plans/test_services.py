"""The writes of the plans room: hierarchy, goals, baseline history, measurements, recommendations;
each write audited, bad input refused in Dutch without a partial write."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from regie.accounts.access import access_for_user
from regie.audit.models import AuditEntry
from regie.plans import services
from regie.plans.models import (
    BaselineRevision,
    Goal,
    ManualMeasurement,
    Plan,
    PlanAction,
    Recommendation,
    RecommendationUpdate,
)
from tests.conftest import as_user


def audit_count():
    return AuditEntry.objects.count()


def test_hierarchy(people, plan):
    ivp = plan.parent
    assert ivp.kind == Plan.Kind.IVP and plan.kind == Plan.Kind.EXECUTION
    with as_user(people["coordinator"]):
        assert list(ivp.children.all()) == [plan]
    pillar = plan.pillars.get()
    theme = pillar.themes.get()
    action = theme.actions.get()
    assert action.origin == PlanAction.Origin.NEW and action.partners == "Politie, Belastingdienst"
    assert [g.title for g in theme.goals.all()] == ["Twaalf integrale controles per jaar", "Minder inwoners voelen zich onveilig"]
    assert theme.goals.first().action == action


def test_execution_plan_needs_an_ivp_and_fits_in_it(access, plan):
    with pytest.raises(ValidationError) as exc:
        services.create_plan(access, kind=Plan.Kind.EXECUTION, title="Los", first_year=2025, last_year=2025)
    assert "hoort bij een IVP" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.create_plan(access, kind=Plan.Kind.EXECUTION, title="Te lang", parent=plan.parent, first_year=2023, last_year=2025)
    assert "één of twee jaar" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.create_plan(access, kind=Plan.Kind.EXECUTION, title="Erbuiten", parent=plan.parent, first_year=2027, last_year=2027)
    assert "buiten de periode" in str(exc.value)
    with pytest.raises(ValidationError):
        services.create_plan(access, kind=Plan.Kind.IVP, title="Omgekeerd", first_year=2026, last_year=2023)
    assert Plan.unscoped.count() == 2


def test_every_write_is_audited(access, plan):
    theme = plan.pillars.get().themes.get()
    for write in (
        lambda: services.add_pillar(access, plan, name="Weerbare overheid"),
        lambda: services.add_theme(access, plan.pillars.first(), name="Vastgoed", priority=2),
        lambda: services.add_action(access, theme, title="Training", owner="HR"),
        lambda: services.restate_baseline(access, Goal.objects.last(), value=Decimal(23), year=2021, reason="Nieuwe methode"),
        lambda: services.add_measurement(access, Goal.objects.last(), value=Decimal(22), source="Veiligheidsmonitor", reference_date=date(2025, 3, 1)),
        lambda: services.override_status(access, Goal.objects.first(), status="deels", reason="Zie toelichting"),
    ):
        before = audit_count()
        write()
        entry = AuditEntry.objects.order_by("-pk").first()
        assert audit_count() == before + 1
        assert entry.action == AuditEntry.Action.UPDATE and entry.object_type == "plans.plan" and entry.object_id == str(plan.pk)


def test_baseline_restatement_keeps_history(access, plan):
    goal = Goal.objects.get(manual_label="% onveilig in de buurt")
    services.restate_baseline(access, goal, value=Decimal("24.1"), year=2021, reason="Herwogen cijfers CBS")
    goal.refresh_from_db()
    assert goal.baseline_value == Decimal("24.1")
    assert [(r.value, r.reason) for r in goal.baseline_revisions.all()] == [
        (Decimal("22.7"), "Eerste nulmeting"), (Decimal("24.1"), "Herwogen cijfers CBS")]
    entry = AuditEntry.objects.order_by("-pk").first()
    assert entry.detail["baseline"] == ["22.70", "24.1"]


def test_restatement_without_reason_writes_nothing(access, plan):
    goal = Goal.objects.get(manual_label="% onveilig in de buurt")
    before = audit_count()
    with pytest.raises(ValidationError) as exc:
        services.restate_baseline(access, goal, value=Decimal(30), year=2021, reason="  ")
    assert "reden" in str(exc.value)
    goal.refresh_from_db()
    assert goal.baseline_value == Decimal("22.7") and goal.baseline_revisions.count() == 1 and audit_count() == before


@pytest.mark.parametrize("fields,message", [
    ({"indicator_code": "bestaat.niet"}, "niet in de catalogus"),
    ({"manual_label": ""}, "eigen (handmatige) indicator"),
    ({"target_kind": "minimum", "target_value": None}, "streefwaarde"),
    ({"target_kind": "bandbreedte", "target_value": Decimal(5), "target_upper": Decimal(2)}, "bovengrens"),
    ({"target_kind": "percentage", "target_value": Decimal(-5)}, "vraagt een nulmeting"),
    ({"target_kind": "kwalitatief", "target_text": ""}, "kwalitatieve streefwaarde"),
])
def test_bad_goal_is_refused_in_dutch(access, plan, fields, message):
    theme = plan.pillars.get().themes.get()
    base = {"title": "Doel", "manual_label": "Eigen", "target_kind": "niet_vastgesteld", "deadline": date(2025, 12, 31), "owner": "OOV"}
    before_goals, before_audit = Goal.objects.count(), audit_count()
    with pytest.raises(ValidationError) as exc:
        services.add_goal(access, theme, **{**base, **fields})
    assert message in str(exc.value)
    assert Goal.objects.count() == before_goals and audit_count() == before_audit


def test_deviation_needs_a_reason(access, plan):
    action = PlanAction.objects.get()
    with pytest.raises(ValidationError) as exc:
        services.set_action_status(access, action, status=PlanAction.Status.NOT_DONE)
    assert "reden van de afwijking" in str(exc.value)
    services.set_action_status(access, action, status=PlanAction.Status.NOT_DONE, deviation_reason="Capaciteit")
    action.refresh_from_db()
    assert action.status == PlanAction.Status.NOT_DONE and action.deviation_reason == "Capaciteit"


def test_measurement_only_for_manual_goals(access, plan):
    computed = Goal.objects.get(indicator_code="controls.held")
    with pytest.raises(ValidationError):
        services.add_measurement(access, computed, value=Decimal(3), source="x", reference_date=date(2025, 1, 1))
    manual = Goal.objects.get(manual_label="% onveilig in de buurt")
    with pytest.raises(ValidationError) as exc:
        services.add_measurement(access, manual, value=Decimal(3), source="", reference_date=date(2025, 1, 1))
    assert "bron" in str(exc.value).lower() or "source" in str(exc.value)
    assert ManualMeasurement.objects.count() == 0


def test_override_needs_a_reason_and_can_be_undone(access, plan):
    goal = Goal.objects.first()
    with pytest.raises(ValidationError):
        services.override_status(access, goal, status="behaald", reason="")
    services.override_status(access, goal, status="behaald", reason="Kwalitatief beoordeeld")
    goal.refresh_from_db()
    assert goal.status_override == "behaald"
    services.override_status(access, goal, status="", reason="")
    goal.refresh_from_db()
    assert goal.status_override == "" and goal.override_reason == ""


def test_only_writers_of_the_owner_write(people, plan):
    for name in ("raadslid", "beheerder", "coordinator_b"):
        with pytest.raises(PermissionDenied):
            services.add_pillar(access_for_user(people[name]), plan, name="X")
    services.add_pillar(access_for_user(people["burgemeester"]), plan, name="Maatschappelijke weerbaarheid")
    assert plan.pillars.count() == 2


def test_recommendation_due_date_and_one_year_update(access):
    rec = services.add_recommendation(access, report_title="Rekenkamer 2023", number=2, text="Stel jaarlijks uitvoeringsplannen op.",
                                      decision=Recommendation.Decision.ADOPTED, decided_on=date(2023, 11, 30), responsible="Team OOV")
    assert rec.approach_due == date(2024, 2, 29)  # three months, clipped to the month's end (leap year)
    assert services.one_year_due(rec) == date(2024, 11, 30)
    assert AuditEntry.objects.order_by("-pk").first().action == AuditEntry.Action.CREATE
    services.add_update(access, rec, kind="plan_van_aanpak", on=date(2024, 2, 20), status="in_uitvoering", text="Plan van aanpak verstuurd.")
    services.add_update(access, rec, kind="jaarupdate", on=date(2024, 12, 1), status="uitgevoerd", text="Uitvoeringsplan 2025 vastgesteld.")
    rec.refresh_from_db()
    assert rec.approach_sent_on == date(2024, 2, 20) and rec.one_year_update_on == date(2024, 12, 1)
    assert rec.status == "uitgevoerd" and rec.updates.count() == 2
    before = audit_count()
    with pytest.raises(ValidationError) as exc:
        services.add_update(access, rec, kind="jaarupdate", on=date(2025, 1, 1), status="geborgd", text="Nog een keer")
    assert "al vastgelegd" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.add_update(access, rec, kind="stand", on=date(2023, 1, 1), status="geborgd", text="Te vroeg")
    assert "voor het raadsbesluit" in str(exc.value)
    rec.refresh_from_db()
    assert rec.status == "uitgevoerd" and RecommendationUpdate.objects.count() == 2 and audit_count() == before


def test_add_months():
    assert services.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert services.add_months(date(2024, 11, 15), 3) == date(2025, 2, 15)
    assert services.add_months(date(2024, 3, 31), -36) == date(2021, 3, 31)


def test_baseline_revision_rows_are_the_history(access, plan):
    assert BaselineRevision.objects.count() == 1
