"""Issue 8 point 8 (function): screening one record against a registry (speed: bench/matching/screening.py)."""

import random

from bench.matching.screening import person, variant
from regie.matching import PersonRecord, Screener


def test_a_variant_finds_its_source_and_a_stranger_finds_nobody():
    rng = random.Random(3)
    registry = [person(rng) for _ in range(3000)]
    screener = Screener(registry)
    assert len(screener) == 3000
    found = 0
    for source in range(0, 3000, 100):
        hits = screener.query(variant(rng, registry[source]))
        found += bool(hits) and hits[0].index == source
        assert all(h.comparison.is_match for h in hits)
    assert found == 30
    strangers = [person(random.Random(1000 + i)) for i in range(30)]
    assert sum(bool(screener.query(s)) for s in strangers) <= 1


def test_a_query_without_a_name_is_rejected():
    screener = Screener([PersonRecord(name="Piet Jansen", birth_date="1980-05-12")])
    assert screener.query(PersonRecord(name="", birth_date="1980-05-12")) == []
    hits = screener.query(PersonRecord(name="P. Jansen", birth_date="12-05-1980"), limit=1)
    assert [h.index for h in hits] == [0]
    assert "given_name=initials" in hits[0].comparison.text()
