"""Demo data of the areas room for the fictitious Gemeente Ravenstede.

* Boundaries: the builder already creates the wijken and buurten (``demo.builder.build_areas``);
  this step gives them a fictitious geometry — a grid of rectangles around an invented centre —
  through the real GeoJSON import (``areas.geo.import_areas``), and places the municipality's
  demo addresses inside their buurt, so the point look-up answers the same buurt.
* Indicators: fictitious CBS kerncijfers per buurt and Veiligheidsmonitor scores per wijk,
  imported through the real CSV import (``areas.indicators.import_indicators``).
* Risk locations: a small register in every status (seed 001 §3.3 counts 142 locations in the
  nulmeting of district West, 207 flagged since the start, "ruim 100" still being brought into
  view and 45 tackled; a municipality of Ravenstede's size holds a few dozen), created and moved
  along through the services, dated 2023 up to the demo's "now".

Called as ``build(gemeente, users, partners, rng, summary)`` from ``regie.demo.builder``.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from regie.accounts.access import access_for_user
from regie.accounts.roles import AREAS
from regie.measures.models import Measure
from regie.organisations.access import organisation_access, use_access
from regie.subjects.models import Address

from . import risk
from .geo import import_areas
from .indicators import import_indicators
from .models import Buurt, Wijk
from .risk_models import RiskLocation

#: the invented centre of Ravenstede (WGS84) and the size of one wijk cell in degrees
CENTRE = (5.2500, 52.0500)
CELL = (0.0300, 0.0200)
COLUMNS = 3
HORIZON = date(2026, 11, 15)
S = RiskLocation.Status

LOCATIONS = [
    # (kind, name, branch)
    (RiskLocation.Kind.BUSINESS_PARK, "Bedrijvenpark De Raaf", ""),
    (RiskLocation.Kind.BRANCH, "Autobedrijven Bedrijvenpark De Raaf", "autobranche"),
    (RiskLocation.Kind.BUSINESS_PARK, "Industrieterrein Vlietpolder", ""),
    (RiskLocation.Kind.BUSINESS_PARK, "Havenkwartier loodsen", "opslag en transport"),
    (RiskLocation.Kind.HOLIDAY_PARK, "Recreatiepark Het Ravenbos", ""),
    (RiskLocation.Kind.HOLIDAY_PARK, "Bungalowpark De Molenhoek", ""),
    (RiskLocation.Kind.PREMISES, "Leegstaande boerderij Vlietweg", ""),
    (RiskLocation.Kind.PREMISES, "Loods achter de Kastanjelaan", ""),
    (RiskLocation.Kind.PREMISES, "Winkelpand Havenstraat", "detailhandel"),
    (RiskLocation.Kind.BRANCH, "Shishalounges Centrum", "horeca"),
    (RiskLocation.Kind.BRANCH, "Barbershops Molenwijk", "persoonlijke verzorging"),
    (RiskLocation.Kind.BRANCH, "Autoverhuur Vlietpolder", "autobranche"),
    (RiskLocation.Kind.PREMISES, "Garageboxen Kastanjebuurt", "opslag"),
    (RiskLocation.Kind.OTHER, "Jachthaven Ravenstede", "watersport"),
    (RiskLocation.Kind.PREMISES, "Bedrijfsverzamelgebouw De Raaf", ""),
    (RiskLocation.Kind.HOLIDAY_PARK, "Camping De Vlietoever", ""),
    (RiskLocation.Kind.BRANCH, "Nagelstudio's Centrum", "persoonlijke verzorging"),
    (RiskLocation.Kind.PREMISES, "Schuur aan de Polderdijk", ""),
    (RiskLocation.Kind.BRANCH, "Belwinkels Havenkwartier", "detailhandel"),
    (RiskLocation.Kind.PREMISES, "Voormalige kwekerij Molenweg", ""),
]
#: the path each demo location follows (drawn per location): statuses after the nulmeting
PATHS = [
    [], [S.IN_VIEW], [S.IN_VIEW, S.CONFIRMED], [S.IN_VIEW, S.REFUTED], [S.CONFIRMED, S.TACKLED],
    [S.IN_VIEW, S.CONFIRMED, S.TACKLED], [S.IN_VIEW, S.CONFIRMED, S.TACKLED],
]


def _rectangle(west: float, south: float, east: float, north: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def geometry_collection(gemeente) -> tuple[dict, dict[int, tuple[float, float, float, float]]]:
    """The FeatureCollection of the municipality's wijken (grid cells) and buurten (vertical
    strips of their wijk's cell), and each buurt's box by pk."""
    features, boxes = [], {}
    west0 = CENTRE[0] - COLUMNS * CELL[0] / 2
    wijken = list(Wijk.objects.filter(owner=gemeente).order_by("code"))
    rows = (len(wijken) + COLUMNS - 1) // COLUMNS
    north0 = CENTRE[1] + rows * CELL[1] / 2
    for i, wijk in enumerate(wijken):
        west, north = west0 + (i % COLUMNS) * CELL[0], north0 - (i // COLUMNS) * CELL[1]
        east, south = west + CELL[0], north - CELL[1]
        features.append({"type": "Feature", "geometry": _rectangle(west, south, east, north),
                         "properties": {"wijkcode": wijk.code, "wijknaam": wijk.name, "gemeentecode": gemeente.code}})
        buurten = list(Buurt.objects.filter(wijk=wijk).order_by("code"))
        width = CELL[0] / max(1, len(buurten))
        for j, buurt in enumerate(buurten):
            box = (west + j * width, south, west + (j + 1) * width, north)
            boxes[buurt.pk] = box
            features.append({"type": "Feature", "geometry": _rectangle(*box), "properties": {
                "buurtcode": buurt.code, "buurtnaam": buurt.name, "wijkcode": wijk.code, "gemeentecode": gemeente.code,
            }})
    return {"type": "FeatureCollection", "features": features}, boxes


def _place_addresses(gemeente, boxes, rng) -> int:
    """Coordinates for the addresses, strictly inside their buurt's box (not on its edge)."""
    rows = list(Address.objects.filter(owner=gemeente, buurt_id__in=boxes).order_by("pk"))
    for row in rows:
        west, south, east, north = boxes[row.buurt_id]
        row.longitude = Decimal(f"{west + (0.05 + 0.9 * rng.random()) * (east - west):.6f}")
        row.latitude = Decimal(f"{south + (0.05 + 0.9 * rng.random()) * (north - south):.6f}")
    Address.objects.bulk_update(rows, ["latitude", "longitude"], batch_size=2000)
    return len(rows)


def _risk_locations(gemeente, users, rng, summary) -> None:
    access = access_for_user(users["coordinator"])
    with use_access(access):
        buurten = list(Buurt.objects.filter(owner=gemeente).order_by("code"))
        addresses = list(Address.objects.filter(owner=gemeente).order_by("pk")[:500])
        measures = list(Measure.objects.filter(owner=gemeente).order_by("pk")[:200])
        for kind, name, branch in LOCATIONS:
            start = date(2023, 1, 1) + timedelta(days=rng.randint(0, 3 * 365))
            address = rng.choice(addresses) if kind == RiskLocation.Kind.PREMISES and addresses else None
            location = risk.create_location(
                access, kind=kind, name=name, branch=branch, on=start, address=address,
                buurt=None if address else (rng.choice(buurten) if buurten else None),
            )
            day = start
            for status in rng.choice(PATHS):
                day = day + timedelta(days=rng.randint(30, 240))
                if day > HORIZON:
                    break
                reason = ""
                if status == S.TACKLED:
                    if measures:
                        risk.link_measure(access, location, rng.choice(measures))
                    else:
                        reason = "Integrale controle en gesprek met de pandeigenaar."
                elif status == S.REFUTED:
                    reason = "Controle leverde geen aanwijzingen voor ondermijning op."
                risk.change_status(access, location, status, on=day, reason=reason)
    summary.add("risicolocaties", len(LOCATIONS))


def indicator_csv(gemeente, rng) -> bytes:
    """Fictitious area statistics in the import's CSV layout (docs/imports.md)."""
    lines = ["bron;peildatum;gebiedscode;indicator;waarde;eenheid"]
    for buurt in Buurt.objects.filter(owner=gemeente).order_by("code"):
        lines.append(f"CBS kerncijfers wijken en buurten (fictief);2025;{buurt.code};Aantal inwoners;{rng.randint(800, 6500)};personen")
        lines.append(f"CBS kerncijfers wijken en buurten (fictief);2025;{buurt.code};Woningvoorraad;{rng.randint(350, 3000)};woningen")
    for wijk in Wijk.objects.filter(owner=gemeente).order_by("code"):
        score = f"{rng.uniform(2.0, 5.5):.1f}".replace(".", ",")
        lines.append(f"Veiligheidsmonitor (fictief);01-03-2025;{wijk.code};Verloedering (schaalscore 0-10);{score};")
    rate = f"{rng.uniform(1, 4):.2f}".replace(".", ",")
    lines.append(f"Zicht op Ondermijning (fictief);2024-12-31;{gemeente.code};Drugs: verdachten per 1.000 inwoners;{rate};")
    return "\n".join(lines).encode()


def build(gemeente, users, partners, rng, summary) -> None:
    collection, boxes = geometry_collection(gemeente)
    if collection["features"]:
        access = organisation_access(gemeente, "demo-data: gebieden", frozenset({AREAS}))
        with use_access(access):
            import_areas(access, gemeente, json.dumps(collection).encode(), filename="ravenstede-demo.geojson")
            counts = import_indicators(access, gemeente, indicator_csv(gemeente, rng), filename="ravenstede-indicatoren.csv")
        summary.add("gebiedsindicatoren", counts["nieuw"])
        summary.add("adressen met coördinaten", _place_addresses(gemeente, boxes, rng))
    _risk_locations(gemeente, users, rng, summary)
