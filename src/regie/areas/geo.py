"""Wijk and buurt boundaries from GeoJSON, and which buurt a point lies in.

The accepted layout is documented in docs/imports.md ("Wijk- en buurtgrenzen (GeoJSON)"): a
FeatureCollection of Polygon/MultiPolygon features in WGS84 (RFC 7946: longitude, latitude) whose
properties carry CBS's codes and names. Parsing uses the stdlib json module; the geometry is
checked and tested with shapely. An import is all or nothing.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

import shapely
from django.core.exceptions import ValidationError
from django.db import transaction
from shapely.geometry import Point, shape

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access
from regie.organisations.confidentiality import Confidentiality

from .models import Buurt, Wijk
from .services import _geography_of

MAX_BYTES = 20 * 1024 * 1024
MAX_ERRORS = 50

# CBS's own property names (wijk- en buurtkaart) and the lower-case ones of its open data API
KEYS = {
    "buurtcode": ("buurtcode", "BU_CODE", "bu_code"),
    "buurtnaam": ("buurtnaam", "BU_NAAM", "bu_naam"),
    "wijkcode": ("wijkcode", "WK_CODE", "wk_code"),
    "wijknaam": ("wijknaam", "WK_NAAM", "wk_naam"),
    "gemeentecode": ("gemeentecode", "GM_CODE", "gm_code"),
    "postcodes": ("postcodes",),
}


class AreaImportRejected(Exception):
    """The file was refused as a whole; ``errors`` are Dutch messages, each naming the object."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Area:
    index: int
    level: str  # "wijk" or "buurt"
    code: str
    name: str
    wijk_code: str
    geometry: dict
    bbox: tuple[float, float, float, float]
    postcodes: str = ""
    wijk_name: str = ""


def _prop(props: dict, key: str) -> str:
    for name in KEYS[key]:
        value = props.get(name)
        if value is not None and not isinstance(value, (dict, list, bool)):
            return str(value).strip()
    return ""


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _ring_error(ring) -> str:
    if not isinstance(ring, list) or len(ring) < 4:
        return "een ring heeft minstens vier posities nodig"
    for pos in ring:
        if not isinstance(pos, list) or len(pos) < 2 or not all(_is_number(c) for c in pos[:2]):
            return "een positie is geen [lengtegraad, breedtegraad]"
        if not (-180 <= pos[0] <= 180 and -90 <= pos[1] <= 90):
            return "coördinaten buiten bereik; lever WGS84 (lengtegraad, breedtegraad), niet RD"
    if ring[0][:2] != ring[-1][:2]:
        return "een ring is niet gesloten"
    return ""


def _geometry_error(geometry) -> str:
    if not isinstance(geometry, dict):
        return "geometrie ontbreekt"
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = coords if isinstance(coords, list) else None
    else:
        return "geometrie moet een Polygon of MultiPolygon zijn"
    if not polygons or not all(isinstance(p, list) and p for p in polygons):
        return "ongeldige geometrie"
    for polygon in polygons:
        for ring in polygon:
            problem = _ring_error(ring)
            if problem:
                return f"ongeldige geometrie ({problem})"
    return ""


def _shape(geometry: dict):
    """The shapely geometry, or None when it is not a valid (multi)polygon."""
    try:
        geom = shape(geometry)
        return geom if geom.is_valid and not geom.is_empty else None
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, shapely.errors.ShapelyError):
        return None


def parse(data: bytes, *, gemeente_code: str = "") -> list[Area]:
    """The areas in ``data``, or :class:`AreaImportRejected` with every problem found."""
    if len(data) > MAX_BYTES:
        raise AreaImportRejected([f"Het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB."])
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise AreaImportRejected(["Het bestand is geen UTF-8-tekst."]) from None
    except (ValueError, RecursionError):
        raise AreaImportRejected(["Het bestand is geen geldige JSON."]) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise AreaImportRejected(["Het bestand is geen GeoJSON FeatureCollection met een lijst ‘features’."])
    if not doc["features"]:
        raise AreaImportRejected(["De FeatureCollection bevat geen objecten."])
    errors: list[str] = []
    areas: list[Area] = []
    seen: dict[tuple[str, str], int] = {}
    for index, feature in enumerate(doc["features"]):
        problems = []
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(f"object {index}: geen GeoJSON Feature")
            continue
        if not isinstance(props, dict):
            props = {}
        buurtcode, wijkcode = _prop(props, "buurtcode"), _prop(props, "wijkcode")
        level = "buurt" if buurtcode else "wijk"
        if not buurtcode and _prop(props, "buurtnaam"):
            problems.append("buurtcode ontbreekt")
        elif not buurtcode and not wijkcode:
            problems.append("buurtcode ontbreekt (of wijkcode voor een wijk)")
        elif level == "buurt" and not wijkcode:
            problems.append("wijkcode ontbreekt")
        code = buurtcode or wijkcode
        if len(code) > (12 if level == "buurt" else 10):
            problems.append(f"{level}code is te lang")
        if level == "buurt" and len(wijkcode) > 10:
            problems.append("wijkcode is te lang")
        name = _prop(props, "buurtnaam" if level == "buurt" else "wijknaam")
        wijk_name = _prop(props, "wijknaam")
        if len(name) > 120 or len(wijk_name) > 120:
            problems.append("naam is te lang (hooguit 120 tekens)")
        own = _prop(props, "gemeentecode")
        if own and gemeente_code and own.upper() != gemeente_code.upper():
            problems.append(f"gemeentecode {own} hoort niet bij gemeente {gemeente_code}")
        postcodes = _prop(props, "postcodes")
        if postcodes and (len(postcodes) > 200 or not all(p.strip().isdigit() and len(p.strip()) == 4 for p in postcodes.split(","))):
            problems.append("postcodes moeten viercijferige, komma-gescheiden postcodes zijn")
        geometry = feature.get("geometry")
        geo_problem = _geometry_error(geometry)
        geom = None
        if not geo_problem:
            geom = _shape(geometry)
            if geom is None:
                geo_problem = "ongeldige geometrie"
        if geo_problem:
            problems.append(geo_problem)
        if code and (level, code.upper()) in seen:
            problems.append(f"{level}code {code.upper()} komt al voor in object {seen[(level, code.upper())]}")
        if problems:
            errors.extend(f"object {index}: {p}" for p in problems)
            if len(errors) >= MAX_ERRORS:
                break
            continue
        seen[(level, code.upper())] = index
        areas.append(Area(
            index=index, level=level, code=code.upper(), name=name, wijk_code=wijkcode.upper(),
            geometry={"type": geometry["type"], "coordinates": geometry["coordinates"]},
            bbox=tuple(float(v) for v in geom.bounds),
            postcodes=",".join(p.strip() for p in postcodes.split(",")) if postcodes else "", wijk_name=wijk_name,
        ))
    if errors:
        raise AreaImportRejected(errors[:MAX_ERRORS])
    return areas


def _set_boundary(row, area: Area) -> None:
    row.geometry = json.dumps(area.geometry, separators=(",", ":"))
    row.min_lon, row.min_lat, row.max_lon, row.max_lat = area.bbox


def import_areas(access: Access, gemeente, data: bytes, *, filename: str = "") -> dict:
    """Create or update the wijken and buurten in ``data`` for ``gemeente``: all or nothing.

    A feature with a buurtcode is a buurt (its wijkcode names the wijk, created when new); one
    with only a wijkcode is the wijk's own boundary. Returns counts; raises AreaImportRejected.
    """
    areas = parse(data, gemeente_code=gemeente.code or "")
    errors: list[str] = []
    counts = {"wijken_nieuw": 0, "wijken_bijgewerkt": 0, "buurten_nieuw": 0, "buurten_bijgewerkt": 0}
    with transaction.atomic():
        wijken = {w.code.upper(): w for w in Wijk.objects.visible_to(access).filter(owner=gemeente)}
        buurten = {b.code.upper(): b for b in Buurt.objects.visible_to(access).filter(owner=gemeente)}
        for area in sorted(areas, key=lambda a: a.level != "wijk"):  # wijken first
            if area.level == "wijk":
                wijk = wijken.get(area.code)
                counts["wijken_bijgewerkt" if wijk else "wijken_nieuw"] += 1
                if wijk is None:
                    wijk = Wijk(owner=gemeente, code=area.code, confidentiality=Confidentiality.OPENBAAR)
                wijk.name = area.name or wijk.name or area.code
                _set_boundary(wijk, area)
                wijken[area.code] = _save(wijk, area, errors)
                continue
            wijk = wijken.get(area.wijk_code)
            if wijk is None:
                wijk = _save(Wijk(owner=gemeente, code=area.wijk_code, name=area.wijk_name or area.wijk_code,
                                  confidentiality=Confidentiality.OPENBAAR), area, errors)
                wijken[area.wijk_code] = wijk
                counts["wijken_nieuw"] += 1
            buurt = buurten.get(area.code)
            counts["buurten_bijgewerkt" if buurt else "buurten_nieuw"] += 1
            if buurt is None:
                buurt = Buurt(owner=gemeente, code=area.code, confidentiality=Confidentiality.OPENBAAR)
            buurt.wijk = wijk
            buurt.name = area.name or buurt.name or area.code
            if area.postcodes:
                buurt.postcode_areas = area.postcodes
            _set_boundary(buurt, area)
            buurten[area.code] = _save(buurt, area, errors)
        if errors:
            transaction.set_rollback(True)
        else:
            record(AuditEntry.Action.CREATE, model=Buurt, access=access, detail={
                "import": "GeoJSON wijk- en buurtgrenzen", "bestand": filename[:200], "gemeente": gemeente.code, **counts,
            })
            counts["adressen_heringedeeld"] = reresolve_addresses(access, gemeente)
    if errors:
        raise AreaImportRejected(errors[:MAX_ERRORS])
    return counts


def _save(row, area: Area, errors: list[str]):
    if errors:  # nothing more is written once a row failed; collect the remaining problems only
        return row
    try:
        row.full_clean(validate_unique=False)
    except ValidationError as exc:
        errors.extend(f"object {area.index}: {m}" for m in exc.messages)
        return row
    row.save()
    return row


def buurt_for_point(owner_id: int, latitude, longitude):
    """The buurt of ``owner_id`` whose boundary contains the point (on the edge counts), if any."""
    if latitude is None or longitude is None:
        return None
    lat, lon = float(latitude), float(longitude)
    candidates = (
        Buurt.objects.visible_to(_geography_of(owner_id))
        .filter(min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat)
        .exclude(geometry="")
        .order_by("code")
    )
    point = Point(lon, lat)
    for buurt in candidates:
        geom = _stored_shape(buurt.geometry)
        if geom is not None and geom.covers(point):
            return buurt
    return None


@lru_cache(maxsize=1024)
def _stored_shape(text: str):
    """The prepared shape of a stored boundary, parsed once per process (point look-ups in bulk)."""
    try:
        geom = _shape(json.loads(text))
    except ValueError:
        return None
    if geom is not None:
        shapely.prepare(geom)
    return geom


def reresolve_addresses(access: Access, gemeente) -> int:
    """After new boundaries, put each of the municipality's addresses in the buurt it now lies in
    (coordinates first, else the postcode rule, as ``services.buurt_for_address``); returns how many
    changed. The buurten are read once and every address is placed in memory, so a large registry
    costs a handful of queries. Runs inside the import's transaction and logs one audit row."""
    from regie.accounts.roles import SUBJECTS
    from regie.organisations.access import organisation_access
    from regie.subjects.models import Address

    from .services import _geography_of

    _stored_shape.cache_clear()
    buurten = list(Buurt.objects.visible_to(_geography_of(gemeente.pk)).order_by("code"))
    shapes = [(b, _stored_shape(b.geometry)) for b in buurten if b.geometry and b.min_lon is not None]
    by_postcode: dict[str, int] = {}
    for buurt in buurten:
        for digits in (buurt.postcode_areas or "").split(","):
            if digits.strip():
                by_postcode.setdefault(digits.strip(), buurt.pk)

    def place(postcode, latitude, longitude):
        if latitude is not None and longitude is not None:
            lat, lon = float(latitude), float(longitude)
            point = Point(lon, lat)
            for buurt, geom in shapes:
                if (geom is not None and buurt.min_lon <= lon <= buurt.max_lon and buurt.min_lat <= lat <= buurt.max_lat
                        and geom.covers(point)):
                    return buurt.pk
        return by_postcode.get((postcode or "")[:4])

    scope = organisation_access(gemeente, access.username or "grensimport", frozenset({SUBJECTS}))
    changed = []
    rows = Address.objects.visible_to(scope).filter(owner_id=gemeente.pk).only("pk", "postcode", "latitude", "longitude", "buurt_id")
    for address in rows.iterator(chunk_size=2000):
        new_id = place(address.postcode, address.latitude, address.longitude) or address.buurt_id
        if new_id != address.buurt_id:
            address.buurt_id = new_id
            changed.append(address)
    if changed:
        Address.objects.visible_to(scope).bulk_update(changed, ["buurt"], batch_size=1000)
        record(AuditEntry.Action.UPDATE, model=Address, access=access,
               detail={"herindeling": "adressen na grensimport", "gemeente": gemeente.code, "aantal": len(changed)})
    return len(changed)
