"""Issue 8 point 4, everywhere: what a partner bundle or a FollowTheMoney import brings into the
registry is matched against it on entry, on the cached registry index (a bundle does not read the
registry again when nothing changed)."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regie.intake.models import Signal
from regie.subjects import ftm_import, registry_index
from regie.subjects.models import MatchCandidate, Person
from tests.conftest import token_client
from tests.intake import conftest as intake_fixtures
from tests.intake.test_delivery_cost import ONE_DELIVERY, _signal

from .conftest import make_person
from .test_register_imports import access_for

BUNDLE = "/api/v1/signalen/bundel/"
town = intake_fixtures.town  # the intake tests' municipality with its rules, region and partner


@pytest.fixture
def jan(orgs):
    return make_person(orgs["a"], "Berg", first_names="Jan", surname_prefix="van der", birth_date=date(1980, 3, 12))


def _look_alike(town, n=0):
    return {
        "gemeente": town["orgs"]["a"].pk, "omschrijving": f"Verdachte transacties {n}",
        "adres": {"postcode": "1234 AB", "huisnummer": n + 1}, "themas": ["witwassen"],
        "subjecten": [{"soort": "persoon", "naam": "J. vd Berg", "geboortedatum": "1980-03-12"}],
    }


def test_a_partner_bundle_queues_a_look_alike_in_the_owning_municipality(town, jan):
    api = token_client(town["partner"])
    response = api.post(BUNDLE, {"signalen": [_signal(town, 0), _look_alike(town, 1)]}, format="json")
    assert response.status_code == 201, response.json()
    new = Person.unscoped.exclude(pk=jan.pk).get(surname="Berg")
    candidate = MatchCandidate.unscoped.get(left_id=jan.pk, right_id=new.pk)
    assert candidate.owner == town["orgs"]["a"] and candidate.status == "open" and not candidate.automatic
    assert candidate.source == "signaal"
    reference = response.json()["signalen"][1]["kenmerk"]
    assert candidate.source_reference == reference and Signal.unscoped.get(reference=reference)
    assert "geboortedatum gelijk" in candidate.explanation["reasons"]
    # the partner itself sees no candidate: it is the municipality's review queue
    assert not MatchCandidate.objects.visible_to(None).exists()


def test_a_bundle_of_twenty_reads_the_registry_once_and_stays_within_its_budget(town, orgs):
    for i in range(200):
        make_person(orgs["a"], f"Inwoner{i}", first_names="Piet", birth_date=date(1950 + i % 50, 1 + i % 12, 1))
    api = token_client(town["partner"])
    api.post(BUNDLE, {"signalen": [_signal(town, 23)]}, format="json")  # warm: token, and the index is built
    built = registry_index.stats["built"]
    with CaptureQueriesContext(connection) as captured:
        response = api.post(BUNDLE, {"signalen": [_signal(town, n) for n in range(20)]}, format="json")
    assert response.status_code == 201, response.json()
    assert registry_index.stats["built"] == built  # brought up to date from the 20 new rows, not re-read
    assert len(captured.captured_queries) <= ONE_DELIVERY
    # no query reads the registry's persons whole: only by id, by the new rows' stamp, or aggregates
    reads = [q["sql"] for q in captured.captured_queries
             if q["sql"].startswith('SELECT "subjects_person"."id" AS "pk", "subjects_person"."owner_id"')]
    assert reads and all('"subjects_person"."updated_at" >=' in sql for sql in reads)


def test_an_ftm_import_queues_a_look_alike(orgs, jan):
    line = json.dumps({"id": "p1", "schema": "Person", "properties": {
        "firstName": ["J."], "lastName": ["van der Berg"], "birthDate": ["1980-03-12"]}})
    result = ftm_import.run(access_for(orgs["a"]), line.encode(), filename="politie.jsonl")
    assert result.ok, result.messages
    assert result.counts["kandidaten"] == 1
    new = Person.unscoped.exclude(pk=jan.pk).get()
    candidate = MatchCandidate.unscoped.get(left_id=jan.pk, right_id=new.pk)
    assert candidate.source == "import" and candidate.source_reference == "politie.jsonl"
    assert candidate.owner == orgs["a"]


def test_an_ftm_import_into_another_municipality_does_not_match_ours(orgs, jan):
    line = json.dumps({"id": "p1", "schema": "Person", "properties": {
        "firstName": ["Jan"], "lastName": ["van der Berg"], "birthDate": ["1980-03-12"]}})
    result = ftm_import.run(access_for(orgs["b"]), line.encode())
    assert result.ok and result.counts["kandidaten"] == 0
    assert not MatchCandidate.unscoped.exists()
