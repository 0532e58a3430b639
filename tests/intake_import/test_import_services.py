"""import_mma / import_csv against the database: every row through register, all or nothing, audited."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from regie.audit.models import AuditEntry
from regie.intake import importers, services
from regie.intake.models import Signal, SignalEvent, SignalSubject, Theme
from regie.subjects.models import Address, Company, Person

from .conftest import fixture_bytes


def _import_entries():
    return AuditEntry.objects.filter(action="create", object_type="intake.signal", detail__has_key="import")


def test_mma_import_registers_anonymous_signals_with_meldingnummer_subjects_and_triage(town):
    a = town["a"]
    result = importers.import_mma(a, fixture_bytes("mma_example.txt"), filename="mma.txt")
    assert result.ok and result.kind == "mma" and len(result.references) == 2
    first = Signal.unscoped.get(reference=result.references[0])
    assert (first.owner, first.channel, first.anonymous, first.external_reference) == (a, "mma", True, "MMA-2026-004512")
    assert timezone.localtime(first.received_at).date().isoformat() == "2026-03-03" and first.reported_on.isoformat() == "2026-02-28"
    assert str(first.address) == "Kerkstraat 12A, 7901 AB Ravenstede"
    assert [t.code for t in first.themes.all()] == ["drugs-productie"]
    assert first.suggested_label == "ondermijning"  # the default rules know 'hennep'
    assert not hasattr(first, "reporter") or first.reporter is None
    mentions = SignalSubject.objects.filter(signal=first)
    assert {m.vehicle_plate for m in mentions} >= {"12ABC3"}
    person = Person.unscoped.get(surname="Berg", owner=a)
    assert (person.first_names, person.surname_prefix, str(person.birth_date)) == ("Jan", "van der", "1980-02-01")
    second = Signal.unscoped.get(reference=result.references[1])
    assert sorted(t.code for t in second.themes.all()) == ["autobranche", "witwassen"]
    assert Company.unscoped.get(owner=a, kvk_number="12345678").name == "Autohandel De Snelle Wissel B.V."
    assert list(first.events.values_list("kind", flat=True)) == [SignalEvent.Kind.RECEIVED]
    # one audit entry per signal from register, plus one for the import as a whole
    assert AuditEntry.objects.filter(action="create", object_type="intake.signal", object_id=str(first.pk)).exists()
    (entry,) = _import_entries()
    assert entry.detail["import"] == "mma" and entry.detail["rows"] == 2 and len(entry.detail["sha256"]) == 64


def test_mma_import_of_an_email(town):
    result = importers.import_mma(town["a"], fixture_bytes("mma_example.eml"), filename="melding.eml")
    assert result.ok
    (signal,) = Signal.unscoped.filter(reference__in=result.references)
    assert signal.external_reference == "MMA-2026-004514"
    assert signal.address.addition == "2"
    assert Company.unscoped.get(kvk_number="87654321").name == "Uitzendbureau Snel & Goedkoop"


def test_the_same_meldingnummer_twice_is_refused_as_duplicate_but_another_municipality_may_hold_it(town):
    a, b = town["a"], town["b"]
    assert importers.import_mma(a, fixture_bytes("mma_example.txt")).ok
    before = Signal.unscoped.count()
    again = importers.import_mma(a, fixture_bytes("mma_example.txt"))
    assert not again.ok and again.created == []
    assert again.messages == [
        "regel 1: Meldingnummer MMA-2026-004512 is al eerder geïmporteerd; deze melding is een dubbele",
        "regel 14: Meldingnummer MMA-2026-004513 is al eerder geïmporteerd; deze melding is een dubbele",
    ]
    # one new report next to a known one: still nothing written
    mixed = fixture_bytes("mma_example.txt") + b"\n---\nMeldingnummer: MMA-2026-009999\nDatum melding: 01-03-2026\nOmschrijving: nieuw\n"
    assert not importers.import_mma(a, mixed).ok
    assert Signal.unscoped.count() == before
    assert importers.import_mma(b, fixture_bytes("mma_example.txt")).ok
    assert Signal.unscoped.filter(external_reference="MMA-2026-004512").count() == 2


def test_csv_import_registers_every_row(town):
    a = town["a"]
    result = importers.import_csv(a, fixture_bytes("signals_example.csv"))
    assert result.ok and [c.line for c in result.created] == [2, 3, 4]
    counter, boa, mail = (Signal.unscoped.get(pk=c.pk) for c in result.created)
    assert (counter.channel, counter.anonymous, counter.external_reference) == ("counter", False, None)
    assert sorted(t.code for t in counter.themes.all()) == ["arbeidsuitbuiting", "vastgoed"]
    assert Person.unscoped.get(owner=a, bsn="999990019").full_name == "Karin Jansen"
    assert (boa.hardness, boa.severity) == ("feit", "hoog")
    assert SignalSubject.objects.filter(signal=boa, vehicle_plate="34XKLP").exists()
    assert mail.anonymous and mail.address is None
    (entry,) = _import_entries()
    assert entry.detail["import"] == "csv" and entry.detail["rows"] == 3


def test_csv_theme_codes_are_checked_against_the_municipalitys_catalogue(town):
    a, b = town["a"], town["b"]
    Theme.objects.create(organisation=a, code="ondermijnend-vastgoed", name="ondermijnend vastgoed", group="Vastgoed")
    data = (
        "ontvangen_op;kanaal;omschrijving;thema's\n"
        "01-03-2026;counter;eigen thema;ondermijnend-vastgoed\n"
        "01-03-2026;counter;standaard;witwassen|drugs-handel\n"
    ).encode()
    assert importers.import_csv(a, data).ok
    refused = importers.import_csv(b, data)  # B's catalogue does not have A's own theme
    assert refused.messages == [
        "regel 2: onbekend thema ‘ondermijnend-vastgoed’ in kolom thema's; zie Signalen › Regels voor de themacodes"
    ]
    assert not Signal.unscoped.filter(owner=b).exists()


def test_mma_leaves_out_a_theme_the_municipality_switched_off(town):
    Theme.objects.filter(code="drugs-productie", organisation__isnull=True).update(active=False)
    result = importers.import_mma(town["a"], fixture_bytes("mma_example.txt"))
    assert result.ok
    assert not Signal.unscoped.get(reference=result.references[0]).themes.exists()


def test_an_invalid_csv_writes_nothing_at_all(town):
    a = town["a"]
    data = fixture_bytes("signals_example.csv") + "07-03-2026;counter;x;;;;;;;;;;Jan Jansen;;123456789;;;\r\n".encode()
    counts = (Signal.unscoped.count(), Person.unscoped.count(), Company.unscoped.count(), Address.unscoped.count(), AuditEntry.objects.count())
    result = importers.import_csv(a, data)
    assert result.messages == ["regel 5: geen geldig burgerservicenummer (negen cijfers die de elfproef doorstaan) in kolom persoon_bsn"]
    assert (Signal.unscoped.count(), Person.unscoped.count(), Company.unscoped.count(), Address.unscoped.count(), AuditEntry.objects.count()) == counts


def test_a_failure_while_writing_rolls_back_the_rows_already_written(town, monkeypatch):
    """The safety net: should register refuse row 3 after rows 1-2 were written, all three are undone."""
    real_register, calls = services.register, []

    def register(owner, data, **kwargs):
        calls.append(data)
        if len(calls) == 3:
            raise ValidationError({"text": "Beschrijf wat u heeft gezien of gehoord."})
        return real_register(owner, data, **kwargs)

    monkeypatch.setattr(services, "register", register)
    before = (Signal.unscoped.count(), Person.unscoped.count(), AuditEntry.objects.count())
    result = importers.import_csv(town["a"], fixture_bytes("signals_example.csv"))
    assert len(calls) == 3
    assert result.messages == ["regel 4: beschrijf wat u heeft gezien of gehoord"]
    assert (Signal.unscoped.count(), Person.unscoped.count(), AuditEntry.objects.count()) == before


def test_imports_link_only_within_the_municipality(town):
    a, b = town["a"], town["b"]
    known_in_b = Person.objects.create(owner=b, first_names="Karin", surname="Jansen", bsn="999990019")
    result = importers.import_csv(a, fixture_bytes("signals_example.csv"))
    mention = SignalSubject.objects.filter(signal_id=result.created[0].pk, person__isnull=False).get()
    assert mention.person != known_in_b and mention.person.owner == a and mention.method == "nieuw"
