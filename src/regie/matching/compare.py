"""Feature comparisons: each returns a *level* code (stable, used in explanations and weights).

Levels are coarse on purpose — exact, similar, initials, different, missing — so that each has an
m and u probability that a person can read and argue about (:mod:`regie.matching.model`).
"""

from __future__ import annotations

from datetime import date

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from .addresses import ParsedAddress
from .names import CompanyName, PersonName

MISSING = "missing"
SIMILAR_JW = 0.9  # Jaro-Winkler at or above this: a typo, not another name
GIVEN_SIMILAR_JW = 0.88


def _similar(a: str, b: str, threshold: float = SIMILAR_JW) -> bool:
    return JaroWinkler.similarity(a, b) >= threshold or (min(len(a), len(b)) >= 4 and DamerauLevenshtein.distance(a, b) <= 1)


# -- names ----------------------------------------------------------------------------------------

# Endings that make another Dutch family name of the same stem ('Willems' / 'Willemsen',
# 'Koster' / 'Kosters', 'Jong' / 'Jongen'): such a pair is a "variant", weaker than a typo.
SURNAME_ENDINGS = ("s", "en", "sen", "se", "ma", "je", "x", "ink")


def surname_level(a: str, b: str) -> str:
    """exact; variant (one is the other plus a family-name ending); similar (one edit, or two in a
    long name that stays close); different."""
    if not a or not b:
        return MISSING
    if a == b:
        return "exact"
    short, long_ = sorted((a, b), key=len)
    if long_.startswith(short) and long_[len(short):] in SURNAME_ENDINGS:
        return "variant"
    distance = DamerauLevenshtein.distance(a, b)
    if distance <= 1 or (distance == 2 and len(short) >= 8 and JaroWinkler.similarity(a, b) >= 0.93):
        return "similar"
    return "different"


def _surname_parts_level(a: PersonName, b: PersonName) -> str:
    level = surname_level(a.surname_key, b.surname_key)
    if level == "different" and "".join(a.particles + a.surname) == "".join(b.particles + b.surname):
        return "exact"  # 'ter Horst' / 'Terhorst'
    if level == "different" and (set(a.surname) & set(b.surname)):
        return "partial"  # double surname against one of its parts ('Heuvel-de Groot' / 'Heuvel')
    return level


def given_level(a: PersonName, b: PersonName) -> str:
    if not (a.given or a.initials) or not (b.given or b.initials):
        return MISSING
    if a.given and b.given:
        if a.given[0] == b.given[0]:
            return "exact"
        if _similar(a.given[0], b.given[0], GIVEN_SIMILAR_JW):
            return "similar"
        if set(a.given) & set(b.given):
            return "similar"  # 'Jan Pieter' / 'Pieter': a second given name used as roepnaam
        return "different"
    # at least one side has initials only: consistent when the shorter list starts the longer one
    short, long_ = sorted((a.initials, b.initials), key=len)
    if short and long_[: len(short)] == short:
        return "initials"
    if short and set(short) <= set(long_):
        return "initials"
    return "different"


_NAME_RANK = {"exact": 3, "similar": 2, "initials": 2, "variant": 1, "partial": 1, "different": 0, MISSING: 0}


def person_name_levels(a: PersonName, b: PersonName) -> tuple[str, str, bool]:
    """(surname level, given name level, swapped): tries the names as given and with given name
    and surname of one side swapped ('Jansen Jan' / 'Jan Jansen', a common entry error)."""
    direct = (_surname_parts_level(a, b), given_level(a, b))
    if direct[0] == "exact" and direct[1] in ("exact", "initials", MISSING):
        return direct[0], direct[1], False
    a_given = a.given_key
    b_given = b.given_key
    if a_given and b_given and a.surname_key and b.surname_key:
        swapped = (surname_level(a.surname_key, b_given), surname_level(a_given, b.surname_key))
        both_close = swapped[0] in ("exact", "similar") and swapped[1] in ("exact", "similar")  # variant is not enough
        if both_close and _NAME_RANK[swapped[0]] + _NAME_RANK[swapped[1]] > _NAME_RANK[direct[0]] + _NAME_RANK[direct[1]]:
            return swapped[0], swapped[1], True
    return direct[0], direct[1], False


def generation_level(a: PersonName, b: PersonName) -> str:
    if a.generation and b.generation:
        return "same" if a.generation == b.generation else "conflict"
    return MISSING


def company_name_level(a: CompanyName, b: CompanyName) -> str:
    if not a.core or not b.core:
        return MISSING
    if a.core == b.core or a.key_tokens == b.key_tokens or "".join(a.key_tokens) == "".join(b.key_tokens):
        return "exact"  # also 'Tattoo Shop' / 'Tattooshop'
    if fuzz.token_sort_ratio(a.core, b.core) >= 90:
        return "similar"
    if fuzz.token_set_ratio(" ".join(a.key_tokens), " ".join(b.key_tokens)) >= 95:
        return "partial"  # one name contains the other ('Jansen Autohandel' / 'Jansen')
    return "different"


def legal_form_level(a: CompanyName, b: CompanyName) -> str:
    if not a.legal_form or not b.legal_form:
        return MISSING
    return "same" if a.legal_form == b.legal_form else "conflict"


# -- dates and identifiers ------------------------------------------------------------------------

GENERATION_GAP_YEARS = 12


def birth_date_level(a: date | None, b: date | None) -> str:
    """exact; typo (one digit off, or day and month transposed); one_part (two of day, month, year
    agree and the years lie close); generation (years at least 12 apart: father and son);
    different."""
    if a is None or b is None:
        return MISSING
    if a == b:
        return "exact"
    same_parts = (a.year == b.year) + (a.month == b.month) + (a.day == b.day)
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return "typo"  # day and month transposed
    if same_parts == 2 or abs(a.year - b.year) < 10:
        # one digit off, or two adjacent digits swapped, is only possible within one part (two
        # parts agree) or across the year/month or month/day border (the years lie within 10)
        sa, sb = f"{a.year:04d}{a.month:02d}{a.day:02d}", f"{b.year:04d}{b.month:02d}{b.day:02d}"
        if DamerauLevenshtein.distance(sa, sb) <= 1:
            return "typo"
    if abs(a.year - b.year) >= GENERATION_GAP_YEARS:
        return "generation"
    if same_parts == 2:
        return "one_part"
    return "different"


def identifier_level(a: str, b: str, typo_tolerant: bool = False) -> str:
    if not a or not b:
        return MISSING
    if a == b:
        return "same"
    if typo_tolerant and DamerauLevenshtein.distance(a, b) <= 1:
        return "typo"
    return "different"


# -- addresses ------------------------------------------------------------------------------------

def postcode_level(a: str, b: str) -> str:
    if not a or not b:
        return MISSING
    if a == b:
        return "same"
    if len(a) == len(b) and DamerauLevenshtein.distance(a, b) <= 1:
        return "typo"
    return "different"


def house_number_level(a: ParsedAddress, b: ParsedAddress) -> str:
    if a.number is None or b.number is None:
        return MISSING
    if (a.number, a.letter, a.addition) == (b.number, b.letter, b.addition):
        return "same"
    if a.number == b.number:
        # '12' / '12A': the letter left out; '12A' / '12B' are different doors
        if (a.letter and b.letter and a.letter != b.letter) or (a.addition and b.addition and a.addition != b.addition):
            return "other_door"
        return "number_only"
    if DamerauLevenshtein.distance(str(a.number), str(b.number)) <= 1:
        return "typo"
    return "different"


def text_level(a: str, b: str) -> str:
    if not a or not b:
        return MISSING
    if a == b:
        return "same"
    if _similar(a, b):
        return "similar"
    return "different"
