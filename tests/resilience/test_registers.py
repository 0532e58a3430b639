"""Points 1, 4, 5, 6 and 7 through HTTP and the services: awareness sessions and their reach per
department and year, capacity against the reference, budget against spending and goals, the
safeguard register, the integrity register (restricted), projects; tenancy, need-to-know,
audit rows and bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from regie.audit.models import AuditEntry
from regie.resilience import figures, services
from regie.resilience.models import (
    AwarenessSession,
    BudgetLine,
    CapacityLine,
    IntegrityIncident,
    Project,
    SafeguardRule,
)
from tests.conftest import verified_client

from .conftest import acc, assign, make_goal


def _session(client, dept, held_on="2023-03-14", n=20, **extra):
    return client.post(reverse("resilience:sessions"), {
        "topic": "Signalen herkennen", "audience": "alle medewerkers", "held_on": held_on, "organiser": "Kernteam",
        f"afdeling_{dept.pk}": n, **extra,
    })


@pytest.mark.django_db
def test_sessions_and_reach_per_department_and_year(town):
    access = acc(town["coordinator"])
    second = services.add_department(access, "Vergunningen")
    client = verified_client(town["coordinator"])
    assert _session(client, town["depts"]["a"], "2023-03-14", 20, partners=[town["orgs"]["politie"].pk]).status_code == 302
    assert _session(client, second, "2023-10-05", 15).status_code == 302
    services.add_session(access, topic="Mensenhandel", audience="handhaving", held_on=date(2024, 2, 1), organiser="RIEC",
                         attendance={town["depts"]["a"]: 5, second: 7})
    reach = figures.reach(access)
    assert reach["years"] == {2023: (2, 35), 2024: (1, 12)}
    assert reach["departments"] == {(2023, "Burgerzaken"): 20, (2023, "Vergunningen"): 15,
                                    (2024, "Burgerzaken"): 5, (2024, "Vergunningen"): 7}
    assert reach["total"] == 47
    assert figures.attendees(access, date(2024, 1, 1), date(2024, 12, 31)) == 12
    page = verified_client(town["analist"]).get(reverse("resilience:sessions"))
    assert page.status_code == 200 and "Mensenhandel" in page.content.decode()
    session = AwarenessSession.unscoped.get(held_on=date(2023, 3, 14))
    assert list(session.partners.all()) == [town["orgs"]["politie"]]
    entry = AuditEntry.objects.filter(object_type="resilience.awarenesssession", action="create", object_id=str(session.pk)).get()
    assert entry.detail["attendance"] == {str(town["depts"]["a"].pk): 20}  # JSON: keys as text
    # tenancy: gemeente B sees none of it
    assert figures.reach(acc(town["coordinator_b"]))["total"] == 0
    assert "Mensenhandel" not in verified_client(town["coordinator_b"]).get(reverse("resilience:sessions")).content.decode()


@pytest.mark.django_db
def test_session_bad_input_and_roles(town):
    client = verified_client(town["coordinator"])
    response = client.post(reverse("resilience:sessions"), {"topic": "", "held_on": "gisteren"})
    assert response.status_code == 400 and "Controleer de gemarkeerde velden." in response.content.decode()
    with pytest.raises(ValidationError):  # another municipality's department
        services.add_session(acc(town["coordinator"]), topic="X", audience="Y", held_on=date(2024, 1, 1), organiser="Z",
                             attendance={town["depts"]["b"].pk: 3})
    with pytest.raises(ValidationError):
        services.add_session(acc(town["coordinator"]), topic="X", audience="Y", held_on=date(2024, 1, 1), organiser="Z",
                             attendance={town["depts"]["a"].pk: 0})
    assert not AwarenessSession.unscoped.exists()  # nothing half-written
    assert _session(verified_client(town["analist"]), town["depts"]["a"]).status_code == 403
    for role in ("medewerker", "jurist", "partner"):
        assert verified_client(town[role]).get(reverse("resilience:sessions")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.add_department(acc(town["analist"]), "Nieuw")


@pytest.mark.django_db
def test_capacity_against_the_reference(town):
    client = verified_client(town["beheerder"])
    url = reverse("resilience:capacity")
    for function, fte in (("Beleidsmedewerker", "0.89"), ("Handhavingsjuristen", "0.5"), ("Boa's", "0.5"), ("Sociale recherche", "0.4")):
        assert client.post(url, {"what": "line", "year": 2023, "team": "VTH", "function": function, "fte": fte}).status_code == 302
    assert client.post(url, {"what": "line", "year": 2023, "team": "VTH", "function": "Bibob-coördinator", "fte": "0",
                             "vacancy_fte": "1", "backlog": 12}).status_code == 302
    assert client.post(url, {"what": "reference", "year": 2023, "fte": "3.5", "source": "Monitor"}).status_code == 302
    capacity = figures.capacity(acc(town["burgemeester"]), 2023)
    assert capacity.fte == Decimal("2.29") and capacity.reference == Decimal("3.5")
    assert capacity.gap == Decimal("1.21") and capacity.vacancy_fte == Decimal("1") and capacity.backlog == 12
    page = verified_client(town["burgemeester"]).get(url).content.decode()
    assert "2,29" in page and "1,21" in page  # Dutch number format
    response = client.post(url, {"what": "line", "year": 2023, "team": "VTH", "function": "X", "fte": "-1"})
    assert response.status_code == 400
    with pytest.raises(ValidationError):
        services.add_capacity(acc(town["beheerder"]), year="twintig", team="A", function="B", fte="1")
    assert CapacityLine.unscoped.count() == 5
    assert figures.capacity(acc(town["coordinator_b"]), 2023).fte == 0  # tenancy
    assert AuditEntry.objects.filter(object_type="resilience.capacityreference", action="create").count() == 1


@pytest.mark.django_db
def test_budget_against_spending_and_goals(town):
    client = verified_client(town["coordinator"])
    url = reverse("resilience:budget")
    goal = make_goal(town["coordinator"])
    other_goal = make_goal(town["coordinator_b"], title="Doel van gemeente B")
    # a goal of another municipality cannot be chosen: a Dutch form error and nothing written
    response = client.post(url, {"what": "line", "title": "Verkeerd", "nature": "incidenteel", "first_year": 2023,
                                 "last_year": 2026, "amount_per_year": "1", "goal": other_goal.pk})
    assert response.status_code == 400 and "Selecteer een geldige keuze" in response.content.decode()
    with pytest.raises(ValidationError):
        services.add_budget_line(acc(town["coordinator"]), title="Verkeerd", nature="incidenteel", first_year=2023,
                                 last_year=2026, amount_per_year="1", goal=other_goal.pk)
    assert not BudgetLine.unscoped.exists()
    assert client.post(url, {"what": "line", "title": "Uitvoeringsplan ondermijning", "nature": "incidenteel",
                             "first_year": 2023, "last_year": 2026, "amount_per_year": "185000", "goal": goal.pk}).status_code == 302
    line = BudgetLine.unscoped.get()
    assert line.goal == goal
    services.add_budget_line(acc(town["coordinator"]), title="Formatie", nature="structureel", first_year=2025, last_year=2026,
                             amount_per_year="50000")
    assert client.post(url, {"what": "spending", "line": line.pk, "year": 2023, "amount": "170000"}).status_code == 302
    assert client.post(url, {"what": "spending", "line": line.pk, "year": 2023, "amount": "180000"}).status_code == 302  # corrected
    response = client.post(url, {"what": "spending", "line": line.pk, "year": 2030, "amount": "1"})
    assert response.status_code == 400 and "De post loopt van 2023 tot en met 2026." in response.content.decode()
    response = client.post(url, {"what": "line", "title": "Omgekeerd", "nature": "incidenteel", "first_year": 2026,
                                 "last_year": 2023, "amount_per_year": "1"})
    assert response.status_code == 400 and "Het laatste jaar ligt voor het eerste jaar." in response.content.decode()
    years = {row.year: row for row in figures.budget(acc(town["analist"]))}
    assert years[2023].incidental == Decimal("185000") and years[2023].spent == Decimal("180000")
    assert years[2025].total == Decimal("235000") and years[2025].structural == Decimal("50000")
    per_goal = figures.budget_per_goal(acc(town["analist"]))
    assert per_goal == [(goal, Decimal("740000"), Decimal("180000")), (None, Decimal("100000"), Decimal("0"))]
    # the budget page sets the spending beside the goal's result from the plans dashboard
    page = verified_client(town["analist"]).get(url).content.decode()
    assert "Twaalf integrale controles per jaar" in page and "minimaal 12" in page.lower() and "Doel van gemeente B" not in page
    assert figures.spent(acc(town["analist"]), date(2023, 1, 1), date(2024, 12, 31)) == Decimal("180000")
    # another municipality's line cannot be booked on
    with pytest.raises(ValidationError):
        services.record_spending(acc(town["coordinator_b"]), line, year=2023, amount="1")
    assert figures.budget(acc(town["coordinator_b"])) == []
    assert AuditEntry.objects.filter(object_type="resilience.budgetline", action="update").count() == 1


@pytest.mark.django_db
def test_safeguard_register(town):
    client = verified_client(town["coordinator"])
    url = reverse("resilience:safeguards")
    assert client.post(url, {"what": "rule", "process": "13b-besluit", "process_name": "Besluit 13b", "kind": "vier_ogen",
                             "description": "Tweede persoon keurt goed.", "enforced": "on"}).status_code == 302
    rule = SafeguardRule.unscoped.get()
    assert rule.enforced and rule.owner == town["orgs"]["a"]
    response = client.post(url, {"what": "rule", "process": "13b-besluit", "process_name": "Nog eens", "kind": "vier_ogen",
                                 "description": "Dubbel."})
    assert response.status_code == 400 and "al vastgelegd" in response.content.decode()
    assert client.post(url, {"what": "toggle", "rule": rule.pk, "enforced": "0"}).status_code == 302
    rule.refresh_from_db()
    assert not rule.enforced
    assert verified_client(town["analist"]).post(url, {"what": "toggle", "rule": rule.pk, "enforced": "1"}).status_code == 403
    with pytest.raises(ValidationError):  # another municipality's rule
        services.set_enforced(acc(town["coordinator_b"]), rule, True)
    assert "Besluit 13b" in verified_client(town["beheerder"]).get(url).content.decode()
    assert "Besluit 13b" not in verified_client(town["coordinator_b"]).get(url).content.decode()
    assert AuditEntry.objects.filter(object_type="resilience.safeguardrule", action="update").count() == 1


@pytest.mark.django_db
def test_integrity_register_is_the_mayors_only(town):
    mayor = verified_client(town["burgemeester"])
    url = reverse("resilience:incidents")
    assert mayor.post(url, {"kind": "bedreiging", "occurred_on": "2025-05-06", "description": "Dreigbrief aan wethouder."}).status_code == 302
    incident = IntegrityIncident.unscoped.get()
    assert incident.reference == "INT-2025-0001" and incident.confidentiality == 7
    assert mayor.post(url, {"kind": "bedreiging", "occurred_on": "", "description": ""}).status_code == 400
    detail = reverse("resilience:incident", args=[incident.pk])
    assign(town["burgemeester"], incident)
    page = mayor.get(detail)
    assert page.status_code == 200 and "Dreigbrief" in page.content.decode()
    assert AuditEntry.objects.filter(object_type="resilience.integrityincident", object_id=str(incident.pk), action="view",
                                     user_id=town["burgemeester"].pk).count() == 1
    for role in ("coordinator", "analist", "beheerder", "jurist", "medewerker"):
        client = verified_client(town[role])
        assert client.get(url).status_code == 403
        assert client.get(detail).status_code == 403
        assert "Dreigbrief" not in client.get(reverse("resilience:overview")).content.decode()
    # the scoped manager hides it from a RESILIENCE role and from the other municipality's mayor
    from regie.organisations.access import use_access

    with use_access(acc(town["coordinator"])):
        assert not IntegrityIncident.objects.exists()
    assert verified_client(town["burgemeester_b"]).get(detail).status_code == 404
    with pytest.raises(PermissionDenied):
        services.record_incident(acc(town["coordinator"]), kind="lek", occurred_on=date(2025, 1, 1), description="x")


@pytest.mark.django_db
def test_projects_with_tracks_partners_and_stop_go(town):
    client = verified_client(town["coordinator"])
    assert client.post(reverse("resilience:projects"), {
        "name": "Programma Straatkracht", "kind": "programma", "problem": "Jongeren in de drugshandel.",
        "started_on": "2023-02-01", "information_agreement": "RIEC-convenant.",
        "goal": make_goal(town["coordinator"]).pk}).status_code == 302
    project = Project.unscoped.get()
    assert project.goal.title == "Twaalf integrale controles per jaar"
    url = reverse("resilience:project", args=[project.pk])
    assert client.get(url).status_code == 302  # not assigned: the purpose form first
    assign(town["coordinator"], project)
    for track in ("preventie", "repressie", "zorg"):
        assert client.post(url, {"what": "track", "track": track, "goals": f"Doel {track}"}).status_code == 302
    assert client.post(url, {"what": "partner", "organisation": town["orgs"]["politie"].pk, "role": "Recherche"}).status_code == 302
    response = client.post(url, {"what": "partner", "organisation": town["orgs"]["politie"].pk, "role": "Nog eens"})
    assert response.status_code == 400 and "Deze partner doet al mee." in response.content.decode()
    response = client.post(url, {"what": "evaluation", "on": "2022-01-01", "summary": "Te vroeg", "decision": "stop"})
    assert response.status_code == 400 and "niet voor de start" in response.content.decode()
    assert client.post(url, {"what": "evaluation", "on": "2024-06-01", "summary": "Baten wegen niet op.", "decision": "stop"}).status_code == 302
    project.refresh_from_db()
    assert project.status == Project.Status.STOPPED and project.tracks.count() == 3
    page = client.get(url).content.decode()
    assert "Politie Testeenheid: Recherche" in page and "stoppen" in page and "RIEC-convenant." in page
    assert AuditEntry.objects.filter(object_type="resilience.project", object_id=str(project.pk), action="update").count() == 5
    # a reader may not change it; another municipality gets 404
    assign(town["analist"], project)
    assert verified_client(town["analist"]).post(url, {"what": "track", "track": "zorg", "goals": "x"}).status_code == 403
    assign(town["coordinator_b"], project)
    assert verified_client(town["coordinator_b"]).get(url).status_code == 404
    assert verified_client(town["medewerker"]).get(reverse("resilience:projects")).status_code == 403
