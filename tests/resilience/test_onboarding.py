"""Point 2 and 3: the onboarding module for every employee (answers checked, completion per
employee), the HR overview, and the contact persons shown to every employee."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regie.audit.models import AuditEntry
from regie.resilience import figures, onboarding, services
from regie.resilience.models import OnboardingCompletion
from regie.web.context_processors import navigation_for
from tests.conftest import verified_client

from .conftest import acc

RIGHT = {q.key: q.correct for q in onboarding.QUESTIONS}
MODULE = reverse("resilience:onboarding")


@pytest.mark.django_db
def test_the_module_shows_content_contacts_and_the_link_to_report(town):
    page = verified_client(town["medewerker"]).get(MODULE)
    assert page.status_code == 200
    html = page.content.decode()
    for p in onboarding.PAGES:
        assert p.title in html
    assert "Ilse Kramer" in html and "Bart Bedorp" not in html  # own municipality's contact persons only
    assert reverse("intake:suspicion") in html
    labels = [label for label, *_ in navigation_for(town["medewerker"])]
    assert "Introductie ondermijning" in labels and "Weerbare organisatie" not in labels


@pytest.mark.django_db
def test_wrong_answers_are_refused_and_nothing_is_recorded(town):
    client = verified_client(town["medewerker"])
    wrong = {**RIGHT, "twijfel": "niets"}
    response = client.post(MODULE, wrong)
    assert response.status_code == 400
    assert "Dit antwoord klopt niet" in response.content.decode()
    response = client.post(MODULE, {"signaal": "aanwijzing"})  # missing answers
    assert response.status_code == 400 and "Kies een antwoord." in response.content.decode()
    response = client.post(MODULE, {**RIGHT, "signaal": "verzonnen"})  # not an option
    assert response.status_code == 400
    assert not OnboardingCompletion.unscoped.exists()


@pytest.mark.django_db
def test_completion_is_recorded_once_per_employee_with_its_audit_row(town):
    client = verified_client(town["medewerker"])
    response = client.post(MODULE, RIGHT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "U heeft de introductie ondermijning afgerond" in html and reverse("intake:suspicion") in html
    completion = OnboardingCompletion.unscoped.get()
    assert completion.user == town["medewerker"] and completion.owner == town["orgs"]["a"]
    assert completion.version == onboarding.VERSION
    entry = AuditEntry.objects.get(object_type="resilience.onboardingcompletion", action="create")
    assert entry.user_id == town["medewerker"].pk
    assert client.post(MODULE, RIGHT).status_code == 200  # again: still one completion
    assert OnboardingCompletion.unscoped.count() == 1
    assert services.has_completed(town["medewerker"]) and not services.has_completed(town["analist"])
    assert "al afgerond" in client.get(MODULE).content.decode()


@pytest.mark.django_db
def test_one_records_only_ones_own_completion(town):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.complete_onboarding(acc(town["coordinator"]), town["medewerker"], RIGHT)
    with pytest.raises(PermissionDenied):  # a partner's organisation is no gemeente
        services.complete_onboarding(acc(town["partner"]), town["partner"], RIGHT)
    assert verified_client(town["partner"]).get(MODULE).status_code == 403


@pytest.mark.django_db
def test_hr_overview_shows_who_has_not_completed(town):
    url = reverse("resilience:onboarding_overview")
    services.complete_onboarding(acc(town["analist"]), town["analist"], RIGHT)
    page = verified_client(town["beheerder"]).get(url)
    assert page.status_code == 200
    missing_part = page.content.decode().split("Nog niet afgerond")[1].split("Afgerond (")[0]
    assert "Mila Bakker" in missing_part and town["analist"].username not in missing_part
    done, employees, percentage = figures.completion(acc(town["beheerder"]))
    assert (done, employees) == (1, 6) and str(percentage) == "16.7"
    services.complete_onboarding(acc(town["medewerker"]), town["medewerker"], RIGHT)
    page = verified_client(town["coordinator"]).get(url)
    assert "Mila Bakker" not in page.content.decode().split("Nog niet afgerond")[1].split("Afgerond (")[0]
    assert town["medewerker_b"].username not in page.content.decode()  # tenancy
    for role in ("medewerker", "analist", "burgemeester", "jurist"):
        assert verified_client(town[role]).get(url).status_code == 403
    assert AuditEntry.objects.filter(object_type="resilience.onboardingcompletion", action="list").count() == 2


@pytest.mark.django_db
def test_contact_persons_are_visible_to_every_employee_and_kept_by_the_keepers(town):
    url = reverse("resilience:contacts")
    page = verified_client(town["medewerker"]).get(url)
    assert page.status_code == 200 and "Ilse Kramer" in page.content.decode() and "Bart Bedorp" not in page.content.decode()
    assert "Aanspreekpunt toevoegen" not in page.content.decode()
    assert verified_client(town["medewerker"]).post(url, {"what": "department", "name": "Stiekem"}).status_code == 403
    keeper = verified_client(town["beheerder"])
    assert keeper.post(url, {"what": "department", "name": "Economische Zaken"}).status_code == 302
    response = keeper.post(url, {"what": "department", "name": "burgerzaken"})
    assert response.status_code == 400 and "Deze afdeling bestaat al." in response.content.decode()
    response = keeper.post(url, {"what": "contact", "department": town["depts"]["b"].pk, "name": "Inbreker"})
    assert response.status_code == 400  # another municipality's department is no choice
    response = keeper.post(url, {"what": "contact", "department": town["depts"]["a"].pk, "name": "Tom Vos", "email": "geen-mail"})
    assert response.status_code == 400
    assert keeper.post(url, {"what": "contact", "department": town["depts"]["a"].pk, "name": "Tom Vos"}).status_code == 302
    assert "Tom Vos" in verified_client(town["medewerker"]).get(url).content.decode()
    assert AuditEntry.objects.filter(object_type="resilience.contactperson", action="create", role="functioneel_beheerder").count() == 1
