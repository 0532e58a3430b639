"""Issue 4 points 4, 5, 7, 8 and 9: decisions with owner and deadline, postponing, the action
list, escalation to the RIEC, "niet interveniëren zonder overleg", and the feedback loop."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from regie.accounts.access import access_for_user
from regie.audit.models import AuditEntry
from regie.cases.models import Case
from regie.intake.models import Signal, SignalEvent
from regie.meetings import escalation, services
from regie.meetings.models import Action, AgendaItem, Decision, Escalation
from regie.partners import flags
from regie.subjects.models import Person
from tests.conftest import verified_client

from .conftest import signal

pytestmark = pytest.mark.django_db


def prepared(town, *signals):
    services.generate_agenda(town["access"], town["meeting"])
    services.share_agenda(town["access"], town["meeting"])
    return {s.pk: AgendaItem.objects.visible_to(town["access"]).get(meeting=town["meeting"], signal=s) for s in signals}


def later(days=7):
    return timezone.localdate() + timedelta(days=days)


def test_every_decision_kind_needs_what_the_issue_asks(town):
    s = signal(town, "Hennep")
    item = prepared(town, s)[s.pk]
    acc = town["access"]
    with pytest.raises(ValidationError) as err:
        services.decide(acc, item, kind="geen_ondermijning", reason="")
    assert "reden" in str(err.value)
    with pytest.raises(ValidationError) as err:
        services.decide(acc, item, kind="informatie", detail="boas_posten")
    assert "termijn" in str(err.value)
    with pytest.raises(ValidationError) as err:
        services.decide(acc, item, kind="informatie", detail="bibob", deadline=later())
    assert "uitwerking" in str(err.value)
    with pytest.raises(ValidationError) as err:
        services.decide(acc, item, kind="informatie", detail="boas_posten", deadline=timezone.localdate() - timedelta(days=3))
    assert "vóór de datum" in str(err.value)
    with pytest.raises(ValidationError):
        services.decide(acc, item, kind="combineren")  # which case?
    with pytest.raises(ValidationError):
        services.decide(acc, item, kind="nonsens", deadline=later())
    assert not Decision.objects.filter(item=item).exists()  # nothing stored in part


def test_closing_as_not_ondermijning_closes_the_signal_with_the_reason(town):
    s = signal(town, "Toch vuurwerk")
    item = prepared(town, s)[s.pk]
    decision = services.decide(town["access"], item, kind="geen_ondermijning", reason="Betreft vuurwerkoverlast")
    s.refresh_from_db()
    assert s.status == Signal.Status.CLOSED and s.close_reason == "Betreft vuurwerkoverlast"
    assert decision.owner == town["coordinator"] and decision.deadline == timezone.localtime(town["meeting"].starts_at).date()
    assert s.events.filter(kind=SignalEvent.Kind.DECISION).count() == 1
    assert AuditEntry.objects.filter(object_type="meetings.decision", object_id=str(decision.pk), action="create").exists()
    with pytest.raises(ValidationError, match="al besloten"):
        services.decide(town["access"], item, kind="uitstellen", reason="nog een keer")


def test_gathering_information_makes_an_action_for_the_owner_on_his_start_page(town):
    s = signal(town, "Dealen bij de school")
    item = prepared(town, s)[s.pk]
    services.decide(town["access"], item, kind="informatie", detail="boas_posten", owner=town["boa"], deadline=later(3),
                    text="Drie avonden waarnemen")
    action = Action.objects.visible_to(access_for_user(town["boa"])).get()
    assert action.owner_user == town["boa"] and action.due_on == later(3)
    html = verified_client(town["boa"]).get("/start/").content.decode()
    assert "Drie avonden waarnemen" in html
    # the action list of the meeting, per owner
    html = verified_client(town["coordinator"]).get(f"/overleggen/{town['meeting'].pk}/acties/").content.decode()
    assert "Bram Jansen" in html and later(3).strftime("%d-%m-%Y") in html


def test_a_boa_sees_only_his_own_actions(town, make_user):
    s1, s2 = signal(town, "Een", number=1), signal(town, "Twee", number=2, person="Ander Persoon")
    items = prepared(town, s1, s2)
    other_boa = make_user(role="boa", org=town["orgs"]["a"])
    services.decide(town["access"], items[s1.pk], kind="informatie", detail="boas_posten", owner=town["boa"], deadline=later())
    services.decide(town["access"], items[s2.pk], kind="informatie", detail="boas_posten", owner=other_boa, deadline=later())
    mine = Action.objects.visible_to(town["access"]).get(owner_user=town["boa"])
    theirs = Action.objects.visible_to(town["access"]).get(owner_user=other_boa)
    client = verified_client(town["boa"])
    assert client.get(f"/overleggen/acties/{theirs.pk}/").status_code == 404
    response = client.get(f"/overleggen/acties/{mine.pk}/")
    assert response.status_code in (200, 302)  # 302: the purpose form first


def test_postponing_is_explicit_and_twice_is_flagged(town):
    s = signal(town, "Steeds doorgeschoven")
    item = prepared(town, s)[s.pk]
    with pytest.raises(ValidationError):
        services.decide(town["access"], item, kind="uitstellen")  # a reason is required
    services.decide(town["access"], item, kind="uitstellen", reason="Politie moet eerst navragen")
    services.close_meeting(town["access"], town["meeting"])
    second = services.plan_meeting(town["access"], town["forum"], timezone.now() + timedelta(days=16))
    services.generate_agenda(town["access"], second)
    again = AgendaItem.objects.visible_to(town["access"]).get(meeting=second, signal=s)
    assert again.postponements == 1
    assert "uitstellen (Politie moet eerst navragen)" in " ".join(again.snapshot["besluiten"])
    # closing without discussing it postpones it explicitly, with a reason
    assert services.close_meeting(town["access"], second) == 1
    assert Decision.objects.get(item=again).reason == services.NOT_DISCUSSED
    flagged = services.often_postponed(town["access"])
    assert [row["count"] for row in flagged] == [2]
    html = verified_client(town["coordinator"]).get("/start/").content.decode()
    assert "Twee keer of vaker uitgesteld" in html and s.reference in html


def test_intervention_opens_a_case_with_the_intervention_in_its_matrix(town):
    s = signal(town, "Hennepkwekerij bevestigd", severity="hoog")
    item = prepared(town, s)[s.pk]
    decision = services.decide(town["access"], item, kind="interventie", detail="integrale_controle",
                               owner=town["coordinator"], owner_organisation=town["orgs"]["politie"], deadline=later(14))
    case = Case.objects.visible_to(town["access"]).get(pk=decision.case_id)
    assert s in [link.signal for link in case.signal_links.all()]
    assert case.interventions.filter(partner=town["orgs"]["politie"]).exists()
    s.refresh_from_db()
    assert s.status == Signal.Status.IN_CASE
    action = Action.objects.visible_to(town["access"]).get(decision=decision)
    # the partner that carries out the action sees it, and reports the result back
    police = access_for_user(town["politie"])
    assert Action.objects.visible_to(police).filter(pk=action.pk).exists()
    services.complete_action(police, action, result="Controle uitgevoerd, kwekerij geruimd")
    assert s.events.filter(kind=SignalEvent.Kind.FIRST_INTERVENTION).exists()
    # the result returns to the forum's next meeting (feedback loop, point 9)
    services.close_meeting(town["access"], town["meeting"])
    nxt = services.plan_meeting(town["access"], town["forum"], timezone.now() + timedelta(days=16))
    services.generate_agenda(town["access"], nxt)
    feedback = AgendaItem.objects.visible_to(town["access"]).filter(meeting=nxt, kind=AgendaItem.Kind.FEEDBACK)
    assert any("kwekerij geruimd" in " ".join(f.snapshot.get("besluiten", [])) for f in feedback)
    services.close_meeting(town["access"], nxt)
    action.refresh_from_db()
    assert action.reported_at is not None  # reported once, not again
    third = services.plan_meeting(town["access"], town["forum"], timezone.now() + timedelta(days=30))
    services.generate_agenda(town["access"], third)
    assert not AgendaItem.objects.visible_to(town["access"]).filter(meeting=third, kind=AgendaItem.Kind.FEEDBACK,
                                                                     action=action).exists()


def test_overdue_actions_return_on_the_next_agenda(town):
    s = signal(town, "Adres controleren")
    item = prepared(town, s)[s.pk]
    services.decide(town["access"], item, kind="informatie", detail="informatie_anders", owner=town["analist"],
                    deadline=later(3), text="Registers nalopen")
    services.close_meeting(town["access"], town["meeting"])
    nxt = services.plan_meeting(town["access"], town["forum"], timezone.now() + timedelta(days=16))
    services.generate_agenda(town["access"], nxt)
    overdue = AgendaItem.objects.visible_to(town["access"]).get(meeting=nxt, kind=AgendaItem.Kind.ACTION)
    assert "Registers nalopen" in overdue.title
    assert overdue.position == 1  # overdue actions come first


def test_combining_with_a_case_links_the_signal(town):
    from regie.cases import services as cases

    first = signal(town, "Eerste signaal", number=1)
    case = cases.open_case(town["access"], title="Netwerk Kanaalweg", signals=[first])
    second = signal(town, "Tweede signaal, zelfde pand", number=1, person="Kees Hennep")
    item = prepared(town, second)[second.pk]
    services.decide(town["access"], item, kind="combineren", case=case)
    assert case.signal_links.filter(signal=second).exists()


def test_escalation_hands_over_only_what_the_convenant_allows(town):
    s = signal(town, "Groot netwerk, meerdere panden", severity="hoog", person="Bert Baas")
    item = prepared(town, s)[s.pk]
    with pytest.raises(ValidationError):
        services.decide(town["access"], item, kind="opschalen", detail="riec", owner=town["coordinator"], deadline=later())
    services.decide(town["access"], item, kind="opschalen", detail="riec", owner_organisation=town["orgs"]["riec"],
                    deadline=later(28))
    esc = Escalation.objects.visible_to(town["access"]).get()
    assert set(esc.package) == {"titel", "onderwerp", "personen", "omschrijving"}  # no address, no enrichment
    # the RIEC sees the escalation, not the signal, and answers "te licht"
    riec = access_for_user(town["riec"])
    assert Escalation.objects.visible_to(riec).filter(pk=esc.pk).exists()
    assert not Signal.objects.visible_to(riec).filter(pk=s.pk).exists()
    client = verified_client(town["riec"])
    response = client.post(f"/overleggen/opschalingen/{esc.pk}/", {"status": "te_licht", "text": "Te licht voor RIEC"})
    if response.status_code == 302 and "/doel/" in response["Location"]:
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(Escalation).pk
        client.post(f"/doel/?type={ct}&id={esc.pk}&next=/", {"purpose": "verzoek", "explanation": "beoordeling RIEC"})
        response = client.post(f"/overleggen/opschalingen/{esc.pk}/", {"status": "te_licht", "text": "Te licht voor RIEC"})
    assert response.status_code == 302
    esc.refresh_from_db()
    s.refresh_from_db()
    assert esc.status == Escalation.Status.TOO_LIGHT
    assert s.status == Signal.Status.TRIAGED  # back to the local route
    # and the answer is reported back to the forum that escalated
    services.close_meeting(town["access"], town["meeting"])
    nxt = services.plan_meeting(town["access"], town["forum"], timezone.now() + timedelta(days=16))
    services.generate_agenda(town["access"], nxt)
    titles = [i.title for i in AgendaItem.objects.visible_to(town["access"]).filter(meeting=nxt)]
    assert any("Terugkoppeling RIEC" in t for t in titles)
    assert any(s.reference in t for t in titles)  # and the signal itself is on the local agenda again
    # the police, not the receiver, cannot answer
    with pytest.raises(ValidationError):
        escalation.answer(access_for_user(town["politie"]), esc, status="afgerond", text="Niet van ons")


def test_a_flag_asks_for_confirmation_before_an_intervention(town):
    s = signal(town, "Woning van een verdachte in een lopend onderzoek", person="Vera Verdacht")
    item = prepared(town, s)[s.pk]
    person = Person.objects.visible_to(town["access"]).get(surname="Verdacht")
    from django.contrib.contenttypes.models import ContentType
    from regie.organisations.models import Share

    Share.objects.create(content_type=ContentType.objects.get_for_model(Person), object_id=person.pk,
                         organisation=town["orgs"]["politie"], basis="Convenant")
    flags.mark(access_for_user(town["politie"]), Person.objects.visible_to(access_for_user(town["politie"])).get(pk=person.pk))
    with pytest.raises(flags.ConfirmationRequired):
        services.decide(town["access"], item, kind="interventie", detail="bestuurlijke_maatregel",
                        owner=town["coordinator"], deadline=later())
    assert not Decision.objects.filter(item=item).exists()
    # over HTTP: a Dutch warning, nothing stored
    client = verified_client(town["coordinator"])
    data = {"kind": "interventie", "detail": "bestuurlijke_maatregel", "owner": town["coordinator"].pk,
            "deadline": later().isoformat()}
    response = client.post(f"/overleggen/punten/{item.pk}/besluit/", data, follow=True)
    assert "niet te interveniëren zonder overleg" in response.content.decode()
    assert not Decision.objects.filter(item=item).exists()
    response = client.post(f"/overleggen/punten/{item.pk}/besluit/", {**data, "confirmed": "on"})
    decision = Decision.objects.get(item=item)
    assert decision.confirmed_flags == 1
    confirmations = AuditEntry.objects.filter(object_type="partners.nointerventionflag", detail__event="nizo_confirmed")
    assert confirmations.count() == 1 and f"subjects.person#{person.pk}" in confirmations.get().detail["target"]


def test_decision_over_http_with_bad_input_gives_a_dutch_message(town):
    s = signal(town, "Hennep")
    item = prepared(town, s)[s.pk]
    client = verified_client(town["coordinator"])
    response = client.post(f"/overleggen/punten/{item.pk}/besluit/", {"kind": "uitstellen"}, follow=True)
    assert response.status_code == 200
    assert "reden" in response.content.decode().lower()
    assert not Decision.objects.filter(item=item).exists()
    response = client.post(f"/overleggen/punten/{item.pk}/besluit/", {"kind": "informatie", "deadline": "morgen"}, follow=True)
    assert response.status_code == 200 and not Decision.objects.filter(item=item).exists()
    # only the coördinator decides
    assert verified_client(town["analist"]).post(f"/overleggen/punten/{item.pk}/besluit/", {"kind": "uitstellen"}).status_code == 403
    assert verified_client(town["coordinator_b"]).post(f"/overleggen/punten/{item.pk}/besluit/",
                                                      {"kind": "uitstellen", "reason": "andere gemeente"}).status_code == 404


def test_the_police_marks_an_agenda_item_without_a_reason(town):
    s = signal(town, "Pand in een lopend onderzoek")
    item = prepared(town, s)[s.pk]
    client = verified_client(town["politie"])
    response = client.post("/partners/markeringen/", {"content_type": "meetings.agendaitem", "object_id": item.pk})
    assert response.status_code == 302
    assert flags.active_flags(item)[0].set_by_organisation == town["orgs"]["politie"]
    # the owner sees the flag on the agenda
    html = verified_client(town["coordinator"]).get(f"/overleggen/{town['meeting'].pk}/").content.decode()
    assert "Niet interveniëren zonder overleg" in html
    # the corporation, which cannot mark, is refused
    other = verified_client(town["corporatie"])
    assert other.post("/partners/markeringen/", {"content_type": "meetings.agendaitem", "object_id": item.pk}).status_code == 403


def test_year_figures_count_meetings_decisions_and_postponements(town):
    s1, s2 = signal(town, "Een", number=1), signal(town, "Twee", number=2, person="Ander Persoon")
    items = prepared(town, s1, s2)
    services.decide(town["access"], items[s1.pk], kind="uitstellen", reason="Eerst navragen")
    services.decide(town["access"], items[s2.pk], kind="informatie", detail="hit_no_hit", owner=town["analist"],
                    deadline=later())
    services.close_meeting(town["access"], town["meeting"])
    second = services.plan_meeting(town["access"], town["forum"], town["meeting"].starts_at + timedelta(days=1))
    services.generate_agenda(town["access"], second)
    services.close_meeting(town["access"], second)  # s1 not discussed: postponed a second time
    year = timezone.localtime(town["meeting"].starts_at).year
    row = next(r for r in services.year_figures(town["access"], year) if r["forum"] == town["forum"].name)
    assert row["held"] == 2 and row["decisions"] == 1
    assert row["postponed"] == 2 and row["postponed_twice"] == 1
    assert row["actions"] == 1 and row["actions_done"] == 0
    html = verified_client(town["coordinator"]).get(f"/overleggen/?jaar={year}").content.decode()
    assert "Twee keer of vaker uitgesteld" in html
    assert verified_client(town["coordinator"]).get("/overleggen/?jaar=abc").status_code == 200


def test_another_partner_at_the_table_does_not_learn_of_a_police_flag(town):
    s = signal(town, "Pand in een lopend onderzoek")
    item = prepared(town, s)[s.pk]
    flags.mark(access_for_user(town["politie"]), AgendaItem.objects.visible_to(access_for_user(town["politie"])).get(pk=item.pk))
    from django.contrib.contenttypes.models import ContentType

    from regie.meetings.models import Meeting

    client = verified_client(town["corporatie"])
    ct = ContentType.objects.get_for_model(Meeting).pk
    client.post(f"/doel/?type={ct}&id={town['meeting'].pk}&next=/", {"purpose": "overleg", "explanation": "voorbereiding"})
    html = client.get(f"/overleggen/{town['meeting'].pk}/").content.decode()
    assert f"Signaal {s.reference}" in html  # the item is shared with the corporation ...
    assert "Niet interveniëren zonder overleg" not in html  # ... the police's flag on it is not
