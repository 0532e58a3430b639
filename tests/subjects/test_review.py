"""The review queue (issue 8 point 3): people judge candidate pairs; "zelfde" merges with an exact
record of what moved, a reversed judgement splits with the statements back on the original."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from regie.accounts.access import access_for_user
from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.subjects import review
from regie.subjects.models import MatchCandidate, MatchJudgement, Person, Relation, Statement
from tests.conftest import verified_client

from .conftest import assign, make_company, make_person


def candidate_for(org, left, right, **extra):
    left, right = sorted((left, right), key=lambda s: s.pk)
    return MatchCandidate.unscoped.create(
        owner=org, subject_type=ContentType.objects.get_for_model(type(left)), left_id=left.pk, right_id=right.pk,
        score=0.62, explanation={"reasons": ["achternaam gelijk", "voorletters passen"], "features": [["surname", "exact", 8.7]]},
        source=MatchCandidate.Source.REGISTRATION, confidentiality=left.confidentiality, **extra,
    )


@pytest.fixture
def pair(orgs, coordinator):
    older = make_person(orgs["a"], "Berg", first_names="Jan", surname_prefix="van der", birth_date=date(1980, 3, 12))
    newer = make_person(orgs["a"], "Berg", initials="J.", surname_prefix="vd")
    ct = ContentType.objects.get_for_model(Person)
    statement = Statement.unscoped.create(owner=orgs["a"], subject_type=ct, subject_id=newer.pk, source="signaal M-1",
                                          date=date(2025, 1, 1), facts=["naam"])
    friend = make_person(orgs["a"], "Vriend", first_names="Kees")
    relation = Relation.unscoped.create(owner=orgs["a"], kind="associate", source_type=ct, source_id=newer.pk,
                                        target_type=ct, target_id=friend.pk)
    candidate = candidate_for(orgs["a"], older, newer)
    assign(coordinator, candidate)
    return {"older": older, "newer": newer, "statement": statement, "relation": relation, "candidate": candidate}


def judge(client, candidate, verdict, expected=None, **extra):
    data = {"verdict": verdict, "expected": expected if expected is not None else candidate.status, **extra}
    return client.post(f"/subjecten/beoordelen/{candidate.pk}/oordeel/", data)


def test_queue_shows_both_subjects_score_and_reasons(pair, coordinator):
    response = verified_client(coordinator).get("/subjecten/beoordelen/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Jan van der Berg" in body and "J. vd Berg" in body
    assert "62%" in body and "voorletters passen" in body
    assert "Niet dezelfde" in body and "Onzeker" in body


def test_zelfde_merges_then_reversal_splits_with_statements_back(pair, coordinator):
    client, candidate = verified_client(coordinator), pair["candidate"]
    response = judge(client, candidate, "zelfde", survivor=pair["older"].pk, reason="Zelfde adres volgens BRP")
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "zelfde"
    statement, relation = Statement.unscoped.get(pk=pair["statement"].pk), Relation.unscoped.get(pk=pair["relation"].pk)
    assert statement.subject_id == pair["older"].pk and relation.source_id == pair["older"].pk
    merge = review.active_merge(candidate)
    assert merge.merged_id == pair["newer"].pk
    assert {(m["model"], m["pk"]) for m in merge.moved} == {("subjects.statement", statement.pk), ("subjects.relation", relation.pk)}

    response = judge(client, candidate, "niet_dezelfde", reason="Andere geboortedatum bij navraag")
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "niet_dezelfde"
    assert Statement.unscoped.get(pk=statement.pk).subject_id == pair["newer"].pk
    assert Statement.unscoped.get(pk=statement.pk).facts == ["naam"]
    assert Relation.unscoped.get(pk=relation.pk).source_id == pair["newer"].pk
    assert review.active_merge(candidate) is None
    history = list(MatchJudgement.objects.filter(candidate=candidate).values_list("previous", "verdict", "by_id", "reason"))
    assert history == [("open", "zelfde", coordinator.pk, "Zelfde adres volgens BRP"),
                       ("zelfde", "niet_dezelfde", coordinator.pk, "Andere geboortedatum bij navraag")]
    page = client.get(f"/subjecten/beoordelen/{candidate.pk}/").content.decode()
    assert "Andere geboortedatum bij navraag" in page and "Zelfde adres volgens BRP" in page


def test_merged_pair_page_offers_splitsen(pair, coordinator):
    client = verified_client(coordinator)
    judge(client, pair["candidate"], "zelfde")
    page = client.get(f"/subjecten/beoordelen/{pair['candidate'].pk}/").content.decode()
    assert "Splitsen: onzeker" in page and "Splitsen: niet dezelfde" in page


def test_each_judgement_writes_one_audit_row(pair, coordinator):
    client, candidate = verified_client(coordinator), pair["candidate"]
    before = AuditEntry.objects.filter(object_type="subjects.matchcandidate", action=AuditEntry.Action.UPDATE).count()
    judge(client, candidate, "onzeker")
    rows = AuditEntry.objects.filter(object_type="subjects.matchcandidate", action=AuditEntry.Action.UPDATE)
    assert rows.count() == before + 1
    assert rows.last().detail["verdict"] == "onzeker" and rows.last().object_id == str(candidate.pk)


@pytest.mark.parametrize("data, message", [
    ({"verdict": "misschien"}, "Kies ‘zelfde’, ‘niet dezelfde’ of ‘onzeker’."),
    ({"verdict": "open"}, "Kies ‘zelfde’, ‘niet dezelfde’ of ‘onzeker’."),
    ({"verdict": "zelfde", "expected": "onzeker"}, "intussen door iemand anders beoordeeld"),
])
def test_bad_or_stale_input_is_a_dutch_400_and_writes_nothing(pair, coordinator, data, message):
    candidate = pair["candidate"]
    response = verified_client(coordinator).post(f"/subjecten/beoordelen/{candidate.pk}/oordeel/", {"expected": "open", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == "open"
    assert not MatchJudgement.objects.filter(candidate=candidate).exists()
    assert Statement.unscoped.get(pk=pair["statement"].pk).subject_id == pair["newer"].pk


def test_judging_twice_with_the_same_view_is_refused(pair, coordinator, make_user, orgs):
    other = make_user(role=Role.ANALIST, org=orgs["a"])
    candidate = pair["candidate"]
    assert judge(verified_client(coordinator), candidate, "zelfde", expected="open").status_code == 302
    response = judge(verified_client(other), candidate, "niet_dezelfde", expected="open")
    assert response.status_code == 400
    assert "intussen door iemand anders beoordeeld" in response.content.decode()
    assert MatchJudgement.objects.filter(candidate=candidate).count() == 1
    with pytest.raises(ValidationError, match="al beoordeeld als"):
        review.judge(access_for_user(other), candidate, "zelfde")


def test_a_subject_merged_elsewhere_cannot_be_merged_again(pair, coordinator, orgs):
    third = make_person(orgs["a"], "Berg", first_names="Johan", surname_prefix="van der")
    second = candidate_for(orgs["a"], pair["newer"], third)
    access = access_for_user(coordinator)
    review.judge(access, pair["candidate"], "zelfde", survivor_id=pair["older"].pk)
    with pytest.raises(ValidationError, match="al met een ander subject samengevoegd"):
        review.judge(access, second, "zelfde")
    assert MatchCandidate.unscoped.get(pk=second.pk).status == "open"


def test_other_municipality_candidate_is_404(orgs, make_user, coordinator):
    b = orgs["b"]
    foreign = candidate_for(b, make_person(b, "Smit", first_names="Els"), make_person(b, "Smit", first_names="Elsa"))
    client = verified_client(coordinator)
    assert client.get(f"/subjecten/beoordelen/{foreign.pk}/").status_code == 404
    assert judge(client, foreign, "zelfde").status_code == 404
    assert f"nr. {foreign.left_id}" not in client.get("/subjecten/beoordelen/").content.decode()
    assert MatchCandidate.unscoped.get(pk=foreign.pk).status == "open"


@pytest.mark.parametrize("role", [Role.BOA, Role.JURIST, Role.RAADSLID, Role.MEDEWERKER])
def test_non_reviewers_are_refused(pair, make_user, orgs, role):
    user = make_user(role=role, org=orgs["a"], device=role not in (Role.RAADSLID, Role.MEDEWERKER))
    client = verified_client(user)
    assert client.get("/subjecten/beoordelen/").status_code == 403
    assert judge(client, pair["candidate"], "zelfde").status_code == 403
    assert MatchCandidate.unscoped.get(pk=pair["candidate"].pk).status == "open"


def test_service_refuses_a_non_reviewer(pair, make_user, orgs):
    jurist = make_user(role=Role.JURIST, org=orgs["a"])
    with pytest.raises(Exception) as exc:
        review.judge(access_for_user(jurist), pair["candidate"], "zelfde")
    assert "kernteam" in str(exc.value)


def test_candidate_above_clearance_is_404(orgs, make_user):
    analist = make_user(role=Role.ANALIST, org=orgs["a"])
    secret = candidate_for(orgs["a"], make_company(orgs["a"], "Geheim BV", level=8), make_company(orgs["a"], "Geheim B.V.", level=8))
    assert verified_client(analist).get(f"/subjecten/beoordelen/{secret.pk}/").status_code == 404
