"""Issue 6 through HTTP: the overview per domain and phase with the uncovered domains and the
terms (point 3), strict confidentiality with every access logged (point 4), bad input (point 6),
tenancy and need-to-know, the start page, the 'eigen onderzoek' and the enricher."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from regie.accounts.access import access_for_user
from regie.audit.models import AuditEntry
from regie.bibob import services
from regie.bibob.confidential import read_findings
from regie.bibob.enrichment import bibob_section
from regie.bibob.models import BibobFile, BibobStep
from regie.intake import enrichment
from regie.intake.enrichment import Keys
from regie.measures import services as measures
from regie.measures.models import MeasureDomain, MeasureKind
from tests.bibob.conftest import assess, new_file, to_research
from tests.conftest import verified_client
from tests.e2e.support import assign

SECRET = "Ernstig gevaar: de geldschieter is veroordeeld voor witwassen."


@pytest.fixture
def lbb_file(town, access):
    """A horeca file with an LBB advice received and an assessment, 30 days old."""
    today = timezone.localdate()
    start = today - timedelta(days=30)
    f = new_file(access, town["orgs"]["a"], start, company=town["company"], description="Café De Gouden Leeuw, Markt 3")
    to_research(access, f, start)
    services.add_step(access, f, "lbb_gevraagd", on=start + timedelta(days=7))
    services.add_step(access, f, "lbb_ontvangen", on=start + timedelta(days=20), degree="ernstig", finding=SECRET)
    assess(access, f, start + timedelta(days=21), degree="ernstig")
    return f


def views_of(file, user) -> int:
    return AuditEntry.objects.filter(action="view", object_type="bibob.bibobfile", object_id=str(file.pk),
                                     user_id=user.pk, detail__vertrouwelijk__isnull=False).count()


def test_point_4_the_coordinator_reads_the_advice_and_every_read_is_logged(town, lbb_file):
    client = verified_client(town["bibob"])
    url = reverse("bibob:detail", args=[lbb_file.pk])
    for n in (1, 2):
        page = client.get(url).content.decode()
        assert SECRET in page and "ernstig gevaar" in page
        assert views_of(lbb_file, town["bibob"]) == n


def test_point_4_others_see_only_that_the_file_exists_and_its_phase(town, lbb_file):
    for role in ("coordinator", "analist", "burgemeester"):
        user = town[role]
        assign(user, lbb_file)  # even with the file assigned: no team member
        client = verified_client(user)
        page = client.get(reverse("bibob:detail", args=[lbb_file.pk])).content.decode()
        assert lbb_file.reference in page and "Beoordeling mate van gevaar" in page
        assert SECRET not in page and "Gouden Leeuw" not in page and "ernstig" not in page
        assert views_of(lbb_file, user) == 0
        listing = client.get(reverse("bibob:list")).content.decode()
        assert lbb_file.reference in listing and "Gouden Leeuw" not in listing
        assert client.get(reverse("bibob:step", args=[lbb_file.pk])).status_code == 403


def test_point_4_only_the_jurist_of_the_file_reads_it(town, access, lbb_file):
    jurist = town["jurist"]
    url = reverse("bibob:detail", args=[lbb_file.pk])
    response = verified_client(jurist).get(url)
    assert response.status_code == 302 and "/doel/" in response["Location"]  # not on the file: purpose gate first
    with pytest.raises(PermissionDenied):
        read_findings(access_for_user(jurist), lbb_file)
    services.assign_jurist(access, lbb_file, jurist)
    page = verified_client(jurist).get(url).content.decode()
    assert SECRET in page and views_of(lbb_file, jurist) == 1
    # another jurist of the municipality stays outside
    with pytest.raises(PermissionDenied):
        read_findings(access_for_user(town["jurist2"]), lbb_file)
    with pytest.raises(PermissionDenied):
        read_findings(access_for_user(town["coordinator"]), lbb_file)


def test_tenancy_and_need_to_know(town, lbb_file):
    other = verified_client(town["bibob_b"])
    assert other.get(reverse("bibob:detail", args=[lbb_file.pk])).status_code == 404
    assert other.get(reverse("bibob:step", args=[lbb_file.pk])).status_code == 404
    assert lbb_file.reference not in other.get(reverse("bibob:list")).content.decode()
    assert verified_client(town["boa"]).get(reverse("bibob:list")).status_code == 403
    assert verified_client(town["partner"]).get(reverse("bibob:detail", args=[lbb_file.pk])).status_code == 403
    assert BibobFile.objects.visible_to(access_for_user(town["boa"])).count() == 0


def test_point_3_overview_per_domain_and_phase_with_uncovered_domains_and_terms(town, access, lbb_file):
    today = timezone.localdate()
    new_file(access, town["orgs"]["a"], today - timedelta(days=3), code="omgevingsvergunning-bouw",
             description="Nieuwbouw loods Havenweg")
    page = verified_client(town["bibob"]).get(reverse("bibob:list")).content.decode()
    assert "Domeinen buiten het Bibob-beleid" in page and "Omgevingsvergunning bouw" in page
    assert "Uiterste beslisdatum" in page and "Nieuwbouw loods Havenweg" in page
    overview = services.overview(access)
    row = {d.code: cells for d, cells, _ in overview["rows"]}
    phases = [v for v, _ in overview["phases"]]
    assert row["horeca-alcohol"][phases.index("beoordeling")] == 1
    assert row["omgevingsvergunning-bouw"][phases.index("aanvraag")] == 1
    assert "omgevingsvergunning-bouw" in {d.code for d in overview["uncovered"]}
    # the start page lists the terms of every step
    start = verified_client(town["bibob"]).get(reverse("web:start")).content.decode()
    assert "Termijnen Bibob-dossiers" in start and "uiterste beslisdatum" in start and "Nieuwbouw loods Havenweg" in start
    assert "Buiten het Bibob-beleid" in start
    # a coordinator of the kernteam sees the overview but no terms of files he is not on
    assert "Termijnen Bibob-dossiers" not in verified_client(town["coordinator"]).get(reverse("web:start")).content.decode()


def test_open_a_file_and_record_steps_through_http_with_bad_input_refused(town):
    client = verified_client(town["bibob"])
    today = timezone.localdate()
    from regie.bibob.models import BibobDomain

    horeca = BibobDomain.objects.get(organisation=town["orgs"]["a"], code="horeca-alcohol")
    response = client.post(reverse("bibob:create"), {"domain": horeca.pk, "kind": "aanvraag", "description": "Bar Nero",
                                                     "received_on": today.isoformat(), "subject": "87654321"})
    assert response.status_code == 302
    f = BibobFile.objects.visible_to(access_for_user(town["bibob"])).get(description="Bar Nero")
    assert f.company_id == town["company"].pk
    step_url = reverse("bibob:step", args=[f.pk])
    # a decision before the form was complete: a clear Dutch refusal, nothing written
    response = client.post(step_url, {"soort": "besluit", "on": today.isoformat(), "outcome": "verleend"})
    assert response.status_code == 400 and "vragenformulier is nog niet volledig" in response.content.decode()
    assert not BibobStep.objects.filter(file=f, kind="besluit").exists()
    # an LBB request on a file that does not exist
    assert client.post(reverse("bibob:step", args=[999999]), {"soort": "lbb_gevraagd", "on": today.isoformat()}).status_code == 404
    client.post(step_url, {"soort": "formulier", "on": today.isoformat()})
    # a hersteltermijn in the past
    response = client.post(step_url, {"soort": "volledigheid", "on": today.isoformat(), "complete": "nee",
                                      "deadline": (today - timedelta(days=2)).isoformat()})
    assert response.status_code == 400 and "ligt in het verleden" in response.content.decode()
    response = client.post(step_url, {"soort": "volledigheid", "on": today.isoformat(), "complete": "ja"})
    assert response.status_code == 302
    assert client.post(step_url, {"soort": "onderzoek", "on": today.isoformat()}).status_code == 302
    response = client.post(step_url, {"soort": "lbb_gevraagd", "on": today.isoformat()})
    assert response.status_code == 302
    request = BibobStep.objects.get(file=f, kind="lbb_gevraagd")
    assert request.deadline == today + timedelta(weeks=8)
    assert client.post(reverse("bibob:create"), {"domain": "", "description": ""}).status_code == 400


def test_eigen_onderzoek_shows_the_applicants_history_as_far_as_the_role_may_see(town, access, lbb_file):
    jurist = town["jurist"]
    measures.install_default_catalogue(town["orgs"]["a"])
    measures.open_measure(access_for_user(jurist), kind=MeasureKind.objects.get(organisation=town["orgs"]["a"], code="waarschuwing"),
                          domain=MeasureDomain.objects.get(organisation=town["orgs"]["a"], code="overig"),
                          description="Waarschuwing overlast terras", company=town["company"])
    other = new_file(access, town["orgs"]["a"], timezone.localdate() - timedelta(days=2), code="vastgoed",
                     kind="relatie", company=town["company"], description="Verkoop pand Markt 5")
    services.assign_jurist(access, lbb_file, jurist)
    page = verified_client(jurist).get(reverse("bibob:detail", args=[lbb_file.pk])).content.decode()
    assert "Waarschuwing overlast terras" not in page  # the measure's description is not repeated
    assert "Bestuurlijke waarschuwing" in page and other.reference in page
    assert "Karel" in page  # a co-resident at the company's address (business relations)
    # the Bibob coordinator has no need-to-know of measures: the measure stays out of sight
    page = verified_client(town["bibob"]).get(reverse("bibob:detail", args=[lbb_file.pk])).content.decode()
    assert "Bestuurlijke waarschuwing" not in page and other.reference in page


def test_the_enricher_shows_bibob_files_on_the_same_subjects_with_phase_only(town, lbb_file):
    assert bibob_section in enrichment.ENRICHERS
    keys = Keys(person_ids=set(), company_ids={town["company"].pk}, address_ids=set(), plates=set(), buildings=set())
    section = bibob_section(access_for_user(town["analist"]), None, keys)
    assert [item.label for item in section.items] == [
        f"{lbb_file.reference} (APV horeca en alcoholvergunning (Alcoholwet)) — fase: beoordeling mate van gevaar"]
    assert bibob_section(access_for_user(town["boa"]), None, keys).items == []
    assert bibob_section(access_for_user(town["bibob_b"]), None, keys).items == []


def test_the_catalogue_is_configurable_and_audited(town):
    from regie.bibob.models import BibobDomain

    client = verified_client(town["bibob"])
    bouw = BibobDomain.objects.get(organisation=town["orgs"]["a"], code="omgevingsvergunning-bouw")
    response = client.post(reverse("bibob:catalogue"), {"item": bouw.pk, "in_policy": "on", "group": "Bouw en milieu",
                                                       "decision_weeks": "8"})
    assert response.status_code == 302
    bouw.refresh_from_db()
    assert bouw.in_policy
    assert AuditEntry.objects.filter(action="update", object_type="bibob.bibobdomain", object_id=str(bouw.pk)).exists()
    response = client.post(reverse("bibob:catalogue"), {"item": bouw.pk, "in_policy": "on", "group": "Bouw en milieu",
                                                       "decision_weeks": "99"})
    assert response.status_code == 400 and "1 tot 52 weken" in response.content.decode()
    assert verified_client(town["coordinator"]).get(reverse("bibob:catalogue")).status_code == 403
    # every domain of point 1 is in the default catalogue
    codes = set(BibobDomain.objects.filter(organisation=town["orgs"]["a"]).values_list("code", flat=True))
    assert {"horeca-alcohol", "exploitatievergunning", "seksbedrijf", "coffeeshop", "speelautomaten",
            "omgevingsvergunning-bouw", "omgevingsvergunning-milieu", "evenementen", "subsidie", "vastgoed",
            "aanbesteding"} <= codes
