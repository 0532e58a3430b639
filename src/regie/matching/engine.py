"""Linking two collections and deduplicating one: prepare, block, score, decide."""

from __future__ import annotations

from dataclasses import dataclass

from . import scorer
from .blocking import BlockingIndex
from .model import DEFAULT_MODEL, VETO_CAP, Model
from .prepare import has_identifier, is_usable, prepare


@dataclass
class Match:
    left: object  # index (or id) in the first collection
    right: object
    comparison: scorer.Comparison

    @property
    def score(self) -> float:
        return self.comparison.score


def fast_score(model: Model, a, b, found) -> float:
    """The score of :func:`scorer.score_prepared` without building the explanation (the fast path
    for many pairs; the explanation is built for the pairs kept)."""
    score = model.score(model.bits(found))
    if score <= VETO_CAP:
        return score  # the common case: neither a veto nor a rejection can change the decision
    if scorer.is_rejected(a, b, found):
        return 0.0
    return min(score, VETO_CAP) if model.vetoed(found, a.kind) else score


def _score_candidates(pairs, left, right, model: Model, threshold: float) -> list[Match]:
    matches = []
    for i, j in pairs:
        a, b = left[i], right[j]
        found = scorer.levels(a, b)
        if fast_score(model, a, b, found) >= threshold:
            matches.append(Match(i, j, scorer.score_prepared(a, b, model, found)))
    return matches


def indexable(p) -> bool:
    return is_usable(p) or has_identifier(p)


def link(left: list, right: list, *, model: Model = DEFAULT_MODEL, threshold: float | None = None,
         one_to_one: bool = False, max_block: int = 500) -> list[Match]:
    """Pairs (index in ``left``, index in ``right``) scoring at least ``threshold``, best first.

    ``one_to_one``: each record links at most once, best score first (for two files that are each
    free of duplicates, such as two registers of the same population)."""
    threshold = model.threshold if threshold is None else threshold
    prep_left = [prepare(r) for r in left]
    prep_right = [prepare(r) for r in right]
    index_left = BlockingIndex(max_block).add_all((i, p) for i, p in enumerate(prep_left) if indexable(p))
    index_right = BlockingIndex(max_block).add_all((j, p) for j, p in enumerate(prep_right) if indexable(p))
    matches = _score_candidates(index_left.pairs_with(index_right), prep_left, prep_right, model, threshold)
    matches.sort(key=lambda m: (-m.score, m.left, m.right))
    if one_to_one:
        used_left, used_right, kept = set(), set(), []
        for m in matches:
            if m.left not in used_left and m.right not in used_right:
                used_left.add(m.left)
                used_right.add(m.right)
                kept.append(m)
        matches = kept
    return matches


def deduplicate(records: list, *, model: Model = DEFAULT_MODEL, threshold: float | None = None,
                max_block: int = 500) -> list[Match]:
    """Pairs (i, j), i < j, of records in one collection that score at least ``threshold``."""
    threshold = model.threshold if threshold is None else threshold
    prepared = [prepare(r) for r in records]
    index = BlockingIndex(max_block).add_all((i, p) for i, p in enumerate(prepared) if indexable(p))
    matches = _score_candidates(index.pairs(), prepared, prepared, model, threshold)
    matches.sort(key=lambda m: (-m.score, m.left, m.right))
    return matches
