"""Issue 8, point 6, property tests: whatever the bytes, each importer answers with rows or a Dutch
rejection (never another exception), and a file with one bad row writes nothing."""

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from regie.subjects import ftm_import, imports
from regie.subjects.imports import ImportRejected
from regie.subjects.models import Address, Company, Person, Relation, Statement

from .registers import (
    BAG_HEADER,
    BRP_HEADER,
    KVK_HEADER,
    KVK_ROWS,
    bag_rows,
    brp_rows,
    csv_bytes,
)
from .test_register_imports import access_for

FAST = settings(max_examples=150, deadline=None)
WITH_DB = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
HEADERS = {"brp": BRP_HEADER, "bag": BAG_HEADER, "kvk": KVK_HEADER}
GOOD = {"brp": brp_rows(3), "bag": bag_rows(3), "kvk": KVK_ROWS}
cells = st.one_of(st.text(max_size=15), st.sampled_from(["", "111222333", "123456789", "31-02-2020", "1234 AB", "0123AB", "12", "bv", '"', "\n", ";"]))


def counts():
    return tuple(m.unscoped.count() for m in (Person, Company, Address, Relation, Statement))


def _dutch(errors):
    assert errors and all(str(e) for e in errors)
    assert all(str(e).startswith("regel ") or str(e)[:1].isupper() for e in errors)


@FAST
@given(st.binary(max_size=2000), st.sampled_from(sorted(imports.KINDS)))
@example(b"\xef\xbb\xbf", "brp")
@example(b'bsn;achternaam\n"open', "brp")
def test_any_bytes_give_rows_or_a_dutch_rejection(data, kind):
    try:
        rows = imports.parse(kind, data)
    except ImportRejected as exc:
        _dutch(exc.errors)
    else:
        assert rows


@FAST
@given(st.sampled_from(sorted(imports.KINDS)), st.lists(st.lists(cells, max_size=20), max_size=5), st.sampled_from([";", ","]))
def test_register_shaped_text_gives_rows_or_a_dutch_rejection(kind, rows, delimiter):
    text = "\n".join(delimiter.join(line) for line in [HEADERS[kind], *rows])
    try:
        imports.parse(kind, text.encode("utf-8", "surrogatepass"))
    except ImportRejected as exc:
        _dutch(exc.errors)


@FAST
@given(st.binary(max_size=2000))
@example(b'{"id": "a", "schema": "Person", "properties": {"name": [1]}}')
@example(b'{"id": "a", "schema": "Person", "properties": {"name": ["x"], "addressEntity": ["a"]}}')
def test_any_bytes_give_ftm_entities_or_a_dutch_rejection(data):
    try:
        assert ftm_import.parse(data)
    except ImportRejected as exc:
        _dutch(exc.errors)


@WITH_DB
@given(kind=st.sampled_from(sorted(imports.KINDS)), rows=st.lists(st.lists(cells, min_size=18, max_size=18), min_size=1, max_size=4))
def test_whatever_the_rows_the_import_answers_and_a_rejection_writes_nothing(orgs, kind, rows):
    before = counts()
    data = csv_bytes(HEADERS[kind], [r[: len(HEADERS[kind])] for r in rows])
    result = imports.run(access_for(orgs["a"]), kind, data)
    if not result.ok:
        _dutch(result.errors)
        assert counts() == before


BAD = {
    "brp": [(0, "123456789"), (5, "30-02-1980"), (10, "9999"), (4, ""), (7, "x")],
    "bag": [(0, "1"), (10, "noord"), (9, "BU00000000"), (7, "AB12"), (1, "12")],
    "kvk": [(0, "1234"), (3, "GmbH"), (6, "abc"), (15, "bestuurder"), (16, "32-01-2020")],
}


@WITH_DB
@given(data=st.data())
@pytest.mark.parametrize("kind", sorted(imports.KINDS))
def test_one_bad_row_in_a_good_file_writes_nothing(orgs, kind, data):
    rows = [list(r) for r in GOOD[kind]]
    target = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    column, value = data.draw(st.sampled_from(BAD[kind]))
    rows[target][column] = value
    if kind == "kvk" and column == 15:
        rows[target][13] = ""  # a function without a functionaris
    before = counts()
    result = imports.run(access_for(orgs["a"]), kind, csv_bytes(HEADERS[kind], rows))
    assert not result.ok
    assert any(str(e).startswith(f"regel {target + 2}:") for e in result.errors), result.messages
    assert counts() == before


@WITH_DB
@given(bad=st.sampled_from([
    {"birthDate": ["1980-13-01"]}, {"kleur": ["rood"]}, {"addressEntity": ["nergens"]}, {"name": [7]},
]), position=st.integers(min_value=0, max_value=2))
def test_one_bad_ftm_line_writes_nothing(orgs, bad, position):
    lines = [json.dumps({"id": f"p{i}", "schema": "Person", "properties": {"name": [f"Jan Proef{i}"]}}) for i in range(3)]
    broken = json.loads(lines[position])
    broken["properties"].update(bad)
    lines[position] = json.dumps(broken)
    before = counts()
    result = ftm_import.run(access_for(orgs["a"]), "\n".join(lines).encode())
    assert not result.ok and any(m.startswith(f"regel {position + 1}:") for m in result.messages), result.messages
    assert counts() == before
