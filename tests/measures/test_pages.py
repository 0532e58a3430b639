"""The measure pages through HTTP: register, create from a case, steps, calendar, start page,
tenancy (404), need-to-know (403), the purpose gate, and bad input with a Dutch message."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.accounts.access import access_for_user
from regie.accounts.models import Assignment
from regie.audit.models import AuditEntry
from regie.cases import services as cases
from regie.measures import services
from regie.measures.models import Measure, MeasureStep
from regie.subjects.models import Address
from tests.conftest import verified_client
from tests.measures.conftest import WEIGHING, closure, domain, kind, measure

TODAY = timezone.localdate()


def steps_url(m, kind=""):
    return reverse("measures:step", args=[m.pk]) + (f"?soort={kind}" if kind else "")


def test_the_register_lists_the_municipalitys_measures_and_is_logged(town, access):
    mine = measure(access, town["orgs"]["a"])
    other = measure(access_for_user(town["jurist_b"]), town["orgs"]["b"], description="Loods Bedorp")
    response = verified_client(town["burgemeester"]).get(reverse("measures:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert mine.reference in page and "Loods Bedorp" not in page and other.reference == mine.reference  # numbered per municipality
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.LIST, object_type="measures.measure").latest("seq")
    assert entry.detail["shown"] == [mine.pk]
    filtered = verified_client(town["jurist"]).get(reverse("measures:list") + f"?soort={kind(town['orgs']['a'], 'waarschuwing').pk}")
    assert mine.reference not in filtered.content.decode()


@pytest.mark.parametrize("role", ["boa", "bibob", "partner", "privacy", "raadslid", "beheerder"])
def test_roles_without_the_need_to_know_are_refused(town, access, role):
    m = measure(access, town["orgs"]["a"])
    client = verified_client(town[role])
    assert client.get(reverse("measures:list")).status_code == 403
    assert client.get(reverse("measures:detail", args=[m.pk])).status_code == 403
    assert client.get(reverse("measures:calendar")).status_code == 403


def test_another_municipality_gets_404_as_for_a_missing_measure(town, access):
    m = measure(access, town["orgs"]["a"])
    client = verified_client(town["jurist_b"])
    for name in ("measures:detail", "measures:edit", "measures:step"):
        assert client.get(reverse(name, args=[m.pk])).status_code == 404
        assert client.get(reverse(name, args=[m.pk + 999])).status_code == 404
    assert client.post(steps_url(m), {"soort": "rapportage", "on": "2025-01-02", "source": "politie"}).status_code == 404
    assert not MeasureStep.objects.filter(measure=m).exists()


def test_a_measure_above_the_clearance_is_not_found(town, access):
    secret = measure(access_for_user(town["coordinator"]), town["orgs"]["a"], confidentiality=7)  # jurist: clearance 6
    assert verified_client(town["jurist"]).get(reverse("measures:detail", args=[secret.pk])).status_code == 404
    assert verified_client(town["coordinator"]).get(reverse("measures:detail", args=[secret.pk])).status_code == 200


def test_readers_see_but_do_not_change(town, access):
    m = measure(access, town["orgs"]["a"])
    Assignment.objects.create(user=town["analist"], content_type_id=_ct(), object_id=m.pk)
    client = verified_client(town["analist"])
    page = client.get(reverse("measures:detail", args=[m.pk]))
    assert page.status_code == 200 and "Stap vastleggen" not in page.content.decode()
    assert client.get(steps_url(m, "rapportage")).status_code == 403
    assert client.get(reverse("measures:create")).status_code == 403


def _ct():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Measure).pk


def test_an_unassigned_reader_states_a_purpose_first(town, access):
    m = measure(access, town["orgs"]["a"])
    response = verified_client(town["burgemeester"]).get(reverse("measures:detail", args=[m.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("audit:purpose"))
    coordinator = verified_client(town["coordinator"])
    assert coordinator.get(steps_url(m, "rapportage"))["Location"].startswith(reverse("audit:purpose"))


def test_the_jurist_creates_a_measure_from_a_case_and_walks_its_steps(town, access):
    a = town["orgs"]["a"]
    coordinator = access_for_user(town["coordinator"])
    address = Address.unscoped.create(owner=a, street="Kanaalweg", house_number=12, postcode="1234AB", city="Aastad")
    case = cases.open_case(coordinator, title="Hennepkwekerij Kanaalweg 12", subjects=[address], themes=["drugs-productie"])
    client = verified_client(town["jurist"])
    form = client.get(reverse("measures:create") + f"?casus={case.pk}")
    assert form.status_code == 302 and "/doel/" in form["Location"]  # the jurist is not assigned to the case
    Assignment.objects.create(user=town["jurist"], content_type_id=_case_ct(), object_id=case.pk)
    form = client.get(reverse("measures:create") + f"?casus={case.pk}")
    page = form.content.decode()
    assert form.status_code == 200 and case.reference in page and 'value="1234AB 12"' in page
    assert f'<option value="{domain(a, "drugspanden").pk}" selected>' in page  # from the case's theme
    response = client.post(reverse("measures:create") + f"?casus={case.pk}", {
        "kind": kind(a, "sluiting-13b").pk, "domain": domain(a, "drugspanden").pk, "description": "Hennepkwekerij Kanaalweg 12",
        "case_reference": case.reference, "address": "1234 ab 12", "confidentiality": 4, "closure_months": 3, **WEIGHING,
    })
    m = Measure.objects.visible_to(access).get()
    assert response.status_code == 302 and response["Location"] == reverse("measures:detail", args=[m.pk])
    assert (m.case, m.address, m.closure_months) == (case, address, 3)
    start = TODAY - timedelta(days=40)
    for kind_, data in (("rapportage", {"source": "politie"}), ("voornemen", {}), ("zienswijze", {"note": "Geen bezwaar."})):
        start += timedelta(days=3)
        assert client.post(steps_url(m), {"soort": kind_, "on": start.isoformat(), **data}).status_code == 302
    # the decision before the rapportage: refused with a clear message, nothing written
    early = client.post(steps_url(m), {"soort": "besluit", "on": (TODAY - timedelta(days=60)).isoformat()})
    assert early.status_code == 400
    assert "ligt vóór de stap ‘zienswijze’" in early.content.decode()
    decided = client.post(steps_url(m), {"soort": "besluit", "on": (TODAY - timedelta(days=20)).isoformat(), "closure_months": 3})
    assert decided.status_code == 302
    client.post(steps_url(m), {"soort": "uitvoering", "on": (TODAY - timedelta(days=18)).isoformat(), "note": "Verzegeld"})
    detail = client.get(reverse("measures:detail", args=[m.pk])).content.decode()
    assert "Heropening (einde sluiting)" in detail and "loopt" in detail
    assert list(MeasureStep.objects.filter(measure=m).values_list("kind", flat=True)) == [
        "rapportage", "voornemen", "zienswijze", "besluit", "uitvoering"]
    timeline = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f"Maatregel {m.reference}" in timeline and "uitvoering op" in timeline


def _case_ct():
    from django.contrib.contenttypes.models import ContentType

    from regie.cases.models import Case

    return ContentType.objects.get_for_model(Case).pk


def test_the_step_form_offers_only_the_allowed_steps(town, access):
    m = closure(access, town["orgs"]["a"])
    client = verified_client(town["jurist"])
    choice = client.get(steps_url(m)).content.decode()
    assert "?soort=rapportage" in choice and "?soort=voornemen" in choice and "?soort=besluit" not in choice
    refused = client.post(steps_url(m), {"soort": "besluit", "on": TODAY.isoformat()})
    assert refused.status_code == 400
    assert "Een maatregel begint met een bestuurlijke rapportage of een voornemen." in refused.content.decode()
    assert client.get(steps_url(m, "onzin")).status_code == 302


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "sluiting-13b", "closure_months": 3}, "Een sluiting zonder afweging kan niet worden besloten"),
        ({"kind": "last-onder-dwangsom"}, "Een last onder dwangsom heeft een bedrag nodig."),
        ({"kind": "last-onder-dwangsom", "penalty_amount": "2500"}, "Een last onder dwangsom heeft een begunstigingstermijn nodig."),
    ],
)
def test_bad_decisions_are_refused_with_a_clear_message(town, access, fields, message):
    a = town["orgs"]["a"]
    m = measure(access, a, kind_code=fields.pop("kind"))
    services.add_step(access, m, "voornemen", on=TODAY - timedelta(days=30))
    response = verified_client(town["jurist"]).post(steps_url(m), {"soort": "besluit", "on": TODAY.isoformat(), **fields})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MeasureStep.objects.filter(measure=m, kind="besluit").exists()


def test_bad_input_on_the_create_form(town):
    a = town["orgs"]["a"]
    client = verified_client(town["jurist"])
    response = client.post(reverse("measures:create"), {
        "kind": kind(a, "waarschuwing").pk, "domain": domain(a, "drugspanden").pk, "description": "x",
        "case_reference": "CAS-1999-0001", "address": "straat 12", "confidentiality": 4,
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "Schrijf het adres als postcode en huisnummer" in page
    response = client.post(reverse("measures:create"), {
        "kind": kind(town["orgs"]["b"], "waarschuwing").pk, "domain": domain(a, "drugspanden").pk, "description": "x",
        "confidentiality": 4,
    })
    assert response.status_code == 400 and "Selecteer een geldige keuze" in response.content.decode()
    response = client.post(reverse("measures:create"), {
        "kind": kind(a, "waarschuwing").pk, "domain": domain(a, "drugspanden").pk, "description": "Pand",
        "case_reference": "CAS-1999-0001", "confidentiality": 4,
    })
    assert "Onbekende casus: CAS-1999-0001." in response.content.decode()
    assert not Measure.objects.visible_to(access_for_user(town["jurist"])).exists()


def test_calendar_and_start_page_show_due_and_overdue_terms(town, access):
    a = town["orgs"]["a"]
    late = closure(access, a, description="Woning Dijkstraat 4")
    services.add_step(access, late, "rapportage", on=TODAY - timedelta(days=40), source="politie")
    services.add_step(access, late, "voornemen", on=TODAY - timedelta(days=30))  # zienswijze ended 16 days ago
    soon = closure(access, a, description="Loods Havenweg 9")
    services.add_step(access, soon, "voornemen", on=TODAY - timedelta(days=4))  # ends in 10 days
    client = verified_client(town["jurist"])
    agenda = client.get(reverse("measures:calendar") + f"?maand={(TODAY + timedelta(days=10)):%Y-%m}").content.decode()
    overdue_part, month_part = agenda.split('id="maand"')
    assert "Woning Dijkstraat 4" in overdue_part and "Loods Havenweg 9" in month_part
    start = client.get(reverse("web:start")).content.decode()
    assert "Termijnen maatregelen" in start and "Woning Dijkstraat 4" in start and "over termijn" in start
    assert "Loods Havenweg 9" in start
    assert "Termijnen maatregelen" in verified_client(town["coordinator"]).get(reverse("web:start")).content.decode()
    assert "Termijnen maatregelen" not in verified_client(town["analist"]).get(reverse("web:start")).content.decode()
    assert "Woning Dijkstraat 4" not in verified_client(town["jurist_b"]).get(reverse("measures:calendar")).content.decode()
    assert verified_client(town["jurist"]).get(reverse("measures:calendar") + "?maand=nonsens").status_code == 200


def test_the_menu_shows_maatregelen_to_who_needs_them(town):
    for role, expected in (("jurist", "Maatregelen"), ("burgemeester", "Maatregelen"), ("raadslid", "Jaartabellen maatregelen"),
                           ("beheerder", "Maatregelcatalogus")):
        page = verified_client(town[role]).get(reverse("web:start")).content.decode()
        assert expected in page, role
    assert "Maatregelen" not in verified_client(town["boa"]).get(reverse("web:start")).content.decode()


def test_editing_a_measure_is_audited_and_fixed_fields_stay(town, access):
    a = town["orgs"]["a"]
    m = closure(access, a)
    client = verified_client(town["jurist"])
    form = client.get(reverse("measures:edit", args=[m.pk]))
    assert form.status_code == 200
    data = {"kind": m.kind_id, "domain": m.domain_id, "description": "Hennepkwekerij Kanaalweg 12 achter",
            "confidentiality": 4, "closure_months": 6, **WEIGHING}
    assert client.post(reverse("measures:edit", args=[m.pk]), data).status_code == 302
    m.refresh_from_db()
    assert (m.description, m.closure_months) == ("Hennepkwekerij Kanaalweg 12 achter", 6)
    entry = AuditEntry.objects.filter(object_type="measures.measure", action=AuditEntry.Action.UPDATE).get()
    assert entry.detail["fields"] == ["closure_months", "description"]
    services.add_step(access, m, "rapportage", on=date(2025, 1, 6), source="politie")
    services.add_step(access, m, "besluit", on=date(2025, 1, 7), urgent=True, note="Wapens gevonden, direct gevaar voor omwonenden.")
    refused = client.post(reverse("measures:edit", args=[m.pk]), {**data, "closure_months": 12})
    assert refused.status_code == 400 and "ligt vast" in refused.content.decode()
