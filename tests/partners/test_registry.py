"""The partner registry over HTTP: who may read and write, validation, tenancy and the audit."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from regie.accounts.access import access_for_user
from regie.audit.models import AuditEntry
from regie.partners import services
from regie.partners.models import ContactPerson, PartnerProfile
from tests.conftest import verified_client

from .conftest import MISSING_PK, make_contact, make_profile, share

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
READERS = ["coordinator", "analist", "jurist", "burgemeester", "beheerder"]
NOT_READERS = ["partner", "boa", "raadslid", "medewerker"]


def payload(partner, **extra):
    data = {
        "partner": partner.pk,
        "tasks": "Toezicht op de woningvoorraad",
        "powers": "Huurrechtelijke maatregelen",
        "interests": "",
        "legal_basis": "Convenant Woonoverlast Aastad 2024, art. 4",
        "may_bring": "Signalen van huismeesters",
        "may_receive": ["onderwerp", "locatie"],
        "active": "on",
        "confidentiality": 3,
    }
    data.update(extra)
    return data


def entries(action, obj):
    return AuditEntry.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk))


@pytest.mark.parametrize("who", READERS)
def test_roles_with_the_partners_category_read_the_registry_of_their_own_municipality(who, people, partner_orgs):
    own = make_profile(partner_orgs["a"], partner_orgs["riec"])
    other = make_profile(partner_orgs["b"], partner_orgs["fiscus"])
    response = verified_client(people[who]).get("/partners/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"/partners/{own.pk}/" in page
    assert f"/partners/{other.pk}/" not in page and "Belastingdienst Test" not in page
    listed = AuditEntry.objects.filter(action=AuditEntry.Action.LIST, object_type="partners.partnerprofile").last()
    assert listed is not None and listed.detail["shown"] == [own.pk]


@pytest.mark.parametrize("who", NOT_READERS)
def test_roles_without_the_category_are_refused(who, people, partner_orgs):
    profile = make_profile(partner_orgs["a"], partner_orgs["riec"])
    client = verified_client(people[who])
    assert client.get("/partners/").status_code == 403
    assert client.get(f"/partners/{profile.pk}/").status_code == 403
    assert client.get("/partners/informatiedelingsdocument/").status_code == 403


def test_need_to_know_a_share_does_not_open_the_registry_to_a_partner(people, partner_orgs):
    profile = make_profile(partner_orgs["a"], partner_orgs["riec"])
    share(profile, partner_orgs["politie"])
    assert not PartnerProfile.objects.visible_to(access_for_user(people["partner"])).exists()
    assert PartnerProfile.objects.visible_to(access_for_user(people["coordinator"])).get() == profile


@pytest.mark.parametrize("who", ["beheerder", "coordinator"])
def test_a_keeper_adds_a_partner_and_the_creation_is_audited(who, people, partner_orgs):
    client = verified_client(people[who])
    assert client.get("/partners/nieuw/").status_code == 200
    response = client.post("/partners/nieuw/", payload(partner_orgs["woco"]))
    profile = PartnerProfile.unscoped.get(partner=partner_orgs["woco"])
    assert response.status_code == 302 and response["Location"] == f"/partners/{profile.pk}/"
    assert profile.owner == partner_orgs["a"]
    assert profile.may_receive == ["onderwerp", "locatie"] and profile.theme_codes == []
    created = entries(AuditEntry.Action.CREATE, profile).get()
    assert created.username == people[who].username
    assert {"legal_basis", "may_receive"} <= set(created.detail["fields"])


@pytest.mark.parametrize("who", ["analist", "jurist", "burgemeester"])
def test_readers_may_not_write(who, people, partner_orgs):
    profile = make_profile(partner_orgs["a"], partner_orgs["riec"])
    client = verified_client(people[who])
    assert client.get("/partners/nieuw/").status_code == 403
    assert client.post("/partners/nieuw/", payload(partner_orgs["woco"])).status_code == 403
    assert client.post(f"/partners/{profile.pk}/bewerken/", payload(partner_orgs["riec"], tasks="x")).status_code == 403
    assert client.post(f"/partners/{profile.pk}/contactpersonen/", {"name": "X"}).status_code == 403
    assert not PartnerProfile.unscoped.filter(partner=partner_orgs["woco"]).exists()
    assert not ContactPerson.objects.exists()


def test_an_unknown_field_group_is_refused_in_dutch_and_nothing_is_written(people, partner_orgs):
    client = verified_client(people["beheerder"])
    response = client.post("/partners/nieuw/", payload(partner_orgs["woco"], may_receive=["onderwerp", "dossiers"]))
    assert response.status_code == 400
    assert "dossiers is geen beschikbare keuze" in response.content.decode()
    assert not PartnerProfile.unscoped.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).exists()


def test_the_model_refuses_unknown_codes_for_any_caller(people, partner_orgs):
    access = access_for_user(people["beheerder"])
    profile = PartnerProfile(partner=partner_orgs["woco"], legal_basis="Convenant", may_receive=["onderwerp", "dossiers"])
    with pytest.raises(ValidationError) as exc:
        services.save_profile(access, profile, [])
    assert "Onbekende gegevenscategorie: dossiers" in str(exc.value.message_dict["may_receive"])
    profile = PartnerProfile(partner=partner_orgs["woco"], legal_basis="Convenant", may_receive="onderwerp")
    with pytest.raises(ValidationError) as exc:
        services.save_profile(access, profile, [])
    assert "lijst" in str(exc.value.message_dict["may_receive"])
    profile = PartnerProfile(partner=partner_orgs["woco"], legal_basis="Convenant", theme_codes=["drugs-productie", "kaartclubs"])
    with pytest.raises(ValidationError) as exc:
        services.save_profile(access, profile, [])
    assert exc.value.message_dict["theme_codes"] == ["Onbekend thema: kaartclubs."]
    assert not PartnerProfile.unscoped.exists()


def test_missing_legal_basis_and_a_second_profile_for_the_same_partner_are_refused(people, partner_orgs):
    client = verified_client(people["beheerder"])
    response = client.post("/partners/nieuw/", payload(partner_orgs["woco"], legal_basis=""))
    assert response.status_code == 400 and "Dit veld is vereist" in response.content.decode()
    make_profile(partner_orgs["a"], partner_orgs["riec"])
    response = client.post("/partners/nieuw/", payload(partner_orgs["riec"]))
    assert response.status_code == 400 and "Deze keuze is niet beschikbaar" in response.content.decode()
    assert PartnerProfile.unscoped.count() == 1
    with pytest.raises(ValidationError):
        services.save_profile(access_for_user(people["beheerder"]),
                              PartnerProfile(partner=partner_orgs["riec"], legal_basis="Convenant"), [])


def test_a_keeper_edits_a_profile_and_the_changed_fields_are_audited(people, partner_orgs):
    profile = make_profile(partner_orgs["a"], partner_orgs["riec"], may_receive=["onderwerp"])
    client = verified_client(people["beheerder"])
    assert client.get(f"/partners/{profile.pk}/bewerken/").status_code == 200
    # the partner itself cannot be swapped on an existing profile
    response = client.post(f"/partners/{profile.pk}/bewerken/", payload(
        partner_orgs["fiscus"], legal_basis=profile.legal_basis, tasks="", powers="", may_bring="",
        may_receive=["onderwerp", "besluiten"], theme_codes=["witwassen"],
    ))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.partner == partner_orgs["riec"]
    assert profile.may_receive == ["onderwerp", "besluiten"] and profile.theme_codes == ["witwassen"]
    updated = entries(AuditEntry.Action.UPDATE, profile).get()
    assert "may_receive" in updated.detail["fields"] and "partner" not in updated.detail["fields"]


def test_the_profile_page_shows_the_rules_and_is_logged(people, partner_orgs):
    profile = make_profile(partner_orgs["a"], partner_orgs["woco"], may_receive=["onderwerp", "locatie"],
                           theme_codes=["drugs-productie"])
    make_contact(profile, name="Floor Bos", function="Huismeester", email="f.bos@woco.example")
    response = verified_client(people["analist"]).get(f"/partners/{profile.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Onderwerp, thema&#x27;s en zwaarte; Adres en buurt" in page
    assert "Drugs" in page and "Floor Bos" in page and profile.legal_basis in page
    assert "Contactpersoon toevoegen" not in page  # the analist reads only
    assert entries(AuditEntry.Action.VIEW, profile).count() == 1


def test_contact_persons_are_added_and_removed_with_audit(people, partner_orgs):
    profile = make_profile(partner_orgs["a"], partner_orgs["riec"])
    client = verified_client(people["coordinator"])
    response = client.post(f"/partners/{profile.pk}/contactpersonen/",
                           {"name": "Jesse Mulder", "function": "Analist", "email": "j.mulder@riec.example", "phone": "06-12345678"})
    assert response.status_code == 302
    contact = profile.contacts.get()
    assert contact.name == "Jesse Mulder"
    assert entries(AuditEntry.Action.CREATE, contact).get().detail == {"profile": profile.pk}
    response = client.post(f"/partners/{profile.pk}/contactpersonen/{contact.pk}/verwijderen/")
    assert response.status_code == 302 and not profile.contacts.exists()
    assert entries(AuditEntry.Action.DELETE, contact).count() == 1


def test_a_bad_contact_is_refused_in_dutch(people, partner_orgs):
    profile = make_profile(partner_orgs["a"], partner_orgs["riec"])
    client = verified_client(people["coordinator"])
    response = client.post(f"/partners/{profile.pk}/contactpersonen/", {"name": "", "email": "geen-adres"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Dit veld is vereist" in page and "geldig e-mailadres" in page
    assert not profile.contacts.exists()


def test_a_contact_is_only_removed_through_its_own_profile(people, partner_orgs):
    first = make_profile(partner_orgs["a"], partner_orgs["riec"])
    second = make_profile(partner_orgs["a"], partner_orgs["woco"])
    contact = make_contact(second)
    client = verified_client(people["coordinator"])
    assert client.post(f"/partners/{first.pk}/contactpersonen/{contact.pk}/verwijderen/").status_code == 404
    assert ContactPerson.objects.filter(pk=contact.pk).exists()


OPERATIONS = {
    "detail": lambda c, pk: c.get(f"/partners/{pk}/"),
    "edit-form": lambda c, pk: c.get(f"/partners/{pk}/bewerken/"),
    "edit-post": lambda c, pk: c.post(f"/partners/{pk}/bewerken/", {"legal_basis": "Iets anders"}),
    "contact-add": lambda c, pk: c.post(f"/partners/{pk}/contactpersonen/", {"name": "Indringer"}),
    "contact-remove": lambda c, pk: c.post(f"/partners/{pk}/contactpersonen/1/verwijderen/"),
}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_another_municipalitys_profile_answers_like_a_missing_one(operation, people, partner_orgs):
    theirs = make_profile(partner_orgs["b"], partner_orgs["riec"], legal_basis="Convenant van Bedorp")
    make_contact(theirs)
    client = verified_client(people["coordinator"])
    missing = OPERATIONS[operation](client, MISSING_PK)
    response = OPERATIONS[operation](client, theirs.pk)
    assert missing.status_code == response.status_code == 404
    assert CSRF.sub(b"csrf", response.content) == CSRF.sub(b"csrf", missing.content)
    theirs.refresh_from_db()
    assert theirs.legal_basis == "Convenant van Bedorp" and theirs.contacts.count() == 1
    assert not AuditEntry.objects.filter(object_type="partners.partnerprofile", object_id=str(theirs.pk)).exists()


def test_a_profile_above_the_clearance_is_not_found(people, partner_orgs):
    secret = make_profile(partner_orgs["a"], partner_orgs["riec"], level=4)  # the beheerder reads up to 3
    assert verified_client(people["beheerder"]).get(f"/partners/{secret.pk}/").status_code == 404
    assert verified_client(people["coordinator"]).get(f"/partners/{secret.pk}/").status_code == 200


def test_only_the_keeper_writes_even_a_shared_profile(people, partner_orgs):
    theirs = make_profile(partner_orgs["b"], partner_orgs["riec"])
    share(theirs, partner_orgs["a"])
    access = access_for_user(people["coordinator"])
    visible = PartnerProfile.objects.visible_to(access).get()
    visible.tasks = "Overschreven"
    with pytest.raises(PermissionDenied):
        services.save_profile(access, visible, ["tasks"])
    with pytest.raises(PermissionDenied):
        services.add_contact(access, visible, name="Indringer")
    theirs.refresh_from_db()
    assert theirs.tasks == "" and not theirs.contacts.exists()


def test_a_duplicate_the_keeper_cannot_see_is_refused_in_dutch_not_with_a_500(people, partner_orgs):
    make_profile(partner_orgs["a"], partner_orgs["riec"], level=5)  # above the beheerder's clearance
    response = verified_client(people["beheerder"]).post("/partners/nieuw/", payload(partner_orgs["riec"]))
    assert response.status_code == 400
    assert "Deze organisatie staat al in het partnerregister." in response.content.decode()
    assert PartnerProfile.unscoped.count() == 1


def test_a_shared_profile_cannot_be_taken_over_through_the_edit_form(people, partner_orgs):
    theirs = make_profile(partner_orgs["b"], partner_orgs["riec"], legal_basis="Convenant van Bedorp")
    share(theirs, partner_orgs["a"])
    client = verified_client(people["coordinator"])
    assert client.get(f"/partners/{theirs.pk}/").status_code == 200  # a share grants reading
    response = client.post(f"/partners/{theirs.pk}/bewerken/", payload(partner_orgs["riec"], legal_basis="Overgenomen"))
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.owner == partner_orgs["b"] and theirs.legal_basis == "Convenant van Bedorp"
