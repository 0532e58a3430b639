"""The parsers on their own: pure functions from bytes to SignalInputs or line-numbered Dutch errors."""

from datetime import date, timedelta

import pytest

from regie.intake import importers
from regie.intake.importers import ImportRejected, parse_csv, parse_mma, parse_mma_email, parse_mma_upload

from .conftest import fixture_bytes

HEADER = "ontvangen_op;kanaal;omschrijving;postcode;huisnummer;toevoeging;persoon_naam;persoon_geboortedatum;persoon_bsn;bedrijf_kvk;kenteken;thema's"


def rejected(parse, data) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        parse(data)
    assert caught.value.messages == [str(e) for e in caught.value.errors]
    return caught.value.messages


def mma(*lines: str) -> bytes:
    return "\n".join(lines).encode()


VALID = ("Meldingnummer: MMA-2026-000001", "Datum melding: 01-03-2026", "Omschrijving: Verdachte handel in de schuur.")


# --- MMA ---------------------------------------------------------------------------------------


def test_mma_example_reads_every_field():
    first, second = parse_mma(fixture_bytes("mma_example.txt"))
    assert (first.line, first.external_reference) == (1, "MMA-2026-004512")
    s = first.signal
    assert (s.channel, s.anonymous) == ("mma", True)
    assert s.received_at.date() == date(2026, 3, 3) and s.received_at.tzinfo is not None
    assert s.reported_on == date(2026, 2, 28)
    assert s.text.startswith("Onderwerp: Hennepkwekerij in woning\n\nIn de woning brandt")
    assert "\n\nEen bestelbus laadt" in s.text  # a blank line inside the description is kept
    assert s.theme_codes == ["drugs-productie"]
    a = s.address
    assert (a.postcode, a.house_number, a.house_letter, a.addition, a.street, a.city) == ("7901AB", 12, "A", "", "Kerkstraat", "Ravenstede")
    person, vehicle = s.mentions
    assert (person.kind, person.name, person.birth_date) == ("persoon", "Jan van der Berg", date(1980, 2, 1))
    assert (vehicle.kind, vehicle.plate) == ("voertuig", "12ABC3")
    assert second.line == 14 and second.external_reference == "MMA-2026-004513"
    assert second.signal.theme_codes == ["witwassen", "autobranche"]
    company = next(m for m in second.signal.mentions if m.kind == "bedrijf")
    assert (company.name, company.kvk_number) == ("Autohandel De Snelle Wissel B.V.", "12345678")
    # the description started on the Omschrijving line itself and ran on to the end
    assert second.signal.text.endswith("auto's contant afgerekend.\nEr staan elke week andere auto's op het terrein, maar er komen nauwelijks klanten.")


@pytest.mark.parametrize(
    "subject, codes",
    [
        ("Hennepkwekerij", ["drugs-productie"]),
        ("HENNÉP op zolder", ["drugs-productie"]),
        ("Drugshandel vanuit woning", ["drugs-handel"]),
        ("Mensenhandel", ["mensenhandel"]),
        ("Witwassen via vastgoed", ["witwassen"]),
        ("Overlast van jongeren", []),
        ("Dealen bij school; ook hennep", ["drugs-productie", "drugs-dealen"]),
    ],
)
def test_subject_keywords_map_to_themes(subject, codes):
    assert importers.themes_for_subject(subject) == codes


@pytest.mark.parametrize(
    "place, expected",
    [
        ("Kerkstraat 12a, 7901 AB Ravenstede", ("7901AB", 12, "A", "", "Kerkstraat", "Ravenstede")),
        ("Molenweg 3-2, 7903EF", ("7903EF", 3, "", "2", "Molenweg", "")),
        ("Laan 1940-1945 8 bis, 7901 AB Ravenstede", ("7901AB", 8, "", "BIS", "Laan 1940-1945", "Ravenstede")),
        ("Dorpsstraat 5 A-1, 7901ab Nieuw Ravenstede", ("7901AB", 5, "A", "1", "Dorpsstraat", "Nieuw Ravenstede")),
    ],
)
def test_place_of_offence_becomes_an_address(place, expected):
    (parsed,) = parse_mma(mma(*VALID, f"Plaats delict: {place}"))
    a = parsed.signal.address
    assert (a.postcode, a.house_number, a.house_letter, a.addition, a.street, a.city) == expected


def test_every_error_of_every_report_is_listed_with_its_line():
    data = mma(
        "Meldingnummer: 2026-12",  # 1
        "Datum melding: 31-02-2026",  # 2
        "Plaats delict: Kerkstraat 12a, 0123 AB Ravenstede",  # 3
        "Betrokkene: Jan, ongeveer 30 jaar",  # 4
        "Betrokkene: Piet Pietersen, geboren 01-13-1980",  # 5
        "Bedrijf: Handel B.V., KvK 1234",  # 6
        "Voertuig: X",  # 7
        "Kleur: rood",  # 8
        "Omschrijving: iets",  # 9
        "---",  # 10
        "Datum melding: 01-03-2026",  # 11
        "losse tekst",  # 12
    )
    messages = rejected(parse_mma, data)
    text = "\n".join(messages)
    assert "regel 1: geen geldig Meldingnummer ‘2026-12’" in text
    assert "regel 2: geen geldige Datum melding ‘31-02-2026’ (verwacht dd-mm-jjjj)" in text
    assert "regel 3: geen geldige postcode" in text and "(bij Plaats delict)" in text
    assert "regel 4: schrijf ‘naam, geboren dd-mm-jjjj’" in text
    assert "regel 5: geen geldige geboortedatum ‘01-13-1980’" in text
    assert "regel 6: een KvK-nummer bestaat uit acht cijfers (bij Bedrijf)" in text
    assert "regel 7: geen geldig kenteken ‘X’" in text
    assert "regel 8: onbekend veld ‘Kleur’" in text
    assert "regel 11: Meldingnummer ontbreekt" in text and "regel 11: Omschrijving ontbreekt" in text
    assert "regel 12: tekst buiten een veld" in text
    assert [int(m.split(":")[0].split()[1]) for m in messages] == sorted(int(m.split(":")[0].split()[1]) for m in messages)


def test_dates_in_the_future_and_in_the_wrong_order_are_refused():
    tomorrow = (date.today() + timedelta(days=2)).strftime("%d-%m-%Y")
    text = "\n".join(rejected(parse_mma, mma("Meldingnummer: MMA-2026-000001", f"Datum melding: {tomorrow}", "Omschrijving: x")))
    assert "regel 2: Datum melding ligt in de toekomst" in text
    text = "\n".join(rejected(parse_mma, mma(*VALID, "Datum delict: 02-03-2026")))
    assert "regel 4: Datum delict ligt na Datum melding" in text


def test_single_fields_may_not_repeat_and_numbers_not_twice_in_a_file():
    text = "\n".join(rejected(parse_mma, mma(*VALID, "Datum melding: 02-03-2026")))
    assert "regel 4: Datum melding staat twee keer in deze melding" in text
    text = "\n".join(rejected(parse_mma, mma(*VALID, "---", *VALID)))
    assert "regel 5: Meldingnummer MMA-2026-000001 staat twee keer in dit bestand (ook in de melding op regel 1)" in text


def test_description_runs_until_the_next_field_and_keeps_lines_that_look_like_notes():
    (parsed,) = parse_mma(mma(
        "meldingnummer: mma-2026-000002", "DATUM MELDING: 1-3-2026", "Omschrijving:", "", "Let op: hij rijdt een zwarte auto.",
        "Tweede regel.", "", "Voertuig: 99-XX-99",
    ))
    assert parsed.external_reference == "MMA-2026-000002"
    assert parsed.signal.text == "Let op: hij rijdt een zwarte auto.\nTweede regel."
    assert parsed.signal.mentions[0].plate == "99XX99"
    assert parsed.signal.theme_codes == []


def test_empty_description_and_empty_file_are_refused():
    assert "regel 3: Omschrijving is leeg" in rejected(parse_mma, mma(*VALID[:2], "Omschrijving:   ", "", "---"))
    assert rejected(parse_mma, b"---\n\n---\n") == ["Het bestand bevat geen meldingen. Elke melding begint met ‘Meldingnummer:’."]


def test_email_body_is_read_and_greeting_and_signature_ignored():
    (parsed,) = parse_mma_email(fixture_bytes("mma_example.eml"))
    assert parsed.external_reference == "MMA-2026-004514"
    assert parsed.line == 5  # counted in the decoded body
    assert parsed.signal.text.endswith("De arbeiders lijken geïntimideerd en wonen met zó veel mensen in één woning.")
    assert "Meld Misdaad Anoniem" not in parsed.signal.text  # the signature is not part of the report
    assert set(parsed.signal.theme_codes) == {"mensenhandel", "arbeidsuitbuiting"}
    assert (parsed.signal.address.house_number, parsed.signal.address.addition) == (3, "2")
    # detection: by extension, or by headers at the top
    assert parse_mma_upload(fixture_bytes("mma_example.eml"), "doorgestuurd.eml")[0].external_reference == "MMA-2026-004514"
    assert parse_mma_upload(fixture_bytes("mma_example.eml"), "bericht.txt")[0].external_reference == "MMA-2026-004514"
    assert len(parse_mma_upload(fixture_bytes("mma_example.txt"), "meldingen.txt")) == 2


def test_email_errors_count_lines_in_the_body():
    body = "Meldingnummer: MMA-2026-000009\nDatum melding: 99-99-2026\nOmschrijving: x\n"
    data = f"From: a@mma.example\nSubject: melding\nContent-Type: text/plain; charset=utf-8\n\n{body}".encode()
    assert rejected(parse_mma_email, data) == ["regel 2 van de berichttekst: geen geldige Datum melding ‘99-99-2026’ (verwacht dd-mm-jjjj)"]
    html_only = b"From: a@mma.example\nContent-Type: text/html\n\n<p>Meldingnummer: MMA-2026-1</p>\n"
    assert rejected(parse_mma_email, html_only) == ["De e-mail heeft geen tekst (text/plain) met meldingen."]


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_example_reads_every_column():
    rows = parse_csv(fixture_bytes("signals_example.csv"))
    assert [r.line for r in rows] == [2, 3, 4]
    s = rows[0].signal
    assert (s.channel, s.anonymous, s.hardness, s.severity) == ("counter", False, "indicatie", "midden")
    assert (s.received_at.hour, s.received_at.minute) == (14, 30)
    assert s.text == "Baliemedewerker ziet steeds andere mensen ingeschreven op één adres; mogelijk huisjesmelkerij."
    assert s.theme_codes == ["vastgoed", "arbeidsuitbuiting"]
    assert (s.address.postcode, s.address.house_letter) == ("7901AB", "A")
    (person,) = s.mentions
    assert (person.name, person.birth_date, person.bsn) == ("Karin Jansen", date(1975, 6, 15), "999990019")
    boa = rows[1].signal
    assert [m.kind for m in boa.mentions] == ["bedrijf", "voertuig"] and boa.mentions[1].plate == "34XKLP"
    assert rows[2].signal.anonymous and rows[2].signal.address is None
    assert rows[2].signal.text == 'Anonieme e-mail: "in de kapperszaak wordt veel contant geld gestort".'


def test_csv_with_bom_and_commas_reads_the_same():
    semicolon = parse_csv(fixture_bytes("signals_example.csv"))
    text = fixture_bytes("signals_example.csv").decode()
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=",", lineterminator="\n")
    writer.writerows(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    comma = parse_csv(b"\xef\xbb\xbf" + out.getvalue().encode())
    assert [r.signal for r in comma] == [r.signal for r in semicolon]


def test_csv_collects_every_error_with_line_and_column():
    future = (date.today() + timedelta(days=3)).strftime("%d-%m-%Y")
    data = "\n".join([
        HEADER,
        "01-03-2026;counter;Goed;7901 AB;12;a;Jan Jansen;01-01-1980;999990019;12345678;12-ABC-3;drugs-productie",  # 2
        "01-03-2026;counter;Foute BSN;;;;Jan Jansen;;123456789;;;",  # 3
        "32-01-2026;brief;;79O1 AB;0;toolong;;01-01-1980;;1234;1;Drugs Productie",  # 4
        f"{future};counter;Toekomst;7901 AB;;;;;;;;",  # 5
        "01-03-2026;counter;te weinig velden",  # 6
    ]).encode()
    text = "\n".join(rejected(parse_csv, data))
    assert "regel 2" not in text
    assert "regel 3: geen geldig burgerservicenummer (negen cijfers die de elfproef doorstaan) in kolom persoon_bsn" in text
    assert "regel 4: geen geldige datum ‘32-01-2026’ in kolom ontvangen_op" in text
    assert "regel 4: onbekend kanaal ‘brief’" in text
    assert "regel 4: omschrijving is leeg" in text
    assert "regel 4: geen geldige postcode" in text and "in kolom postcode" in text
    assert "regel 4: geen geldig huisnummer ‘0’" in text
    assert "regel 4: geen geldige huisletter of toevoeging ‘toolong’" in text
    assert "regel 4: vul ook persoon_naam in bij een geboortedatum of BSN" in text
    assert "regel 4: een KvK-nummer bestaat uit acht cijfers in kolom bedrijf_kvk" in text
    assert "regel 4: geen geldig kenteken ‘1’" in text
    assert "regel 4: onbekend thema ‘drugs productie’" in text
    assert "regel 5: ontvangen_op ligt in de toekomst" in text
    assert "regel 5: vul voor een adres zowel postcode als huisnummer in" in text
    assert "regel 6: 3 velden in plaats van 12" in text


def test_csv_line_numbers_follow_quoted_line_breaks():
    data = (
        "ontvangen_op,kanaal,omschrijving,persoon_naam,persoon_bsn\n"
        '01-03-2026,counter,"eerste regel\ntweede regel",,\n'
        "01-03-2026,counter,goed,Jan Jansen,123\n"
    ).encode()
    assert rejected(parse_csv, data) == [
        "regel 4: geen geldig burgerservicenummer (negen cijfers die de elfproef doorstaan) in kolom persoon_bsn"
    ]


def test_csv_header_problems():
    assert rejected(parse_csv, b"datum;omschrijving;postcod\n01-03-2026;x;1234AB\n") == [
        "regel 1: onbekende kolommen datum, postcod; bekende kolommen zijn " + ", ".join(importers.CSV_COLUMNS),
        "regel 1: de kopregel mist de verplichte kolommen ontvangen_op, kanaal",
    ]
    assert "kolom kanaal staat meer dan eens" in rejected(parse_csv, b"ontvangen_op;kanaal;Kanaal;omschrijving\n")[0]
    assert rejected(parse_csv, b"ontvangen_op;kanaal;omschrijving\n;;\n") == ["Het bestand bevat geen signalen, alleen een kopregel."]


def test_csv_bsn_keeps_a_leading_zero_a_spreadsheet_dropped():
    (row,) = parse_csv(b"ontvangen_op;kanaal;omschrijving;persoon_naam;persoon_bsn\n01-03-2026;counter;x;Jan Jansen;9999 900.19\n")
    assert row.signal.mentions[0].bsn == "999990019"


@pytest.mark.parametrize("parse", [parse_csv, parse_mma, parse_mma_upload])
def test_binary_non_utf8_and_oversized_files_are_refused_clearly(parse):
    assert "geen tekstbestand in UTF-8" in rejected(parse, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")[0]
    assert "geen tekstbestand in UTF-8" in rejected(parse, "ontvangen_op;kanaal".encode("utf-16"))[0]
    assert rejected(parse, "regel een\nKerkstraat Ravenstède".encode("latin-1")) == [
        "regel 2: het bestand is niet in UTF-8 gecodeerd; sla het op als ‘CSV UTF-8’ of als tekst in UTF-8"
    ]
    assert rejected(parse, b"a\n\x1b[31m") == ["regel 2: het bestand bevat stuurtekens; het is geen gewoon tekstbestand"]
    assert rejected(parse, b"x" * (importers.MAX_BYTES + 1)) == ["Het bestand is groter dan 5 MB. Splits het in kleinere bestanden."]
    assert rejected(parse, b"  \n ") == ["Het bestand is leeg."]


def test_row_limits():
    header = b"ontvangen_op;kanaal;omschrijving\n"
    rows = parse_csv(header + b"01-03-2026;counter;x\n" * importers.MAX_ROWS)
    assert len(rows) == importers.MAX_ROWS
    assert rejected(parse_csv, header + b"01-03-2026;counter;x\n" * (importers.MAX_ROWS + 1)) == [
        "Het bestand bevat meer dan 5000 signalen; splits het in kleinere bestanden."
    ]
    report = "\n".join(VALID[1:])
    many = "\n---\n".join(f"Meldingnummer: MMA-2026-{n}\n{report}" for n in range(importers.MAX_ROWS + 1))
    assert rejected(parse_mma, many.encode()) == ["Het bestand bevat meer dan 5000 meldingen; splits het in kleinere bestanden."]


def test_email_in_an_unknown_character_set_is_read_as_utf8():
    data = "From: a@mma.example\nContent-Type: text/plain; charset=x-onbekend\n\nMeldingnummer: MMA-2026-000010\nDatum melding: 01-03-2026\nOmschrijving: Zó gezien.\n"
    (parsed,) = parse_mma_email(data.encode())
    assert parsed.signal.text == "Zó gezien."
