"""Screening: one record against a large registry, answered from a blocking index in memory.

    screener = Screener(registry_records)
    hits = screener.query(PersonRecord(name="J. vd Berg", birth_date="1980-05-12"))
    hits[0].index, hits[0].comparison.score, hits[0].comparison.text()
"""

from __future__ import annotations

from dataclasses import dataclass

from . import scorer
from .blocking import BlockingIndex
from .engine import fast_score, indexable
from .model import DEFAULT_MODEL, Model
from .prepare import prepare


@dataclass
class Hit:
    index: int  # position of the registry record
    comparison: scorer.Comparison

    @property
    def score(self) -> float:
        return self.comparison.score


class Screener:
    def __init__(self, records, *, model: Model = DEFAULT_MODEL, max_block: int = 500):
        self.model = model
        self.prepared = [prepare(r) for r in records]
        self.index = BlockingIndex(max_block).add_all((i, p) for i, p in enumerate(self.prepared) if indexable(p))

    def __len__(self) -> int:
        return len(self.prepared)

    def add(self, record) -> int:
        """Append one record to the registry (an incremental update); returns its position."""
        prepared = prepare(record)
        self.prepared.append(prepared)
        position = len(self.prepared) - 1
        if indexable(prepared):
            self.index.add(position, prepared)
        return position

    def query(self, record, *, threshold: float | None = None, limit: int = 10) -> list[Hit]:
        """The registry records scoring at least ``threshold`` against ``record``, best first."""
        threshold = self.model.threshold if threshold is None else threshold
        query = prepare(record, "1.")
        hits = []
        for i in self.index.candidates(query):
            other = self.prepared[i]
            found = scorer.levels(query, other)
            if fast_score(self.model, query, other, found) >= threshold:
                hits.append(Hit(i, scorer.score_prepared(query, other, self.model, found)))
        hits.sort(key=lambda h: (-h.score, h.index))
        return hits[:limit]
