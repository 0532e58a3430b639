"""Retention (point 8): `regie intake-retention` removes signals that led to nothing once the term
has passed, with everything that hangs off them, and logs counts but no personal data."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from regie.accounts.models import Assignment
from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.intake import attachments, enrichment, retention, services
from regie.intake.models import (
    Attachment, HitQuestion, Receipt, Reporter, RetentionLog, Signal, SignalEvent, SignalSubject,
)
from regie.organisations.models import Share
from regie.subjects.models import Address, Company, Person
from tests.conftest import as_user

from .conftest import jpeg_with_gps, stored_files, upload

LATER = (timezone.localdate() + timedelta(days=400)).isoformat()  # past the 365-day term
SOON = (timezone.localdate() + timedelta(days=300)).isoformat()  # within the term


@pytest.fixture
def coordinator(orgs, make_user):
    return make_user(role=Role.COORDINATOR, org=orgs["a"])


def new_signal(org, *, text="Melding", mentions=(), reporter=None, photo=False, address=None):
    data = services.SignalInput(channel="counter", text=text, mentions=list(mentions), reporter=reporter, address=address)
    clean = attachments.clean_photo(upload("foto.jpg", jpeg_with_gps())) if photo else None
    with as_user(None):
        return attachments.register_with_photo(org, data, clean, actor=None).signal


def triage(user, signal, label="niet", route="sluiten"):
    with as_user(user) as access:
        return services.decide_triage(access, signal, label=label, route=route, reason="geen ondermijning gebleken")


def run(*args, capture=None):
    out = StringIO()
    if capture is not None:
        with capture(execute=True):
            call_command("intake-retention", *args, stdout=out)
    else:
        call_command("intake-retention", *args, stdout=out)
    return out.getvalue()


def exists(model, pk) -> bool:
    manager = getattr(model, "unscoped", None) or model.objects
    return manager.filter(pk=pk).exists()


def person(name):
    return services.MentionInput(kind="persoon", name=name)


def test_a_closed_signal_goes_with_everything_that_hangs_off_it(orgs, make_user, coordinator, media_root,
                                                                django_capture_on_commit_callbacks):
    employee = make_user(role=Role.MEDEWERKER, org=orgs["a"])
    signal = new_signal(
        orgs["a"], text="Geheime tekst over Karel Kwaad", photo=True,
        mentions=[person("Karel Kwaad"), services.MentionInput(kind="bedrijf", name="Kwaad Holding B.V."),
                  services.MentionInput(kind="adres", address=services.AddressInput(postcode="1234AB", house_number=7)),
                  services.MentionInput(kind="voertuig", plate="12-ABC-3")],
        reporter=services.ReporterInput(name="Melder Mien", user_id=employee.pk),
    )
    mention = signal.mentions.get(person__isnull=False)
    with as_user(coordinator) as access:
        enrichment.ask_partner(access, signal, mention, orgs["politie"])
    Assignment.objects.create(user=coordinator, content_type_id=_ct(Signal), object_id=signal.pk)
    triage(coordinator, signal)
    photo = Attachment.objects.get()
    path = Path(photo.file.path)
    kept = {m: list(m.unscoped.values_list("pk", flat=True)) for m in (Person, Company, Address)}
    assert path.is_file() and Receipt.objects.exists() and HitQuestion.objects.exists()

    output = run("--now", LATER, capture=django_capture_on_commit_callbacks)

    assert "1 signalen verwijderd" in output
    assert not exists(Signal, signal.pk)
    for model in (SignalSubject, SignalEvent, Reporter, Receipt, HitQuestion, Attachment):
        assert not model.objects.filter(signal_id=signal.pk).exists(), model
    assert not Assignment.objects.filter(object_id=signal.pk).exists()
    for model, pks in kept.items():  # registered new for this signal only: gone
        assert not model.unscoped.filter(pk__in=pks).exists(), model
    assert not path.exists() and stored_files(media_root) == []
    # the log: counts per type and organisation, the basis, and no personal data
    logged = {row.record_type: row.count for row in RetentionLog.objects.all()}
    assert logged == {
        "signaal": 1, "genoemd subject": 4, "gebeurtenis": 4, "melder": 1, "ontvangstbevestiging": 1,
        "hit/no-hit-vraag": 1, "bijlage": 1, "toewijzing": 1, "persoon": 1, "bedrijf": 1, "adres": 1,
    }
    assert {row.organisation_id for row in RetentionLog.objects.all()} == {orgs["a"].pk}
    assert all(row.action == "verwijderd" and "365 dagen" in row.basis for row in RetentionLog.objects.all())
    entry = AuditEntry.objects.get(action="system")
    assert entry.username == "systeem" and entry.purpose == retention.REASON and entry.ip_address is None
    assert entry.detail["removed"][str(orgs["a"].pk)]["signaal"] == 1
    written = json.dumps(list(RetentionLog.objects.values()), default=str) + json.dumps(entry.detail) + entry.purpose + output
    for secret in ("Karel", "Kwaad", "Mien", "1234AB", "12ABC3", signal.reference, "Geheime tekst"):
        assert secret not in written
    call_command("audit-verify", stdout=StringIO())  # the chain still holds


def test_the_term_is_counted_from_closing(orgs, coordinator):
    signal = new_signal(orgs["a"])
    triage(coordinator, signal)
    assert "Niets te verwijderen" in run("--now", SOON)
    assert exists(Signal, signal.pk) and not RetentionLog.objects.exists()
    # a run that removes nothing is still on record
    assert AuditEntry.objects.filter(action="system").count() == 1
    run("--now", LATER)
    assert not exists(Signal, signal.pk)


def test_the_term_comes_from_the_setting(orgs, coordinator, settings):
    settings.REGIE_SIGNAL_RETENTION_DAYS = 30
    signal = new_signal(orgs["a"])
    triage(coordinator, signal)
    Signal.unscoped.filter(pk=signal.pk).update(closed_at=timezone.now() - timedelta(days=31))
    run()
    assert not exists(Signal, signal.pk)


@pytest.mark.parametrize(
    "label, route, removed",
    [
        ("niet", "sluiten", True),  # closed as not ondermijning
        ("niet", "politie", True),  # forwarded as not ondermijning
        ("niet", "partner", True),
        ("ondermijning", "sluiten", True),  # closed without action
        ("ondermijning", "handhaving", False),  # forwarded as ondermijning: it led to something
        ("ondermijning", "overleg", False),  # on its way to the meeting
    ],
)
def test_only_signals_that_led_to_nothing(orgs, coordinator, label, route, removed):
    signal = new_signal(orgs["a"])
    triage(coordinator, signal, label=label, route=route)
    Signal.unscoped.filter(pk=signal.pk).update(closed_at=timezone.now() - timedelta(days=500))
    run()
    assert exists(Signal, signal.pk) is not removed


def test_open_signals_are_never_removed(orgs):
    signal = new_signal(orgs["a"])
    Signal.unscoped.filter(pk=signal.pk).update(received_at=timezone.now() - timedelta(days=3000))
    run("--now", LATER)
    assert exists(Signal, signal.pk)


def test_a_subject_also_named_elsewhere_stays(orgs, coordinator):
    old = new_signal(orgs["a"], mentions=[person("Gedeelde Naam")])
    current = new_signal(orgs["a"], mentions=[person("Gedeelde Naam")])  # matched by name
    shared = old.mentions.get().person
    assert current.mentions.get().person == shared and current.mentions.get().method == "naam"
    triage(coordinator, old)
    run("--now", LATER)
    assert not exists(Signal, old.pk)
    assert exists(Person, shared.pk) and exists(Signal, current.pk)


def test_a_subject_that_was_matched_not_created_stays(orgs, coordinator):
    known = Person.unscoped.create(owner=orgs["a"], first_names="Bekende", surname="Persoon")
    signal = new_signal(orgs["a"], mentions=[person("Bekende Persoon")])
    assert signal.mentions.get().method == "naam"
    triage(coordinator, signal)
    run("--now", LATER)
    assert exists(Person, known.pk)


def test_an_address_still_used_by_a_person_or_a_signal_location_stays(orgs, coordinator):
    where = services.AddressInput(postcode="9999ZZ", house_number=1)
    signal = new_signal(orgs["a"], mentions=[services.MentionInput(kind="adres", address=where)])
    address = signal.mentions.get().address
    Person.unscoped.create(owner=orgs["a"], surname="Bewoner", address=address)
    second = new_signal(orgs["a"], mentions=[services.MentionInput(kind="adres", address=services.AddressInput(postcode="8888YY", house_number=2))])
    second_address = second.mentions.get().address
    new_signal(orgs["a"], address=services.AddressInput(postcode="8888YY", house_number=2))  # an open signal's location
    triage(coordinator, signal)
    triage(coordinator, second)
    run("--now", LATER)
    assert not exists(Signal, signal.pk) and not exists(Signal, second.pk)
    assert exists(Address, address.pk) and exists(Address, second_address.pk)


def test_a_shared_subject_stays(orgs, coordinator):
    signal = new_signal(orgs["a"], mentions=[person("Gedeelde Persoon")])
    target = signal.mentions.get().person
    Share.objects.create(content_type_id=_ct(Person), object_id=target.pk, organisation=orgs["politie"], basis="convenant")
    triage(coordinator, signal)
    run("--now", LATER)
    assert not exists(Signal, signal.pk) and exists(Person, target.pk)


def test_signals_combined_into_a_removed_signal_go_with_it(orgs, coordinator):
    keep = new_signal(orgs["a"], mentions=[person("Samen Gevoegd")])
    other = new_signal(orgs["a"], mentions=[person("Alleen Hier")])
    with as_user(coordinator) as access:
        services.combine(access, keep, other)
    keep.refresh_from_db()
    triage(coordinator, keep)
    run("--now", LATER)
    assert not exists(Signal, keep.pk) and not exists(Signal, other.pk)
    assert not Person.unscoped.exists()
    assert RetentionLog.objects.get(record_type="signaal").count == 2


def test_a_signal_an_open_signal_refers_to_stays(orgs, coordinator):
    keep = new_signal(orgs["a"])
    other = new_signal(orgs["a"])
    with as_user(coordinator) as access:
        services.combine(access, keep, other)
    keep.refresh_from_db()
    triage(coordinator, keep)
    Signal.unscoped.filter(pk=other.pk).update(status=Signal.Status.TRIAGED)  # reopened, still pointing at keep
    run("--now", LATER)
    assert exists(Signal, keep.pk) and exists(Signal, other.pk)


def test_a_signal_combined_into_another_is_not_removed_on_its_own(orgs, coordinator):
    keep = new_signal(orgs["a"])
    other = new_signal(orgs["a"])
    with as_user(coordinator) as access:
        services.combine(access, keep, other)
    Signal.unscoped.filter(pk=other.pk).update(status=Signal.Status.CLOSED, closed_at=timezone.now() - timedelta(days=900))
    run("--now", LATER)
    assert exists(Signal, other.pk) and exists(Signal, keep.pk)


def test_a_share_of_the_signal_goes_with_it(orgs, coordinator):
    signal = new_signal(orgs["a"])
    Share.objects.create(content_type_id=_ct(Signal), object_id=signal.pk, organisation=orgs["politie"], basis="convenant")
    triage(coordinator, signal)
    run("--now", LATER)
    assert not Share.objects.exists()
    assert RetentionLog.objects.get(record_type="deling").count == 1


def test_dry_run_changes_nothing(orgs, coordinator, media_root):
    signal = new_signal(orgs["a"], mentions=[person("Droog Zwemmer")], photo=True)
    triage(coordinator, signal)
    before = AuditEntry.objects.count()
    output = run("--dry-run", "--now", LATER)
    assert "Zou verwijderen: 1 × signaal" in output and "Proefdraai" in output
    assert "Zou verwijderen: 1 × persoon" in output
    assert exists(Signal, signal.pk) and Person.unscoped.exists() and len(stored_files(media_root)) == 1
    assert not RetentionLog.objects.exists() and AuditEntry.objects.count() == before


def test_counts_are_logged_per_organisation(orgs, make_user, coordinator):
    other_coordinator = make_user(role=Role.COORDINATOR, org=orgs["b"])
    for org, user, n in ((orgs["a"], coordinator, 2), (orgs["b"], other_coordinator, 1)):
        for _ in range(n):
            triage(user, new_signal(org))
    new_signal(orgs["b"])  # open: stays
    run("--now", LATER)
    rows = {(r.organisation_id, r.record_type): r.count for r in RetentionLog.objects.all()}
    assert rows[(orgs["a"].pk, "signaal")] == 2 and rows[(orgs["b"].pk, "signaal")] == 1
    assert Signal.unscoped.filter(owner=orgs["b"]).count() == 1


def test_a_missing_file_does_not_stop_the_job(orgs, coordinator, django_capture_on_commit_callbacks):
    signal = new_signal(orgs["a"], photo=True)
    Path(Attachment.objects.get().file.path).unlink()
    triage(coordinator, signal)
    run("--now", LATER, capture=django_capture_on_commit_callbacks)
    assert not exists(Signal, signal.pk)


def test_bad_arguments_are_refused_in_dutch(db):
    with pytest.raises(CommandError, match="JJJJ-MM-DD"):
        run("--now", "gisteren")
    with pytest.raises(CommandError, match="bewaartermijn"):
        run("--days", "0")


def test_the_function_can_be_called_from_a_scheduler(orgs, coordinator):
    signal = new_signal(orgs["a"])
    triage(coordinator, signal)
    outcome = retention.run(now=timezone.now() + timedelta(days=400))
    assert outcome.signals == 1 and not outcome.dry_run
    assert not exists(Signal, signal.pk)


def _ct(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def test_the_checks_refuse_to_run_with_a_scoped_view(orgs, coordinator):
    """Under a user's (scoped) access another tenant's references would be invisible: refuse."""
    with as_user(coordinator):
        with pytest.raises(RuntimeError):
            retention.select(timezone.now())
        with pytest.raises(RuntimeError):
            retention.orphan_subjects(set())


def test_a_location_address_created_by_a_signal_goes_with_it(db):
    """The location a signal brought into the registry is removed with the signal."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from regie.intake import services
    from regie.intake.models import Signal
    from regie.organisations.models import Organisation
    from regie.subjects.models import Address

    town = Organisation.objects.create(name="Gemeente Retentiedorp", kind=Organisation.Kind.GEMEENTE, code="GM9977")
    signal = services.register(town, services.SignalInput(channel="counter", text="vuurwerk", address=services.AddressInput(postcode="4321ZX", house_number=9))).signal
    assert signal.mentions.filter(address=signal.address, method="nieuw").exists()
    Signal.unscoped.filter(pk=signal.pk).update(status="gesloten", label="niet", closed_at=timezone.now() - timedelta(days=400))
    call_command("intake-retention", stdout=__import__("io").StringIO())
    assert not Signal.unscoped.filter(pk=signal.pk).exists()
    assert not Address.unscoped.filter(postcode="4321ZX").exists()
