"""Property tests: whatever the bytes, the parsers answer with rows or ImportRejected, nothing else;
and a file with an error never writes a single row."""

from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from regie.intake import importers
from regie.intake.importers import ImportRejected
from regie.intake.models import Signal
from regie.subjects.models import Person

from .conftest import fixture_bytes

FAST = settings(max_examples=200, deadline=None)
WITH_DB = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

MMA_KEYS = ["Meldingnummer", "Datum melding", "Datum delict", "Onderwerp", "Plaats delict", "Betrokkene", "Bedrijf", "Voertuig", "Omschrijving"]
mma_values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["MMA-2026-000123", "01-03-2026", "31-02-2026", "Kerkstraat 12a, 7901 AB Ravenstede", "Jan, geboren 01-02-1980",
                     "X B.V., KvK 12345678", "12-ABC-3", "hennep", ""]),
)
mma_lines = st.lists(
    st.one_of(
        st.sampled_from(["---", "", "-- ", "Omschrijving:"]),
        st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(MMA_KEYS), mma_values),
        st.text(max_size=40),
    ),
    max_size=30,
)
csv_columns = list(importers.CSV_COLUMNS) + ["thema's", "onbekend"]
csv_cells = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["01-03-2026", "2026-03-01 10:00", "counter", "mma", "1234 AB", "12", "a-2", "999990019", "12345678", "ja", "feit", "witwassen|x", '"', "\n"]),
)


def _parse_any(parse, data):
    try:
        rows = parse(data)
    except ImportRejected as exc:
        assert exc.errors and all(str(e) for e in exc.errors)
        return None
    assert rows and all(isinstance(r, importers.Parsed) for r in rows)
    return rows


@FAST
@given(st.binary(max_size=3000))
@example(b"\xef\xbb\xbf")
@example(b"From: x\n\n\xff")
@example(b"Content-Type: text/plain; charset=nonsense\n\nMeldingnummer: MMA-2026-1\n")
def test_any_bytes_give_rows_or_import_rejected(data):
    for parse in (importers.parse_csv, importers.parse_mma, importers.parse_mma_email, importers.parse_mma_upload):
        _parse_any(parse, data)


@FAST
@given(st.text(max_size=1000))
def test_any_text_gives_rows_or_import_rejected(text):
    data = text.encode("utf-8", "surrogatepass")
    for parse in (importers.parse_csv, importers.parse_mma, importers.parse_mma_email, importers.parse_mma_upload):
        _parse_any(parse, data)


@FAST
@given(mma_lines, st.booleans())
def test_mma_shaped_text_gives_rows_or_import_rejected(lines, as_email):
    body = "\n".join(lines)
    if as_email:
        data = ("From: meldingen@mma.example\nContent-Type: text/plain; charset=utf-8\n\n" + body).encode("utf-8", "surrogatepass")
        _parse_any(importers.parse_mma_email, data)
    else:
        _parse_any(importers.parse_mma, body.encode("utf-8", "surrogatepass"))


@FAST
@given(st.lists(st.sampled_from(csv_columns), min_size=1, max_size=8), st.lists(st.lists(csv_cells, max_size=9), max_size=6), st.sampled_from([";", ","]))
def test_csv_shaped_text_gives_rows_or_import_rejected(header, rows, delimiter):
    text = "\n".join(delimiter.join(line) for line in [header, *rows])
    _parse_any(importers.parse_csv, text.encode("utf-8", "surrogatepass"))


@WITH_DB
@given(data=st.binary(max_size=2000), kind=st.sampled_from(["mma", "csv"]))
def test_an_invalid_file_never_writes_a_row(town, data, kind):
    before = (Signal.unscoped.count(), Person.unscoped.count())
    result = importers.run(town["a"], kind, data, filename="upload.eml" if data[:1] == b"F" else "upload.txt")
    if not result.ok:
        assert (Signal.unscoped.count(), Person.unscoped.count()) == before


BAD_VALUES = {
    "persoon_bsn": "123456789",
    "postcode": "0123 AB",
    "ontvangen_op": "30-02-2026",
    "kanaal": "postduif",
    "thema's": "geen-thema",  # only the catalogue (the database) knows this one is wrong
    "kenteken": "?",
    "bedrijf_kvk": "1234567",
    "persoon_geboortedatum": "01-01-2999",
}


@WITH_DB
@given(
    rows=st.integers(min_value=1, max_value=4),
    bad_row=st.integers(min_value=0, max_value=3),
    column=st.sampled_from(sorted(BAD_VALUES)),
)
def test_one_bad_value_anywhere_in_a_good_file_writes_nothing(town, rows, bad_row, column):
    lines = fixture_bytes("signals_example.csv").decode().split("\r\n")
    header, good = lines[0].split(";"), [line for line in lines[1:] if line]
    body = [good[i % len(good)] for i in range(rows)]
    target = bad_row % rows
    cells = body[target].split(";") if '"' not in body[target] else None
    if cells is None:  # the quoted example row: swap in a plain one
        body[target] = good[1]
        cells = body[target].split(";")
    cells[header.index(column)] = BAD_VALUES[column]
    if column in ("persoon_bsn", "persoon_geboortedatum"):
        cells[header.index("persoon_naam")] = "Jan Jansen"
    if column == "postcode":
        cells[header.index("huisnummer")] = "1"
    body[target] = ";".join(cells)
    data = "\r\n".join([lines[0], *body]).encode()
    before = (Signal.unscoped.count(), Person.unscoped.count())
    result = importers.import_csv(town["a"], data)
    assert not result.ok and result.created == []
    assert any(e.line == target + 2 for e in result.errors), result.messages
    assert (Signal.unscoped.count(), Person.unscoped.count()) == before


@WITH_DB
@given(reports=st.integers(min_value=1, max_value=3), bad=st.integers(min_value=0, max_value=2), field=st.sampled_from(
    ["Datum melding: 99-99-2026", "Plaats delict: ergens", "Betrokkene: , geboren x", "Voertuig: !", "Kleur: rood", "Meldingnummer: 12345"]
))
def test_one_bad_report_writes_none_of_the_others(town, reports, bad, field):
    blocks = []
    for n in range(reports):
        lines = [f"Meldingnummer: MMA-{date.today().year}-{700000 + n}", "Datum melding: 01-03-2026", "Omschrijving: melding"]
        if n == bad % reports:
            key = field.split(":")[0]
            # before Omschrijving: inside the description an unknown "Kleur:" would be plain text
            lines = [field] + [line for line in lines if not line.startswith(key + ":")]
        blocks.append("\n".join(lines))
    data = "\n---\n".join(blocks).encode()
    before = Signal.unscoped.count()
    result = importers.import_mma(town["a"], data)
    assert not result.ok
    assert Signal.unscoped.count() == before
