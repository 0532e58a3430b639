"""Suggest a label and a route for a new signal from the rules the functioneel beheerder edits.

Pure function over plain values, so it is explainable and testable: every matching rule adds
its weight to its label and a reason in Dutch; the label with the highest total wins, a tie
or no match gives "onbekend". A person always confirms.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rule:
    kind: str  # "woord", "thema", "kanaal"
    value: str
    label: str  # "ondermijning", "niet", "onbekend"
    route: str = ""
    weight: int = 1


@dataclass
class Suggestion:
    label: str
    route: str
    reasons: list[str] = field(default_factory=list)


LABEL_TEXT = {"ondermijning": "ondermijningsgerelateerd", "niet": "niet ondermijningsgerelateerd", "onbekend": "onbekend"}
DEFAULT_ROUTE = {"ondermijning": "overleg", "niet": "sluiten", "onbekend": "overleg"}


def fold(text: str) -> str:
    """Lower case without accents, so 'Hennep', 'hennép' and 'HENNEP' match alike."""
    normal = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in normal if not unicodedata.combining(c))


def suggest(text: str, theme_codes: list[str], channel: str, rules: list[Rule]) -> Suggestion:
    folded = fold(text)
    scores: Counter[str] = Counter()
    routes: Counter[tuple[str, str]] = Counter()
    reasons: list[str] = []
    for rule in rules:
        hit = False
        if rule.kind == "woord":
            hit = re.search(r"\b" + re.escape(fold(rule.value)), folded) is not None
            why = f"trefwoord “{rule.value}”"
        elif rule.kind == "thema":
            hit = rule.value in theme_codes
            why = f"thema {rule.value}"
        elif rule.kind == "kanaal":
            hit = rule.value == channel
            why = f"kanaal {rule.value}"
        if hit:
            scores[rule.label] += rule.weight
            if rule.route:
                routes[(rule.label, rule.route)] += rule.weight
            reasons.append(f"{why} wijst op {LABEL_TEXT.get(rule.label, rule.label)} (gewicht {rule.weight})")
    if not scores:
        return Suggestion("onbekend", DEFAULT_ROUTE["onbekend"], ["geen enkele regel herkende dit signaal"])
    ranked = scores.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        label = "onbekend"
        reasons.append("regels spreken elkaar tegen: een mens beslist")
    else:
        label = ranked[0][0]
    candidates = [(n, route) for (lab, route), n in routes.items() if lab == label]
    route = max(candidates)[1] if candidates else DEFAULT_ROUTE[label]
    return Suggestion(label, route, reasons)


#: rules every new municipality starts with (seed 000: fireworks nuisance reached the agenda)
DEFAULT_RULES = [
    Rule("woord", "vuurwerk", "niet", "politie", 3),
    Rule("woord", "overlast", "niet", "handhaving", 1),
    Rule("woord", "geluidsoverlast", "niet", "handhaving", 2),
    Rule("woord", "parkeer", "niet", "handhaving", 2),
    Rule("woord", "zwerfvuil", "niet", "partner", 2),
    Rule("woord", "hennep", "ondermijning", "overleg", 3),
    Rule("woord", "wietplantage", "ondermijning", "overleg", 3),
    Rule("woord", "drugslab", "ondermijning", "overleg", 4),
    Rule("woord", "xtc", "ondermijning", "overleg", 2),
    Rule("woord", "dealen", "ondermijning", "overleg", 2),
    Rule("woord", "witwas", "ondermijning", "overleg", 3),
    Rule("woord", "contant", "ondermijning", "overleg", 1),
    Rule("woord", "mensenhandel", "ondermijning", "overleg", 3),
    Rule("woord", "uitbuiting", "ondermijning", "overleg", 3),
    Rule("woord", "prostitutie", "ondermijning", "overleg", 2),
    Rule("woord", "stroomverbruik", "ondermijning", "overleg", 1),
    Rule("woord", "katvanger", "ondermijning", "overleg", 3),
    Rule("woord", "explosie", "ondermijning", "politie", 3),
    Rule("woord", "zorgfraude", "ondermijning", "overleg", 3),
    Rule("thema", "drugs-productie", "ondermijning", "overleg", 2),
    Rule("thema", "mensenhandel", "ondermijning", "overleg", 2),
    Rule("thema", "witwassen", "ondermijning", "overleg", 2),
    Rule("kanaal", "partner", "ondermijning", "overleg", 1),
]
