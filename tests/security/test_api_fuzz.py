"""API fuzzing with Schemathesis (issue 13): every operation of the OpenAPI document, called
in-process through the real WSGI application by token-authenticated users of five roles, over a
small data set. No input may produce a server error, every answer — status code, content type,
headers and body — must be one the document describes, and a successful call must be refused
without a token and with a forged one.

The document is loaded from the running application (`/api/schema/`), so this tests what the API
says about itself; tests/docs/test_openapi.py keeps the committed copy equal to it.

Each role is one test; each operation one subtest with its own Hypothesis run of positive and
negative cases. Hypothesis is derandomised and has no example database, so a run is the same on
every machine; REGIE_FUZZ_EXAMPLES (default 8 per operation) makes it a longer hunt locally:

    REGIE_FUZZ_EXAMPLES=100 .venv/bin/python -m pytest tests/security/test_api_fuzz.py -q

Schemathesis' own pytest integration (``schemathesis.pytest.from_fixture``) sets
``Node._nodeid``, which pytest 9.2 no longer has, so the operations are driven here with the
public ``APIOperation.as_strategy`` and ``Case.call_and_validate`` instead.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
import schemathesis
import yaml
from django.contrib.contenttypes.models import ContentType
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import load_all_checks, not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from regie.accounts.models import ApiToken, Assignment
from regie.accounts.roles import Role
from regie.intake import services as intake
from regie.organisations.models import Region, RegionMembership, Share
from regie.subjects.models import Address, Company, Person

MAX_EXAMPLES = int(os.environ.get("REGIE_FUZZ_EXAMPLES", "8"))
ROLES = [Role.COORDINATOR, Role.PARTNER, Role.BOA, Role.PRIVACY, Role.RAADSLID]
COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"

CHECKS = [
    not_a_server_error,  # no 5xx, whatever the input
    status_code_conformance,  # every status code is documented
    content_type_conformance,  # ... with the documented media type
    response_schema_conformance,  # ... and a body that matches its schema
    response_headers_conformance,
    ignored_auth,  # a 2xx answer is refused again without a token, and with a forged one
]

# explicit and empty: a schemathesis.toml lying around must not change what CI runs
CONFIG = SchemathesisConfig.from_dict({})

FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _ct(obj):
    return ContentType.objects.get_for_model(type(obj))


@pytest.fixture
def fuzz_world(db, orgs, make_user):
    """Gemeente A in a RIEC region with the police; subjects and signals of A (the first of each
    shared with the police) and of B; one user per role, each assigned to the shared records."""
    a, b, politie = orgs["a"], orgs["b"], orgs["politie"]
    for org in (a, b):
        intake.install_default_rules(org)
    region = Region.objects.create(name="RIEC-regio Fuzz", kind=Region.Kind.RIEC_REGIO)
    for org in (a, politie):
        RegionMembership.objects.create(organisation=org, region=region, valid_from=date(2020, 1, 1))

    addresses = [
        Address.unscoped.create(owner=a, street="Kerkstraat", house_number=1, postcode="1234AB", city="Aastad"),
        Address.unscoped.create(owner=a, street="Havenweg", house_number=12, house_letter="B", postcode="1234AC", city="Aastad"),
        Address.unscoped.create(owner=b, street="Dorpsplein", house_number=3, postcode="5678CD", city="Bedorp"),
    ]
    persons = [
        Person.unscoped.create(owner=a, surname="Jansen", first_names="Jan", bsn="999990019", address=addresses[0]),
        Person.unscoped.create(owner=a, surname="Bakker", first_names="Els", birth_date=date(1980, 2, 1)),
        Person.unscoped.create(owner=b, surname="Vreemd", first_names="Bert", address=addresses[2]),
    ]
    companies = [
        Company.unscoped.create(owner=a, name="Autohandel X", legal_form="bv", kvk_number="12345678", address=addresses[1]),
        Company.unscoped.create(owner=b, name="Bedorp Beheer", legal_form="stichting"),
    ]
    signal = intake.SignalInput
    signals = [
        intake.register(a, signal(channel="counter", text="Hennepgeur bij een loods", theme_codes=["drugs-productie"])).signal,
        intake.register(a, signal(channel="counter", text="Veel bezoek in de nacht", address=intake.AddressInput("1234AB", 1))).signal,
        intake.register(b, signal(channel="counter", text="Signaal van een andere gemeente")).signal,
    ]
    shared = (persons[0], companies[0], addresses[0], signals[0])
    for obj in shared:
        Share.objects.create(content_type=_ct(obj), object_id=obj.pk, organisation=politie, basis="Convenant RIEC Fuzz, art. 5")

    users = {
        Role.COORDINATOR: make_user(role=Role.COORDINATOR, org=a),
        Role.PARTNER: make_user(role=Role.PARTNER, org=politie),
        Role.BOA: make_user(role=Role.BOA, org=a),
        Role.PRIVACY: make_user(role=Role.PRIVACY, org=a),
        Role.RAADSLID: make_user(role=Role.RAADSLID, org=a, device=False),
    }
    # assigned records open without a purpose; the others need the Regie-Doel header
    for user in users.values():
        for obj in shared:
            Assignment.objects.create(user=user, content_type=_ct(obj), object_id=obj.pk)
    ids = {
        "personen": [p.pk for p in persons],
        "bedrijven": [c.pk for c in companies],
        "adressen": [x.pk for x in addresses],
        "signalen": [s.pk for s in signals],
        "organisaties": [a.pk, b.pk, politie.pk],
    }
    return {"users": users, "ids": ids}


@pytest.fixture(params=ROLES, ids=str)
def caller(request, fuzz_world):
    _, raw = ApiToken.issue(fuzz_world["users"][request.param], "fuzz")
    return {"Authorization": f"Token {raw}"}


@pytest.fixture
def keep_connection():
    """Calling the WSGI application directly (not through Django's test client) would close the
    database connection after every request, and with it the test's transaction on PostgreSQL:
    disconnect that handler, as django.test.Client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def load_schema(ids):
    """The document as the application serves it, with the WSGI application as the transport."""
    from regie.wsgi import application

    loaded = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)

    # Random integers rarely name a record that exists: half of the time, take one that does
    # (visible or not to the caller, assigned or not).
    @loaded.hook
    def flatmap_path_parameters(context, path_parameters):
        path = context.operation.path if context.operation else ""
        known = next((values for name, values in ids.items() if f"/{name}/" in path), None)
        if not known or not path_parameters or "id" not in path_parameters:
            return st.just(path_parameters)
        return st.one_of(st.just(path_parameters), st.sampled_from(known).map(lambda pk: {**path_parameters, "id": pk}))

    # ... and the same for references in a body: a municipality to deliver to, an address to link
    references = {"gemeente": ids["organisaties"], "address": ids["adressen"]}

    @loaded.hook
    def flatmap_body(context, body):
        if not isinstance(body, dict) or not references.keys() & body.keys():
            return st.just(body)
        real = {key: st.sampled_from(values) for key, values in references.items() if key in body}
        return st.one_of(st.just(body), st.fixed_dictionaries(real).map(lambda chosen: {**body, **chosen}))

    return loaded


def committed_operations() -> set[str]:
    schema = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops if method != "parameters"}


def test_api_answers_as_its_schema_says(fuzz_world, caller, keep_connection, subtests):
    load_all_checks()
    loaded = load_schema(fuzz_world["ids"])
    operations = [result.ok() for result in loaded.get_all_operations()]  # an unreadable operation fails here
    assert {op.label for op in operations} == committed_operations()

    for operation in operations:
        cases = st.one_of(
            operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE),
        )

        @FUZZ_SETTINGS
        @given(case=cases)
        def fuzz(case):
            case.call_and_validate(headers=caller, checks=CHECKS)

        with subtests.test(msg=operation.label):
            fuzz()
