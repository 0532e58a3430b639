"""Incremental matching (issue 8 point 4): subjects are matched as they enter — typed in, imported,
attached to a Bibob file — and the intake form shows look-alikes with reasons. Only identical
strong identifiers link automatically; everything else waits in the queue."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from regie.accounts.access import access_for_user
from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.bibob import services as bibob_services
from regie.bibob.models import BibobDomain
from regie.intake.models import Signal
from regie.subjects import imports, services
from regie.subjects.models import (
    Company,
    MatchCandidate,
    MatchJudgement,
    Person,
    Statement,
    Vehicle,
)
from tests.conftest import verified_client

from .conftest import make_company, make_person
from .registers import BRP_HEADER, bsn, csv_bytes


def test_similar_person_created_through_the_service_is_queued_not_linked(orgs, coordinator):
    jan = make_person(orgs["a"], "Berg", first_names="Jan", surname_prefix="van der", birth_date=date(1980, 3, 12))
    access = access_for_user(coordinator)
    new = services.save(access, Person(first_names="Jan", surname_prefix="vd", surname="Berg", birth_date=date(1980, 3, 12)), ["surname"])
    candidate = MatchCandidate.unscoped.get(left_id=jan.pk, right_id=new.pk)
    assert candidate.status == "open" and not candidate.automatic
    assert candidate.source == "registratie" and candidate.score >= 0.3
    assert "achternaam gelijk" in candidate.explanation["reasons"]
    assert not MatchJudgement.objects.filter(candidate=candidate).exists()
    assert AuditEntry.objects.filter(object_type="subjects.matchcandidate", action=AuditEntry.Action.CREATE).exists()


def test_identical_kvk_links_automatically_and_is_recorded(orgs, coordinator):
    old = make_company(orgs["a"], "Snackbar De Hoek", kvk_number="12345678")
    ct = ContentType.objects.get_for_model(Company)
    access = access_for_user(coordinator)
    new = services.save(access, Company(name="Snackbar d'Hoek", legal_form="vof", kvk_number="12345678"), ["name"])
    Statement.unscoped.create(owner=orgs["a"], subject_type=ct, subject_id=new.pk, source="KvK", date=date(2025, 1, 1))
    candidate = MatchCandidate.unscoped.get(left_id=old.pk, right_id=new.pk)
    assert candidate.status == "zelfde" and candidate.automatic
    judgement = MatchJudgement.objects.get(candidate=candidate)
    assert judgement.automatic and judgement.by_id is None and "KvK-nummer" in judgement.reason
    assert judgement.merge.survivor_id == old.pk and judgement.merge.merged_id == new.pk


def test_identical_kenteken_links_but_a_similar_name_without_identifier_does_not(orgs, coordinator):
    # one person per BSN per municipality is enforced by the registry itself, so the BSN rule
    # never meets two rows; kenteken and IBAN are subjects of their own and do
    access = access_for_user(coordinator)
    vehicle_a = Vehicle.unscoped.create(owner=orgs["a"], kenteken="12ABC3")
    vehicle_b = services.save(access, Vehicle(kenteken="12-ABC-3"), ["kenteken"])
    linked = MatchCandidate.unscoped.get(left_id=vehicle_a.pk, right_id=vehicle_b.pk)
    assert linked.automatic and linked.status == "zelfde"
    make_person(orgs["a"], "Jansen", first_names="Piet", birth_date=date(1970, 1, 1))
    services.save(access, Person(first_names="Piet", surname="Jansen", birth_date=date(1970, 1, 1), bsn=bsn(7)), ["surname"])
    person_pair = MatchCandidate.unscoped.get(subject_type=ContentType.objects.get_for_model(Person))
    assert person_pair.status == "open" and not person_pair.automatic


def test_another_municipality_is_never_a_candidate(orgs, coordinator):
    make_person(orgs["b"], "Berg", first_names="Jan", surname_prefix="van der", birth_date=date(1980, 3, 12))
    make_company(orgs["b"], "Snackbar De Hoek", kvk_number="12345678")
    access = access_for_user(coordinator)
    services.save(access, Person(first_names="Jan", surname_prefix="van der", surname="Berg", birth_date=date(1980, 3, 12)), ["surname"])
    services.save(access, Company(name="Snackbar De Hoek", legal_form="vof", kvk_number="12345678"), ["name"])
    assert not MatchCandidate.unscoped.exists()


def test_an_import_row_creates_a_candidate(orgs, coordinator):
    make_person(orgs["a"], "Testpersoon0", first_names="Jan Pieter", surname_prefix="van der", birth_date=date(1950, 1, 1))
    rows = [[bsn(500), "Jan Pieter", "", "van der", "Testpersoon0", "01-01-1950", "Proefstraat", "1", "", "", "1000 AB", "Aastad"]]
    result = imports.run(access_for_user(coordinator), "brp", csv_bytes(BRP_HEADER, rows), filename="brp.csv")
    assert result.ok, result.messages
    assert result.counts["kandidaten"] == 1
    candidate = MatchCandidate.unscoped.get()
    assert candidate.source == "import" and candidate.source_reference == "brp.csv" and candidate.status == "open"


def test_a_bibob_file_subject_creates_a_candidate(orgs, make_user):
    bibob_services.install_default_catalogue(orgs["a"])
    bibob = make_user(role=Role.BIBOB, org=orgs["a"])
    applicant = make_company(orgs["a"], "Café De Gouden Leeuw", legal_form="bv")
    make_company(orgs["a"], "Cafe de Gouden Leeuw", legal_form="bv")
    file = bibob_services.open_file(
        access_for_user(bibob), domain=BibobDomain.objects.get(organisation=orgs["a"], code="horeca-alcohol"),
        description="Exploitatievergunning", received_on=date(2025, 3, 1), company=applicant,
    )
    candidate = MatchCandidate.unscoped.get()
    assert candidate.source == "bibob" and candidate.source_reference == file.reference
    assert applicant.pk in (candidate.left_id, candidate.right_id)


def test_intake_form_fragment_shows_candidates_with_reasons(orgs, coordinator):
    make_person(orgs["a"], "Berg", first_names="Jan", surname_prefix="van der", birth_date=date(1980, 3, 12))
    make_person(orgs["b"], "Berg", first_names="Jan", surname_prefix="van der", birth_date=date(1980, 3, 12))
    client = verified_client(coordinator)
    form = client.get("/signalen/nieuw/").content.decode()
    assert 'hx-post="/subjecten/signaal-kandidaten/"' in form
    response = client.post("/subjecten/signaal-kandidaten/", {"person_name": "J. vd Berg", "person_birth_date": "1980-03-12"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("Jan van der Berg") == 1  # gemeente b's namesake is not shown
    assert "achternaam gelijk" in body and "geboortedatum gelijk" in body
    search = AuditEntry.objects.filter(action=AuditEntry.Action.SEARCH, object_type="subjects.person").last()
    assert "Berg" not in str(search.detail)
    assert client.post("/subjecten/signaal-kandidaten/", {"person_name": ""}).content.strip() == b""


def test_intake_fragment_refused_without_subjects_or_review_role(orgs, make_user):
    boa = make_user(role=Role.BOA, org=orgs["a"])
    privacy = make_user(role=Role.PRIVACY, org=orgs["a"])
    for user in (boa, privacy):
        assert verified_client(user).post("/subjecten/signaal-kandidaten/", {"person_name": "Jan Berg"}).status_code == 403


def test_a_signal_entered_by_the_kernteam_queues_look_alikes_of_the_persons_it_brings_in(orgs, coordinator):
    jan = make_person(orgs["a"], "Berg", first_names="Jan", surname_prefix="van der", birth_date=date(1980, 3, 12))
    client = verified_client(coordinator)
    response = client.post("/signalen/nieuw/", {
        "channel": "counter", "text": "Contante betalingen bij de huur van een bedrijfspand.",
        "hardness": "indicatie", "severity": "midden",
        "person_name": "J. vd Berg", "person_birth_date": "1980-03-12",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    new = Person.unscoped.filter(owner=orgs["a"]).exclude(pk=jan.pk).get()
    candidate = MatchCandidate.unscoped.get(left_id=jan.pk, right_id=new.pk)
    assert candidate.source == "signaal" and candidate.status == "open" and not candidate.automatic
    assert candidate.source_reference == Signal.unscoped.get().reference
    assert "geboortedatum gelijk" in candidate.explanation["reasons"]


def test_a_partner_delivery_matches_on_entry_in_the_owning_municipality(orgs, make_user):
    # a partner system's signal is matched against the owning municipality's registry as it comes in
    from regie.intake import services as intake

    jan = make_person(orgs["a"], "Berg", first_names="Jan", surname_prefix="van der", birth_date=date(1980, 3, 12))
    police = make_user(role=Role.PARTNER, org=orgs["politie"])
    data = intake.SignalInput(channel="partner", text="Melding uit het politiesysteem.", mentions=[
        intake.MentionInput(kind="persoon", name="J. vd Berg", birth_date=date(1980, 3, 12))])
    registered = intake.register(orgs["a"], data, actor=access_for_user(police))
    candidate = MatchCandidate.unscoped.get()
    assert candidate.owner == orgs["a"] and jan.pk in (candidate.left_id, candidate.right_id)
    assert candidate.source == "signaal" and candidate.source_reference == registered.signal.reference


@pytest.mark.parametrize("written, parts", [
    ("J. vd Berg", ("J.", "van der", "Berg")),
    ("Jan v.d. Berg", ("Jan", "van der", "Berg")),
    ("Anna vden Heuvel", ("Anna", "van den", "Heuvel")),
    ("Piet de Vries", ("Piet", "de", "Vries")),
    ("Jan vd", ("Jan", "", "vd")),  # an abbreviation as the last word is the surname
])
def test_a_signal_mention_spells_out_abbreviated_particles(written, parts):
    from regie.subjects.lookup import split_name

    assert split_name(written) == parts
