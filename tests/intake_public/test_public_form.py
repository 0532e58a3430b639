"""The public form for residents (/melden/<gemeentecode>/): anonymous by default, no IP kept,
honeypot, rate limit, CSRF, and a Dutch 400/404/429 for every bad input."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.cache import cache
from django.test import Client

from regie.audit.models import AuditEntry
from regie.intake import public
from regie.intake.models import Attachment, Receipt, Reporter, Signal, SignalEvent
from regie.organisations.models import Organisation
from regie.subjects.models import Address

from .conftest import secrets_on_page, stored_files

IP = "203.0.113.77"
USER_AGENT = "Mozilla/5.0 (Regie-test-browser 9.9; uniek-ua-merkteken)"
REFERENCE = re.compile(r"^M-[23456789A-HJ-NP-Z]{4}-[23456789A-HJ-NP-Z]{4}$")


def resident(ip: str = IP) -> Client:
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=USER_AGENT)


def post(client, data, code="GM9991", **extra):
    return client.post(f"/melden/{code}/", data, **extra)


GOOD = {"text": "Bij de loods op de hoek komen 's nachts busjes en het ruikt naar hennep."}


# --- the page and its municipality --------------------------------------------------------------

def test_form_is_public_and_in_dutch(orgs):
    response = resident().get("/melden/GM9991/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Meld een vermoeden" in body and "Gemeente Aastad" in body
    assert 'enctype="multipart/form-data"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert 'name="wants_feedback"' in body and 'name="photo"' in body
    assert "IP-adres" in body  # the resident is told what is not stored
    assert "no-store" in response["Cache-Control"]


def test_honeypot_is_hidden_without_inline_style(orgs):
    body = resident().get("/melden/GM9991/").content.decode()
    match = re.search(r'<div class="regie-hp" aria-hidden="true">(.*?)</div>', body, re.S)
    assert match, "honeypot container with its CSS class and aria-hidden"
    field = re.search(r'<input[^>]*name="website"[^>]*>', match.group(1)).group(0)
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field
    assert "style=" not in body  # the CSP forbids inline style
    from django.contrib.staticfiles import finders

    css = open(finders.find("regie/regie.css"), encoding="utf-8").read()
    assert ".regie-hp" in css


def test_code_is_matched_case_insensitively(orgs):
    assert resident().get("/melden/gm9991/").status_code == 200


@pytest.mark.parametrize("code", ["GM0000", "onbekend", "GM99911"])
def test_unknown_municipality_is_404_in_dutch(orgs, code):
    response = resident().get(f"/melden/{code}/")
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()
    assert resident().post(f"/melden/{code}/", GOOD).status_code == 404
    assert Signal.unscoped.count() == 0


def test_inactive_municipality_and_partner_are_404(orgs):
    Organisation.objects.create(name="Gemeente Oud", kind=Organisation.Kind.GEMEENTE, code="GM9993", active=False)
    orgs["politie"].code = "PL9901"
    orgs["politie"].save()
    assert resident().get("/melden/GM9993/").status_code == 404
    assert resident().get("/melden/PL9901/").status_code == 404
    assert resident().post("/melden/PL9901/", GOOD).status_code == 404


def test_other_methods_are_refused_without_a_server_error(orgs):
    response = resident().put("/melden/GM9991/", GOOD)
    assert response.status_code == 405
    assert "niet toegestaan" in response.content.decode()


# --- anonymous by default -----------------------------------------------------------------------

def test_anonymous_report(orgs):
    response = post(resident(), GOOD)
    assert response.status_code == 200, response.content.decode()
    body = response.content.decode()
    assert "uw melding is ontvangen" in body
    assert "U heeft anoniem gemeld" in body
    shown = secrets_on_page(body)
    assert len(shown) == 1 and REFERENCE.match(shown[0])  # a reference, no feedback code
    signal = Signal.unscoped.get()
    assert signal.reference == shown[0]
    assert signal.owner == orgs["a"] and signal.channel == "public" and signal.anonymous
    assert signal.created_by is None
    assert not Reporter.objects.exists() and not Receipt.objects.exists()
    assert SignalEvent.objects.filter(signal=signal, kind="ontvangen").exists()


def test_contact_details_without_the_tick_are_not_stored(orgs):
    data = {**GOOD, "name": "Piet Privé", "email": "piet@example.org", "phone": "0612345678"}
    response = post(resident(), data)
    assert response.status_code == 200
    assert "U heeft anoniem gemeld" in response.content.decode()
    assert not Reporter.objects.exists()
    assert Signal.unscoped.get().anonymous
    dump = _everything_stored()
    for secret in ("Piet", "piet@example.org", "0612345678"):
        assert secret not in dump


def test_feedback_stores_contact_and_shows_a_one_time_code(orgs):
    data = {**GOOD, "wants_feedback": "on", "name": "Anna de Vries", "email": "anna@example.org"}
    response = post(resident(), data)
    assert response.status_code == 200
    body = response.content.decode()
    reference, code = secrets_on_page(body)
    assert "maar één keer getoond" in body and "/melden/status/" in body
    reporter = Reporter.objects.get()
    assert reporter.signal.reference == reference and not reporter.signal.anonymous
    assert (reporter.name, reporter.email, reporter.phone) == ("Anna de Vries", "anna@example.org", "")
    assert reporter.wants_feedback and reporter.user is None
    assert reporter.feedback_code_hash == hashlib.sha256(code.encode()).hexdigest()
    assert code not in _everything_stored()  # only its hash
    assert not Receipt.objects.exists()


def test_feedback_by_phone_only(orgs):
    response = post(resident(), {**GOOD, "wants_feedback": "on", "phone": "+31 6 1234 5678"})
    assert response.status_code == 200
    assert Reporter.objects.get().phone == "+31 6 1234 5678"


def test_feedback_without_contact_is_refused(orgs):
    response = post(resident(), {**GOOD, "wants_feedback": "on", "name": "Anna"})
    assert response.status_code == 400
    assert "e-mailadres of telefoonnummer" in response.content.decode()
    assert Signal.unscoped.count() == 0 and not Reporter.objects.exists()


def test_location_and_date(orgs):
    data = {**GOOD, "postcode": "1234 ab", "house_number": "12", "addition": "a", "reported_on": "2024-03-01"}
    assert post(resident(), data).status_code == 200
    signal = Signal.unscoped.select_related("address").get()
    assert (signal.address.postcode, signal.address.house_number, signal.address.house_letter) == ("1234AB", 12, "A")
    assert signal.address.owner == orgs["a"]
    assert str(signal.reported_on) == "2024-03-01"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"text": ""}, "verplicht"),
        ({"text": "   "}, "verplicht"),
        ({"text": "x" * 5001}, "niet meer dan 5000 tekens"),
        ({**GOOD, "postcode": "12345"}, "Geen geldige postcode"),
        ({**GOOD, "postcode": "1234AB"}, "zowel de postcode als het huisnummer"),
        ({**GOOD, "house_number": "abc"}, "geheel getal"),
        ({**GOOD, "house_number": "-3"}, "minstens 1"),
        ({**GOOD, "reported_on": "morgen"}, "geldige datum"),
        ({**GOOD, "reported_on": "2999-01-01"}, "in de toekomst"),
        ({**GOOD, "wants_feedback": "on", "email": "geen-adres"}, "geldig e-mailadres"),
        ({**GOOD, "wants_feedback": "on", "phone": "bel me"}, "geldig telefoonnummer"),
    ],
)
def test_bad_input_is_a_dutch_400_and_stores_nothing(orgs, media_root, data, message):
    response = post(resident(), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body, body
    assert "Controleer de gemarkeerde velden" in body or "utrecht-form-field-error-message" in body
    assert Signal.unscoped.count() == 0 and Address.unscoped.count() == 0
    assert not AuditEntry.objects.filter(action="create").exists()
    assert stored_files(media_root) == []


# --- what is not stored: IP address and user agent ----------------------------------------------

def _everything_stored() -> str:
    """Every value of every row the submission could have written, as one text."""
    rows = []
    for model in (Signal.unscoped, Reporter.objects, Attachment.objects, SignalEvent.objects, Address.unscoped, AuditEntry.objects):
        rows.extend(str(row) for row in model.all().values())
    return "\n".join(rows)


def test_no_ip_address_or_user_agent_is_stored(orgs, media_root):
    from .conftest import jpeg_with_gps, upload

    data = {**GOOD, "wants_feedback": "on", "email": "anna@example.org", "postcode": "1234AB", "house_number": "5",
            "photo": upload("foto.jpg", jpeg_with_gps())}
    assert post(resident(), data).status_code == 200
    dump = _everything_stored()
    assert IP not in dump
    assert "Regie-test-browser" not in dump and "uniek-ua-merkteken" not in dump
    # the audit entries of the submission (signal and photo) carry no address at all
    entries = list(AuditEntry.objects.filter(action="create"))
    assert {e.object_type for e in entries} == {"intake.signal", "intake.attachment"}
    for entry in entries:
        assert entry.ip_address is None
        assert entry.user_id is None and entry.role == "organisation"
    # nor does any file name or field of the photo
    assert all(IP not in str(p) for p in stored_files(media_root))
    # the rate-limit counter is keyed by a salted hash, never by the address itself
    keys = [str(k) for k in cache._cache.keys()]  # noqa: SLF001 - the local-memory cache's own store
    assert keys and all(IP not in k for k in keys)
    digest = public._bucket(resident().get("/").wsgi_request, "melden").rsplit(":", 1)[1]
    assert digest not in dump
    # and no session was opened for the resident
    from django.contrib.sessions.models import Session

    assert not Session.objects.exists()


def test_audit_entry_of_an_internal_report_still_has_its_address(orgs, make_user):
    """Control: the empty IP above is the public form's choice, not an accident of the audit log."""
    from tests.conftest import verified_client

    from regie.accounts.roles import Role

    user = make_user(role=Role.MEDEWERKER, org=orgs["a"])
    client = verified_client(user)
    assert client.post("/meld-een-vermoeden/", GOOD, REMOTE_ADDR=IP).status_code == 200
    assert AuditEntry.objects.get(action="create", object_type="intake.signal").ip_address == IP


# --- honeypot -----------------------------------------------------------------------------------

def test_honeypot_answers_like_success_and_stores_nothing(orgs, media_root):
    from .conftest import jpeg_with_gps, upload

    before = AuditEntry.objects.count()
    data = {**GOOD, "website": "http://spam.example", "photo": upload("foto.jpg", jpeg_with_gps())}
    response = post(resident(), data)
    assert response.status_code == 200
    body = response.content.decode()
    real = post(resident("198.51.100.1"), GOOD).content.decode()
    assert _without_secrets(body) == _without_secrets(real)
    (reference,) = secrets_on_page(body)
    assert REFERENCE.match(reference)
    assert Signal.unscoped.count() == 1  # only the real one
    assert not Signal.unscoped.filter(reference=reference).exists()
    assert AuditEntry.objects.count() == before + 1  # the real report's entry only
    assert not Attachment.objects.exists() and stored_files(media_root) == []


def test_honeypot_with_feedback_also_shows_a_fake_code(orgs):
    data = {**GOOD, "website": "x", "wants_feedback": "on", "email": "bot@example.org"}
    body = post(resident(), data).content.decode()
    reference, code = secrets_on_page(body)
    assert code and Signal.unscoped.count() == 0 and not Reporter.objects.exists()


def test_honeypot_answers_success_even_for_invalid_input(orgs):
    response = post(resident(), {"text": "", "website": "x"})
    assert response.status_code == 200
    assert Signal.unscoped.count() == 0


def _without_secrets(html: str) -> str:
    html = re.sub(r'<strong class="regie-secret">[^<]+</strong>', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


# --- rate limit ---------------------------------------------------------------------------------

def test_rate_limit_per_client(orgs, settings):
    client = resident()
    for _ in range(settings.REGIE_PUBLIC_RATE_LIMIT):
        assert post(client, GOOD).status_code == 200
    response = post(client, GOOD)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Te veel verzoeken" in body and "10 minuten" in body
    assert response["Retry-After"] == str(settings.REGIE_PUBLIC_RATE_WINDOW_SECONDS)
    assert Signal.unscoped.count() == settings.REGIE_PUBLIC_RATE_LIMIT
    # another client is not affected; reading the form is not limited
    assert post(resident("198.51.100.2"), GOOD).status_code == 200
    assert client.get("/melden/GM9991/").status_code == 200


def test_rate_limit_counts_failed_and_honeypot_posts_too(orgs, settings):
    settings.REGIE_PUBLIC_RATE_LIMIT = 2
    client = resident()
    assert post(client, {"text": ""}).status_code == 400
    assert post(client, {**GOOD, "website": "x"}).status_code == 200
    assert post(client, GOOD).status_code == 429
    assert Signal.unscoped.count() == 0


def test_rate_limit_window_ends(orgs, settings):
    settings.REGIE_PUBLIC_RATE_LIMIT = 1
    client = resident()
    assert post(client, GOOD).status_code == 200
    assert post(client, GOOD).status_code == 429
    cache.delete(public._bucket(client.get("/").wsgi_request, "melden"))  # the window expired
    assert post(client, GOOD).status_code == 200


# --- CSRF stays on ------------------------------------------------------------------------------

def test_csrf_is_enforced(orgs):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=IP)
    response = client.post("/melden/GM9991/", GOOD)
    assert response.status_code == 403
    assert Signal.unscoped.count() == 0
    client.get("/melden/GM9991/")
    token = client.cookies["csrftoken"].value
    response = client.post("/melden/GM9991/", {**GOOD, "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert Signal.unscoped.count() == 1


def test_signed_in_employee_on_the_public_form_is_still_a_resident(orgs, make_user):
    from tests.conftest import verified_client

    from regie.accounts.roles import Role

    user = make_user(role=Role.COORDINATOR, org=orgs["b"])
    response = verified_client(user).post("/melden/GM9991/", GOOD)
    assert response.status_code == 200
    signal = Signal.unscoped.get()
    assert signal.owner == orgs["a"] and signal.created_by is None and signal.anonymous
    assert not Receipt.objects.exists()
