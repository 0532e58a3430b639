"""Point 1, property tests: whatever the bytes or JSON, the GeoJSON import answers with counts or
AreaImportRejected (Dutch messages), nothing else; and a rejected file never writes a row."""

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from regie.areas.geo import AreaImportRejected, import_areas, parse
from regie.areas.models import Buurt, Wijk
from regie.audit.models import AuditEntry
from regie.organisations.access import use_access

FAST = settings(max_examples=300, deadline=None)
WITH_DB = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12))
any_json = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=8), inner, max_size=5)), max_leaves=30)
numbers = st.one_of(st.integers(-200, 200), st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([5, 5.5, 6, 52, 52.5, 53]), st.text(max_size=3), st.booleans())
position = st.lists(numbers, min_size=0, max_size=3)
ring = st.one_of(st.lists(position, max_size=7), st.just([[5, 52], [6, 52], [6, 53], [5, 53], [5, 52]]), st.just([[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]))
geometry = st.one_of(
    any_json,
    st.fixed_dictionaries({"type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "polygon"]),
                           "coordinates": st.one_of(st.lists(ring, max_size=3), st.lists(st.lists(ring, max_size=2), max_size=2), any_json)}),
)
codes = st.one_of(st.sampled_from(["BU1", "BU2", "bu1", "", "WK1", "WK2", "x" * 13, "GM9991", "GM0001"]), st.text(max_size=4), st.integers(), st.none(), st.lists(st.integers(), max_size=2))
properties = st.one_of(any_json, st.dictionaries(
    st.sampled_from(["buurtcode", "BU_CODE", "wijkcode", "WK_CODE", "buurtnaam", "wijknaam", "gemeentecode", "postcodes", "x"]),
    codes, max_size=6,
))
feature = st.one_of(any_json, st.fixed_dictionaries({"type": st.sampled_from(["Feature", "feature"]), "geometry": geometry, "properties": properties}))
document = st.one_of(any_json, st.fixed_dictionaries({"type": st.sampled_from(["FeatureCollection", "Feature"]), "features": st.lists(feature, max_size=6)}))


def _check_rejection(exc: AreaImportRejected):
    assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)


@FAST
@given(st.binary(max_size=2000))
@example(b"\xef\xbb\xbf")
@example(b"[" * 5000)
@example(b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[1e400, 0]]]}}]}')
def test_any_bytes_parse_or_reject(data):
    try:
        parse(data)
    except AreaImportRejected as exc:
        _check_rejection(exc)


@FAST
@given(document)
def test_any_json_parses_or_rejects(doc):
    try:
        areas = parse(json.dumps(doc, allow_nan=True).encode())
    except AreaImportRejected as exc:
        _check_rejection(exc)
    else:
        assert areas and all(a.code and a.level in ("wijk", "buurt") for a in areas)


@WITH_DB
@given(document)
def test_import_writes_all_or_nothing(orgs, geo_access, doc):
    before = (Wijk.unscoped.count(), Buurt.unscoped.count(), AuditEntry.objects.count())
    try:
        with use_access(geo_access):
            result = import_areas(geo_access, orgs["a"], json.dumps(doc, allow_nan=True).encode())
    except AreaImportRejected as exc:
        _check_rejection(exc)
        assert (Wijk.unscoped.count(), Buurt.unscoped.count(), AuditEntry.objects.count()) == before
    else:
        assert sum(result.values()) >= 1
        assert AuditEntry.objects.count() == before[2] + 1
