"""register_many and the batch look-ups behind it: all or none, the same links as one by one,
and one person per BSN per municipality, also when two transactions register it at once."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from regie.audit.models import AuditEntry
from regie.intake import services
from regie.intake.models import Signal, SignalSubject
from regie.subjects import lookup
from regie.subjects.models import Address, Person

NEW_BSN = "999990032"


def _input(text="Hennepgeur bij een loods", **extra):
    extra.setdefault("channel", "counter")
    return services.SignalInput(text=text, **extra)


def _person(name="Kees de Boer", bsn=NEW_BSN, **extra):
    return services.MentionInput(kind="persoon", name=name, bsn=bsn, **extra)


def test_register_many_refuses_all_when_one_is_invalid_and_names_its_index(town):
    a = town["orgs"]["a"]
    deliveries = [
        (a, _input(mentions=[_person()])),
        (a, _input(text="  ")),
        (a, _input(theme_codes=["bestaat-niet"], address=services.AddressInput("1234AB", 1))),
    ]
    with pytest.raises(services.DeliveryErrors) as caught:
        services.register_many(deliveries)
    assert sorted(caught.value.errors) == [1, 2]
    assert "Beschrijf" in str(caught.value.errors[1]) and "Onbekend thema" in str(caught.value.errors[2])
    assert Signal.unscoped.count() == Person.unscoped.count() == Address.unscoped.count() == 0
    assert not AuditEntry.objects.filter(action="create").exists()
    # the same check without an attempt to write
    assert sorted(services.check_many(deliveries)) == [1, 2]
    assert services.check_many(deliveries[:1]) == {}
    assert Signal.unscoped.count() == 0


def test_register_keeps_raising_the_plain_validation_error_of_its_one_signal(town):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.register(town["orgs"]["a"], _input(theme_codes=["bestaat-niet"]))
    assert not isinstance(caught.value, services.DeliveryErrors)
    assert caught.value.message_dict == {"themes": ["Onbekend thema: bestaat-niet."]}


def test_a_batch_links_as_one_by_one_registrations_would(town):
    a = town["orgs"]["a"]
    known = Person.unscoped.create(owner=a, first_names="Jan", surname="Jansen", bsn="999990019")
    nameless = Person.unscoped.create(owner=a, first_names="Piet", surname="Pietersen")
    registered = services.register_many([
        (a, _input(mentions=[_person("J. Jansen", "999990019"), _person("Piet Pietersen", "")])),
        (a, _input(mentions=[_person("Kees de Boer", NEW_BSN)])),
        (a, _input(mentions=[_person("K. de Boer", NEW_BSN), _person("kees DE boer", "")])),
    ])
    links = [[(m.person, m.method) for m in SignalSubject.objects.filter(signal=r.signal).order_by("pk")] for r in registered]
    kees = Person.unscoped.get(bsn=NEW_BSN)
    assert links == [
        [(known, "bsn"), (nameless, "naam")],
        [(kees, "nieuw")],
        [(kees, "bsn"), (kees, "naam")],
    ]


def test_another_bsn_is_another_person_even_with_the_same_name(town):
    a = town["orgs"]["a"]
    other = Person.unscoped.create(owner=a, first_names="Kees", surname_prefix="de", surname="Boer", bsn="999990019")
    signal = services.register(a, _input(mentions=[_person("Kees de Boer", NEW_BSN)])).signal
    linked = SignalSubject.objects.get(signal=signal)
    assert linked.person != other and linked.method == "nieuw" and linked.person.bsn == NEW_BSN
    # without a BSN the name still finds him
    signal = services.register(a, _input(mentions=[_person("Kees de Boer", "")])).signal
    assert SignalSubject.objects.get(signal=signal).person == Person.unscoped.get(bsn="999990019")


def test_the_database_allows_one_person_per_bsn_per_owner(town):
    a, b = town["orgs"]["a"], town["orgs"]["b"]
    Person.unscoped.create(owner=a, surname="Een", bsn=NEW_BSN)
    Person.unscoped.create(owner=b, surname="Een", bsn=NEW_BSN)  # another municipality: its own registry
    Person.unscoped.create(owner=a, surname="Zonder")
    Person.unscoped.create(owner=a, surname="Zonder")  # no BSN: no rule
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.unscoped.create(owner=a, surname="Twee", bsn=NEW_BSN)


def test_a_person_registered_meanwhile_by_another_transaction_is_linked_not_duplicated(town):
    """The race of two deliveries naming the same new BSN, played in one thread: between the
    look-up (which found nothing) and the insert, 'another transaction' registers the person."""
    a = town["orgs"]["a"]
    batch = lookup.Batch(services.registry_access(a))
    first = batch.person(0, name="Kees de Boer", bsn=NEW_BSN)
    second = batch.person(1, name="K. de Boer", bsn=NEW_BSN)
    assert batch.resolve() == {}
    assert first.method == "nieuw" and second.method == "bsn" and first.obj.pk is None
    meanwhile = Person.unscoped.create(owner=a, first_names="Kees", surname="Boer", surname_prefix="de", bsn=NEW_BSN)
    batch.save()
    assert Person.unscoped.filter(bsn=NEW_BSN).count() == 1
    assert first.obj == second.obj == meanwhile


def test_a_person_out_of_sight_is_not_linked(town):
    """A look-up under an access that may not see the person with this BSN (here: a clearance
    below the row's level) neither links it nor registers a second one."""
    from dataclasses import replace

    a = town["orgs"]["a"]
    Person.unscoped.create(owner=a, surname="Geheim", bsn=NEW_BSN, confidentiality=8)
    access = replace(services.registry_access(a), clearance=4)
    batch = lookup.Batch(access)
    request = batch.person(0, name="Kees de Boer", bsn=NEW_BSN)
    assert batch.resolve() == {} and request.method == "nieuw"
    with pytest.raises(IntegrityError), transaction.atomic():
        batch.save()
    assert Person.unscoped.filter(bsn=NEW_BSN).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_deliveries_of_one_new_bsn_register_one_person(orgs, monkeypatch):
    """On PostgreSQL two transactions run at once: both look the BSN up (nothing), then both
    insert. The second insert waits for the first transaction, skips the row and links it."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL); SQLite runs one writer at a time")
    a = orgs["a"]
    services.install_default_rules(a)
    both_looked_up = threading.Barrier(2, timeout=30)
    save_persons = lookup.Batch._save_persons

    def after_both_looked_up(self):
        both_looked_up.wait()
        save_persons(self)

    monkeypatch.setattr(lookup.Batch, "_save_persons", after_both_looked_up)
    results, failures = [], []

    def deliver(n):
        try:
            with transaction.atomic():
                signal = services.register(a, _input(f"Signaal {n}", mentions=[_person()])).signal
            results.append(signal.pk)
        except Exception as exc:  # noqa: BLE001 - any failure of the thread is reported by the assert below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert failures == [] and len(results) == 2
    person = Person.unscoped.get(owner=a, bsn=NEW_BSN)
    links = SignalSubject.objects.filter(signal_id__in=results)
    assert [m.person_id for m in links] == [person.pk, person.pk]
