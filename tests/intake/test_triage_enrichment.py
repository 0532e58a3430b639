"""Triage before the meeting, 'wat weten we al', hit/no-hit, combining and the lead-time clock."""

from datetime import datetime, timedelta, timezone

import pytest
from django.core.exceptions import ValidationError

from regie.accounts.access import access_for_user
from regie.audit.models import AuditEntry
from regie.intake import enrichment, services, triage
from regie.intake.leadtimes import lead_times
from regie.intake.models import HitQuestion, Signal, TriageRule
from tests.conftest import verified_client

from .conftest import purpose_client


def _register(org, text="Verdacht", **kwargs):
    kwargs.setdefault("channel", "counter")
    return services.register(org, services.SignalInput(text=text, **kwargs)).signal


# --- triage: pure rules ----------------------------------------------------------------------

def test_suggestion_explains_itself():
    rules = [triage.Rule("woord", "hennep", "ondermijning", "overleg", 3), triage.Rule("woord", "vuurwerk", "niet", "politie", 3)]
    s = triage.suggest("Sterke HENNÉPgeur", [], "mma", rules)
    assert (s.label, s.route) == ("ondermijning", "overleg")
    assert s.reasons == ["trefwoord “hennep” wijst op ondermijningsgerelateerd (gewicht 3)"]
    s = triage.suggest("Vuurwerkoverlast in de straat", [], "mma", rules)
    assert (s.label, s.route) == ("niet", "politie")


def test_conflicting_or_missing_rules_give_unknown():
    rules = [triage.Rule("woord", "hennep", "ondermijning", weight=2), triage.Rule("woord", "vuurwerk", "niet", weight=2)]
    assert triage.suggest("hennep en vuurwerk", [], "x", rules).label == "onbekend"
    nothing = triage.suggest("niets bijzonders", [], "x", rules)
    assert nothing.label == "onbekend" and nothing.reasons == ["geen enkele regel herkende dit signaal"]


def test_theme_and_channel_rules_count():
    rules = [triage.Rule("thema", "witwassen", "ondermijning", "overleg", 2), triage.Rule("kanaal", "public", "niet", "", 1)]
    assert triage.suggest("x", ["witwassen"], "public", rules).label == "ondermijning"
    assert triage.suggest("x", [], "public", rules).label == "niet"


def test_fireworks_nuisance_is_suggested_not_subversive_on_registration(town):
    signal = _register(town["orgs"]["a"], text="Melding vuurwerkoverlast bij het winkelcentrum", channel="mma")
    assert signal.suggested_label == "niet"
    assert any("vuurwerk" in reason for reason in signal.suggestion_reasons)


def test_beheerder_edits_rules_and_suggestions_follow(town):
    client = verified_client(town["beheerder"])
    response = client.post("/signalen/regels/", {"what": "rule", "kind": "woord", "value": "nagelstudio", "label": "ondermijning", "route": "overleg", "weight": 5})
    assert response.status_code == 302
    assert _register(town["orgs"]["a"], text="Nieuwe nagelstudio zonder klanten").suggested_label == "ondermijning"
    rule = TriageRule.objects.get(value="nagelstudio")
    client.post("/signalen/regels/", {"what": "toggle", "rule": rule.pk})
    assert _register(town["orgs"]["a"], text="Nieuwe nagelstudio zonder klanten").suggested_label == "onbekend"
    # another municipality's rules are not touched, nor can its beheerder toggle A's rules
    assert not TriageRule.objects.filter(organisation=town["orgs"]["b"], value="nagelstudio").exists()


def test_rules_page_is_refused_to_other_roles(town):
    assert verified_client(town["boa"]).get("/signalen/regels/").status_code == 403
    assert verified_client(town["medewerker"]).get("/signalen/regels/").status_code == 403


def test_person_confirms_and_not_subversive_never_reaches_the_agenda(town):
    a = town["orgs"]["a"]
    fireworks = _register(a, text="vuurwerk")
    hemp = _register(a, text="hennep")
    client = purpose_client(town["coordinator"], fireworks)
    # not-ondermijning without a reason is refused; to the meeting is refused
    client.post(f"/signalen/{fireworks.pk}/beoordelen/", {"label": "niet", "route": "politie", "reason": ""})
    fireworks.refresh_from_db()
    assert fireworks.status == "ontvangen"
    client.post(f"/signalen/{fireworks.pk}/beoordelen/", {"label": "niet", "route": "overleg", "reason": "geen ondermijning"})
    fireworks.refresh_from_db()
    assert fireworks.status == "ontvangen"
    client.post(f"/signalen/{fireworks.pk}/beoordelen/", {"label": "niet", "route": "politie", "reason": "vuurwerkoverlast, naar wijkagent"})
    fireworks.refresh_from_db()
    assert (fireworks.status, fireworks.route, fireworks.close_reason) == ("doorgezet", "politie", "vuurwerkoverlast, naar wijkagent")
    access = access_for_user(town["coordinator"])
    services.decide_triage(access, hemp, label="ondermijning", route="overleg")
    assert list(services.agenda_candidates(access)) == [hemp]
    assert AuditEntry.objects.filter(object_type="intake.signal", object_id=str(fireworks.pk), action="update").exists()


def test_triage_is_only_for_the_kernteam(town):
    signal = _register(town["orgs"]["a"], text="hennep")
    response = verified_client(town["boa"]).post(f"/signalen/{signal.pk}/beoordelen/", {"label": "ondermijning", "route": "overleg"})
    assert response.status_code == 403
    signal.refresh_from_db()
    assert signal.status == "ontvangen"


def test_a_closed_signal_cannot_be_triaged_again(town):
    signal = _register(town["orgs"]["a"], text="vuurwerk")
    access = access_for_user(town["coordinator"])
    services.decide_triage(access, signal, label="niet", route="sluiten", reason="geen ondermijning")
    with pytest.raises(ValidationError):
        services.decide_triage(access, signal, label="ondermijning", route="overleg")


# --- enrichment ------------------------------------------------------------------------------

def test_what_we_know_shows_earlier_signals_on_subject_address_and_building(town):
    a, b = town["orgs"]["a"], town["orgs"]["b"]
    person = services.MentionInput(kind="persoon", name="Kees de Boer")
    old_person = _register(a, mentions=[person])
    old_address = _register(a, address=services.AddressInput(postcode="1234AB", house_number=10, addition="1"))
    old_building = _register(a, address=services.AddressInput(postcode="1234AB", house_number=10, addition="2"))
    elsewhere = _register(a, address=services.AddressInput(postcode="9999ZZ", house_number=1))
    other_town = _register(b, mentions=[person], address=services.AddressInput(postcode="1234AB", house_number=10, addition="1"))
    new = _register(a, mentions=[person], address=services.AddressInput(postcode="1234AB", house_number=10, addition="1"))
    sections = enrichment.what_we_know(access_for_user(town["analist"]), new)
    refs = {item.label.split()[0] for item in sections[0].items}
    assert refs == {old_person.reference, old_address.reference, old_building.reference}
    assert elsewhere.reference not in refs and other_town.reference not in refs
    page = purpose_client(town["analist"], new).get(f"/signalen/{new.pk}/").content.decode()
    assert "Wat weten we al" in page and old_building.reference in page and other_town.reference not in page


def test_hit_no_hit_question_and_answer_are_logged_and_minimal(town):
    a = town["orgs"]["a"]
    signal = _register(a, text="Geheime tekst over de melder", mentions=[services.MentionInput(kind="persoon", name="Kees de Boer")])
    mention = signal.mentions.get()
    client = purpose_client(town["coordinator"], signal)
    response = client.post(f"/signalen/{signal.pk}/bevragen/", {"mention": mention.pk, "partner": town["orgs"]["politie"].pk})
    assert response.status_code == 302
    question = HitQuestion.objects.get()
    assert question.subject_description == "Persoon: Kees de Boer"
    partner = verified_client(town["partner"])
    inbox = partner.get("/signalen/bevragingen/").content.decode()
    assert "Kees de Boer" in inbox and "Geheime tekst" not in inbox and signal.reference not in inbox
    # the partner cannot open the signal itself
    assert partner.get(f"/signalen/{signal.pk}/").status_code == 404
    partner.post(f"/signalen/bevragingen/{question.pk}/antwoord/", {"answer": "niet_interveniëren"})
    question.refresh_from_db()
    assert question.answer == "niet_interveniëren" and question.answered_by == town["partner"]
    assert AuditEntry.objects.filter(object_type="intake.hitquestion", action="create").exists()
    assert AuditEntry.objects.filter(object_type="intake.hitquestion", action="update", detail__answer="niet_interveniëren").exists()
    # answered once only; visible on the signal page for the kernteam
    with pytest.raises(ValidationError):
        enrichment.answer(access_for_user(town["partner"]), question, "hit")
    assert "niet interveniëren zonder overleg" in client.get(f"/signalen/{signal.pk}/").content.decode()


def test_a_partner_cannot_answer_a_question_to_another_partner(town, make_user):
    from regie.accounts.roles import Role
    from regie.organisations.models import Organisation

    fiscus = Organisation.objects.create(name="Belastingdienst Test", kind=Organisation.Kind.BELASTINGDIENST)
    signal = _register(town["orgs"]["a"], mentions=[services.MentionInput(kind="bedrijf", name="Handel BV")])
    question = enrichment.ask_partner(access_for_user(town["coordinator"]), signal, signal.mentions.get(), fiscus)
    response = verified_client(town["partner"]).post(f"/signalen/bevragingen/{question.pk}/antwoord/", {"answer": "hit"})
    assert response.status_code == 404
    question.refresh_from_db()
    assert question.answer == ""
    with pytest.raises(ValidationError):
        enrichment.ask_partner(access_for_user(town["coordinator"]), signal, signal.mentions.get(), town["orgs"]["b"])


# --- combining -------------------------------------------------------------------------------

def test_two_weak_signals_on_one_address_are_shown_together_and_combined(town):
    a = town["orgs"]["a"]
    address = services.AddressInput(postcode="1234AB", house_number=3)
    first = _register(a, text="Veel mannen bezoeken woning", address=address, theme_codes=["illegale-prostitutie"])
    second = _register(a, text="Vrouwen wonen wisselend in pand", address=address, hardness="feit",
                       mentions=[services.MentionInput(kind="persoon", name="Anna Smit")], theme_codes=["mensenhandel"])
    client = purpose_client(town["coordinator"], first)
    page = client.get(f"/signalen/{first.pk}/").content.decode()
    assert second.reference in page and "Samenvoegen met dit signaal" in page
    response = client.post(f"/signalen/{first.pk}/samenvoegen/", {"other": second.pk})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == "samengevoegd" and second.combined_into == first
    assert first.hardness == "feit"
    assert sorted(t.code for t in first.themes.all()) == ["illegale-prostitutie", "mensenhandel"]
    assert first.mentions.filter(person__surname="Smit").exists()
    with pytest.raises(ValidationError):
        services.combine(access_for_user(town["coordinator"]), first, first)


def test_combining_across_municipalities_is_impossible(town):
    a_signal = _register(town["orgs"]["a"])
    b_signal = _register(town["orgs"]["b"])
    client = purpose_client(town["coordinator"], a_signal)
    assert client.post(f"/signalen/{a_signal.pk}/samenvoegen/", {"other": b_signal.pk}).status_code == 404
    b_signal.refresh_from_db()
    assert b_signal.status == "ontvangen"


# --- lead-time clock -------------------------------------------------------------------------

def test_lead_times_are_medians_per_year_from_the_events(town):
    a = town["orgs"]["a"]
    access = access_for_user(town["coordinator"])
    start = datetime(2025, 3, 1, 9, tzinfo=timezone.utc)
    for days_to_triage, days_to_agenda in [(1, 10), (3, 14), (5, 30)]:
        signal = _register(a, text="hennep", received_at=start)
        services.decide_triage(access, signal, label="ondermijning", route="overleg", at=start + timedelta(days=days_to_triage))
        services.record_milestone(signal, "geagendeerd", at=start + timedelta(days=days_to_agenda))
    rows = {(r.year, r.step): r for r in lead_times(access)}
    assert rows[(2025, "ontvangen → beoordeeld")].median_days == 3.0
    assert rows[(2025, "ontvangen → geagendeerd")].median_days == 14.0
    assert rows[(2025, "ontvangen → geagendeerd")].signals == 3
    assert rows[(2025, "ontvangen → besluit")].median_days is None
    # another municipality's signals do not count
    other = access_for_user(town["coordinator_b"])
    assert all(r.signals == 0 for r in lead_times(other, years=[2025]))
