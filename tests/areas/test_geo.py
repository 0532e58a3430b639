"""Point 1: wijk and buurt boundaries from GeoJSON (service and command), point-in-polygon, all or
nothing, Dutch errors naming the object, an audit row per import."""

import json

import pytest
from django.core.management import CommandError, call_command

from regie.areas import services
from regie.areas.geo import AreaImportRejected, buurt_for_point, import_areas, parse
from regie.areas.models import Buurt, Wijk
from regie.audit.models import AuditEntry
from regie.organisations.access import use_access

from .conftest import GOOD, collection, feature, rect, square


def counts():
    return Wijk.unscoped.count(), Buurt.unscoped.count()


def test_import_creates_wijk_and_buurten_with_geometry_and_audit(orgs, geo_access):
    with use_access(geo_access):
        result = import_areas(geo_access, orgs["a"], GOOD, filename="grenzen.geojson")
    assert result == {"wijken_nieuw": 1, "wijken_bijgewerkt": 0, "buurten_nieuw": 2, "buurten_bijgewerkt": 0,
                      "adressen_heringedeeld": 0}
    wijk = Wijk.unscoped.get(owner=orgs["a"], code="WK999101")
    assert wijk.name == "Centrum" and (wijk.min_lon, wijk.min_lat, wijk.max_lon, wijk.max_lat) == (5, 52, 7, 53)
    oude, nieuwe = Buurt.unscoped.filter(owner=orgs["a"]).order_by("code")
    assert (oude.code, oude.name, oude.wijk_id, oude.postcode_areas) == ("BU99910001", "Oude Haven", wijk.pk, "9901,9902")
    assert (nieuwe.code, nieuwe.name) == ("BU99910002", "Nieuwe Haven")  # CBS's upper-case property names
    assert json.loads(nieuwe.geometry)["type"] == "Polygon" and nieuwe.min_lon == 6
    entry = AuditEntry.objects.filter(object_type="areas.buurt", action=AuditEntry.Action.CREATE).last()
    assert entry.detail["buurten_nieuw"] == 2 and entry.detail["bestand"] == "grenzen.geojson"
    assert entry.organisation_id == orgs["a"].pk


def test_reimport_updates_existing_rows_and_keeps_postcodes(orgs, geo_access):
    with use_access(geo_access):
        import_areas(geo_access, orgs["a"], GOOD)
        moved = collection(feature(square(8, 50), buurtcode="BU99910001", buurtnaam="Oude Haven-Noord", wijkcode="WK999101"))
        result = import_areas(geo_access, orgs["a"], moved)
    assert result["buurten_bijgewerkt"] == 1 and result["buurten_nieuw"] == 0
    buurt = Buurt.unscoped.get(owner=orgs["a"], code="BU99910001")
    assert buurt.name == "Oude Haven-Noord" and buurt.min_lon == 8 and buurt.postcode_areas == "9901,9902"
    assert counts() == (1, 2)


def test_buurt_without_known_wijk_creates_the_wijk_from_its_properties(orgs, geo_access):
    data = collection(feature(square(5, 52), buurtcode="BU1", buurtnaam="B", wijkcode="WK7", wijknaam="Zevende wijk"))
    with use_access(geo_access):
        import_areas(geo_access, orgs["a"], data)
    assert Wijk.unscoped.get(code="WK7").name == "Zevende wijk"


@pytest.mark.parametrize("features, message", [
    ([feature(square(5, 52), wijknaam="X", wijkcode="WK1"), feature(square(5, 52), buurtnaam="Y", wijkcode="WK1")],
     "object 1: buurtcode ontbreekt"),
    ([feature(square(5, 52), buurtcode="BU1", wijkcode="WK1")] * 5 + [feature({"type": "Point", "coordinates": [5, 52]}, buurtcode="BU9", wijkcode="WK1")],
     "object 5: geometrie moet een Polygon of MultiPolygon zijn"),
    ([feature({"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}, buurtcode="BU1", wijkcode="WK1")],
     "object 0: ongeldige geometrie"),
    ([feature({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0.5]]]}, buurtcode="BU1", wijkcode="WK1")],
     "object 0: ongeldige geometrie (een ring is niet gesloten)"),
    ([feature(rect(120000, 480000, 121000, 481000), buurtcode="BU1", wijkcode="WK1")],
     "object 0: ongeldige geometrie (coördinaten buiten bereik; lever WGS84 (lengtegraad, breedtegraad), niet RD)"),
    ([feature(square(5, 52), buurtcode="BU1")], "object 0: wijkcode ontbreekt"),
    ([feature(square(5, 52), buurtcode="BU1", wijkcode="WK1", gemeentecode="GM0344")],
     "object 0: gemeentecode GM0344 hoort niet bij gemeente GM9991"),
    ([feature(square(5, 52), buurtcode="BU1", wijkcode="WK1"), feature(square(6, 52), buurtcode="bu1", wijkcode="WK1")],
     "object 1: buurtcode BU1 komt al voor in object 0"),
    ([feature(square(5, 52), buurtcode="BU1", wijkcode="WK1", postcodes="99,ab")],
     "object 0: postcodes moeten viercijferige, komma-gescheiden postcodes zijn"),
    ([{"type": "Feature"}], "object 0: buurtcode ontbreekt (of wijkcode voor een wijk)"),
    (["geen object"], "object 0: geen GeoJSON Feature"),
])
def test_bad_features_are_rejected_in_dutch_naming_the_object_and_nothing_is_written(orgs, geo_access, features, message):
    before = counts()
    with use_access(geo_access), pytest.raises(AreaImportRejected) as rejected:
        import_areas(geo_access, orgs["a"], collection(*features))
    assert message in rejected.value.errors
    assert counts() == before
    assert not AuditEntry.objects.filter(object_type="areas.buurt").exists()


@pytest.mark.parametrize("data, message", [
    (b"\xff\xfe", "Het bestand is geen UTF-8-tekst."),
    (b"{", "Het bestand is geen geldige JSON."),
    (b'{"type": "Feature"}', "Het bestand is geen GeoJSON FeatureCollection met een lijst ‘features’."),
    (b'{"type": "FeatureCollection", "features": []}', "De FeatureCollection bevat geen objecten."),
])
def test_bad_files_are_rejected_in_dutch(data, message):
    with pytest.raises(AreaImportRejected) as rejected:
        parse(data)
    assert rejected.value.errors == [message]


def test_one_bad_feature_after_good_ones_writes_nothing(orgs, geo_access):
    data = collection(
        feature(square(5, 52), buurtcode="BU1", wijkcode="WK1"),
        feature(square(6, 52), buurtcode="BU2", wijkcode="WK1"),
        feature(square(7, 52), buurtcode="", wijkcode=""),
    )
    with use_access(geo_access), pytest.raises(AreaImportRejected):
        import_areas(geo_access, orgs["a"], data)
    assert counts() == (0, 0)


def test_multipolygon_and_point_in_polygon(orgs, geo_access):
    two_islands = {"type": "MultiPolygon", "coordinates": [square(5, 52)["coordinates"], square(8, 52)["coordinates"]]}
    data = collection(
        feature(two_islands, buurtcode="BU1", wijkcode="WK1"),
        feature(square(6, 52), buurtcode="BU2", wijkcode="WK1"),
    )
    with use_access(geo_access):
        import_areas(geo_access, orgs["a"], data)
    owner = orgs["a"].pk
    assert buurt_for_point(owner, 52.5, 5.5).code == "BU1"
    assert buurt_for_point(owner, 52.5, 8.5).code == "BU1"  # the second island
    assert buurt_for_point(owner, 52.5, 6.5).code == "BU2"
    assert buurt_for_point(owner, 52.5, 7.5) is None  # inside the box of BU1, between its islands
    assert buurt_for_point(owner, None, 5.5) is None
    # another municipality's boundaries answer nothing
    assert buurt_for_point(orgs["b"].pk, 52.5, 5.5) is None


def test_address_resolves_by_coordinates_then_postcode(orgs, geo_access):
    with use_access(geo_access):
        import_areas(geo_access, orgs["a"], GOOD)
    owner = orgs["a"].pk
    # coordinates in Nieuwe Haven, postcode of Oude Haven: the polygon wins
    assert services.buurt_for_address(owner, "9901AB", 52.5, 6.5).code == "BU99910002"
    # without coordinates the postcode-area rule stays
    assert services.buurt_for_address(owner, "9901AB").code == "BU99910001"
    # coordinates outside every boundary fall back to the postcode
    assert services.buurt_for_address(owner, "9902XY", 10, 10).code == "BU99910001"
    assert services.buurt_for_address(owner, "1234AB", 10, 10) is None


def test_command_imports_and_reports(orgs, tmp_path, capsys):
    path = tmp_path / "grenzen.geojson"
    path.write_bytes(GOOD)
    call_command("import-areas", str(path), gemeente="gm9991")
    assert "2 buurt(en) nieuw" in capsys.readouterr().out
    assert counts() == (1, 2)
    entry = AuditEntry.objects.filter(object_type="areas.buurt").last()
    assert entry.username == "beheercommando import-areas" and entry.organisation_id == orgs["a"].pk


def test_command_rejects_bad_file_unknown_municipality_and_missing_file(orgs, tmp_path):
    path = tmp_path / "fout.geojson"
    path.write_bytes(collection(feature(square(5, 52), buurtcode="BU1", wijkcode="WK1"), feature(None, buurtcode="BU2", wijkcode="WK1")))
    with pytest.raises(CommandError) as failed:
        call_command("import-areas", str(path), gemeente="GM9991")
    assert "Import geweigerd; er is niets opgeslagen" in str(failed.value) and "object 1: geometrie ontbreekt" in str(failed.value)
    assert counts() == (0, 0)
    with pytest.raises(CommandError, match="Er is geen \\(unieke\\) actieve gemeente met code ‘GM0000’"):
        call_command("import-areas", str(path), gemeente="GM0000")
    with pytest.raises(CommandError, match="kan niet worden gelezen"):
        call_command("import-areas", str(tmp_path / "bestaat-niet.geojson"), gemeente="GM9991")


def test_import_touches_only_the_given_municipality(orgs, geo_access):
    Wijk.unscoped.create(owner=orgs["b"], code="WK999101", name="Buren")
    with use_access(geo_access):
        import_areas(geo_access, orgs["a"], GOOD)
    assert Wijk.unscoped.get(owner=orgs["b"]).geometry == ""
    assert Wijk.unscoped.filter(owner=orgs["a"], code="WK999101").exists()
