"""The registry index: the persons or companies an access may see, as one matching
:class:`~regie.matching.Screener` in memory, shared by screening (:mod:`.screening`) and
incremental matching (:mod:`.incremental`) and kept between calls.

Keying (why it cannot leak). What ``Model.objects.visible_to(access)`` returns depends on the
organisation, the clearance, whether the role needs the SUBJECTS category, whether the access is
the system, and on the data (owned rows, Shares). The cache key is everything but the data:
``(kind, organisation, clearance, may see persons/companies, may see addresses, system)``. The
data is covered by a *fingerprint* read on every call through the very same scoped querysets:
count, sum of ids, highest id and latest ``updated_at`` of the visible subjects and of the
visible addresses. A Share granted or expired, a row raised above the clearance, a delete, a
merge's moved rows: each changes the visible set and so the count or the id sum; a create or an
edit (services, imports' ``bulk_create`` / ``bulk_update`` with ``updated_at``, merges) moves the
latest ``updated_at``. So one municipality's cached index is only ever handed to an access that
sees exactly the same rows, and a Share needs no per-share key. As a second line, every caller
re-reads the subjects it shows through the scoped manager, so a row no longer visible is dropped.

Cross-process correctness: the fingerprint is two aggregate queries per call (no in-process
version), so a write by another gunicorn worker is seen on the next call. Limit: an edit that
commits *after* a later-stamped write was already read by a cache build (two overlapping
transactions on PostgreSQL) leaves count, id sum and latest stamp unchanged; :data:`MAX_AGE`
bounds how long such an entry can serve.

Update: when the fingerprint moved, the rows stamped since the cached latest stamp (and those
whose address changed) are read and appended — an edited row's old position is marked dead —
provided the new count and id sum are exactly explained by them (additions and edits only);
otherwise (a delete, a Share, many changes) the index is rebuilt. Memory: least recently used,
at most :data:`MAX_ENTRIES` indexes per process.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Sum

from regie.matching import AddressRecord, CompanyRecord, Hit, PersonRecord, Screener
from regie.organisations.access import Access

from .models import Address, Company, Person

KINDS = {"persoon": Person, "bedrijf": Company}
MAX_ENTRIES = 8
MAX_AGE = 300.0  # seconds an index may serve before it is rebuilt whatever its fingerprint
#: the columns read per kind: pk, owner, the record's fields, address, then the strong identifier
COLUMNS = {
    Person: ("pk", "owner_id", "first_names", "initials", "surname_prefix", "surname", "birth_date", "address_id", "bsn"),
    Company: ("pk", "owner_id", "name", "legal_form", "address_id", "kvk_number", "vestigingsnummer"),
}
STRONG_WIDTH = {Person: 1, Company: 2}
_lock = threading.Lock()
_cache: OrderedDict[tuple, RegistryIndex] = OrderedDict()
stats = {"built": 0, "updated": 0, "hit": 0}  # counters for tests and benchmarks


@dataclass(frozen=True)
class Fingerprint:
    subjects: tuple
    addresses: tuple


def _aggregate(qs) -> tuple:
    found = qs.aggregate(n=Count("pk"), s=Sum("pk"), m=Max("pk"), u=Max("updated_at"))
    return found["n"], found["s"] or 0, found["m"] or 0, found["u"]


def fingerprint(access: Access, model, addresses: tuple | None = None) -> Fingerprint:
    if addresses is None:
        addresses = _aggregate(Address.objects.visible_to(access))
    return Fingerprint(_aggregate(model.objects.visible_to(access)), addresses)


def _key(access: Access, kind: str) -> tuple:
    model = KINDS[kind]
    return (kind, access.organisation_id, access.clearance, access.may_see_category(model.need_to_know),
            access.may_see_category(Address.need_to_know), access.system)


def _addresses(access: Access, ids) -> dict[int, AddressRecord]:
    """The addresses (``ids``: a few ids or a subquery) the caller may see himself (one above his
    clearance is left out, not used to match), as records by id."""
    rows = Address.objects.visible_to(access).filter(pk__in=ids).values_list(
        "pk", "street", "house_number", "house_letter", "addition", "postcode", "city")
    found = {}
    for pk, street, number, letter, addition, postcode, city in rows:
        house = f"{number}{letter}" + (f"-{addition}" if addition else "")
        found[pk] = AddressRecord(street=street, house_number=house, postcode=postcode, city=city)
    return found


def to_record(model, row, addresses):
    if model is Person:
        _, _, first, initials, prefix, surname, born, address_id, bsn = row
        return PersonRecord(given_names=first or initials, surname=f"{prefix} {surname}".strip(), birth_date=born, bsn=bsn,
                            address=addresses.get(address_id))
    _, _, name, legal_form, address_id, kvk, _ = row
    return CompanyRecord(name=name, legal_form="" if legal_form == "onbekend" else legal_form, kvk=kvk,
                         address=addresses.get(address_id))


@dataclass
class RegistryIndex:
    """The visible persons or companies of one key: positions in a screener, by subject id."""

    model: type
    fingerprint: Fingerprint
    built_at: float = field(default_factory=time.monotonic)
    ids: list = field(default_factory=list)  # position -> pk (None: replaced by a later position)
    owners: list = field(default_factory=list)
    strong: list = field(default_factory=list)  # position -> strong identifier tuple
    records: list = field(default_factory=list)
    position: dict = field(default_factory=dict)  # pk -> live position
    address_of: dict = field(default_factory=dict)  # pk -> address id
    screener: Screener = field(default_factory=lambda: Screener([]))
    _twins: dict | None = None

    def __len__(self) -> int:
        return len(self.position)

    def _append(self, row, addresses) -> None:
        # the lists first, the screener last: a query running beside an update (another thread)
        # never meets a position the lists do not have yet
        pk, owner = row[0], row[1]
        record = to_record(self.model, row, addresses)
        width = STRONG_WIDTH[self.model]
        self.ids.append(pk)
        self.owners.append(owner)
        self.strong.append(tuple(row[-width:]))
        self.records.append(record)
        at = self.screener.add(record)
        if at != len(self.ids) - 1:  # pragma: no cover - two updates at once are excluded by the lock
            raise RuntimeError("registry index out of step")
        old = self.position.get(pk)
        self.position[pk] = at
        if old is not None:
            self.ids[old] = None
        self.address_of[pk] = row[COLUMNS[self.model].index("address_id")]
        self._twins = None

    def record_of(self, pk):
        at = self.position.get(pk)
        return None if at is None else self.records[at]

    def owner_of(self, pk):
        at = self.position.get(pk)
        return None if at is None else self.owners[at]

    def twins(self, key: tuple) -> list[int]:
        """The live subject ids with strong identifier ``key``."""
        if self._twins is None:
            found = {}
            for pk, at in list(self.position.items()):
                if self.strong[at][0]:
                    found.setdefault(self.strong[at], []).append(pk)
            self._twins = found
        return list(self._twins.get(tuple(key), []))

    def query(self, record, *, threshold: float, limit: int) -> list[tuple[int, Hit]]:
        """(subject id, hit) of the live subjects scoring at least ``threshold``, best first."""
        dead = len(self.ids) - len(self.position)
        hits = self.screener.query(record, threshold=threshold, limit=limit + dead)
        return [(self.ids[h.index], h) for h in hits if self.ids[h.index] is not None][:limit]


def _build(access: Access, model, fp: Fingerprint) -> RegistryIndex:
    qs = model.objects.visible_to(access)
    rows = list(qs.values_list(*COLUMNS[model]).iterator(chunk_size=5000))
    addresses = _addresses(access, qs.values("address_id"))
    index = RegistryIndex(model, fp)
    for row in rows:
        index._append(row, addresses)
    stats["built"] += 1
    return index


def _update(access: Access, index: RegistryIndex, fp: Fingerprint) -> bool:
    """Bring ``index`` to ``fp`` by reading only what changed; False when that is not possible."""
    model, old = index.model, index.fingerprint
    qs = model.objects.visible_to(access)
    new_addresses = []
    edited_addresses = set()
    if fp.addresses != old.addresses:
        changed = Address.objects.visible_to(access)
        if old.addresses[3] is not None:
            changed = changed.filter(updated_at__gte=old.addresses[3])
        changed = list(changed.values_list("pk", flat=True)[:1001])
        new_addresses = [pk for pk in changed if pk > old.addresses[2]]
        if len(changed) > 1000 or fp.addresses[:2] != (old.addresses[0] + len(new_addresses),
                                                         old.addresses[1] + sum(new_addresses)):
            return False  # an address deleted or hidden: rebuild
        edited_addresses = set(changed) - set(new_addresses)
    changed = qs.filter(updated_at__gte=old.subjects[3]) if old.subjects[3] is not None else qs
    rows = list(changed.values_list(*COLUMNS[model])[:1001])
    if len(rows) > max(1000, len(index) // 5):
        return False
    if edited_addresses:
        again = [pk for pk, a in index.address_of.items() if a in edited_addresses]
        if len(again) > 1000:
            return False
        seen = {row[0] for row in rows}
        rows += list(qs.filter(pk__in=[pk for pk in again if pk not in seen]).values_list(*COLUMNS[model]))
    new = [row[0] for row in rows if row[0] > old.subjects[2]]
    if any(row[0] <= old.subjects[2] and row[0] not in index.position for row in rows):
        return False  # an older row became visible (a Share, a lowered confidentiality)
    if fp.subjects[:2] != (old.subjects[0] + len(new), old.subjects[1] + sum(new)):
        return False  # a row deleted or hidden
    at = COLUMNS[model].index("address_id")
    addresses = _addresses(access, {row[at] for row in rows if row[at]})
    for row in rows:
        index._append(row, addresses)
    index.fingerprint = fp
    stats["updated"] += 1
    return True


def get_many(access: Access, kinds) -> dict[str, RegistryIndex]:
    """:func:`get` for several kinds, the addresses' fingerprint read once."""
    addresses = _aggregate(Address.objects.visible_to(access))
    return {kind: get(access, kind, _addresses_fingerprint=addresses) for kind in kinds}


def get(access: Access, kind: str, *, _addresses_fingerprint: tuple | None = None) -> RegistryIndex:
    """The index of the ``kind`` ("persoon" or "bedrijf") rows ``access`` may see, up to date."""
    model = KINDS[kind]
    key = _key(access, kind)
    fp = fingerprint(access, model, _addresses_fingerprint)
    with _lock:
        index = _cache.get(key)
        if index is not None:
            _cache.move_to_end(key)
            if time.monotonic() - index.built_at > MAX_AGE:
                index = None
            elif index.fingerprint == fp:
                stats["hit"] += 1
                return index
            elif _update(access, index, fp):
                return index
        index = _build(access, model, fp)
        _cache[key] = index
        _cache.move_to_end(key)
        while len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
        return index


def clear() -> None:
    with _lock:
        _cache.clear()
