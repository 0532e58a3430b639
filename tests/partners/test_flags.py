""""Niet interveniëren zonder overleg" (issue 4, point 8): the police mark without a reason, the
owner sees the flag, an intervention asks for a confirmation, and everything is logged."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from regie.accounts.access import access_for_user
from regie.audit.models import AuditEntry
from regie.intake.models import Signal
from regie.partners import flags
from regie.partners.models import NoInterventionFlag
from tests.conftest import verified_client

from .conftest import MISSING_PK, assign, make_person, share


@pytest.fixture
def person(people, partner_orgs):
    """A person of gemeente A, shared with both police units, the coordinator assigned to it."""
    subject = make_person(partner_orgs["a"], surname="Gemarkeerd")
    share(subject, partner_orgs["politie"])
    share(subject, partner_orgs["politie2"])
    assign(people["coordinator"], subject)
    assign(people["partner"], subject)
    assign(people["partner2"], subject)
    return subject


def mark_over_http(user, obj, label="subjects.person", **extra):
    return verified_client(user).post("/partners/markeringen/", {"content_type": label, "object_id": obj.pk, **extra})


def flag_rows(event):
    return [e for e in AuditEntry.objects.filter(object_type="partners.nointerventionflag") if e.detail.get("event") == event]


def test_a_police_partner_marks_a_person_without_giving_a_reason(people, person):
    response = mark_over_http(people["partner"], person, next=f"/subjecten/personen/{person.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/subjecten/personen/{person.pk}/"
    flag = NoInterventionFlag.objects.get()
    assert flag.target == person and flag.owner == person.owner and flag.active
    assert flag.set_by == people["partner"] and flag.set_by_organisation.name == "Politie Testeenheid"
    assert "reason" not in {f.name for f in NoInterventionFlag._meta.get_fields()}
    [row] = flag_rows("nizo_marked")
    assert row.action == AuditEntry.Action.CREATE and row.object_id == str(flag.pk)
    assert row.detail["target"] == f"subjects.person#{person.pk}" and row.username == people["partner"].username


@pytest.mark.parametrize("who", ["coordinator", "analist", "boa", "partner_riec"])
def test_only_the_police_may_mark(who, people, person, partner_orgs):
    share(person, partner_orgs["riec"])
    assert mark_over_http(people[who], person).status_code == 403
    assert not NoInterventionFlag.objects.exists()
    with pytest.raises(PermissionDenied):
        flags.mark(access_for_user(people[who]), person)
    assert not NoInterventionFlag.objects.exists()


def test_the_owner_sees_the_banner_and_the_police_the_lift_button(people, person):
    flag = flags.mark(access_for_user(people["partner"]), person)
    page = verified_client(people["coordinator"]).get(f"/subjecten/personen/{person.pk}/").content.decode()
    day = timezone.localtime(flag.set_at).strftime("%d-%m-%Y")
    assert f"Niet interveniëren zonder overleg met Politie Testeenheid</strong> — gemarkeerd op {day}" in page
    assert "Markering opheffen" not in page and "Markeren: niet interveniëren" not in page
    police_page = verified_client(people["partner"]).get(f"/subjecten/personen/{person.pk}/").content.decode()
    assert f"/partners/markeringen/{flag.pk}/opheffen/" in police_page
    assert "Markeren: niet interveniëren" not in police_page  # already marked by this unit
    other_police = verified_client(people["partner2"]).get(f"/subjecten/personen/{person.pk}/").content.decode()
    assert "Niet interveniëren zonder overleg met Politie Testeenheid" in other_police
    assert f"/partners/markeringen/{flag.pk}/opheffen/" not in other_police
    assert "Markeren: niet interveniëren" in other_police  # it may set its own


def test_an_unflagged_page_shows_the_mark_button_only_to_the_police(people, person):
    assert "Markeren: niet interveniëren" in verified_client(people["partner"]).get(f"/subjecten/personen/{person.pk}/").content.decode()
    page = verified_client(people["coordinator"]).get(f"/subjecten/personen/{person.pk}/").content.decode()
    assert "Markeren: niet interveniëren" not in page and "utrecht-alert--warning" not in page


def test_a_signal_is_flagged_and_the_banner_shows_on_its_page(people, partner_orgs):
    signal = Signal.unscoped.create(owner=partner_orgs["a"], reference="SIG-TEST-1", channel="partner",
                                    text="Aangeleverd door de politie", confidentiality=4)
    share(signal, partner_orgs["politie"])
    assign(people["coordinator"], signal)
    assign(people["partner"], signal)
    assert mark_over_http(people["partner"], signal, label="intake.signal").status_code == 302
    assert flags.active_flags(signal)[0].set_by_organisation == partner_orgs["politie"]
    page = verified_client(people["coordinator"]).get(f"/signalen/{signal.pk}/").content.decode()
    assert "Niet interveniëren zonder overleg met Politie Testeenheid" in page


def test_require_confirmation_raises_until_confirmed_and_then_logs_each_flag(people, person):
    first = flags.mark(access_for_user(people["partner"]), person)
    second = flags.mark(access_for_user(people["partner2"]), person)
    coordinator = access_for_user(people["coordinator"])
    with pytest.raises(flags.ConfirmationRequired) as exc:
        flags.require_confirmation(coordinator, [person], confirmed=False, action="Bestuurlijke waarschuwing")
    assert {f.pk for f in exc.value.flags} == {first.pk, second.pk}
    assert "Politie Andere Eenheid, Politie Testeenheid" in str(exc.value)
    assert flag_rows("nizo_confirmed") == []
    confirmed = flags.require_confirmation(coordinator, [person], confirmed=True, action="Bestuurlijke waarschuwing")
    assert {f.pk for f in confirmed} == {first.pk, second.pk}
    rows = flag_rows("nizo_confirmed")
    assert sorted(int(r.object_id) for r in rows) == sorted([first.pk, second.pk])
    assert all(r.detail["intervention"] == "Bestuurlijke waarschuwing" and r.username == people["coordinator"].username for r in rows)


def test_require_confirmation_passes_unflagged_and_lifted_records_silently(people, person, partner_orgs):
    other = make_person(partner_orgs["a"], surname="Ongemarkeerd")
    coordinator = access_for_user(people["coordinator"])
    assert flags.require_confirmation(coordinator, [other, None], confirmed=False) == []
    flag = flags.mark(access_for_user(people["partner"]), person)
    flags.lift(access_for_user(people["partner"]), flag)
    assert flags.require_confirmation(coordinator, [person, other], confirmed=False) == []
    assert flag_rows("nizo_confirmed") == []


def test_lifting_is_for_the_setting_organisation_only(people, person):
    flag = flags.mark(access_for_user(people["partner"]), person)
    response = verified_client(people["partner2"]).post(f"/partners/markeringen/{flag.pk}/opheffen/")
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        flags.lift(access_for_user(people["coordinator"]), flag)
    flag.refresh_from_db()
    assert flag.active and flag_rows("nizo_lifted") == []
    assert verified_client(people["coordinator"]).post(f"/partners/markeringen/{flag.pk}/opheffen/").status_code == 403
    response = verified_client(people["partner"]).post(f"/partners/markeringen/{flag.pk}/opheffen/")
    assert response.status_code == 302
    flag.refresh_from_db()
    assert not flag.active and flag.lifted_by == people["partner"]
    [row] = flag_rows("nizo_lifted")
    assert row.action == AuditEntry.Action.UPDATE and row.username == people["partner"].username
    with pytest.raises(ValidationError, match="al opgeheven"):
        flags.lift(access_for_user(people["partner"]), flag)


def test_one_active_flag_per_record_and_organisation(people, person):
    police = access_for_user(people["partner"])
    flag = flags.mark(police, person)
    with pytest.raises(ValidationError, match="al gemarkeerd"):
        flags.mark(police, person)
    client = verified_client(people["partner"])
    response = client.post("/partners/markeringen/", {"content_type": "subjects.person", "object_id": person.pk})
    assert response.status_code == 302
    assert NoInterventionFlag.objects.count() == 1
    flags.lift(police, flag)
    assert flags.mark(police, person).pk != flag.pk  # after lifting it may be set again


def test_another_municipalitys_record_cannot_be_marked_and_answers_like_a_missing_one(people, partner_orgs):
    theirs = make_person(partner_orgs["b"], surname="Bedorper")  # not shared with the police
    client = verified_client(people["partner"])
    missing = client.post("/partners/markeringen/", {"content_type": "subjects.person", "object_id": MISSING_PK})
    response = client.post("/partners/markeringen/", {"content_type": "subjects.person", "object_id": theirs.pk})
    assert missing.status_code == response.status_code == 404
    assert not NoInterventionFlag.objects.exists()
    with pytest.raises(PermissionDenied):
        flags.mark(access_for_user(people["partner"]), theirs)


def test_a_flag_on_a_record_out_of_sight_cannot_be_lifted_and_is_not_found(people, partner_orgs, person):
    flag = flags.mark(access_for_user(people["partner"]), person)
    # the share ends: the police no longer see the record, nor the flag on it
    from regie.organisations.models import Share

    Share.objects.filter(object_id=person.pk, organisation=partner_orgs["politie"]).delete()
    assert verified_client(people["partner"]).post(f"/partners/markeringen/{flag.pk}/opheffen/").status_code == 404
    assert verified_client(people["partner"]).post(f"/partners/markeringen/{MISSING_PK}/opheffen/").status_code == 404
    flag.refresh_from_db()
    assert flag.active


@pytest.mark.parametrize(("data", "message"), [
    ({"content_type": "accounts.user", "object_id": "1"}, "Kies een persoon, bedrijf, adres, signaal"),
    ({"content_type": "", "object_id": "1"}, "Kies een persoon, bedrijf, adres, signaal"),
    ({"content_type": "subjects.person", "object_id": "abc"}, "Het objectnummer ontbreekt of is ongeldig."),
    ({}, "Kies een persoon, bedrijf, adres, signaal"),
])
def test_bad_input_is_refused_in_dutch(data, message, people):
    response = verified_client(people["partner"]).post("/partners/markeringen/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not NoInterventionFlag.objects.exists()


def test_a_foreign_next_address_is_not_followed(people, person):
    response = mark_over_http(people["partner"], person, next="https://kwaadwillend.example/")
    assert response.status_code == 302 and response["Location"] == "/start/"


def test_other_rooms_register_their_own_models():
    assert flags.flaggable_model("areas.buurt") is None
    flags.register_flaggable("areas.buurt")
    try:
        assert flags.flaggable_model("areas.buurt") is not None
    finally:
        flags.FLAGGABLE.discard("areas.buurt")
    with pytest.raises(TypeError):
        flags.register_flaggable("organisations.organisation")  # no owner: visibility cannot follow it


def test_the_confirmation_checkbox_is_read_from_the_form():
    assert flags.is_confirmed({flags.CONFIRM_FIELD: "ja"})
    assert not flags.is_confirmed({})
    assert not flags.is_confirmed({flags.CONFIRM_FIELD: "nee"})


def test_the_confirmation_checkbox_names_the_flagging_organisations(people, person):
    from django.template import Context, Template

    template = Template("{% load partners_tags %}{% nizo_confirm flags %}")
    assert template.render(Context({"flags": []})).strip() == ""
    flag = flags.mark(access_for_user(people["partner"]), person)
    html = template.render(Context({"flags": [flag]}))
    assert f'name="{flags.CONFIRM_FIELD}"' in html and "overleg is geweest met Politie Testeenheid" in html
