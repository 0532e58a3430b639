"""Rows and helpers for the subjects tests. Rows are written through the escape hatch, as
setup, so the code under test is the only thing that reads through the frame."""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType

from regie.accounts.models import Assignment
from regie.accounts.roles import Role
from regie.organisations.models import Share
from regie.subjects.models import Address, Company, Person

MISSING_PK = 987654321
VALID_BSN = "111222333"  # passes the elfproef


def make_address(org, street="Kerkstraat", level=4, **extra):
    values = {"house_number": 1, "postcode": "1234AB", "city": "Aastad", **extra}
    return Address.unscoped.create(owner=org, street=street, confidentiality=level, **values)


def make_person(org, surname="Jansen", level=4, **extra):
    return Person.unscoped.create(owner=org, surname=surname, confidentiality=level, **extra)


def make_company(org, name="Bakkerij Brood", level=4, **extra):
    extra.setdefault("legal_form", Company.LegalForm.BV)
    return Company.unscoped.create(owner=org, name=name, confidentiality=level, **extra)


MAKERS = {"personen": make_person, "bedrijven": make_company, "adressen": make_address}
MODELS = {"personen": Person, "bedrijven": Company, "adressen": Address}
#: a valid create/update payload per kind (form and API alike)
PAYLOADS = {
    "personen": {"first_names": "Piet", "surname": "Pietersen", "bsn": VALID_BSN, "confidentiality": 4},
    "bedrijven": {"name": "Snackbar De Hoek", "legal_form": "vof", "kvk_number": "12345678", "confidentiality": 4},
    "adressen": {"street": "Dorpsstraat", "house_number": 12, "postcode": "1234 ab", "city": "Aastad", "confidentiality": 4},
}


def assign(user, obj):
    Assignment.objects.create(user=user, content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


def share(obj, org, **extra):
    return Share.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk, organisation=org,
        basis="Convenant RIEC, art. 5", **extra,
    )


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def fingerprint(response):
    """Everything a caller can observe of a response, minus the per-response CSRF token."""
    return (
        response.status_code,
        response.get("Content-Type"),
        response.get("Location"),
        _CSRF.sub(b"csrf", response.content),
    )


def assert_same(response, reference):
    assert fingerprint(response) == fingerprint(reference)


@pytest.fixture
def coordinator(orgs, make_user):
    """A coördinator of gemeente a (the caller's municipality in these tests)."""
    return make_user(role=Role.COORDINATOR, org=orgs["a"])


@pytest.fixture
def tenants(orgs):
    """One subject of each kind in gemeente a (the caller's) and in gemeente b."""
    return {
        org_key: {kind: make(orgs[org_key]) for kind, make in MAKERS.items()}
        for org_key in ("a", "b")
    }
