"""Pairwise scoring: the feature levels of two prepared records, their weights, one score."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import compare as c
from .model import DEFAULT_MODEL, VETO_CAP, Explanation, Model
from .prepare import is_usable, prepare
from .records import Prepared, Problem


@dataclass
class Comparison:
    score: float
    explanation: Explanation
    problems: list[Problem] = field(default_factory=list)
    rejected: bool = False  # a record had nothing to match on: never a match, whatever the score
    threshold: float = DEFAULT_MODEL.threshold

    @property
    def is_match(self) -> bool:
        return not self.rejected and self.score >= self.threshold

    def text(self) -> str:
        return self.explanation.text()


def _address_levels(a, b) -> list[tuple[str, str]]:
    if a is None or b is None:
        return []
    return [
        ("postcode", c.postcode_level(a.postcode, b.postcode)),
        ("house_number", c.house_number_level(a, b)),
        ("street", c.text_level(a.street, b.street)),
        ("city", c.text_level(a.city, b.city)),
        ("address_extra", c.text_level(a.extra, b.extra)),
    ]


def levels(a: Prepared, b: Prepared) -> list[tuple[str, str]]:
    """The (feature, level) pairs of two prepared records of the same kind."""
    if a.kind != b.kind:
        raise ValueError(f"cannot compare a {a.kind} with a {b.kind}")
    va, vb = a.values, b.values
    if a.kind == "person":
        surname, given, swapped = c.person_name_levels(va["name"], vb["name"])
        born = c.birth_date_level(va["birth_date"], vb["birth_date"])
        out = [
            ("bsn", c.identifier_level(va["bsn"], vb["bsn"])),
            ("other_id", c.identifier_level(va["other_id"], vb["other_id"], typo_tolerant=True)),
            ("surname", surname),
            ("given_name", given),
            ("generation", c.generation_level(va["name"], vb["name"])),
            ("birth_date", born),
        ]
        if swapped:
            out.append(("name_order", "swapped"))
        if given == "different" and surname in ("exact", "similar") and born == "exact":
            out.append(("family", "twins"))
        return out + _address_levels(va["address"], vb["address"])
    if a.kind == "company":
        return [
            ("kvk", c.identifier_level(va["kvk"], vb["kvk"])),
            ("iban", c.identifier_level(va["iban"], vb["iban"])),
            ("company_name", c.company_name_level(va["name"], vb["name"])),
            ("legal_form", c.legal_form_level(va["name"], vb["name"])),
        ] + _address_levels(va["address"], vb["address"])
    return _address_levels(va["address"], vb["address"])


IDENTIFIER_AGREES = frozenset({("bsn", "same"), ("kvk", "same"), ("other_id", "same")})


def is_rejected(a: Prepared, b: Prepared, found: list[tuple[str, str]]) -> bool:
    """A pair with a record without a name (or an address without anything) is rejected, unless
    a valid identifier of both records agrees: then the pair is scored, and flagged."""
    if is_usable(a) and is_usable(b):
        return False
    return not any(fl in IDENTIFIER_AGREES for fl in found)


def score_prepared(a: Prepared, b: Prepared, model: Model = DEFAULT_MODEL, found: list | None = None) -> Comparison:
    """Score two prepared records (``found``: their :func:`levels`, when the caller has them)."""
    found = levels(a, b) if found is None else found
    features = [model.feature(name, level) for name, level in found]
    problems = a.problems + b.problems
    explanation = Explanation(features, [f"{p.code}@{p.field}" for p in problems], model.prior, model.vetoed(found, a.kind))
    rejected = is_rejected(a, b, found)
    score = 0.0 if rejected else model.score(explanation.bits)
    if explanation.vetoes:
        score = min(score, VETO_CAP)
    return Comparison(round(score, 4), explanation, problems, rejected, model.threshold)


def score_pair(a, b, model: Model = DEFAULT_MODEL) -> Comparison:
    """Score two records (:class:`PersonRecord`, :class:`CompanyRecord` or :class:`AddressRecord`
    of the same kind). Problems of the first record are named ``1.<field>``, of the second ``2.<field>``."""
    return score_prepared(prepare(a, "1."), prepare(b, "2."), model)
