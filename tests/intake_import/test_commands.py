"""regie import-mma and regie import-signals-csv: the same imports from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from regie.audit.models import AuditEntry
from regie.intake.models import Signal
from regie.organisations.models import Organisation

from .conftest import FIXTURES


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_mma_lists_the_new_signals(town):
    out = run("import-mma", str(FIXTURES / "mma_example.txt"), "--gemeente", "gm9991")
    signals = list(Signal.unscoped.order_by("external_reference"))
    assert [s.external_reference for s in signals] == ["MMA-2026-004512", "MMA-2026-004513"]
    assert all(s.owner == town["a"] and s.channel == "mma" and s.anonymous and s.created_by is None for s in signals)
    assert out.startswith("2 signalen geïmporteerd voor Gemeente Aastad.")
    assert f"regel 1: {signals[0].reference} (MMA-2026-004512)" in out
    entry = AuditEntry.objects.get(detail__import="mma")
    assert (entry.username, entry.organisation_id, entry.detail["rows"]) == ("beheercommando import-mma", town["a"].pk, 2)


def test_import_mma_reads_an_email(town):
    run("import-mma", str(FIXTURES / "mma_example.eml"), "--gemeente", "GM9992")
    assert Signal.unscoped.get().owner == town["b"]


def test_import_signals_csv(town):
    out = run("import-signals-csv", str(FIXTURES / "signals_example.csv"), "--gemeente", "GM9991")
    assert Signal.unscoped.filter(owner=town["a"]).count() == 3
    assert "3 signalen geïmporteerd" in out and "regel 4: M-" in out
    assert AuditEntry.objects.get(detail__import="csv").username == "beheercommando import-signals-csv"


def test_a_duplicate_is_refused_with_the_dutch_errors_and_nothing_written(town):
    run("import-mma", str(FIXTURES / "mma_example.txt"), "--gemeente", "GM9991")
    with pytest.raises(CommandError) as caught:
        run("import-mma", str(FIXTURES / "mma_example.txt"), "--gemeente", "GM9991")
    message = str(caught.value)
    assert message.startswith("Import geweigerd; er is niets opgeslagen (2 fouten):")
    assert "regel 14: Meldingnummer MMA-2026-004513 is al eerder geïmporteerd" in message
    assert Signal.unscoped.count() == 2


def test_a_bad_csv_fails_with_every_error(town, tmp_path):
    path = tmp_path / "fout.csv"
    path.write_text("ontvangen_op,kanaal,omschrijving,kenteken\n01-03-2026,counter,ok,12-ABC-3\n01-03-2026,fax,,?\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("import-signals-csv", str(path), "--gemeente", "GM9991")
    message = str(caught.value)
    assert "(3 fouten)" in message
    assert "regel 3: onbekend kanaal ‘fax’" in message and "regel 3: omschrijving is leeg" in message and "regel 3: geen geldig kenteken" in message
    assert not Signal.unscoped.exists()


@pytest.mark.parametrize(
    "code, message",
    [("GM0000", "Er is geen actieve gemeente met code ‘GM0000’."), ("", "Er is geen actieve gemeente")],
)
def test_unknown_municipality(town, code, message):
    with pytest.raises(CommandError, match=message):
        run("import-mma", str(FIXTURES / "mma_example.txt"), "--gemeente", code)


def test_a_partner_is_no_municipality_and_codes_must_be_unique(town):
    town["orgs"]["politie"].code = "PL01"
    town["orgs"]["politie"].save()
    with pytest.raises(CommandError, match="geen actieve gemeente"):
        run("import-mma", str(FIXTURES / "mma_example.txt"), "--gemeente", "PL01")
    Organisation.objects.create(name="Gemeente Dubbel", kind=Organisation.Kind.GEMEENTE, code="GM9991")
    with pytest.raises(CommandError, match="Meer dan één gemeente"):
        run("import-mma", str(FIXTURES / "mma_example.txt"), "--gemeente", "GM9991")
    assert not Signal.unscoped.exists()


def test_missing_file(town, tmp_path):
    with pytest.raises(CommandError, match="kan niet worden gelezen"):
        run("import-signals-csv", str(tmp_path / "bestaat-niet.csv"), "--gemeente", "GM9991")
