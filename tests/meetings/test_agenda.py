"""Issue 4 points 1 and 3: forums, and an agenda generated, prepared and filtered per partner."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from regie.audit.models import AuditEntry
from regie.intake.models import Signal, SignalEvent
from regie.meetings import services
from regie.meetings.models import AgendaItem, Forum, Meeting
from regie.organisations.models import Share
from tests.conftest import verified_client

from .conftest import signal

pytestmark = pytest.mark.django_db


def test_default_forums_have_the_frequencies_of_the_audits(town):
    forums = {f.kind: f for f in Forum.objects.visible_to(town["access"])}
    assert forums[Forum.Kind.LOCAL].frequency_days == 14  # two-weekly lokaal overleg
    assert forums[Forum.Kind.CASE].frequency_days == 28  # monthly casusoverleg
    assert forums[Forum.Kind.STEERING].frequency_days == 42  # six-weekly regiegroep
    assert forums[Forum.Kind.LOCAL].trends_slot
    assert forums[Forum.Kind.RIEC].is_escalation_target and forums[Forum.Kind.DISTRICT].is_escalation_target
    # installing again adds nothing
    assert services.install_default_forums(town["orgs"]["a"]) == []


def test_a_meeting_of_an_escalation_table_cannot_be_planned_locally(town):
    riec = Forum.objects.visible_to(town["access"]).get(kind=Forum.Kind.RIEC)
    with pytest.raises(ValidationError):
        services.plan_meeting(town["access"], riec, timezone.now())


def test_agenda_holds_triaged_signals_ordered_by_priority_and_age(town):
    low = signal(town, "Lichte indicatie hennep", severity="laag", person="Piet Laag", number=1)
    high_old = signal(town, "Zware indicatie hennepkwekerij", severity="hoog", person="Henk Hoog", number=2)
    high_new = signal(town, "Nog een zware indicatie", severity="hoog", person="Harry Hoog", number=3)
    Signal.objects.visible_to(town["access"]).filter(pk=high_old.pk).update(received_at=timezone.now() - timedelta(days=30))
    untriaged = signal(town, "Nog niet beoordeeld", number=4)
    Signal.objects.visible_to(town["access"]).filter(pk=untriaged.pk).update(status=Signal.Status.RECEIVED)
    added = services.generate_agenda(town["access"], town["meeting"])
    items = list(AgendaItem.objects.visible_to(town["access"]).filter(meeting=town["meeting"]).order_by("position"))
    signals = [i.signal_id for i in items if i.kind == AgendaItem.Kind.SIGNAL]
    assert signals == [high_old.pk, high_new.pk, low.pk]
    assert untriaged.pk not in signals
    assert added == len(items)
    # each item is prepared: what we know, the people and place, before the meeting
    snapshot = items[0].snapshot
    assert snapshot["personen"][0]["naam"] == "Henk Hoog"
    assert snapshot["locatie"]["adressen"]
    assert snapshot["verrijking"] and "aantal" in snapshot["verrijking"][0]
    # putting it on the agenda is the lead-time milestone "geagendeerd"
    high_old.refresh_from_db()
    assert high_old.status == Signal.Status.ON_AGENDA
    assert high_old.events.filter(kind=SignalEvent.Kind.ON_AGENDA).count() == 1
    # generating again adds nothing twice
    assert services.generate_agenda(town["access"], town["meeting"]) == 0


def test_a_signal_is_on_one_open_agenda_at_a_time(town):
    s = signal(town, "Hennep in de schuur")
    services.generate_agenda(town["access"], town["meeting"])
    other = services.plan_meeting(town["access"], town["forum"], timezone.now() + timedelta(days=16))
    services.generate_agenda(town["access"], other)
    assert not AgendaItem.objects.visible_to(town["access"]).filter(meeting=other, signal=s).exists()


def test_not_ondermijning_never_reaches_the_agenda(town):
    s = signal(town, "Vuurwerkoverlast")
    s.status, s.label = Signal.Status.FORWARDED, Signal.Label.NOT
    s.save()
    services.generate_agenda(town["access"], town["meeting"])
    assert not AgendaItem.objects.visible_to(town["access"]).filter(signal=s).exists()


def test_partners_see_only_their_items_and_fields(town):
    drugs = signal(town, "Hennepkwekerij in woning van de corporatie", person="Kees Hennep")
    fraud = signal(town, "Zorgbureau declareert te veel", themes=("zorgfraude",), person="Zora Zorg", number=40)
    services.generate_agenda(town["access"], town["meeting"])
    counts = services.share_agenda(town["access"], town["meeting"])
    politie, corporatie = town["orgs"]["politie"], town["orgs"]["corporatie"]
    # the police: both signals and the trends slot; the corporation: drugs and vastgoed only, and the trends
    assert counts[politie.pk] == 3 and counts[corporatie.pk] == 2

    page = verified_client(town["corporatie"])
    # the partner states a purpose before opening the meeting (it is not assigned to it)
    ct = ContentType.objects.get_for_model(Meeting).pk
    response = page.post(f"/doel/?type={ct}&id={town['meeting'].pk}&next=/overleggen/{town['meeting'].pk}/",
                         {"purpose": "overleg", "explanation": "voorbereiding lokaal overleg"})
    assert response.status_code == 302
    html = page.get(f"/overleggen/{town['meeting'].pk}/").content.decode()
    assert f"Signaal {drugs.reference}" in html
    assert "Kanaalweg" in html  # locatie is allowed
    assert "Kees Hennep" not in html and "Hennepkwekerij in woning" not in html  # no names, no text
    assert fraud.reference not in html  # not its theme

    police = verified_client(town["politie"])
    police.post(f"/doel/?type={ct}&id={town['meeting'].pk}&next=/", {"purpose": "overleg", "explanation": "voorbereiding"})
    html = police.get(f"/overleggen/{town['meeting'].pk}/").content.decode()
    assert "Kees Hennep" in html and "Zora Zorg" in html


def test_an_item_marked_not_to_share_is_not_shared(town):
    s = signal(town, "Gevoelige informatie van de eigen organisatie")
    services.generate_agenda(town["access"], town["meeting"])
    item = AgendaItem.objects.visible_to(town["access"]).get(signal=s)
    services.set_item_sharing(town["access"], item, False)
    services.share_agenda(town["access"], town["meeting"])
    item.refresh_from_db()
    assert item.partner_fields == {}
    assert not Share.objects.filter(content_type=ContentType.objects.get_for_model(AgendaItem), object_id=item.pk).exists()


def test_another_municipality_and_a_boa_see_nothing(town):
    signal(town, "Hennep")
    services.generate_agenda(town["access"], town["meeting"])
    url = f"/overleggen/{town['meeting'].pk}/"
    assert verified_client(town["coordinator_b"]).get(url).status_code == 404
    assert verified_client(town["boa"]).get(url).status_code == 403
    assert verified_client(town["raadslid"]).get("/overleggen/").status_code == 403


def test_the_coordinator_prepares_the_agenda_over_http(town):
    s = signal(town, "Hennep op zolder")
    client = verified_client(town["coordinator"])
    response = client.post(f"/overleggen/{town['meeting'].pk}/agenda/")
    assert response.status_code == 302
    html = client.get(f"/overleggen/{town['meeting'].pk}/").content.decode()
    assert f"Signaal {s.reference}" in html and "Besluit vastleggen" in html
    assert AuditEntry.objects.filter(object_type="meetings.meeting", object_id=str(town["meeting"].pk), action="update").exists()
    response = client.post(f"/overleggen/{town['meeting'].pk}/delen/")
    assert response.status_code == 302
    town["meeting"].refresh_from_db()
    assert town["meeting"].status == Meeting.Status.PREPARED


def test_sharing_an_empty_agenda_is_refused_in_dutch(town):
    with pytest.raises(ValidationError, match="agenda is leeg"):
        services.share_agenda(town["access"], town["meeting"])


def test_trends_slot_aggregates_without_names(town):
    for i in range(6):
        signal(town, f"Hennep {i}", person=f"Naam{i} Persoon", number=100 + i)
    services.generate_agenda(town["access"], town["meeting"])
    trends = AgendaItem.objects.visible_to(town["access"]).get(meeting=town["meeting"], kind=AgendaItem.Kind.TRENDS)
    assert trends.snapshot["onderwerp"]["totaal"] == "6"
    assert ["Drugs: productie", "6"] in trends.snapshot["onderwerp"]["per_thema"] or any(
        row[1] == "6" for row in trends.snapshot["onderwerp"]["per_thema"])
    assert "Naam0" not in str(trends.snapshot)
    # it comes last
    last = AgendaItem.objects.visible_to(town["access"]).filter(meeting=town["meeting"]).order_by("-position").first()
    assert last.kind == AgendaItem.Kind.TRENDS
