"""Feedback (point 6): a public reporter with a code sees ontvangen / in behandeling / afgehandeld
and nothing else; a wrong combination gets one neutral answer; an employee sees only his own
reports; anonymous reporters (public without feedback, MMA) have no way to get a status."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from regie.accounts.roles import Role
from regie.intake import public, services
from regie.intake.models import Receipt, Reporter, Signal
from tests.conftest import as_user, verified_client

from .conftest import secrets_on_page

TEXT = "In de garage aan de Kade wordt elke avond een vrachtwagen gelost; geheim-detail-7781."


def resident(ip="203.0.113.10") -> Client:
    return Client(REMOTE_ADDR=ip)


def report_with_feedback(client=None) -> tuple[str, str]:
    client = client or resident("198.51.100.50")
    response = client.post("/melden/GM9991/", {"text": TEXT, "wants_feedback": "on", "email": "melder@example.org"})
    assert response.status_code == 200
    reference, code = secrets_on_page(response.content.decode())
    return reference, code


def ask(reference, code, client=None):
    return (client or resident()).post("/melden/status/", {"reference": reference, "code": code})


def neutral(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def set_status(reference, status):
    Signal.unscoped.filter(reference=reference).update(status=status)


def test_status_page_is_public(db):
    response = resident().get("/melden/status/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Status van uw melding" in body and 'name="reference"' in body and 'name="code"' in body


@pytest.mark.parametrize(
    "status, shown",
    [
        (Signal.Status.RECEIVED, "ontvangen"),
        (Signal.Status.TRIAGED, "in behandeling"),
        (Signal.Status.ON_AGENDA, "in behandeling"),
        (Signal.Status.IN_CASE, "in behandeling"),
        (Signal.Status.COMBINED, "in behandeling"),
        (Signal.Status.FORWARDED, "afgehandeld"),
        (Signal.Status.CLOSED, "afgehandeld"),
    ],
)
def test_reference_and_code_show_only_the_coarse_status(orgs, status, shown):
    reference, code = report_with_feedback()
    set_status(reference, status)
    response = ask(reference, code)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"is <strong>{shown}</strong>" in body
    assert reference in body
    # nothing of the signal itself
    assert "geheim-detail-7781" not in body and "Kade" not in body and "melder@example.org" not in body
    for detail in ("beoordeeld (ondermijning)", "geagendeerd", "casus", "doorgezet", "gesloten"):
        assert detail not in body


def test_reference_is_forgiving_about_case_and_spaces(orgs):
    reference, code = report_with_feedback()
    assert ask(f"  {reference.lower()} ", f" {code} ").status_code == 200


def test_wrong_combinations_get_one_neutral_answer(orgs):
    reference, code = report_with_feedback()
    other_reference, other_code = report_with_feedback()
    answers = [
        ask(reference, "verkeerde-code"),
        ask("M-2222-2222", code),
        ask(reference, other_code),  # a real code of another report
        ask(other_reference, code),
    ]
    assert {r.status_code for r in answers} == {404}
    bodies = {neutral(r.content.decode()) for r in answers}
    assert len(bodies) == 1, "every miss must look exactly alike"
    assert public.NOT_FOUND in bodies.pop()
    assert "ontvangen" not in neutral(answers[0].content.decode()).split("Status van uw melding", 1)[1].split("<form")[0]


@pytest.mark.parametrize(
    "data",
    [{}, {"reference": "M-2222-2222"}, {"code": "abc"}, {"reference": "x" * 25, "code": "abc"}, {"reference": "M", "code": "c" * 65}],
)
def test_incomplete_input_is_a_dutch_400(orgs, data):
    response = resident().post("/melden/status/", data)
    assert response.status_code == 400
    assert "Controleer de gemarkeerde velden" in response.content.decode()


def test_status_lookups_are_rate_limited_apart_from_submissions(orgs, settings):
    reference, code = report_with_feedback(resident())  # one submission from the same address
    client = resident()
    for _ in range(settings.REGIE_PUBLIC_RATE_LIMIT):
        assert ask("M-2222-2222", "raden", client).status_code == 404
    response = ask(reference, code, client)  # even the right code is refused now
    assert response.status_code == 429
    assert "Te veel verzoeken" in response.content.decode()
    assert ask(reference, code, resident("198.51.100.99")).status_code == 200


def test_status_page_refuses_other_methods(db):
    assert resident().delete("/melden/status/").status_code == 405


# --- anonymous reporters have no way to a status -----------------------------------------------

def test_public_report_without_feedback_has_no_status(orgs):
    response = resident().post("/melden/GM9991/", {"text": TEXT})
    (reference,) = secrets_on_page(response.content.decode())
    assert "kunnen wij u niet laten weten" in response.content.decode()
    assert not Reporter.objects.exists()
    for code in ("", "x", reference):
        assert services.public_status(reference, code) is None
    missing = ask("M-2222-2222", "iets")
    attempt = ask(reference, "iets")
    assert attempt.status_code == 404
    assert neutral(attempt.content.decode()) == neutral(missing.content.decode())


def test_mma_report_is_anonymous_even_with_reporter_details(orgs, make_user):
    coordinator = make_user(role=Role.COORDINATOR, org=orgs["a"])
    client = verified_client(coordinator)
    response = client.post("/signalen/nieuw/", {
        "channel": "mma", "text": "Tip via Meld Misdaad Anoniem over een woning", "hardness": "indicatie",
        "severity": "midden", "reporter_name": "Iemand", "reporter_contact": "iemand@example.org",
    })
    assert response.status_code == 302, response.content.decode()
    signal = Signal.unscoped.get()
    assert signal.channel == "mma" and signal.anonymous
    assert not Reporter.objects.exists() and not Receipt.objects.exists()
    assert services.public_status(signal.reference, "") is None
    assert ask(signal.reference, "iets").status_code == 404
    # and nobody has it under "Mijn meldingen", not even the one who registered it
    page = client.get("/mijn-meldingen/").content.decode()
    table = page[page.index("<table"):page.index("</table>")]
    assert signal.reference not in table and "U heeft nog niets gemeld" in table


def test_anonymous_reporter_row_never_yields_a_status(orgs):
    """Even a reporter row with a code on an anonymous signal (e.g. an import) gives nothing."""
    with as_user(None):
        registered = services.register(orgs["a"], services.SignalInput(
            channel="public", text=TEXT, reporter=services.ReporterInput(email="a@example.org", wants_feedback=True),
        ))
    assert registered.feedback_code
    Signal.unscoped.filter(pk=registered.signal.pk).update(anonymous=True)
    assert services.public_status(registered.signal.reference, registered.feedback_code) is None
    assert ask(registered.signal.reference, registered.feedback_code).status_code == 404


# --- internal reporters: /mijn-meldingen/ shows only their own reports --------------------------

def test_employee_sees_only_his_own_reports(orgs, make_user):
    jan = make_user(role=Role.MEDEWERKER, org=orgs["a"])
    piet = make_user(role=Role.MEDEWERKER, org=orgs["a"])
    elders = make_user(role=Role.MEDEWERKER, org=orgs["b"])
    clients = {u: verified_client(u) for u in (jan, piet, elders)}
    refs = {}
    for user, client in clients.items():
        response = client.post("/meld-een-vermoeden/", {"text": f"Melding van {user.username}: {TEXT}"})
        assert response.status_code == 200
        (refs[user],) = secrets_on_page(response.content.decode())
    for user, client in clients.items():
        page = client.get("/mijn-meldingen/").content.decode()
        assert refs[user] in page
        for other, reference in refs.items():
            if other != user:
                assert reference not in page
        assert "1 melding" in page
        assert TEXT not in page  # status only, never content
    # status follows the signal, in the three words only
    coordinator = make_user(role=Role.COORDINATOR, org=orgs["a"])
    signal = Signal.unscoped.get(reference=refs[jan])
    with as_user(coordinator) as access:
        services.decide_triage(access, signal, label="niet", route="sluiten", reason="geen aanwijzingen")
    page = clients[jan].get("/mijn-meldingen/").content.decode()
    assert "afgehandeld" in page and "gesloten" not in page and "geen aanwijzingen" not in page
    assert "ontvangen" in clients[piet].get("/mijn-meldingen/").content.decode()


def test_employee_cannot_use_the_public_status_page_for_an_internal_report(orgs, make_user):
    user = make_user(role=Role.MEDEWERKER, org=orgs["a"])
    response = verified_client(user).post("/meld-een-vermoeden/", {"text": TEXT})
    (reference,) = secrets_on_page(response.content.decode())
    assert Reporter.objects.get().feedback_code_hash == ""
    assert ask(reference, "x").status_code == 404


def test_employee_cannot_open_the_signal_he_reported(orgs, make_user):
    user = make_user(role=Role.MEDEWERKER, org=orgs["a"])
    client = verified_client(user)
    client.post("/meld-een-vermoeden/", {"text": TEXT})
    signal = Signal.unscoped.get()
    assert client.get(f"/signalen/{signal.pk}/").status_code == 403
