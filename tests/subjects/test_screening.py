"""Screening (issue 8 point 5): a name with an optional birth date or address against the
registry, ranked candidates with Dutch reasons, in the UI and the API, logged with its purpose."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.subjects import screening
from tests.conftest import as_user, token_client, verified_client

from .conftest import make_address, make_company, make_person

PURPOSE = "casus Onderzoek naar huisjesmelkerij Kerkstraat"


@pytest.fixture
def registry(orgs):
    home = make_address(orgs["a"], street="Kerkstraat", house_number=12, house_letter="a", postcode="1234AB", city="Aastad")
    jan = make_person(orgs["a"], "Berg", first_names="Jan", surname_prefix="van der", birth_date=date(1980, 3, 12), address=home)
    father = make_person(orgs["a"], "Berg", first_names="Jan", surname_prefix="van der", birth_date=date(1952, 7, 1), address=home)
    other = make_person(orgs["a"], "Jansen", first_names="Piet", birth_date=date(1980, 3, 12))
    return {"jan": jan, "father": father, "other": other, "home": home}


def _screen(user, **kwargs):
    kwargs.setdefault("kind", "persoon")
    kwargs.setdefault("purpose", PURPOSE)
    with as_user(user) as access:
        return screening.screen(access, **kwargs)


def test_motivating_example_ranks_jan_first_with_reasons(registry, coordinator):
    found = _screen(coordinator, name="J. vd Berg", birth_date="12-03-1980")
    assert found, "Jan van der Berg is not found"
    first = found[0]
    assert first.subject == registry["jan"]
    assert first.score > 0.9
    assert "achternaam gelijk" in first.reasons
    assert "voorletters passen" in first.reasons
    assert "geboortedatum gelijk" in first.reasons
    # the father (same name and address, born a generation earlier) ranks lower or not at all
    ranked = [c.subject for c in found]
    assert registry["father"] not in ranked or ranked.index(registry["father"]) > 0
    father = [c for c in found if c.subject == registry["father"]]
    assert not father or father[0].score < 0.1
    assert registry["other"] not in ranked


def test_typo_in_birth_date_and_address_are_explained(registry, coordinator):
    found = _screen(coordinator, name="Jan van der Berg", birth_date="1980-03-13", address_text="Kerkstraat 12A, 1234 AB Aastad")
    assert found[0].subject == registry["jan"]
    assert "geboortedatum wijkt één cijfer af" in found[0].reasons
    assert "adres gelijk" in found[0].reasons
    assert found[0].percentage == round(found[0].score * 100)


def test_without_birth_date_both_namesakes_are_candidates(registry, coordinator):
    found = {c.subject for c in _screen(coordinator, name="J. van der Berg")}
    assert {registry["jan"], registry["father"]} <= found


def test_companies(orgs, coordinator):
    bakery = make_company(orgs["a"], "Bakkerij Brood", kvk_number="12345678")
    make_company(orgs["a"], "Garage Snel")
    found = _screen(coordinator, kind="bedrijf", name="Bakkerij Brood B.V.")
    assert [c.subject for c in found] == [bakery]
    assert "naam gelijk" in found[0].reasons


def test_tenancy_another_municipality_is_never_a_candidate(orgs, registry, make_user):
    make_person(orgs["b"], "Berg", first_names="Jan", surname_prefix="van der", birth_date=date(1980, 3, 12))
    outsider = make_user(role=Role.COORDINATOR, org=orgs["b"])
    found = _screen(outsider, name="J. vd Berg", birth_date="12-03-1980")
    assert len(found) == 1
    assert found[0].subject.owner_id == orgs["b"].pk
    mine = _screen(make_user(role=Role.COORDINATOR, org=orgs["a"]), name="J. vd Berg", birth_date="12-03-1980")
    assert all(c.subject.owner_id == orgs["a"].pk for c in mine)


def test_clearance_a_person_above_it_is_never_a_candidate(orgs, make_user):
    make_person(orgs["a"], "Berg", first_names="Jan", surname_prefix="van der", level=6)
    boa = make_user(role=Role.BOA, org=orgs["a"])  # clearance 4
    assert _screen(boa, name="Jan van der Berg") == []
    coordinator = make_user(role=Role.COORDINATOR, org=orgs["a"])
    assert len(_screen(coordinator, name="Jan van der Berg")) == 1


def test_address_above_clearance_is_not_used(orgs, make_user):
    secret = make_address(orgs["a"], street="Geheimweg", house_number=3, level=6)
    make_person(orgs["a"], "Berg", first_names="Jan", surname_prefix="van der", address=secret)
    boa = make_user(role=Role.BOA, org=orgs["a"])
    found = _screen(boa, name="Jan van der Berg", address_text="Geheimweg 3")
    assert len(found) == 1
    assert not any("straat" in r or "huisnummer" in r or "adres" in r for r in found[0].reasons)


def test_need_to_know_role_without_subjects_finds_nothing(registry, make_user, orgs):
    officer = make_user(role=Role.PRIVACY, org=orgs["a"])
    assert _screen(officer, name="J. vd Berg", birth_date="12-03-1980") == []


def test_audit_row_has_purpose_ids_and_not_the_name(registry, coordinator):
    found = _screen(coordinator, name="J. vd Berg", birth_date="12-03-1980")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SEARCH)
    assert entry.purpose == PURPOSE
    assert entry.object_type == "subjects.person"
    assert entry.detail["ids"] == [c.subject.pk for c in found]
    assert entry.detail["candidates"] == len(found)
    assert entry.detail["screening"] == "persoon"
    text = str(entry.detail).lower()
    assert "berg" not in text and "1980" not in text


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "Jan Berg", "purpose": "  "}, "doel"),
        ({"name": ""}, "naam"),
        ({"name": "   "}, "naam"),
        ({"name": "..."}, "naam"),
        ({"name": "Jan Berg", "birth_date": "31-02-1980"}, "geboortedatum"),
        ({"name": "Jan Berg", "birth_date": "morgen"}, "geboortedatum"),
        ({"name": "Jan Berg", "birth_date": "01-01-2999"}, "geboortedatum"),
        ({"name": "Jan Berg", "kind": "voertuig"}, "soort"),
        ({"name": "Jan Berg", "limit": 0}, "aantal"),
        ({"name": "x" * 300}, "naam"),
    ],
)
def test_bad_input_is_a_dutch_error_and_not_logged(registry, coordinator, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        _screen(coordinator, **kwargs)
    assert field in exc.value.message_dict
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SEARCH).exists()


def test_explain_maps_codes_to_dutch():
    from regie.matching import PersonRecord, score_pair

    result = score_pair(PersonRecord(name="J. vd Berg", birth_date="1952-07-01"), PersonRecord(name="Jan van der Berg", birth_date="1980-03-12"))
    reasons = screening.explain(result.explanation)
    assert reasons[0] == "uitgesloten: geboortedatum een generatie verschil"
    assert "achternaam gelijk" in reasons


# --- the page --------------------------------------------------------------------------------

URL = "/subjecten/screening/"


def test_page_shows_ranked_candidates_with_reasons_and_links(registry, coordinator):
    client = verified_client(coordinator)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"soort": "persoon", "naam": "J. vd Berg", "geboortedatum": "12-03-1980", "doel": PURPOSE})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'/subjecten/personen/{registry["jan"].pk}/' in body
    assert "geboortedatum gelijk" in body
    assert "%" in body
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SEARCH, purpose=PURPOSE).count() == 1


def test_page_bad_input_is_a_dutch_400(registry, coordinator):
    client = verified_client(coordinator)
    response = client.post(URL, {"soort": "persoon", "naam": "Jan Berg", "geboortedatum": "31-02-1980", "doel": PURPOSE})
    assert response.status_code == 400
    assert "Deze datum bestaat niet." in response.content.decode()
    missing = client.post(URL, {"soort": "persoon", "naam": "Jan Berg"})
    assert missing.status_code == 400
    assert "verplicht" in missing.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SEARCH).exists()


def test_page_is_denied_to_a_role_without_subjects(orgs, make_user):
    client = verified_client(make_user(role=Role.PRIVACY, org=orgs["a"]))
    assert client.post(URL, {"soort": "persoon", "naam": "Jan Berg", "doel": PURPOSE}).status_code == 403


# --- the API ---------------------------------------------------------------------------------

API = "/api/v1/screening/"


def test_api_answer_shape(registry, coordinator):
    response = token_client(coordinator).post(
        API, {"naam": "J. vd Berg", "geboortedatum": "1980-03-12", "doel": PURPOSE}, format="json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["count"] == len(data["results"]) >= 1
    first = data["results"][0]
    assert set(first) == {"id", "kind", "name", "score", "explanation", "reasons", "codes"}
    assert first["id"] == registry["jan"].pk
    assert first["kind"] == "persoon"
    assert first["name"] == "Jan van der Berg"
    assert 0.9 < first["score"] <= 1
    assert "geboortedatum gelijk" in first["explanation"]
    assert "birth_date=exact" in first["codes"]
    assert AuditEntry.objects.get(action=AuditEntry.Action.SEARCH).purpose == PURPOSE


def test_api_purpose_from_header(registry, coordinator):
    client = token_client(coordinator)
    response = client.post(API, {"naam": "J. vd Berg"}, format="json", HTTP_REGIE_DOEL="casus Onderzoek huisjesmelkerij")
    assert response.status_code == 200
    assert AuditEntry.objects.get(action=AuditEntry.Action.SEARCH).purpose == "casus: Onderzoek huisjesmelkerij"
    bad = client.post(API, {"naam": "J. vd Berg"}, format="json", HTTP_REGIE_DOEL="zomaar")
    assert bad.status_code == 400
    assert "doelcode" in str(bad.json()["Regie-Doel"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"naam": "J. vd Berg"}, "doel"),
        ({"naam": "", "doel": PURPOSE}, "naam"),
        ({"naam": "J. vd Berg", "geboortedatum": "1980-02-31", "doel": PURPOSE}, "geboortedatum"),
        ({"naam": "J. vd Berg", "soort": "schip", "doel": PURPOSE}, "soort"),
        ({"naam": "J. vd Berg", "aantal": 1000, "doel": PURPOSE}, "aantal"),
    ],
)
def test_api_bad_input_is_a_dutch_400(registry, coordinator, payload, field):
    response = token_client(coordinator).post(API, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SEARCH).exists()


def test_api_need_to_know_and_tenancy(orgs, registry, make_user):
    officer = make_user(role=Role.PRIVACY, org=orgs["a"])
    assert token_client(officer).post(API, {"naam": "J. vd Berg", "doel": PURPOSE}, format="json").status_code == 403
    outsider = make_user(role=Role.COORDINATOR, org=orgs["b"])
    response = token_client(outsider).post(API, {"naam": "J. vd Berg", "doel": PURPOSE}, format="json")
    assert response.status_code == 200
    assert response.json()["count"] == 0


# --- issue 8 point 4: the intake signal page shows what weakly linked mentions resemble -------

def _signal_with_mentions(org, registry):
    from regie.intake import services as intake
    from regie.intake.models import SignalSubject

    signal = intake.register(org, intake.SignalInput(text="Drukte rond de woning aan de Kerkstraat", channel="counter")).signal
    SignalSubject.objects.filter(signal=signal).delete()
    new = make_person(org, "Berg", initials="J.", surname_prefix="vd", birth_date=date(1980, 3, 12))
    by_bsn = make_person(org, "Berg", first_names="Johan", surname_prefix="van der", birth_date=date(1980, 3, 12))
    SignalSubject.objects.create(signal=signal, person=new, method=SignalSubject.Method.NEW, as_written="J. vd Berg")
    SignalSubject.objects.create(signal=signal, person=by_bsn, method=SignalSubject.Method.BSN)
    return signal, new, by_bsn


def test_signal_page_shows_candidates_for_weak_mentions_only(orgs, registry, coordinator):
    from tests.intake.conftest import purpose_client

    signal, new, _ = _signal_with_mentions(orgs["a"], registry)
    client = purpose_client(coordinator, signal)
    # the plain page only offers the search (building the screener costs seconds on a large registry)
    plain = client.get(f"/signalen/{signal.pk}/")
    assert plain.status_code == 200 and "mention_candidates" not in plain.context
    assert "?lijkt_op=1" in plain.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SEARCH, object_type="intake.signal").exists()
    response = client.get(f"/signalen/{signal.pk}/?lijkt_op=1")
    assert response.status_code == 200
    rows = response.context["mention_candidates"]
    assert [row.subject for row in rows] == [new]  # the BSN-linked mention is not screened
    found = [c.subject for c in rows[0].candidates]
    assert found[0] == registry["jan"] and new not in found
    body = response.content.decode()
    assert "Lijkt op subjecten in het register" in body
    assert f'/subjecten/personen/{registry["jan"].pk}/' in body
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SEARCH, object_type="intake.signal", object_id=str(signal.pk))
    assert entry.detail["ids"] == {f"persoon:{new.pk}": [c.pk for c in found]}
    # nothing was linked
    assert signal.mentions.count() == 2


def test_signal_page_candidates_respect_clearance(orgs, registry, coordinator):
    from regie.subjects.models import Person
    from tests.intake.conftest import purpose_client

    Person.unscoped.filter(pk=registry["jan"].pk).update(confidentiality=8)  # above every clearance
    signal, _, _ = _signal_with_mentions(orgs["a"], registry)
    rows = purpose_client(coordinator, signal).get(f"/signalen/{signal.pk}/?lijkt_op=1").context["mention_candidates"]
    assert registry["jan"] not in [c.subject for c in rows[0].candidates]
