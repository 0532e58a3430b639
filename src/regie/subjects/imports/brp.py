"""BRP extract: persons with their address. Matched by BSN (one person per BSN per owner)."""

from __future__ import annotations

from ..models import Person
from .csvfile import LineError, Row, model_errors, parse_date
from .store import ADDRESS_COLUMNS, Addresses, Provenance, chunks, update_all

SOURCE = "BRP"
COLUMNS = ["bsn", "voornamen", "voorletters", "tussenvoegsel", "achternaam", "geboortedatum", *ADDRESS_COLUMNS]
REQUIRED = ["bsn", "achternaam"]
PERSON_FIELDS = ["first_names", "initials", "surname_prefix", "surname", "birth_date", "bsn"]


def initials_of(first_names: str) -> str:
    """'Jan Pieter' -> 'J.P.'"""
    return "".join(f"{word[0].upper()}." for word in first_names.split() if word[:1].isalpha())[:20]


def prepare(access, rows: list[Row], errors: list[LineError]):
    """Validate every row and decide, per row, the person (existing by BSN or new) and address."""
    addresses = Addresses(access)
    addresses.load({r.get("postcode").replace(" ", "").upper() for r in rows}, set())
    bsns = {r.get("bsn") for r in rows if r.get("bsn")}
    own = Person.objects.visible_to(access).filter(owner_id=access.organisation_id)
    existing: dict[str, Person] = {}
    for part in chunks(sorted(bsns)):
        for person in own.filter(bsn__in=part):
            existing[person.bsn] = person
    seen: dict[str, int] = {}
    planned = []
    for row in rows:
        bsn = row.get("bsn")
        if bsn in seen:
            errors.append(LineError(row.line, f"dit BSN staat al op regel {seen[bsn]}"))
            continue
        seen[bsn] = row.line
        try:
            birth_date = parse_date(row.get("geboortedatum"), "geboortedatum")
        except ValueError as exc:
            errors.append(LineError(row.line, str(exc)))
            continue
        values = {
            "first_names": row.get("voornamen"), "initials": row.get("voorletters") or initials_of(row.get("voornamen")),
            "surname_prefix": row.get("tussenvoegsel").lower(), "surname": row.get("achternaam"),
            "birth_date": birth_date, "bsn": bsn,
        }
        probe = Person(owner_id=access.organisation_id, **values)
        found = model_errors(row.line, probe, exclude=["owner", "address"], clean=False)
        if not bsn:
            found.append(LineError(row.line, "BSN ontbreekt"))
        address = addresses.resolve(row, found)
        if found:
            errors.extend(found)
            continue
        planned.append((row, existing.get(bsn), probe, values, address))
    return addresses, planned


def write(access, planned, addresses: Addresses, provenance: Provenance) -> dict:
    addresses.save()
    new, changed = [], []
    for row, person, probe, values, address in planned:
        if person is None:
            probe.address = address
            new.append(probe)
            target = probe
        else:
            for name, value in values.items():
                if value not in ("", None):
                    setattr(person, name, value)
            if address is not None:
                person.address = address
            changed.append(person)
            target = person
        provenance.add(row.line, target, [f for f in PERSON_FIELDS if values[f] not in ("", None)])
    Person.objects.bulk_create(new, batch_size=1000)
    update_all(access, Person, changed, [*PERSON_FIELDS, "address"])
    for row, _, _, _, address in planned:
        if address is not None:
            provenance.add(row.line, address, ["adres"])
    return {"personen_nieuw": len(new), "personen_bijgewerkt": len(changed), "adressen_nieuw": len(addresses.new),
            "adressen_bijgewerkt": len(addresses.changed)}
