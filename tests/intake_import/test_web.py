"""/signalen/importeren/ through HTTP: who may import, what a good and a bad file show."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from regie.audit.models import AuditEntry
from regie.intake import importers
from regie.intake.models import Signal
from tests.conftest import verified_client

from .conftest import fixture_bytes

URL = "/signalen/importeren/"


def upload(client, kind, name, content):
    return client.post(URL, {"kind": kind, "file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("who", ["coordinator", "analist"])
def test_importers_see_the_form_and_the_link(town, who):
    client = verified_client(town[who])
    page = client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'enctype="multipart/form-data"' in body and 'name="file"' in body and 'value="mma"' in body and 'value="csv"' in body
    assert "utrecht-form-field" in body  # rendered through {% form_field %}
    assert f'href="{URL}"' in client.get("/signalen/").content.decode()


@pytest.mark.parametrize("who", ["medewerker", "boa", "beheerder", "jurist", "partner"])
def test_everyone_else_is_refused(town, who):
    client = verified_client(town[who])
    assert client.get(URL).status_code == 403
    assert upload(client, "mma", "m.txt", fixture_bytes("mma_example.txt")).status_code == 403
    assert not Signal.unscoped.exists()


def test_no_import_link_for_a_reader_of_signals(town):
    body = verified_client(town["jurist"]).get("/signalen/").content.decode()
    assert URL not in body


def test_anonymous_visitor_goes_to_login(town, client):
    response = client.get(URL)
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_mma_upload_shows_the_new_references_once(town):
    user = town["coordinator"]
    client = verified_client(user)
    response = upload(client, "mma", "mma.txt", fixture_bytes("mma_example.txt"))
    assert response.status_code == 302 and response["Location"] == URL
    signals = list(Signal.unscoped.order_by("external_reference"))
    assert [s.external_reference for s in signals] == ["MMA-2026-004512", "MMA-2026-004513"]
    assert all(s.owner == town["a"] and s.created_by == user and s.anonymous for s in signals)
    page = client.get(URL)
    body = page.content.decode()
    assert page.status_code == 200
    assert "2 signalen geïmporteerd." in body and "2 nieuwe signalen" in body
    for s in signals:
        assert f'href="/signalen/{s.pk}/"' in body and s.reference in body and s.external_reference in body
    assert signals[0].reference not in client.get(URL).content.decode()  # shown once: a reload imports nothing
    entry = AuditEntry.objects.get(detail__import="mma")
    assert (entry.user_id, entry.organisation_id, entry.detail["rows"]) == (user.pk, town["a"].pk, 2)


def test_email_upload(town):
    client = verified_client(town["analist"])
    assert upload(client, "mma", "doorgestuurd.eml", fixture_bytes("mma_example.eml")).status_code == 302
    assert Signal.unscoped.get().external_reference == "MMA-2026-004514"


def test_csv_upload_for_the_users_own_municipality(town):
    client = verified_client(town["coordinator_b"])
    assert upload(client, "csv", "signalen.csv", fixture_bytes("signals_example.csv")).status_code == 302
    assert Signal.unscoped.filter(owner=town["b"]).count() == 3 and not Signal.unscoped.filter(owner=town["a"]).exists()
    assert "3 nieuwe signalen (CSV)" in client.get(URL).content.decode()


def test_a_bad_csv_lists_every_error_with_its_line_and_writes_nothing(town):
    client = verified_client(town["coordinator"])
    data = (
        "ontvangen_op;kanaal;omschrijving;persoon_naam;persoon_bsn;postcode;huisnummer\n"
        "01-03-2026;counter;goed;;;;\n"
        "01-03-2026;counter;foute bsn;Jan Jansen;123456789;;\n"
        "01-03-2026;telefax;fout kanaal;;;;\n"
        "01-03-2026;counter;<script>alert(1)</script>;;;12345;1\n"
    ).encode()
    response = upload(client, "csv", "signalen.csv", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Het bestand is niet ingelezen" in body and "Er is niets opgeslagen" in body
    assert "regel 3: geen geldig burgerservicenummer" in body
    assert "regel 4: onbekend kanaal ‘telefax’" in body
    assert "regel 5: geen geldige postcode" in body
    assert "<script>alert(1)" not in body
    assert 'href="/signalen/"' in body  # the way back
    assert not Signal.unscoped.exists()
    assert not AuditEntry.objects.filter(detail__has_key="import").exists()


def test_a_duplicate_mma_upload_is_refused_with_status_400(town):
    client = verified_client(town["coordinator"])
    upload(client, "mma", "mma.txt", fixture_bytes("mma_example.txt"))
    response = upload(client, "mma", "mma.txt", fixture_bytes("mma_example.txt"))
    assert response.status_code == 400
    assert "regel 1: Meldingnummer MMA-2026-004512 is al eerder geïmporteerd" in response.content.decode()
    assert Signal.unscoped.count() == 2


def test_wrong_kind_of_file_binary_and_missing_file(town):
    client = verified_client(town["coordinator"])
    response = upload(client, "csv", "mma.txt", fixture_bytes("mma_example.txt"))
    assert response.status_code == 400 and "de kopregel mist de verplichte kolommen" in response.content.decode()
    response = upload(client, "csv", "foto.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert response.status_code == 400 and "geen tekstbestand in UTF-8" in response.content.decode()
    response = client.post(URL, {"kind": "csv"})
    assert response.status_code == 400 and "utrecht-form-field--invalid" in response.content.decode()
    response = client.post(URL, {"kind": "xml", "file": SimpleUploadedFile("a.xml", b"<a/>")})
    assert response.status_code == 400
    assert not Signal.unscoped.exists()


def test_an_oversized_upload_is_refused_before_reading(town):
    client = verified_client(town["coordinator"])
    response = upload(client, "csv", "groot.csv", b"x" * (importers.MAX_BYTES + 1))
    assert response.status_code == 400 and "groter dan 5 MB" in response.content.decode()


def test_a_long_error_list_is_cut_off_on_the_page(town):
    client = verified_client(town["coordinator"])
    rows = "".join("01-03-2026;fax;x\n" for _ in range(importers.ERRORS_SHOWN + 5))
    response = upload(client, "csv", "veel.csv", f"ontvangen_op;kanaal;omschrijving\n{rows}".encode())
    body = response.content.decode()
    assert response.status_code == 400
    assert f"regel {importers.ERRORS_SHOWN + 1}: onbekend kanaal" in body
    assert f"regel {importers.ERRORS_SHOWN + 2}: onbekend kanaal" not in body
    assert f"Alleen de eerste {importers.ERRORS_SHOWN} fouten worden getoond" in body


def test_the_signal_page_shows_the_meldingnummer(town):
    client = verified_client(town["coordinator"])
    upload(client, "mma", "mma.txt", fixture_bytes("mma_example.txt"))
    signal = Signal.unscoped.get(external_reference="MMA-2026-004512")
    client.post(f"/doel/?type={_content_type(signal)}&id={signal.pk}&next=/signalen/{signal.pk}/",
                {"purpose": "overleg", "explanation": "voorbereiding lokaal overleg"})
    body = client.get(f"/signalen/{signal.pk}/").content.decode()
    assert "Extern kenmerk" in body and "MMA-2026-004512" in body


def _content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(type(obj)).pk
