"""Authorisation matrix: every route, every role, own and other organisation, each relevant level.

The expected outcomes live in ``authorisation.yaml`` next to this file (see its header and
docs/development/testing.md, "Authorisation matrix"). This module

1. collects every URL pattern from Django's resolver and every operation of the OpenAPI document
   (generated in-process) and fails, listing them, for a route missing from the table or a table
   entry that no longer exists;
2. calls every route as every role and anonymously -- for object routes on a record of the
   user's own organisation at and one above the role's clearance, and on another
   organisation's record -- and compares the outcome (allow / deny / notfound) with the table;
3. checks the purpose gate separately: a user who is not assigned to a record and stated no
   purpose is sent to /doel/ (pages) or refused with the Regie-Doel message (API).

In the matrix every user is assigned to every record, so the purpose gate is not what is
measured. The records and users are built once for the module inside a transaction that is
rolled back at the end; every case runs in its own nested, rolled-back transaction.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import yaml
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.generators import SchemaGenerator
from PIL import Image
from rest_framework.test import APIClient

from regie.accounts.access import access_for_user
from regie.accounts.models import Assignment, User
from regie.accounts.roles import ROLE_SPECS, Role
from regie.api.base import PURPOSE_HEADER
from regie.audit.models import AuditEntry
from regie.intake import enrichment
from regie.intake import services as intake
from regie.intake.models import Attachment, Signal
from regie.organisations.models import Organisation, Share
from regie.subjects.models import Address, Company, Person
from tests.conftest import PASSWORD, token_client, verified_client
from tests.security import matrix_records

TABLE_PATH = Path(__file__).with_name("authorisation.yaml")
TABLE = yaml.safe_load(TABLE_PATH.read_text(encoding="utf-8"))
ROLES = [str(role) for role in Role.values]
OUTCOMES = {"allow", "deny", "notfound"}
OBJECT_KINDS = {
    "person", "company", "address", "signal", "attachment", "question", "auditentry", "organisation",
} | matrix_records.kinds()
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
LEVELS = range(1, 9)  # organisations.confidentiality: 1 openbaar ... 8 zeer geheim
SUBJECT_SLUGS = {"person": "personen", "company": "bedrijven", "address": "adressen"}


# --- the table ----------------------------------------------------------------------------------

def entry(section: str, key: str) -> dict:
    """A table entry with the defaults filled in."""
    merged = {**TABLE["defaults"], **TABLE[section][key]}
    if section == "api":
        merged["method"] = key.split(" ", 1)[0]
    return merged


def as_list(value) -> list:
    if value is None:
        return [None]
    return list(value) if isinstance(value, list) else [value]


def clearance(role: str) -> int:
    return ROLE_SPECS[role].clearance


def home(role: str) -> str:
    """The organisation a role's test user belongs to: a partner works for the police."""
    return "P" if role == Role.PARTNER else "A"


def relations(role: str, with_levels: bool) -> list[tuple[str, int | None]]:
    """(organisation, level) of the records an object route is tried on for ``role``."""
    if not with_levels:
        return [("own", None), ("other", None)]
    level = clearance(role)
    cases = []
    if level >= 1:
        cases.append(("own", level))  # at the clearance
    if level < max(LEVELS):
        cases.append(("own", level + 1))  # one above it
    cases.append(("other", max(level, 1)))  # another organisation, at the clearance
    return cases


def expectation(spec: dict, role: str | None, relation: str | None, level: int | None) -> str:
    base = spec.get("anonymous") if role is None else spec.get("roles", {}).get(role, "missing from the table")
    if base != "allow" or role is None or relation is None:
        return base
    if relation == "other":
        return spec["other_org"]
    if level is not None and level > clearance(role):
        return spec["above_clearance"]
    return "allow"


@dataclass(frozen=True)
class Case:
    section: str  # "web" or "api"
    key: str  # URL name or "METHOD /path/"
    kwargs: tuple  # URL kwargs of the variant, as sorted items
    obj: str | None  # object kind, for object routes
    role: str | None  # None: anonymous
    relation: str | None  # "own" or "other", for object routes
    level: int | None
    expected: str

    @property
    def id(self) -> str:
        parts = [self.key]
        if self.kwargs:
            parts.append(",".join(f"{k}={v}" for k, v in self.kwargs))
        if self.obj:
            parts.append(self.obj)
        parts.append(self.role or "anonymous")
        if self.relation:
            parts.append(f"{self.relation}-org")
        if self.level is not None:
            parts.append(f"level{self.level}")
        return " | ".join(parts)


def build_cases() -> list[Case]:
    cases = []
    for section in ("web", "api"):
        for key in TABLE[section]:
            spec = entry(section, key)
            with_levels = spec.get("above_clearance") != "n/a"
            for kwargs in as_list(spec.get("kwargs")):
                items = tuple(sorted((kwargs or {}).items()))
                for obj in as_list(spec.get("object")):
                    if obj is None:  # no record in the URL: one case per role
                        combos = [(role, None, None) for role in [None, *ROLES]]
                    else:  # anonymous once, every role on each relevant record
                        combos = [(None, "own", 1 if with_levels else None)]
                        combos += [(role, *rel) for role in ROLES for rel in relations(role, with_levels)]
                    for role, relation, level in combos:
                        expected = expectation(spec, role, relation, level)
                        cases.append(Case(section, key, items, obj, role, relation, level, expected))
    return cases


CASES = build_cases()


# --- what exists --------------------------------------------------------------------------------

def openapi_operations() -> set[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in HTTP_METHODS
    }


def url_patterns() -> tuple[dict[str, str], list[str]]:
    """{namespaced URL name: route} of every pattern in the resolver, and the unnamed routes."""
    named, unnamed = {}, []

    def walk(resolver, prefix: str, namespaces: list[str]) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern).lstrip("^")
            if isinstance(pattern, URLResolver):
                walk(pattern, route, namespaces + [pattern.namespace] if pattern.namespace else namespaces)
            elif route.startswith(settings.STATIC_URL.lstrip("/")):
                continue  # static files (WhiteNoise serves them as middleware; DEBUG helpers)
            elif pattern.name is None:
                unnamed.append(route)
            else:
                named.setdefault(":".join([*namespaces, pattern.name]), route)

    walk(get_resolver(), "", [])
    return named, unnamed


def api_url_names(operations: set[str]) -> set[str]:
    """URL names of the views behind the OpenAPI operations: the operations stand for them."""
    names = set()
    for operation in operations:
        path = re.sub(r"\{\w+\}", "1", operation.split(" ", 1)[1])
        names.add(resolve(path).view_name)
    return names


def test_every_route_and_operation_is_in_the_table():
    operations = openapi_operations()
    named, unnamed = url_patterns()
    excluded = set(TABLE["excluded"])
    covered_by_api = api_url_names(operations)
    web_names = set(named) - covered_by_api - excluded
    web_table, api_table = set(TABLE["web"]), set(TABLE["api"])
    problems = [f"route {name} (/{named[name]}) is not in {TABLE_PATH.name}" for name in sorted(web_names - web_table)]
    problems += [f"table entry {name} matches no URL pattern any more" for name in sorted(web_table - web_names)]
    problems += [f"API operation {op} is not in {TABLE_PATH.name}" for op in sorted(operations - api_table)]
    problems += [f"table entry {op} is not in the OpenAPI document any more" for op in sorted(api_table - operations)]
    problems += [f"route /{route} has no name: name it and add it to {TABLE_PATH.name}" for route in unnamed]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_exclusions_are_only_the_optional_single_sign_on_routes():
    import mozilla_django_oidc.urls

    oidc = {pattern.name for pattern in mozilla_django_oidc.urls.urlpatterns}
    assert set(TABLE["excluded"]) == oidc
    assert all(isinstance(reason, str) and reason.strip() for reason in TABLE["excluded"].values())


def test_the_table_is_complete_and_well_formed():
    problems = []
    for section in ("web", "api"):
        for key in TABLE[section]:
            spec = entry(section, key)
            roles = spec.get("roles") or {}
            if set(roles) != set(ROLES):
                missing, unknown = sorted(set(ROLES) - set(roles)), sorted(set(roles) - set(ROLES))
                problems.append(f"{key}: every role must be named; missing {missing}, unknown {unknown}")
            bad = {role: value for role, value in roles.items() if value not in OUTCOMES}
            if bad or spec["anonymous"] not in OUTCOMES:
                problems.append(f"{key}: outcomes must be one of {sorted(OUTCOMES)}: {bad or spec['anonymous']}")
            objects = [o for o in as_list(spec.get("object")) if o is not None]
            if set(objects) - OBJECT_KINDS:
                problems.append(f"{key}: unknown object {sorted(set(objects) - OBJECT_KINDS)}")
            if objects and spec.get("purpose") not in ("gate", "none"):
                problems.append(f"{key}: an object route says purpose: gate or purpose: none")
            if not objects and "purpose" in spec:
                problems.append(f"{key}: purpose only applies to object routes")
            if spec["other_org"] not in OUTCOMES or spec["above_clearance"] not in OUTCOMES | {"n/a"}:
                problems.append(f"{key}: other_org / above_clearance must be an outcome")
            if section == "web" and spec["method"] not in ("GET", "POST"):
                problems.append(f"{key}: method must be GET or POST")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# --- the world: users per role and records per organisation and level ---------------------------

def make_role_user(role: str, org: Organisation, username: str) -> User:
    """As the ``make_user`` fixture of tests/conftest.py (function-scoped, so not usable here)."""
    user = User(username=username, role=role, organisation=org)
    user.set_password(PASSWORD)
    user.save()
    TOTPDevice.objects.create(user=user, name="test", key=secrets.token_hex(20), confirmed=True)
    return user


def session_of(user) -> str:
    """The session key of a browser signed in with both factors (tests/conftest.py)."""
    return verified_client(user).cookies[settings.SESSION_COOKIE_NAME].value


def token_of(user) -> str:
    """The Authorization header of a fresh API token (tests/conftest.py)."""
    return token_client(user)._credentials["HTTP_AUTHORIZATION"]


def tiny_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (180, 40, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


JPEG = tiny_jpeg()


class World:
    """Everything the cases need, built once for the module."""

    def __init__(self):
        self.orgs = {
            "A": Organisation.objects.create(name="Gemeente Aastad", kind=Organisation.Kind.GEMEENTE, code="GM9991"),
            "B": Organisation.objects.create(name="Gemeente Bedorp", kind=Organisation.Kind.GEMEENTE, code="GM9992"),
            "P": Organisation.objects.create(name="Politie Testeenheid", kind=Organisation.Kind.POLITIE),
            "X": Organisation.objects.create(name="Belastingdienst Test", kind=Organisation.Kind.BELASTINGDIENST),
        }
        self.users = {role: make_role_user(role, self.orgs[home(role)], f"matrix-{role}") for role in ROLES}
        # the same roles, assigned to nothing: for the purpose gate
        self.unassigned = {role: make_role_user(role, self.orgs[home(role)], f"onbekend-{role}") for role in ROLES}
        self.records: dict[tuple[str, str, int], object] = {}
        for key in ("A", "B", "P"):
            for level in LEVELS:
                self._records(key, level)
        coordinator = access_for_user(self.users[Role.COORDINATOR])
        signal = self.records[("signal", "A", 4)]
        mention = signal.mentions.filter(person__isnull=False).first()
        # hit/no-hit questions: one to the partner's own organisation, one to another partner
        self.questions = {
            key: enrichment.ask_partner(coordinator, signal, mention, self.orgs[key]) for key in ("P", "X")
        }
        # an internal reporter's own receipt, for every role in a gemeente
        self.receipts = {}
        for role, user in self.users.items():
            if home(role) == "A":
                registered = intake.register(
                    self.orgs["A"],
                    intake.SignalInput(channel="internal", text=f"Vermoeden gemeld door {role}",
                                       reporter=intake.ReporterInput(user_id=user.pk)),
                    actor=access_for_user(user),
                )
                self.receipts[role] = registered.signal
        # signals the partner delivered to Gemeente Aastad, shared back with it as its own
        # contribution: at its clearance, one above, and one whose share has ended
        self.shared = {}
        partner_level = clearance(Role.PARTNER)
        for which, level in (("within", partner_level), ("above", partner_level + 1), ("expired", partner_level)):
            self.shared[which] = intake.register(
                self.orgs["A"],
                intake.SignalInput(channel="partner", text=f"Aangeleverd door de politie ({which})", confidentiality=level,
                                   source_organisation_id=self.orgs["P"].pk),
            ).signal
        Share.objects.filter(
            content_type=ContentType.objects.get_for_model(Signal), object_id=self.shared["expired"].pk
        ).update(valid_until=timezone.now() - timedelta(days=1))
        # every user is assigned to every record, so the purpose gate does not interfere
        assignable = [obj for (kind, _, _), obj in self.records.items() if kind != "attachment"]
        assignable += self.shared.values()
        Assignment.objects.bulk_create(
            Assignment(user=user, content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
            for user in self.users.values()
            for obj in assignable
        )
        self.audit_entries = {
            key: AuditEntry.objects.filter(organisation_id=org.pk).order_by("-seq").first() for key, org in self.orgs.items()
        }
        # a verified session and an API token per user; each case makes its own client with them
        self.sessions = {role: session_of(user) for role, user in self.users.items()}
        self.unassigned_sessions = {role: session_of(user) for role, user in self.unassigned.items()}
        self.tokens = {role: token_of(user) for role, user in self.users.items()}
        self.unassigned_tokens = {role: token_of(user) for role, user in self.unassigned.items()}

    def _records(self, key: str, level: int) -> None:
        org = self.orgs[key]
        tag = f"{key}{level}"
        address = Address.objects.create(
            owner=org, confidentiality=level, street=f"Matrixstraat {tag}", house_number=level,
            postcode="1234AB", city="Aastad",
        )
        self.records[("address", key, level)] = address
        self.records[("person", key, level)] = Person.objects.create(
            owner=org, confidentiality=level, surname=f"Matrix-{tag}", first_names="Jan"
        )
        self.records[("company", key, level)] = Company.objects.create(
            owner=org, confidentiality=level, name=f"Matrix {tag} Handel", legal_form=Company.LegalForm.BV
        )
        signal = intake.register(
            org,
            intake.SignalInput(
                channel="api", text=f"Signaal {tag}: hennepkwekerij vermoed", confidentiality=level,
                mentions=[intake.MentionInput(kind="persoon", name=f"Kees Matrix-{tag}")],
            ),
        ).signal
        self.records[("signal", key, level)] = signal
        self.records[("attachment", key, level)] = Attachment.objects.create(
            signal=signal, file=ContentFile(JPEG, name="foto.jpg"), content_type="image/jpeg",
            size=len(JPEG), sha256=hashlib.sha256(JPEG).hexdigest(),
        )
        # the rooms' own records (tests/security/matrix_records/<room>.py)
        for module in matrix_records.modules():
            for kind, obj in module.build(self, key, org, level).items():
                self.records[(kind, key, level)] = obj

    def org_key(self, role: str | None, relation: str) -> str:
        if relation == "other":
            return "B"
        return home(role) if role else "A"

    def record(self, kind: str, role: str | None, relation: str, level: int | None):
        key = self.org_key(role, relation)
        if kind == "question":
            # own: the question to the partner's organisation (a gemeente is never asked, and the
            # roles there are refused before any look-up); other: the one to another partner
            return self.questions["X" if relation == "other" else "P"]
        if kind == "auditentry":
            return self.audit_entries[key]
        if kind == "organisation":
            return self.orgs[key]
        return self.records[(kind, key, level or 1)]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("matrix-media")
    # The world's signed-in sessions live as long as the module. On PostgreSQL the module runs longer
    # than the 15-minute idle expiry (REGIE_SESSION_IDLE_SECONDS, tested in tests/accounts/test_session.py),
    # and a session some role last used at the start would have expired before the last tests use it.
    with override_settings(MEDIA_ROOT=str(media), SESSION_COOKIE_AGE=24 * 3600):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                built = World()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        try:
            yield built
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)


# --- calling a route ----------------------------------------------------------------------------

def url_kwargs(kind: str, obj) -> dict:
    module = matrix_records.module_for(kind)
    if module is not None:
        return module.url_kwargs(kind, obj) if hasattr(module, "url_kwargs") else {"pk": obj.pk}
    if kind in SUBJECT_SLUGS:
        return {"kind": SUBJECT_SLUGS[kind], "pk": obj.pk}
    if kind == "attachment":
        return {"pk": obj.signal_id, "attachment_pk": obj.pk}
    return {"pk": obj.pk}


def gated_record(kind: str, obj):
    """The record whose purpose counts: an attachment is opened through its signal."""
    module = matrix_records.module_for(kind)
    if module is not None and hasattr(module, "gated_record"):
        return module.gated_record(kind, obj)
    return obj.signal if kind == "attachment" else obj


def call(section: str, key: str, kwargs: dict, kind: str | None, obj, *, session=None, token=None, headers=None):
    spec = entry(section, key)
    method = spec["method"].lower()
    if section == "api":
        path = key.split(" ", 1)[1]
        if obj is not None:
            # audit entries are addressed by their sequence number, which need not equal the id
            path = re.sub(r"\{seq\}", str(getattr(obj, "seq", obj.pk)), path)
            path = re.sub(r"\{\w+\}", str(obj.pk), path)
        client = APIClient()
        if token:
            client.credentials(HTTP_AUTHORIZATION=token)
        if method == "get":
            return client.get(path, headers=headers)
        return getattr(client, method)(path, {}, format="json", headers=headers)
    url_args = dict(kwargs)
    query = spec.get("query")
    if obj is not None and not query:
        url_args.update(url_kwargs(kind, obj))
    url = reverse(key, kwargs=url_args or None)
    if query:
        target = gated_record(kind, obj)
        values = {"pk": target.pk, "content_type": ContentType.objects.get_for_model(type(target)).pk}
        url += "?" + urlencode({name: str(value).format(**values) for name, value in query.items()})
    client = Client()
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    return client.post(url, {}) if method == "post" else client.get(url)


def classify(response, *, anonymous: bool) -> str:
    """allow / deny / notfound, or what else came back (never silently a 500)."""
    code = response.status_code
    assert code < 500, f"server error {code}"
    if code == 404:
        return "notfound"
    if code == 401:
        return "deny" if anonymous else "401 for a signed-in user"
    if code == 403:
        return "403 for an anonymous visitor" if anonymous else "deny"
    if code in (301, 302, 303, 307, 308):
        location = urlparse(response["Location"])
        if location.path == reverse("accounts:login") and "next" in parse_qs(location.query):
            return "deny" if anonymous else "login redirect for a signed-in user"
        if location.path == reverse("accounts:second_factor"):
            return "second-factor redirect"
        if location.path == reverse("audit:purpose"):
            return "purpose redirect"
    return "allow"


# --- the matrix ---------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_authorisation(case: Case, world: World, db):
    obj = world.record(case.obj, case.role, case.relation, case.level) if case.obj else None
    response = call(
        case.section, case.key, dict(case.kwargs), case.obj, obj,
        session=world.sessions.get(case.role), token=world.tokens.get(case.role),
    )
    got = classify(response, anonymous=case.role is None)
    assert got == case.expected, (
        f"{case.id}: expected {case.expected}, got {got} "
        f"({response.status_code} {response.get('Location', '')})"
    )


# --- the purpose gate, on its own ---------------------------------------------------------------

def object_routes(purpose: str) -> list[tuple[str, str, str]]:
    return [
        (section, key, obj)
        for section in ("web", "api")
        for key in TABLE[section]
        if entry(section, key).get("purpose") == purpose
        for obj in as_list(entry(section, key).get("object"))
    ]


def first_allowed_role(section: str, key: str) -> str:
    return next(role for role in ROLES if entry(section, key)["roles"][role] == "allow")


GATED = object_routes("gate")
UNGATED = object_routes("none")


@pytest.mark.parametrize(("section", "key", "kind"), GATED, ids=[f"{k} | {o}" for _, k, o in GATED])
def test_unassigned_user_without_purpose_is_sent_to_state_one(section, key, kind, world: World, db):
    role = first_allowed_role(section, key)
    obj = world.record(kind, role, "own", min(clearance(role), 4))
    target = gated_record(kind, obj)
    response = call(
        section, key, {}, kind, obj,
        session=world.unassigned_sessions[role], token=world.unassigned_tokens[role],
    )
    assert type(target).unscoped.filter(pk=target.pk).exists()  # e.g. not deleted on the way
    if section == "api":
        assert response.status_code == 403, response.content
        assert PURPOSE_HEADER in response.json()["detail"]
        # with a purpose in the header the same call gets past the gate
        stated = call(section, key, {}, kind, obj, token=world.unassigned_tokens[role],
                      headers={PURPOSE_HEADER: "overleg voorbereiding lokaal overleg"})
        assert classify(stated, anonymous=False) == "allow", stated.content
    else:
        assert response.status_code == 302, response.status_code
        location = urlparse(response["Location"])
        assert location.path == reverse("audit:purpose")
        query = parse_qs(location.query)
        assert query["type"] == [str(ContentType.objects.get_for_model(type(target)).pk)]
        assert query["id"] == [str(target.pk)]


@pytest.mark.parametrize(("section", "key", "kind"), UNGATED, ids=[f"{k} | {o}" for _, k, o in UNGATED])
def test_routes_without_a_purpose_gate_open_for_an_unassigned_user(section, key, kind, world: World, db):
    role = first_allowed_role(section, key)
    obj = world.record(kind, role, "own", min(clearance(role), 4))
    response = call(
        section, key, {}, kind, obj,
        session=world.unassigned_sessions[role], token=world.unassigned_tokens[role],
    )
    assert classify(response, anonymous=False) == "allow", response.status_code


# --- a partner follows what it delivered (a share, not ownership) -------------------------------

SHARED = [("within", "allow"), ("above", "notfound"), ("expired", "notfound")]
SIGNAL_ROUTES = [("web", "intake:detail"), ("api", "GET /api/v1/signalen/{id}/")]


@pytest.mark.parametrize(("which", "expected"), SHARED, ids=[f"share {w}" for w, _ in SHARED])
@pytest.mark.parametrize(("section", "key"), SIGNAL_ROUTES, ids=[k for _, k in SIGNAL_ROUTES])
def test_partner_sees_a_delivered_signal_only_while_shared_and_within_its_clearance(
    section, key, which, expected, world: World, db
):
    signal = world.shared[which]
    partner = Role.PARTNER
    response = call(section, key, {}, "signal", signal, session=world.sessions[partner], token=world.tokens[partner])
    assert classify(response, anonymous=False) == expected, response.status_code
    if expected == "allow" and section == "web":
        page = response.content.decode()
        # the partner's own view: its text and status, nothing the municipality added
        assert "U ziet alleen uw eigen aanlevering" in page and signal.text in page


# --- receipts are the reporter's own ------------------------------------------------------------

def test_my_reports_shows_only_the_users_own_receipts(world: World, db):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[Role.MEDEWERKER]
    page = client.get(reverse("intake:my_reports")).content.decode()
    assert world.receipts[Role.MEDEWERKER].reference in page
    others = [signal.reference for role, signal in world.receipts.items() if role != Role.MEDEWERKER]
    assert others and not [reference for reference in others if reference in page]


# --- every read of a record with personal data leaves an audit row (point 4) --------------------

READS = [(section, key, kind) for section, key, kind in GATED if entry(section, key)["method"] == "GET"]
READ_ACTIONS = {AuditEntry.Action.VIEW, AuditEntry.Action.EXPORT, AuditEntry.Action.SEARCH, AuditEntry.Action.LIST}


@pytest.mark.parametrize(("section", "key", "kind"), READS, ids=[f"{k} | {o}" for _, k, o in READS])
def test_every_read_of_a_record_with_personal_data_is_logged_with_the_record(section, key, kind, world: World, db):
    """The routes behind the purpose gate are the ones that open a record with personal data; each
    answered read writes an audit row that names the record (or the record it is opened through)."""
    role = first_allowed_role(section, key)
    obj = world.record(kind, role, "own", min(clearance(role), 4))
    target = gated_record(kind, obj)
    named = {
        (type(record)._meta.label_lower, str(record.pk)) for record in (obj, target)
    }
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    response = call(section, key, {}, kind, obj, session=world.sessions[role], token=world.tokens[role])
    assert classify(response, anonymous=False) == "allow", response.status_code
    written = list(AuditEntry.objects.filter(seq__gt=last).values_list("action", "object_type", "object_id", "username"))
    assert any(action in READ_ACTIONS and (what, pk) in named for action, what, pk, _ in written), (
        f"{key} as {role} wrote {written}"
    )
