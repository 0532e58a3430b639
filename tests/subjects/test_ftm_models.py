"""Issue 8, point 1: the registry aligned with FtM — new identifiers, vehicles, bank accounts,
relations with dates and provenance, under the same tenancy and need-to-know as the rest."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.subjects import services
from regie.subjects.models import BankAccount, Company, Relation, Statement, Vehicle
from regie.subjects.validators import (
    format_kenteken,
    normalise_iban,
    normalise_kenteken,
)
from tests.conftest import as_user

from .conftest import make_address, make_company, make_person


@pytest.mark.parametrize("raw, plate", [("12-abc-3", "12ABC3"), ("AB-12-CD", "AB12CD"), ("1 ABC 23", "1ABC23"), ("XX-999-X", "XX999X")])
def test_kenteken_is_normalised_by_sidecode(raw, plate):
    assert normalise_kenteken(raw) == plate
    assert normalise_kenteken(format_kenteken(plate)) == plate


@pytest.mark.parametrize("raw", ["", "?", "ABCDEFG", "123456", "ABCDEF", "1-2-3"])
def test_bad_kenteken_is_refused_in_dutch(raw):
    with pytest.raises(ValidationError, match="Geen geldig Nederlands kenteken"):
        normalise_kenteken(raw)


def test_iban_via_stdnum():
    assert normalise_iban("nl91 abna 0417 1643 00") == "NL91ABNA0417164300"
    with pytest.raises(ValidationError, match="Geen geldig IBAN"):
        normalise_iban("NL91ABNA0417164301")


def test_company_identifiers_are_validated(orgs):
    company = Company(owner=orgs["a"], name="X", legal_form="bv", kvk_number="12345678",
                      vestigingsnummer="123", rsin="123456789", sbi_code="5610a", trade_names=["", 3])
    with pytest.raises(ValidationError) as info:
        company.full_clean()
    assert {"vestigingsnummer", "rsin", "sbi_code", "trade_names"} <= set(info.value.message_dict)
    company = Company(owner=orgs["a"], name="X", legal_form="bv", kvk_number="12345678",
                      vestigingsnummer="000012345678", rsin="111222333", sbi_code="5610", trade_names=["Snackbar X"])
    company.full_clean()


def test_address_bag_ids_and_coordinates_are_validated(orgs):
    address = make_address(orgs["a"])
    address.bag_nummeraanduiding_id = "12"
    address.latitude = 95
    with pytest.raises(ValidationError) as info:
        address.full_clean()
    assert "bag_nummeraanduiding_id" in info.value.message_dict
    address.bag_nummeraanduiding_id = "0599200000012345"
    with pytest.raises(ValidationError, match="breedtegraad"):
        address.full_clean()


def test_vehicle_and_bank_account_are_saved_normalised_and_audited(orgs, make_user):
    user = make_user(role=Role.ANALIST, org=orgs["a"])
    with as_user(user) as access:
        vehicle = services.save(access, Vehicle(kenteken="12-abc-3"), ["kenteken"])
        account = services.save(access, BankAccount(iban="NL91 ABNA 0417 1643 00"), ["iban"])
    assert Vehicle.unscoped.get(pk=vehicle.pk).kenteken == "12ABC3" and str(vehicle) == "12-ABC-3"
    assert BankAccount.unscoped.get(pk=account.pk).iban == "NL91ABNA0417164300"
    logged = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_type__in=["subjects.vehicle", "subjects.bankaccount"])
    assert logged.count() == 2


def _relation(org, kind, source, target, **extra):
    return Relation.unscoped.create(
        owner=org, kind=kind, source_type=ContentType.objects.get_for_model(type(source)), source_id=source.pk,
        target_type=ContentType.objects.get_for_model(type(target)), target_id=target.pk, **extra,
    )


def test_link_writes_a_dated_relation_with_audit(orgs, make_user):
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    person, company = make_person(orgs["a"]), make_company(orgs["a"])
    with as_user(user) as access:
        relation = services.link(access, Relation.Kind.DIRECTORSHIP, person, company, role="bestuurder",
                                 start_date=date(2020, 1, 1))
        services.add_statement(access, relation, source="KvK-uittreksel", date=date(2026, 3, 1), facts=["role", "start_date"])
        assert [r.pk for r in services.relations_of(access, company)] == [relation.pk]
        assert [s.source for s in services.provenance_of(access, relation)] == ["KvK-uittreksel"]
        assert relation.visible_end("source") == person
    assert AuditEntry.objects.filter(object_type="subjects.relation", action=AuditEntry.Action.CREATE).count() == 1
    assert AuditEntry.objects.filter(object_type="subjects.statement", action=AuditEntry.Action.CREATE).count() == 1
    assert relation.get_kind_display() == "bestuur"


def test_relation_refuses_bad_dates_and_non_subjects(orgs, make_user):
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    person, company = make_person(orgs["a"]), make_company(orgs["a"])
    with as_user(user) as access:
        with pytest.raises(ValidationError, match="einddatum"):
            services.link(access, "directorship", person, company, start_date=date(2020, 1, 2), end_date=date(2020, 1, 1))
        with pytest.raises(ValidationError, match="geen subject"):
            services.link(access, "associate", person, user)
        with pytest.raises(ValidationError, match="twee verschillende"):
            services.link(access, "associate", person, person)
    assert Relation.unscoped.count() == 0


def test_relations_and_provenance_follow_tenancy_and_need_to_know(orgs, make_user):
    own = _relation(orgs["a"], "family", make_person(orgs["a"]), make_person(orgs["a"], surname="Bakker"))
    other = _relation(orgs["b"], "family", make_person(orgs["b"]), make_person(orgs["b"], surname="Visser"))
    Vehicle.unscoped.create(owner=orgs["b"], kenteken="12ABC3")
    with as_user(make_user(role=Role.ANALIST, org=orgs["a"])):
        assert list(Relation.objects.all()) == [own]
        assert not Vehicle.objects.exists()
    with as_user(make_user(role=Role.RAADSLID, org=orgs["a"])):
        assert not Relation.objects.exists()
    with as_user(make_user(role=Role.ANALIST, org=orgs["b"])):
        assert list(Relation.objects.all()) == [other]


def test_deleting_a_subject_removes_its_relations_and_provenance(orgs, make_user):
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    person, company = make_person(orgs["a"]), make_company(orgs["a"])
    keep = make_person(orgs["a"], surname="Blijft")
    with as_user(user) as access:
        relation = services.link(access, "directorship", person, company)
        services.link(access, "associate", keep, make_person(orgs["a"], surname="Ander"))
        services.add_statement(access, person, source="BRP", date=date(2026, 1, 1), facts=["bsn"])
        services.add_statement(access, relation, source="KvK", date=date(2026, 1, 1), facts=["role"])
        services.delete(access, person)
    assert not Relation.unscoped.filter(pk=relation.pk).exists()
    assert Relation.unscoped.count() == 1
    assert Statement.unscoped.count() == 0
