"""Blocking: which pairs are worth scoring, without comparing every record with every other.

Each prepared record gets a handful of *keys* (several passes: a phonetic code of its names
regardless of order, surname code + first initial (so "J. van der Berg" and "Jan van der Berg"
share a block), surname code + birth year, postcode + house number, the birth date, an
identifier, ...). Two records are a candidate pair when they share a key. A key shared by more than
``max_block`` records (a very common name in one year) is skipped — it would bring in pairs by the
hundred thousand that other keys find anyway — and counted in :attr:`BlockingIndex.skipped`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from rigour.text import soundex

from .records import Prepared


def _sx(text: str) -> str:
    return soundex(text) if text else ""


def person_keys(p: Prepared) -> set[str]:
    name, born, address = p.values["name"], p.values["birth_date"], p.values["address"]
    sur, given = _sx(name.surname_key), _sx(name.given_key) or (name.initials[0] if name.initials else "")
    keys = set()
    if sur and given:
        keys.add("n:" + "|".join(sorted((sur, given))))
    if sur and name.initials:
        keys.add(f"si:{sur}|{name.initials[0]}")
    if born:
        if sur:
            keys.add(f"sy:{sur}|{born.year}")
        if given:
            keys.add(f"gd:{given}|{born.month:02d}{born.day:02d}")
        keys.add(f"bd:{born.isoformat()}")
    if address is not None and address.postcode:
        if address.number is not None:
            keys.add(f"pn:{address.postcode}|{address.number}")
        if sur:
            keys.add(f"ps:{address.postcode}|{sur}")
    for ident in ("bsn", "other_id"):
        if p.values[ident]:
            keys.add(f"{ident}:{p.values[ident]}")
    return keys


def company_keys(p: Prepared) -> set[str]:
    name, address = p.values["name"], p.values["address"]
    keys = {"c:" + "|".join(sorted(_sx(t) for t in name.key_tokens[:3]))} if name.key_tokens else set()
    keys.update(f"ct:{_sx(t)}" for t in name.key_tokens if len(t) > 3)
    if p.values["kvk"]:
        keys.add(f"kvk:{p.values['kvk']}")
    if address is not None and address.postcode and address.number is not None:
        keys.add(f"pn:{address.postcode}|{address.number}")
    return keys


def address_keys(p: Prepared) -> set[str]:
    address = p.values["address"]
    if address is None:
        return set()
    keys = set()
    if address.postcode:
        keys.add(f"pn:{address.postcode}|{address.number}")
    if address.street:
        keys.add(f"sn:{_sx(address.street)}|{address.number}")
    return keys


KEYS: dict[str, Callable[[Prepared], set[str]]] = {"person": person_keys, "company": company_keys, "address": address_keys}


class BlockingIndex:
    """Keys -> record ids. ``add`` records, then ask ``pairs()`` (deduplication within the index),
    ``pairs_with(other)`` (linkage of two indexes) or ``candidates(prepared)`` (one query)."""

    def __init__(self, max_block: int = 500):
        self.max_block = max_block
        self.blocks: dict[str, list] = defaultdict(list)
        self.skipped: set[str] = set()

    def add(self, record_id, prepared: Prepared) -> None:
        for key in KEYS[prepared.kind](prepared):
            self.blocks[key].append(record_id)

    def add_all(self, items: Iterable[tuple[object, Prepared]]) -> BlockingIndex:
        for record_id, prepared in items:
            self.add(record_id, prepared)
        return self

    def _usable(self, key: str, size: int) -> bool:
        if size > self.max_block:
            self.skipped.add(key)
            return False
        return True

    def pairs(self) -> Iterator[tuple]:
        """Each unordered candidate pair of the index once (ids must be orderable)."""
        seen: set[tuple] = set()
        for key, ids in self.blocks.items():
            if len(ids) < 2 or not self._usable(key, len(ids)):
                continue
            for i, a in enumerate(ids):
                for b in ids[i + 1:]:
                    pair = (a, b) if a < b else (b, a)
                    if a != b and pair not in seen:
                        seen.add(pair)
                        yield pair

    def pairs_with(self, other: BlockingIndex) -> Iterator[tuple]:
        """Each (id in self, id in other) sharing a key, once."""
        seen: set[tuple] = set()
        for key, left in self.blocks.items():
            right = other.blocks.get(key)
            if not right or not self._usable(key, max(len(left), len(right))):
                continue
            for a in left:
                for b in right:
                    if (a, b) not in seen:
                        seen.add((a, b))
                        yield a, b

    def candidates(self, prepared: Prepared) -> set:
        """The ids sharing at least one key with a query record."""
        found: set = set()
        for key in KEYS[prepared.kind](prepared):
            ids = self.blocks.get(key)
            if ids and self._usable(key, len(ids)):
                found.update(ids)
        return found
