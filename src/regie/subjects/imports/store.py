"""Shared writing steps of the register imports: addresses found or registered by their strong
identifiers, provenance rows, and bulk writes in batches (a bounded number of queries)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from regie.areas.geo import buurt_for_point
from regie.areas.services import buurt_for_postcode
from regie.organisations.access import Access

from ..models import Address, Statement
from .csvfile import LineError, Row, model_errors, parse_number

BATCH = 1000
#: columns of an address in every extract
ADDRESS_COLUMNS = ["straat", "huisnummer", "huisletter", "toevoeging", "postcode", "plaats"]


def chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def address_key(a: Address) -> tuple:
    return (a.postcode, a.house_number, a.house_letter.upper(), a.addition.upper())


@dataclass
class Addresses:
    """The owner's addresses met in one file: existing ones by BAG nummeraanduiding or by
    postcode + huisnummer + huisletter + toevoeging, new ones registered once."""

    access: Access
    by_bag: dict[str, Address] = field(default_factory=dict)
    by_key: dict[tuple, Address] = field(default_factory=dict)
    new: list[Address] = field(default_factory=list)
    changed: dict[int, Address] = field(default_factory=dict)
    _buurten: dict[str, object] = field(default_factory=dict)

    def load(self, postcodes: set[str], bag_ids: set[str]) -> None:
        own = Address.objects.visible_to(self.access).filter(owner_id=self.access.organisation_id)
        for part in chunks(sorted(postcodes)):
            for a in own.filter(postcode__in=part).order_by("pk"):
                self._know(a)
        for part in chunks(sorted(bag_ids - set(self.by_bag))):
            for a in own.filter(bag_nummeraanduiding_id__in=part).order_by("pk"):
                self._know(a)

    def _know(self, a: Address) -> None:
        if a.bag_nummeraanduiding_id:
            self.by_bag.setdefault(a.bag_nummeraanduiding_id, a)
        self.by_key.setdefault(address_key(a), a)

    def buurt_for(self, address: Address):
        """The imported boundary around the address's coordinates, else its postcode area (asked
        once per four digits)."""
        if address.latitude is not None and address.longitude is not None:
            found = buurt_for_point(self.access.organisation_id, address.latitude, address.longitude)
            if found is not None:
                return found
        postcode = address.postcode
        if postcode[:4] not in self._buurten:
            self._buurten[postcode[:4]] = buurt_for_postcode(self.access.organisation_id, postcode)
        return self._buurten[postcode[:4]]

    def resolve(self, row: Row, errors: list[LineError], extra: dict | None = None) -> Address | None:
        """The address of ``row`` (None when the row names none); validation errors to ``errors``."""
        from ..validators import normalise_postcode

        extra = extra or {}
        if not row.get("postcode") and not row.get("huisnummer") and not extra.get("bag_nummeraanduiding_id"):
            return None
        try:
            number = parse_number(row.get("huisnummer"), "huisnummer")
        except ValueError as exc:
            errors.append(LineError(row.line, str(exc)))
            return None
        values = {
            "street": row.get("straat"), "house_number": number, "house_letter": row.get("huisletter").upper(),
            "addition": row.get("toevoeging").upper(), "postcode": row.get("postcode").replace(" ", "").upper(),
            "city": row.get("plaats"), **extra,
        }
        with contextlib.suppress(ValidationError):  # a bad postcode is reported by the field check below
            values["postcode"] = normalise_postcode(values["postcode"])
        probe = Address(owner_id=self.access.organisation_id, **values)
        found = model_errors(row.line, probe, exclude=["owner", "buurt"])
        if found:
            errors.extend(found)
            return None
        bag = values.get("bag_nummeraanduiding_id") or ""
        known = self.by_bag.get(bag) if bag else None
        known = known or self.by_key.get(address_key(probe))
        if known is None:
            probe.buurt = values.get("buurt") or self.buurt_for(probe)
            self.new.append(probe)
            self._know(probe)
            return probe
        changed = False
        for name, value in values.items():
            if value not in ("", None) and getattr(known, name) != value:
                setattr(known, name, value)
                changed = True
        if changed and known.pk is not None:
            self.changed[known.pk] = known
        return known

    def save(self) -> None:
        Address.objects.bulk_create(self.new, batch_size=BATCH)
        update_all(self.access, Address, list(self.changed.values()), [
            "street", "house_number", "house_letter", "addition", "postcode", "city", "buurt", "bag_nummeraanduiding_id",
            "bag_verblijfsobject_id", "bag_pand_id", "latitude", "longitude",
        ])


def update_all(access: Access, model, rows: list, fields: list[str]) -> None:
    """Bulk update through the caller's scope (the access passed, not the request context)."""
    if not rows:
        return
    now = timezone.now()
    for row in rows:
        row.updated_at = now
    model.objects.visible_to(access).bulk_update(rows, [*fields, "updated_at"], batch_size=BATCH)


@dataclass
class Provenance:
    """One statement per imported subject per row: the source, the date and the facts given."""

    access: Access
    source: str
    filename: str
    partner: object = None
    rows: list[tuple] = field(default_factory=list)

    def add(self, line: int, obj, facts: list[str], source: str | None = None) -> None:
        self.rows.append((line, obj, sorted(set(facts)), source))

    def save(self) -> int:
        today = date.today()
        types = {}
        statements = []
        for line, obj, facts, source in self.rows:
            model = type(obj)
            if model not in types:
                types[model] = ContentType.objects.get_for_model(model)
            statements.append(Statement(
                owner_id=self.access.organisation_id, subject_type=types[model], subject_id=obj.pk, source=source or self.source,
                partner=self.partner, date=today, facts=facts, reference=f"{self.filename[:150]} regel {line}",
            ))
        Statement.objects.bulk_create(statements, batch_size=BATCH)
        return len(statements)
