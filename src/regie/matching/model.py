"""Scoring: Fellegi–Sunter weights per feature level, summed into log-odds, squashed to 0..1.

Every feature level has an *m* probability (how often two records of the same subject show this
level) and a *u* probability (how often two records of different subjects do). Its weight is
``log2(m / u)``: agreement on something rare counts much, disagreement on something that is
usually right counts against. The score is ``1 / (1 + 2 ** -(prior + sum of weights))``.

The default m and u values are set by hand from what is known about Dutch registry data, not
fitted on any benchmark; the reasoning is in ``docs/matching.md``. A caller with its own estimates
(from its data, without labels) replaces them with :meth:`Model.with_m` / :meth:`Model.with_u`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

# (m, u) per level; missing levels weigh 0 and are not listed.
DEFAULT_LEVELS: dict[str, dict[str, tuple[float, float]]] = {
    # strong identifiers: a valid BSN / KvK number that agrees almost settles it
    "bsn": {"same": (0.95, 1e-7), "different": (0.02, 0.9999)},
    "kvk": {"same": (0.95, 1e-6), "different": (0.03, 0.9999)},
    "iban": {"same": (0.9, 1e-6), "different": (0.2, 0.9999)},
    "other_id": {"same": (0.85, 1e-5), "typo": (0.1, 1e-4), "different": (0.05, 0.99999)},
    # person names: a surname is shared by about 1 in 1,000 random pairs, a first name by 1 in 100
    "surname": {"exact": (0.85, 0.002), "similar": (0.1, 0.005), "variant": (0.02, 0.004), "partial": (0.03, 0.002), "different": (0.02, 0.99)},
    "given_name": {"exact": (0.8, 0.01), "similar": (0.1, 0.01), "initials": (0.08, 0.006), "different": (0.02, 0.97)},
    "generation": {"same": (0.9, 0.5), "conflict": (1e-4, 0.5)},
    "name_order": {"swapped": (0.02, 0.04)},
    "family": {"twins": (1.0, 1.0)},  # weighs nothing itself; a veto (below)
    # birth dates: the same day by chance about 1 in 25,000 pairs
    "birth_date": {
        "exact": (0.9, 4e-5), "typo": (0.06, 5e-4), "one_part": (0.02, 0.03),
        "generation": (1e-5, 0.5), "different": (0.02, 0.47),
    },
    # companies
    "company_name": {"exact": (0.85, 1e-4), "similar": (0.1, 5e-4), "partial": (0.04, 0.005), "different": (0.01, 0.99)},
    "legal_form": {"same": (0.9, 0.6), "conflict": (0.1, 0.4)},
    # addresses: a four-digit+two-letter postcode covers about 20 addresses
    "postcode": {"same": (0.9, 1e-3), "typo": (0.05, 0.01), "different": (0.05, 0.989)},
    "house_number": {
        "same": (0.9, 0.01), "number_only": (0.05, 0.004), "other_door": (0.005, 0.02), "typo": (0.02, 0.03),
        "different": (0.02, 0.95),
    },
    "street": {"same": (0.9, 0.003), "similar": (0.06, 0.002), "different": (0.04, 0.995)},
    "city": {"same": (0.9, 0.02), "similar": (0.05, 0.01), "different": (0.05, 0.97)},
    "address_extra": {"same": (0.8, 0.01), "similar": (0.05, 0.01), "different": (0.15, 0.98)},
}

# Levels that rule a match out whatever else agrees: father and son share name and address, so
# their agreement there must not outvote a birth date a generation apart or "jr" against "sr";
# two valid, different BSNs or KvK numbers are two subjects.
# Twins share surname, birth date and address: a clearly different first name with the same birth
# date is a sibling ("family=twins"). For an address on its own, any other house number, letter or
# addition is another door ('12' / '14', '12A' / '12B', '103' / '103bis'): in the BAG each is an address.
VETOES = frozenset({
    ("birth_date", "generation"), ("generation", "conflict"), ("family", "twins"), ("bsn", "different"),
    ("kvk", "different"),
})
ADDRESS_VETOES = frozenset({
    ("house_number", "different"), ("house_number", "other_door"), ("house_number", "typo"), ("house_number", "number_only"),
})
VETO_CAP = 0.05  # the highest score a vetoed pair gets
# ... except that an agreeing identifier lifts the name-based vetoes: a wrong birth date is a more
# common error than two subjects sharing one identifier.
LIFTS_VETO = frozenset({("bsn", "same"), ("kvk", "same"), ("other_id", "same"), ("other_id", "typo")})
LIFTABLE = frozenset({("birth_date", "generation"), ("generation", "conflict"), ("family", "twins")})

PRIOR_BITS = -10.0  # about one true pair per thousand candidate pairs
THRESHOLD = 0.5  # score at or above which a pair is called a match


@dataclass(frozen=True)
class Feature:
    """One comparison in an explanation: ``surname`` came out ``similar`` and weighs +4.3 bits."""

    name: str
    level: str
    weight: float

    def __str__(self) -> str:
        return f"{self.name}={self.level}({self.weight:+.1f})"


@dataclass
class Explanation:
    features: list[Feature] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # problem codes, 'bsn.checksum@2.bsn'
    prior: float = PRIOR_BITS
    vetoes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def bits(self) -> float:
        return self.prior + sum(f.weight for f in self.features)

    def text(self) -> str:
        """'surname=exact(+8.7) given_name=initials(+3.7) ... | flags: bsn.checksum@1.bsn'."""
        parts = [str(f) for f in self.features if f.level != "missing"]
        text = " ".join(parts) if parts else "no comparable fields"
        if self.vetoes:
            text = "veto " + ",".join(f"{name}={level}" for name, level in self.vetoes) + ": " + text
        if self.flags:
            text += " | flags: " + " ".join(self.flags)
        return text


@dataclass
class Model:
    levels: dict[str, dict[str, tuple[float, float]]] = field(default_factory=lambda: {k: dict(v) for k, v in DEFAULT_LEVELS.items()})
    prior: float = PRIOR_BITS
    threshold: float = THRESHOLD
    vetoes: frozenset = VETOES
    address_vetoes: frozenset = ADDRESS_VETOES

    def __post_init__(self) -> None:
        self._weights = {
            (feature, level): math.log2(m / u) for feature, levels in self.levels.items() for level, (m, u) in levels.items()
        }

    def weight(self, feature: str, level: str) -> float:
        return self._weights.get((feature, level), 0.0)

    def bits(self, levels: list[tuple[str, str]]) -> float:
        """prior + the weights of (feature, level) pairs: the log-odds of a match."""
        weights = self._weights
        return self.prior + sum(weights.get(fl, 0.0) for fl in levels)

    def feature(self, feature: str, level: str) -> Feature:
        return Feature(feature, level, round(self.weight(feature, level), 2))

    def vetoed(self, levels: list[tuple[str, str]], kind: str) -> list[tuple[str, str]]:
        """The (feature, level) pairs among ``levels`` that rule the match out."""
        rules = self.vetoes | (self.address_vetoes if kind == "address" else frozenset())
        vetoes = [fl for fl in levels if fl in rules]
        if vetoes and any(fl in LIFTS_VETO for fl in levels):
            vetoes = [fl for fl in vetoes if fl not in LIFTABLE]
        return vetoes

    def score(self, bits: float) -> float:
        if bits > 60:
            return 1.0
        if bits < -60:
            return 0.0
        return 1.0 / (1.0 + 2.0 ** (-bits))

    def with_m(self, m: dict[str, dict[str, float]]) -> Model:
        levels = {f: {lv: (m.get(f, {}).get(lv, mu[0]), mu[1]) for lv, mu in lvs.items()} for f, lvs in self.levels.items()}
        return replace(self, levels=levels)

    def with_u(self, u: dict[str, dict[str, float]]) -> Model:
        levels = {f: {lv: (mu[0], u.get(f, {}).get(lv, mu[1])) for lv, mu in lvs.items()} for f, lvs in self.levels.items()}
        return replace(self, levels=levels)


DEFAULT_MODEL = Model()
