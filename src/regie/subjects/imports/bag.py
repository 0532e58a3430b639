"""BAG extract: addresses with their BAG identifications, buurt and coordinates. Matched by
nummeraanduiding id, else by postcode + huisnummer + huisletter + toevoeging."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from regie.areas.models import Buurt

from .csvfile import LineError, Row
from .store import ADDRESS_COLUMNS, Addresses, Provenance

SOURCE = "BAG"
COLUMNS = ["nummeraanduiding_id", "verblijfsobject_id", "pand_id", *ADDRESS_COLUMNS, "buurtcode", "breedtegraad", "lengtegraad"]
REQUIRED = ["nummeraanduiding_id", "straat", "huisnummer", "postcode", "plaats"]
FIELDS = {"nummeraanduiding_id": "bag_nummeraanduiding_id", "verblijfsobject_id": "bag_verblijfsobject_id", "pand_id": "bag_pand_id"}


def _decimal(value: str, label: str):
    if not value:
        return None
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{label}: ‘{value[:20]}’ is geen getal") from None
    if not number.is_finite():
        raise ValueError(f"{label}: ‘{value[:20]}’ is geen getal")
    return number.quantize(Decimal("0.000001"))


def prepare(access, rows: list[Row], errors: list[LineError]):
    addresses = Addresses(access)
    addresses.load({r.get("postcode").replace(" ", "").upper() for r in rows}, {r.get("nummeraanduiding_id") for r in rows})
    codes = {r.get("buurtcode") for r in rows if r.get("buurtcode")}
    buurten = {b.code: b for b in Buurt.objects.visible_to(access).filter(owner_id=access.organisation_id, code__in=codes)}
    seen: dict[str, int] = {}
    planned = []
    for row in rows:
        found: list[LineError] = []
        extra = {field: row.get(column) for column, field in FIELDS.items()}
        key = extra["bag_nummeraanduiding_id"]
        if not key:
            found.append(LineError(row.line, "nummeraanduiding_id ontbreekt"))
        elif key in seen:
            found.append(LineError(row.line, f"deze nummeraanduiding staat al op regel {seen[key]}"))
        seen.setdefault(key, row.line)
        try:
            extra["latitude"] = _decimal(row.get("breedtegraad"), "breedtegraad")
            extra["longitude"] = _decimal(row.get("lengtegraad"), "lengtegraad")
        except ValueError as exc:
            found.append(LineError(row.line, str(exc)))
        code = row.get("buurtcode")
        if code:
            if code not in buurten:
                found.append(LineError(row.line, f"buurtcode ‘{code[:12]}’ is geen buurt van deze gemeente"))
            else:
                extra["buurt"] = buurten[code]
        if found:
            errors.extend(found)
            continue
        extra = {k: v for k, v in extra.items() if v not in ("", None)}
        address = addresses.resolve(row, errors, extra)
        if address is not None:
            planned.append((row, address, sorted(extra)))
    return addresses, planned


def write(access, planned, addresses: Addresses, provenance: Provenance) -> dict:
    addresses.save()
    for row, address, given in planned:
        provenance.add(row.line, address, ["street", "house_number", "postcode", "city", *given])
    return {"adressen_nieuw": len(addresses.new), "adressen_bijgewerkt": len(addresses.changed)}
