"""Issue 4 points 2 and 6: the informatiedelingsdocument of a forum and the minutes, both
respecting the sharing rules; the retention of signals clears the agenda copies."""

import pytest
from django.contrib.contenttypes.models import ContentType

from regie.audit.models import AuditEntry
from regie.intake.models import Signal
from regie.meetings import services
from regie.meetings.models import AgendaItem, Meeting
from regie.organisations.access import system_access
from tests.conftest import verified_client

from .conftest import signal

pytestmark = pytest.mark.django_db


def state_purpose(client, meeting):
    ct = ContentType.objects.get_for_model(Meeting).pk
    client.post(f"/doel/?type={ct}&id={meeting.pk}&next=/", {"purpose": "overleg", "explanation": "voorbereiding"})


def test_minutes_for_the_owner_and_for_a_partner(town):
    s = signal(town, "Hennepkwekerij in de flat", person="Kees Hennep")
    services.generate_agenda(town["access"], town["meeting"])
    services.share_agenda(town["access"], town["meeting"])
    item = AgendaItem.objects.visible_to(town["access"]).get(signal=s)
    services.decide(town["access"], item, kind="uitstellen", reason="Wachten op de politie")
    services.close_meeting(town["access"], town["meeting"])
    own = verified_client(town["coordinator"]).get(f"/overleggen/{town['meeting'].pk}/verslag/").content.decode()
    assert "Kees Hennep" in own and "Wachten op de politie" in own
    corporation = verified_client(town["corporatie"])
    assert corporation.get(f"/overleggen/{town['meeting'].pk}/verslag/").status_code == 302  # purpose first
    state_purpose(corporation, town["meeting"])
    partner = corporation.get(f"/overleggen/{town['meeting'].pk}/verslag/")
    assert partner.status_code == 200
    html = partner.content.decode()
    assert s.reference in html and "Kanaalweg" in html
    assert "Kees Hennep" not in html and "Wachten op de politie" not in html  # no names, no decisions
    assert AuditEntry.objects.filter(action="export", object_type="meetings.meeting").count() == 2


def test_minutes_as_pdf(town):
    signal(town, "Hennep")
    services.generate_agenda(town["access"], town["meeting"])
    response = verified_client(town["coordinator"]).get(f"/overleggen/{town['meeting'].pk}/verslag/?formaat=pdf")
    if response.status_code == 302:
        pytest.skip("WeasyPrint's native libraries are not installed here")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_forum_sharing_document_names_who_sits_at_the_table(town):
    client = verified_client(town["coordinator"])
    html = client.get(f"/overleggen/fora/{town['forum'].pk}/informatiedeling/").content.decode()
    assert "Politie Testeenheid" in html and "Woningstichting Test" in html
    assert "Convenant Wonen en Veiligheid, art. 3" in html
    assert "<td>RIEC Test</td>" not in html and "Politie Testeenheid</td>" in html  # the RIEC is not at this table
    assert AuditEntry.objects.filter(action="export").exists()


def test_retention_of_a_signal_clears_its_agenda_copy(town):
    s = signal(town, "Hennep", person="Kees Hennep")
    services.generate_agenda(town["access"], town["meeting"])
    item = AgendaItem.objects.visible_to(town["access"]).get(signal=s)
    assert item.snapshot["personen"]
    with system_access("test bewaartermijn"):
        Signal.objects.filter(pk=s.pk).delete()
    item.refresh_from_db()
    assert "personen" not in item.snapshot and "omschrijving" not in item.snapshot
    assert item.snapshot["verwijderd"]


def test_a_signal_closed_in_the_meeting_is_removed_after_its_term_and_the_minutes_keep_the_decision(town):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from regie.meetings.models import Decision

    s = signal(town, "Bleek burenruzie te zijn", person="Bert Buur")
    services.generate_agenda(town["access"], town["meeting"])
    item = AgendaItem.objects.visible_to(town["access"]).get(signal=s)
    services.decide(town["access"], item, kind="geen_ondermijning", reason="Burenruzie, geen ondermijning")
    later = (timezone.localdate() + timedelta(days=400)).isoformat()
    call_command("intake-retention", "--now", later)
    assert not Signal.unscoped.filter(pk=s.pk).exists()  # the agenda item did not keep it
    item.refresh_from_db()
    assert item.signal_id is None and "Bert Buur" not in str(item.snapshot)
    assert Decision.objects.get(item=item).reason == "Burenruzie, geen ondermijning"
