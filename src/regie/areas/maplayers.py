"""The map's layers (issue 10 point 5) as GeoJSON: areas with their aggregate counts for everyone
with AREAS, and point layers (risk locations, signals, measures) for case access only, each from
the caller's scoped manager. Points carry a reference and a link, never personal data."""

from __future__ import annotations

import json
from functools import lru_cache

from django.urls import reverse

from regie.organisations.access import Access

from . import picture
from .models import Buurt, Wijk
from .services import _geography_of

MAX_POINTS = 5000
POINT_LAYERS = {"risicolocaties": "Risicolocaties", "signalen": "Signalen", "maatregelen": "Maatregelen"}


@lru_cache(maxsize=4096)
def _parsed(geometry: str):
    try:
        return json.loads(geometry)
    except ValueError:
        return None


def _feature(geometry: str, props: dict) -> dict | None:
    parsed = _parsed(geometry) if geometry else None
    return {"type": "Feature", "geometry": parsed, "properties": props} if parsed else None


def area_layer(access: Access, year: int | None = None) -> dict:
    """Wijk outlines and buurten with their counts of ``year`` (suppressed without case access)."""
    geo = _geography_of(access.organisation_id)
    counts = picture.aggregate_layer(access, year)
    labels = dict(picture.LABELS)
    features = []
    for w in Wijk.objects.visible_to(geo).filter(owner_id=access.organisation_id).exclude(geometry=""):
        f = _feature(w.geometry, {"laag": "wijk", "code": w.code, "naam": w.name,
                                  "url": f"{reverse('areas:picture')}?gebied={w.code}"})
        if f:
            features.append(f)
    for b in Buurt.objects.visible_to(geo).filter(owner_id=access.organisation_id).exclude(geometry=""):
        figures = counts.get(b.code, {})
        f = _feature(b.geometry, {
            "laag": "buurt", "code": b.code, "naam": b.name,
            "url": f"{reverse('areas:picture')}?niveau=buurt&gebied={b.code}",
            "cijfers": [[labels[k], v] for k, v in figures.items()],
        })
        if f:
            features.append(f)
    return {"type": "FeatureCollection", "features": features}


def _centre(buurt_boxes: dict, buurt_id):
    box = buurt_boxes.get(buurt_id)
    if not box or None in box:
        return None
    return ((box[1] + box[3]) / 2, (box[0] + box[2]) / 2)


def point_layer(access: Access, layer: str) -> dict:
    """Points of ``layer`` the caller may see (empty without case access or the category): the
    address's coordinates, else the signal's own, else the centre of its buurt."""
    from regie.intake.models import Signal
    from regie.measures.models import Measure
    from regie.subjects.models import Address

    from .risk_models import RiskLocation

    if not picture.full_access(access) or layer not in POINT_LAYERS:
        return {"type": "FeatureCollection", "features": []}
    geo = _geography_of(access.organisation_id)
    boxes = {pk: (a, b, c, d) for pk, a, b, c, d in Buurt.objects.visible_to(geo).values_list("pk", "min_lon", "min_lat", "max_lon", "max_lat")}
    if layer == "risicolocaties":
        rows = RiskLocation.objects.visible_to(access).values_list("pk", "name", "status", "address_id", "buurt_id")[:MAX_POINTS]
        items = [(pk, f"{name} ({status})", address_id, buurt_id, None, reverse("areas:risk_detail", args=[pk]))
                 for pk, name, status, address_id, buurt_id in rows]
    elif layer == "signalen":
        rows = Signal.objects.visible_to(access).values_list("pk", "reference", "address_id", "buurt_id", "latitude", "longitude")[:MAX_POINTS]
        items = [(pk, ref, address_id, buurt_id, (lat, lon) if lat is not None and lon is not None else None,
                  reverse("intake:detail", args=[pk])) for pk, ref, address_id, buurt_id, lat, lon in rows]
    else:
        rows = Measure.objects.visible_to(access).values_list("pk", "reference", "address_id")[:MAX_POINTS]
        items = [(pk, ref, address_id, None, None, reverse("measures:detail", args=[pk])) for pk, ref, address_id in rows]
    # coordinates only of addresses the caller may see himself
    address_ids = {i[2] for i in items if i[2]}
    coords = {pk: (lat, lon) for pk, lat, lon, in Address.objects.visible_to(access).filter(pk__in=address_ids)
              .exclude(latitude__isnull=True).values_list("pk", "latitude", "longitude")}
    address_buurt = dict(Address.objects.visible_to(access).filter(pk__in=address_ids).values_list("pk", "buurt_id"))
    features = []
    for pk, label, address_id, buurt_id, own, url in items:
        point = coords.get(address_id) or own or _centre(boxes, buurt_id or address_buurt.get(address_id))
        if point is None:
            continue
        lat, lon = float(point[0]), float(point[1])
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                         "properties": {"laag": layer, "label": label, "url": url}})
    return {"type": "FeatureCollection", "features": features}
