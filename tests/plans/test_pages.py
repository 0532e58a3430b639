"""The pages through HTTP: reads per role, raadslid read-only and openbaar only, tenancy 404,
writes audited, bad input a Dutch 400 without partial write, exports audited."""

from datetime import date

import pytest
from django.urls import reverse

from regie.accounts.access import access_for_user
from regie.audit.models import AuditEntry
from regie.plans import services
from regie.plans.models import Goal, Pillar, Plan, Recommendation, Theme
from tests.conftest import verified_client


@pytest.fixture
def rec(access):
    return services.add_recommendation(access, report_title="Rekenkamer ondermijning", number=2, text="Stel uitvoeringsplannen op.",
                                       decision="overgenomen", decided_on=date(2025, 1, 15), responsible="Team OOV")


def test_readers_see_the_dashboard(people, plan):
    for name in ("coordinator", "analist", "burgemeester", "raadslid", "beheerder"):
        client = verified_client(people[name])
        page = client.get(reverse("plans:detail", args=[plan.pk]), {"jaar": 2025})
        assert page.status_code == 200, name
        assert "Twaalf integrale controles per jaar" in page.content.decode()
        assert "Aanpakken – Drugscriminaliteit" in page.content.decode()
        assert client.get(reverse("plans:list")).status_code == 200
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW, object_type="plans.plan").count() == 5


def test_roles_without_plans_are_refused(people, plan):
    for name in ("boa", "jurist"):
        client = verified_client(people[name])
        assert client.get(reverse("plans:list")).status_code == 403
        assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 403


def test_other_municipality_gets_404(people, plan, rec):
    client = verified_client(people["coordinator_b"])
    goal = Goal.objects.first()
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:goal", args=[goal.pk])).status_code == 404
    assert client.get(reverse("plans:recommendation", args=[rec.pk])).status_code == 404
    assert client.post(reverse("plans:add", args=[plan.pk]), {"onderdeel": "pijler", "pijler-name": "X", "pijler-position": 0}).status_code == 404
    assert client.post(reverse("plans:goal_change", args=[goal.pk]), {"wat": "status"}).status_code == 404
    assert client.post(reverse("plans:recommendation_update", args=[rec.pk]), {}).status_code == 404
    assert "Uitvoeringsplan 2025" not in client.get(reverse("plans:list")).content.decode()
    assert Pillar.objects.filter(name="X").count() == 0


def test_raadslid_reads_openbaar_only_and_never_writes(people, plan, access):
    secret = services.create_plan(access, kind=Plan.Kind.IVP, title="Besloten plan", first_year=2024, last_year=2024, confidentiality=3)
    client = verified_client(people["raadslid"])
    listing = client.get(reverse("plans:list")).content.decode()
    assert "Uitvoeringsplan 2025" in listing and "Besloten plan" not in listing
    assert client.get(reverse("plans:detail", args=[secret.pk])).status_code == 404
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Toevoegen" not in page
    assert client.post(reverse("plans:add", args=[plan.pk]), {"onderdeel": "pijler", "pijler-name": "X", "pijler-position": 0}).status_code == 403
    assert client.get(reverse("plans:create")).status_code == 403
    # the coordinator sees both
    assert "Besloten plan" in verified_client(people["coordinator"]).get(reverse("plans:list")).content.decode()


def test_add_parts_through_the_page(people, plan):
    client = verified_client(people["analist"])
    url = reverse("plans:add", args=[plan.pk])
    before = AuditEntry.objects.count()
    assert client.post(url, {"onderdeel": "pijler", "pijler-name": "Weerbare overheid", "pijler-position": 2}).status_code == 302
    pillar = Pillar.objects.get(name="Weerbare overheid")
    assert client.post(url, {"onderdeel": "thema", "thema-pillar": pillar.pk, "thema-name": "Vastgoed", "thema-priority": 1}).status_code == 302
    theme = Theme.objects.get(name="Vastgoed")
    response = client.post(url, {"onderdeel": "doel", "doel-theme": theme.pk, "doel-title": "Bibob bij vastgoed",
                                 "doel-indicator_code": "bibob.files.vastgoed", "doel-target_kind": "minimum", "doel-target_value": "4",
                                 "doel-scope": "jaar", "doel-deadline": "2025-12-31", "doel-owner": "Vastgoed"})
    assert response.status_code == 302
    assert Goal.objects.get(title="Bibob bij vastgoed").indicator_code == "bibob.files.vastgoed"
    assert AuditEntry.objects.count() == before + 3
    assert AuditEntry.objects.order_by("-pk").first().username == people["analist"].username


def test_bad_goal_through_the_page_is_a_dutch_400(people, plan):
    client = verified_client(people["coordinator"])
    theme = Theme.objects.first()
    before_goals, before_audit = Goal.objects.count(), AuditEntry.objects.count()
    response = client.post(reverse("plans:add", args=[plan.pk]), {
        "onderdeel": "doel", "doel-theme": theme.pk, "doel-title": "Bandbreedte", "doel-manual_label": "Eigen",
        "doel-target_kind": "bandbreedte", "doel-target_value": "10", "doel-target_upper": "5", "doel-scope": "jaar",
        "doel-deadline": "2025-12-31", "doel-owner": "OOV"})
    assert response.status_code == 400
    assert "Geef een bovengrens die niet lager is dan de ondergrens." in response.content.decode()
    assert Goal.objects.count() == before_goals and AuditEntry.objects.count() == before_audit
    response = client.post(reverse("plans:add", args=[plan.pk]), {"onderdeel": "thema", "thema-pillar": "999999", "thema-name": "X"})
    assert response.status_code == 400


def test_goal_page_restates_baseline_and_takes_measurements(people, plan):
    client = verified_client(people["coordinator"])
    goal = Goal.objects.get(manual_label="% onveilig in de buurt")
    url = reverse("plans:goal_change", args=[goal.pk])
    assert client.post(url, {"wat": "nulmeting", "nulmeting-value": "24", "nulmeting-year": "2021",
                             "nulmeting-reason": "Nieuwe weging"}).status_code == 302
    assert client.post(url, {"wat": "meting", "meting-value": "21,5", "meting-source": "Veiligheidsmonitor 2025",
                             "meting-reference_date": "2025-03-01"}).status_code == 302
    bad = client.post(url, {"wat": "nulmeting", "nulmeting-value": "25", "nulmeting-reason": ""})
    assert bad.status_code == 400 and "Dit veld is vereist." in bad.content.decode()
    page = client.get(reverse("plans:goal", args=[goal.pk])).content.decode()
    assert "Nieuwe weging" in page and "Eerste nulmeting" in page and "Veiligheidsmonitor 2025" in page
    goal.refresh_from_db()
    assert goal.baseline_value == 24 and goal.baseline_revisions.count() == 2


def test_recommendation_pages(people, rec):
    client = verified_client(people["coordinator"])
    page = client.get(reverse("plans:recommendation", args=[rec.pk])).content.decode()
    assert "15-04-2025" in page and "15-01-2026" in page  # plan of approach due, one-year update due
    response = client.post(reverse("plans:recommendation_update", args=[rec.pk]), {
        "kind": "plan_van_aanpak", "on": "2025-04-01", "status": "in_uitvoering", "text": "Plan van aanpak naar de raad"})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.approach_sent_on == date(2025, 4, 1)
    bad = client.post(reverse("plans:recommendation_update", args=[rec.pk]), {"kind": "stand", "on": "2024-01-01",
                                                                             "status": "geborgd", "text": "x"})
    assert bad.status_code == 400 and "De datum ligt voor het raadsbesluit." in bad.content.decode()
    created = client.post(reverse("plans:recommendations"), {
        "report_title": "Rekenkamer", "number": 5, "text": "Organiseer jaarlijks een raadsinformatiebijeenkomst.",
        "addressee": "raad", "decision": "overgenomen", "decided_on": "2025-02-01", "responsible": "Griffie"})
    assert created.status_code == 302
    assert Recommendation.unscoped.get(number=5).approach_due == date(2025, 5, 1)
    raad = verified_client(people["raadslid"])
    assert raad.get(reverse("plans:overview")).status_code == 200
    assert raad.post(reverse("plans:recommendation_update", args=[rec.pk]), {}).status_code == 403


@pytest.mark.parametrize("name,url_name,args,query,marker", [
    ("dashboard", "plans:detail", True, {"jaar": 2025}, "Pijler"),
    ("goals", "plans:goals", False, {"jaar": 2025}, "Pijler"),
    ("recs", "plans:recommendations", False, {}, "Rapport"),
    ("overview", "plans:overview", False, {}, "Rapport"),
])
def test_every_table_exports_csv_and_xlsx(people, plan, rec, name, url_name, args, query, marker):
    client = verified_client(people["raadslid"])
    url = reverse(url_name, args=[plan.pk] if args else [])
    for fmt in ("csv", "xlsx"):
        before = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count()
        response = client.get(url, {**query, "formaat": fmt})
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'.{fmt}"')
        if fmt == "csv":
            assert marker in response.content.decode("utf-8")
        else:
            assert response.content[:2] == b"PK"
        assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == before + 1
    assert client.get(url, {**query, "formaat": "pdf"}).status_code == 400


def test_bad_year_is_a_dutch_400(people, plan):
    response = verified_client(people["coordinator"]).get(reverse("plans:detail", args=[plan.pk]), {"jaar": "abc"})
    assert response.status_code == 400 and "Geef een jaartal tussen 2000 en 2100" in response.content.decode()


def test_create_plan_page(people):
    client = verified_client(people["burgemeester"])
    response = client.post(reverse("plans:create"), {"kind": "ivp", "title": "IVP 2027–2030", "first_year": 2027, "last_year": 2030})
    assert response.status_code == 302
    bad = client.post(reverse("plans:create"), {"kind": "uitvoeringsplan", "title": "Los", "first_year": 2027, "last_year": 2027})
    assert bad.status_code == 400 and "hoort bij een IVP" in bad.content.decode()
    assert Plan.unscoped.count() == 1
    assert access_for_user(people["burgemeester"]).role == "burgemeester"


def test_action_status_through_the_page(people, plan):
    from regie.plans.models import PlanAction

    action = PlanAction.objects.get()
    client = verified_client(people["coordinator"])
    url = reverse("plans:action_status", args=[action.pk])
    prefix = f"actie-{action.pk}"
    before = AuditEntry.objects.count()
    bad = client.post(url, {f"{prefix}-status": "niet_uitgevoerd", f"{prefix}-deviation_reason": ""})
    assert bad.status_code == 400 and "Geef de reden van de afwijking van het plan." in bad.content.decode()
    assert AuditEntry.objects.count() == before
    ok = client.post(url, {f"{prefix}-status": "niet_uitgevoerd", f"{prefix}-deviation_reason": "Geen capaciteit bij de partners"})
    assert ok.status_code == 302
    action.refresh_from_db()
    assert action.status == "niet_uitgevoerd" and AuditEntry.objects.count() == before + 1
    assert "Geen capaciteit bij de partners" in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert verified_client(people["coordinator_b"]).post(url, {f"{prefix}-status": "uitgevoerd"}).status_code == 404
    assert verified_client(people["raadslid"]).post(url, {f"{prefix}-status": "uitgevoerd"}).status_code == 403


def test_a_parent_the_reader_may_not_see_is_not_named(people, access):
    ivp = services.create_plan(access, kind=Plan.Kind.IVP, title="Besloten IVP", first_year=2024, last_year=2027, confidentiality=3)
    up = services.create_plan(access, kind=Plan.Kind.EXECUTION, title="Openbaar uitvoeringsplan", parent=ivp,
                              first_year=2025, last_year=2025)
    client = verified_client(people["raadslid"])
    assert "Besloten IVP" not in client.get(reverse("plans:list")).content.decode()
    page = client.get(reverse("plans:detail", args=[up.pk])).content.decode()
    assert "Openbaar uitvoeringsplan" in page and "Besloten IVP" not in page
    assert "Besloten IVP" in verified_client(people["coordinator"]).get(reverse("plans:detail", args=[up.pk])).content.decode()
