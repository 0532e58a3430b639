"""Regie's matching engine: a framework-free library (no Django) for persons, companies and
addresses. See docs/matching.md for the API and the reasoning behind the weights.

    from regie.matching import PersonRecord, AddressRecord, score_pair
    result = score_pair(PersonRecord(name="J. van der Berg", address=AddressRecord(text="Kerkstraat 12-a")),
                        PersonRecord(name="Jan vd Berg", address=AddressRecord(text="Kerkstraat 12A")))
    result.score, result.is_match, result.text()
"""

from .blocking import BlockingIndex
from .engine import Match, deduplicate, link
from .model import DEFAULT_MODEL, Explanation, Feature, Model
from .prepare import is_usable, prepare
from .records import AddressRecord, CompanyRecord, PersonRecord, Prepared, Problem
from .scorer import Comparison, score_pair, score_prepared
from .screening import Hit, Screener

__all__ = [
    "DEFAULT_MODEL",
    "AddressRecord",
    "BlockingIndex",
    "CompanyRecord",
    "Comparison",
    "Explanation",
    "Feature",
    "Hit",
    "Match",
    "Model",
    "PersonRecord",
    "Prepared",
    "Problem",
    "Screener",
    "deduplicate",
    "is_usable",
    "link",
    "prepare",
    "score_pair",
    "score_prepared",
]
