"""Signal record, channels (Meld een vermoeden, partner API), themes and status history."""

import re

import pytest
from django.core.exceptions import ValidationError

from regie.accounts.access import access_for_user
from regie.audit.models import AuditEntry
from regie.intake import services
from regie.intake.models import Receipt, Signal, SignalEvent, SignalSubject, Theme
from regie.subjects.models import Address, Person
from tests.conftest import token_client, verified_client

from .conftest import purpose_client


def _register(org, **kwargs):
    kwargs.setdefault("channel", "counter")
    kwargs.setdefault("text", "Verdachte situatie bij een loods")
    return services.register(org, services.SignalInput(**kwargs)).signal


def test_signal_keeps_every_field_of_the_record(town):
    a = town["orgs"]["a"]
    signal = _register(
        a, channel="mma", text="Hennepgeur en veel bezoek", anonymous=True, reported_on=__import__("datetime").date(2026, 3, 1),
        address=services.AddressInput(postcode="1234ab", house_number=12, house_letter="a", street="Kerkstraat"),
        theme_codes=["drugs-productie", "witwassen"], hardness="feit", severity="hoog",
        mentions=[
            services.MentionInput(kind="persoon", name="Jan van der Berg", birth_date=__import__("datetime").date(1980, 2, 1)),
            services.MentionInput(kind="bedrijf", name="Autohandel X B.V.", kvk_number="12345678"),
            services.MentionInput(kind="voertuig", plate="12-abc-3"),
        ],
    )
    assert signal.reference.startswith("M-") and len(signal.reference) == 11
    assert signal.owner == a and signal.channel == "mma" and signal.anonymous
    assert signal.address.postcode == "1234AB" and signal.address.house_letter == "A"
    assert sorted(t.code for t in signal.themes.all()) == ["drugs-productie", "witwassen"]
    assert (signal.hardness, signal.severity) == ("feit", "hoog")
    kinds = sorted((m.person_id is not None, m.company_id is not None, m.vehicle_plate) for m in signal.mentions.all())
    assert (False, False, "12ABC3") in kinds
    person = Person.unscoped.get(surname="Berg")
    assert (person.first_names, person.surname_prefix) == ("Jan", "van der")
    assert list(signal.events.values_list("kind", flat=True)) == [SignalEvent.Kind.RECEIVED]
    assert AuditEntry.objects.filter(action="create", object_type="intake.signal", object_id=str(signal.pk)).exists()


def test_mentions_link_to_existing_subjects_by_identifier_and_normalised_name(town):
    a = town["orgs"]["a"]
    known = Person.objects.create(owner=a, first_names="Jan", surname_prefix="van der", surname="Berg", bsn="999990019")
    by_bsn = _register(a, mentions=[services.MentionInput(kind="persoon", name="J. Berg", bsn="999990019")])
    by_name = _register(a, mentions=[services.MentionInput(kind="persoon", name="  jan VAN DER berg ")])
    assert SignalSubject.objects.get(signal=by_bsn).person == known
    assert SignalSubject.objects.get(signal=by_bsn).method == "bsn"
    assert SignalSubject.objects.get(signal=by_name).person == known
    assert SignalSubject.objects.get(signal=by_name).method == "naam"
    # the same name in another municipality is another person: no cross-tenant linking
    b_signal = _register(town["orgs"]["b"], mentions=[services.MentionInput(kind="persoon", name="Jan van der Berg")])
    assert SignalSubject.objects.get(signal=b_signal).person.owner == town["orgs"]["b"]
    assert SignalSubject.objects.get(signal=b_signal).method == "nieuw"


def test_address_resolves_to_existing_row(town):
    a = town["orgs"]["a"]
    first = _register(a, address=services.AddressInput(postcode="1234 AB", house_number=5, addition="bis"))
    second = _register(a, address=services.AddressInput(postcode="1234AB", house_number=5, addition="BIS"))
    assert first.address_id == second.address_id
    assert Address.unscoped.filter(owner=a).count() == 1


def test_theme_catalogue_is_extended_by_the_functioneel_beheerder(town):
    client = verified_client(town["beheerder"])
    response = client.post("/signalen/regels/", {"what": "theme", "thema-name": "Ondermijnende drugsopslag", "thema-group": "Drugs"})
    assert response.status_code == 302
    theme = Theme.objects.get(code="ondermijnende-drugsopslag")
    assert theme.organisation == town["orgs"]["a"]
    signal = _register(town["orgs"]["a"], theme_codes=["ondermijnende-drugsopslag"])
    assert list(signal.themes.all()) == [theme]
    # another municipality cannot use A's own theme
    with pytest.raises(ValidationError):
        _register(town["orgs"]["b"], theme_codes=["ondermijnende-drugsopslag"])
    assert Signal.unscoped.filter(owner=town["orgs"]["b"]).count() == 0


def test_standard_catalogue_has_the_themes_of_the_issue(db):
    codes = set(Theme.objects.filter(organisation__isnull=True).values_list("code", flat=True))
    for code in ["drugs-productie", "drugs-handel", "drugs-dealen", "mensenhandel", "arbeidsuitbuiting", "seksuele-uitbuiting",
                 "illegale-prostitutie", "witwassen", "zorgfraude", "vastgoed", "autobranche", "horeca", "bedrijventerreinen",
                 "explosies-geweld", "jonge-aanwas", "uitkeringsfraude", "overig"]:
        assert code in codes


# --- channel (a): Meld een vermoeden ---------------------------------------------------------

def test_employee_reports_a_suspicion_and_gets_a_reference(town):
    client = verified_client(town["medewerker"])
    response = client.post("/meld-een-vermoeden/", {"text": "Aanvrager betaalt leges contant met grote bedragen", "person_name": "Piet de Vries"})
    assert response.status_code == 200
    signal = Signal.unscoped.get()
    assert signal.reference in response.content.decode()
    assert signal.channel == "internal" and signal.owner == town["orgs"]["a"]
    assert Receipt.objects.get(signal=signal).user == town["medewerker"]
    assert signal.reporter.user == town["medewerker"]


def test_boa_observation_is_registered_on_the_boa_channel(town):
    verified_client(town["boa"]).post("/meld-een-vermoeden/", {"text": "Acht matrassen in een bedrijfspand gezien"})
    assert Signal.unscoped.get().channel == "boa"


def test_employee_sees_only_the_status_of_his_own_reports(town):
    c1, c2 = verified_client(town["medewerker"]), verified_client(town["medewerker2"])
    c1.post("/meld-een-vermoeden/", {"text": "Eerste melding over een pand"})
    c2.post("/meld-een-vermoeden/", {"text": "Tweede melding over iets anders"})
    mine, theirs = Signal.unscoped.order_by("pk")
    page = c1.get("/mijn-meldingen/").content.decode()
    assert mine.reference in page and theirs.reference not in page
    assert "ontvangen" in page and "Eerste melding" not in page  # status only, no content
    # and no access to the signals themselves
    assert c1.get("/signalen/").status_code == 403
    assert c1.get(f"/signalen/{mine.pk}/").status_code == 403


def test_suspicion_form_rejects_bad_input_in_dutch_and_writes_nothing(town):
    client = verified_client(town["medewerker"])
    response = client.post("/meld-een-vermoeden/", {"text": "", "postcode": "12345", "house_number": "3"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Geen geldige postcode" in body
    assert Signal.unscoped.count() == 0
    response = client.post("/meld-een-vermoeden/", {"text": "iets", "postcode": "1234AB"})
    assert response.status_code == 400 and "zowel de postcode als het huisnummer" in response.content.decode()
    assert Signal.unscoped.count() == 0


def test_partner_users_cannot_use_the_municipal_form(town):
    assert verified_client(town["partner"]).get("/meld-een-vermoeden/").status_code == 403


# --- channel (d): partner API ----------------------------------------------------------------

def test_partner_delivers_a_signal_through_the_api(town):
    api = token_client(town["partner"])
    payload = {
        "gemeente": town["orgs"]["a"].pk,
        "omschrijving": "Drugslab aangetroffen in schuur",
        "adres": {"postcode": "1234 AB", "huisnummer": 7},
        "themas": ["drugs-productie"],
        "subjecten": [{"soort": "persoon", "naam": "Kees de Boer", "bsn": "999990019"}, {"soort": "voertuig", "kenteken": "AB-123-C"}],
    }
    response = api.post("/api/v1/signalen/", payload, format="json")
    assert response.status_code == 201, response.json()
    signal = Signal.unscoped.get(reference=response.json()["kenmerk"])
    assert signal.channel == "partner" and signal.source_organisation == town["orgs"]["politie"]
    assert signal.owner == town["orgs"]["a"] and signal.suggested_label == "ondermijning"
    # the partner may follow its own contribution, and sees nothing else
    listed = api.get("/api/v1/signalen/").json()
    assert [row["id"] for row in listed["results"]] == [signal.pk]


def test_partner_cannot_deliver_outside_its_region(town):
    api = token_client(town["partner"])
    response = api.post("/api/v1/signalen/", {"gemeente": town["orgs"]["b"].pk, "omschrijving": "iets"}, format="json")
    assert response.status_code == 400 and "gedeelde regio" in str(response.json())
    assert Signal.unscoped.count() == 0


@pytest.mark.parametrize(
    "change, message",
    [
        ({"subjecten": [{"soort": "persoon", "naam": "X", "bsn": "123456789"}]}, "burgerservicenummer"),
        ({"subjecten": [{"soort": "bedrijf", "naam": "X", "kvk_nummer": "12AB"}]}, "KvK"),
        ({"adres": {"postcode": "ABCD 12", "huisnummer": 1}}, "postcode"),
        ({"themas": ["bestaat-niet"]}, "Onbekend thema"),
        ({"omschrijving": ""}, "omschrijving"),
    ],
)
def test_partner_api_bad_input_is_a_400_and_writes_nothing(town, change, message):
    api = token_client(town["partner"])
    payload = {"gemeente": town["orgs"]["a"].pk, "omschrijving": "Verdachte loods", **change}
    response = api.post("/api/v1/signalen/", payload, format="json")
    assert response.status_code == 400
    assert message.lower() in str(response.json()).lower()
    assert Signal.unscoped.count() == 0
    assert Person.unscoped.count() == 0


def test_roles_without_signals_cannot_deliver_or_read(town, make_user):
    from regie.accounts.roles import Role

    bibob = make_user(role=Role.BIBOB, org=town["orgs"]["a"])
    api = token_client(bibob)
    assert api.post("/api/v1/signalen/", {"gemeente": town["orgs"]["a"].pk, "omschrijving": "x"}, format="json").status_code == 403
    assert api.get("/api/v1/signalen/").status_code == 403


def test_other_municipality_signal_is_a_404_in_ui_and_api(town):
    a_signal = _register(town["orgs"]["a"])
    client = verified_client(town["coordinator_b"])
    missing = client.get("/signalen/999999/")
    forbidden = client.get(f"/signalen/{a_signal.pk}/")
    assert forbidden.status_code == missing.status_code == 404
    strip = lambda r: re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", r.content)  # noqa: E731
    assert strip(forbidden) == strip(missing)
    api = token_client(town["coordinator_b"])
    assert api.get(f"/api/v1/signalen/{a_signal.pk}/").status_code == 404
    assert client.post(f"/signalen/{a_signal.pk}/beoordelen/", {"label": "niet", "route": "sluiten", "reason": "test test"}).status_code == 404


def test_status_history_records_each_step(town):
    signal = _register(town["orgs"]["a"], text="hennep op zolder")
    access = access_for_user(town["coordinator"])
    services.decide_triage(access, signal, label="ondermijning", route="overleg")
    services.record_milestone(signal, "geagendeerd")
    kinds = list(signal.events.values_list("kind", flat=True))
    assert kinds == ["ontvangen", "beoordeeld", "geagendeerd"]


def test_partner_sees_its_own_contribution_but_not_what_the_municipality_added(town):
    api = token_client(town["partner"])
    response = api.post("/api/v1/signalen/", {"gemeente": town["orgs"]["a"].pk, "omschrijving": "Loods met hennepgeur"}, format="json")
    signal = Signal.unscoped.get(pk=response.json()["id"])
    # the municipality links someone to it
    SignalSubject.objects.create(signal=signal, person=Person.objects.create(owner=town["orgs"]["a"], surname="Geheim"), method="handmatig")
    client = purpose_client(town["partner"], signal)
    body = client.get(f"/signalen/{signal.pk}/").content.decode()
    assert "Loods met hennepgeur" in body and "Geheim" not in body and "Wat weten we al" not in body


def test_partner_api_view_hides_the_municipalitys_triage(town):
    api = token_client(town["partner"])
    response = api.post("/api/v1/signalen/", {"gemeente": town["orgs"]["a"].pk, "omschrijving": "hennep in loods", "themas": ["drugs-productie"]}, format="json")
    assert response.status_code == 201
    row = api.get("/api/v1/signalen/").json()["results"][0]
    assert row["suggested_label"] == "" and row["suggested_route"] == "" and row["themas"] == []
    own = token_client(town["coordinator"]).get("/api/v1/signalen/").json()["results"][0]
    assert own["suggested_label"] == "ondermijning" and own["themas"] == ["drugs-productie"]


def test_public_form_and_partner_signals_get_the_buurt_of_their_postcode(town, client):
    from regie.areas.models import Buurt, Wijk

    a = town["orgs"]["a"]
    wijk = Wijk.objects.create(owner=a, code="WK999101", name="Centrum", confidentiality=1)
    buurt = Buurt.objects.create(owner=a, wijk=wijk, code="BU99910101", name="Centrum Noord", postcode_areas="1234,1235", confidentiality=1)
    # no access context at all (public form, import)
    signal = _register(a, address=services.AddressInput(postcode="1234AB", house_number=1))
    assert signal.buurt == buurt and signal.address.buurt == buurt
    # a partner's delivery
    api = token_client(town["partner"])
    response = api.post("/api/v1/signalen/", {"gemeente": a.pk, "omschrijving": "x", "adres": {"postcode": "1235 CD", "huisnummer": 2}}, format="json")
    assert Signal.unscoped.get(pk=response.json()["id"]).buurt == buurt
