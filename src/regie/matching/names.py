"""Names: Dutch person names (particles, initials, diacritics, ij/y, ph/f) and company names
(legal forms through rigour's organisation-type table).

``parse_person_name("J. vd Berg")`` gives ``PersonName(given=(), initials=('j',), particles=('van',
'der'), surname=('berg',))``. Tokens are folded to ASCII lower case (rigour's transliteration:
"Bérg" -> "berg", "Ĳsselmeer" -> "ijsselmeer"), and :func:`fold` maps spellings that sound alike
in Dutch onto one ("ij"/"y", "ph"/"f") for comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rigour.names import extract_org_types, remove_org_types
from rigour.text import ascii_text

from .records import Problem

# Surname particles (tussenvoegsels), longest first where one is the start of another.
PARTICLES = frozenset(
    ["van", "de", "der", "den", "het", "t", "'s", "te", "ter", "ten", "in", "op", "aan", "onder", "bij", "uit", "voor", "over", "d'", "la", "le", "l'", "du", "da", "di", "del", "von", "zu", "vom", "zum", "dos", "das"]
)
# Written abbreviations of particle groups, after dots and slashes are removed.
PARTICLE_ABBREVIATIONS = {
    "vd": ("van", "der"), "vdr": ("van", "der"), "vden": ("van", "den"), "vde": ("van", "de"),
    "vh": ("van", "het"), "vt": ("van", "t"), "v": ("van",),
}
# Generation suffixes: a father and son with the same name differ here, if anywhere.
GENERATIONS = {"jr": "jr", "junior": "jr", "sr": "sr", "senior": "sr"}
TITLES = frozenset(["dhr", "mevr", "mw", "mr", "dr", "ir", "ing", "drs", "prof", "heer", "mevrouw", "de_heer"])

_FOLDS = (("ij", "y"), ("ph", "f"))


@lru_cache(maxsize=65536)
def to_ascii(text: str) -> str:
    """Diacritics and ligatures away, lower case: 'Bérg' -> 'berg', 'ß' -> 'ss'."""
    return ascii_text(text or "").lower()


def fold(token: str) -> str:
    """Spellings that sound alike in Dutch onto one: 'rijnders' -> 'rynders', 'philips' -> 'filips'."""
    for a, b in _FOLDS:
        token = token.replace(a, b)
    return token


@dataclass(frozen=True)
class PersonName:
    given: tuple[str, ...] = ()  # full given names, folded
    initials: tuple[str, ...] = ()  # the given names' first letters (of full names too)
    particles: tuple[str, ...] = ()
    surname: tuple[str, ...] = ()  # the surname's words without particles, folded
    generation: str = ""  # "jr", "sr" or ""

    @property
    def surname_key(self) -> str:
        return "".join(self.surname)

    @property
    def given_key(self) -> str:
        return self.given[0] if self.given else ""

    @property
    def is_empty(self) -> bool:
        return not (self.surname or self.given or self.initials)


@lru_cache(maxsize=65536)
def _split_raw(text: str) -> tuple[str, ...]:
    """Words, with initials written together ('J.P.', 'J.P.Jansen') split into one per letter."""
    text = to_ascii(text)
    text = re.sub(r"\bv\s*/\s*d\b", " vd ", text)  # v/d
    text = re.sub(r"\bv\.\s*d\.", " vd ", text)  # v.d. / v. d.
    text = re.sub(r"\bv\.\s*d\s*r\.", " vdr ", text)
    words: list[str] = []
    for word in re.split(r"[\s,;\-]+", text):
        if not word:
            continue
        pieces = [p for p in re.split(r"\.", word) if p]
        if len(pieces) > 1 and all(len(p) == 1 for p in pieces[:-1]):
            # 'j.p.' -> j., p. ; 'j.jansen' -> j., jansen: a letter with a dot is an initial
            words.extend(p + "." if len(p) == 1 else p for p in pieces)
        elif len(pieces) == 1 and len(pieces[0]) == 1 and word.endswith("."):
            words.append(pieces[0] + ".")  # 'T.' is an initial, not the particle 't
        else:
            words.append(word.replace(".", ""))
    keep = ("'s", "'t", "d'", "l'")
    return tuple(w for w in (re.sub(r"[^a-z'.]", "", w).strip("'") if w not in keep else w for w in words) if w.strip("."))


def _expand(words: list[str]) -> list[str]:
    out: list[str] = []
    for i, word in enumerate(words):
        if word in PARTICLE_ABBREVIATIONS and word != "v":
            out.extend(PARTICLE_ABBREVIATIONS[word])
        elif word in ("v", "v.") and i + 1 < len(words) and len(words[i + 1].rstrip(".")) > 1 and 0 < i:
            out.append("van")  # 'J. v. Berg': a lone v before the surname, not the first word
        else:
            out.append(word.strip("'"))  # "'t" -> "t", "'s" -> "s"
    return out


@lru_cache(maxsize=65536)
def parse_person_name(name: str = "", given_names: str = "", surname: str = "") -> PersonName:
    """Split a name into given names / initials, particles and surname.

    Free text: 'Jan van der Berg', 'J. vd Berg', 'Berg, Jan van der', 'Berg van der, J.'.
    Without particles the last word is the surname (unless the name has a comma). Swapped names
    ('Berg Jan') are not guessed here: the comparison tries both orders."""
    if given_names or surname:
        given_words = _expand(_split_raw(given_names))
        sur_words = _expand(_split_raw(surname))
        return _assemble(given_words, sur_words)
    comma = "," in (name or "")
    if comma:
        before, _, after = name.partition(",")
        sur_words = _expand(_split_raw(before))
        after_words = _expand(_split_raw(after))
        # 'Berg, Jan van der': trailing particles belong to the surname
        trailing = []
        while after_words and after_words[-1] in PARTICLES:
            trailing.insert(0, after_words.pop())
        return _assemble(after_words, trailing + sur_words)
    words = [w for w in _expand(_split_raw(name)) if w.rstrip(".") not in TITLES]
    generation = [w for w in words if w in GENERATIONS]
    words = [w for w in words if w not in GENERATIONS]
    if not words:
        return PersonName(generation=GENERATIONS[generation[0]] if generation else "")
    # the surname starts at the first particle that follows a given name or initial
    start = 0 if words[0] in PARTICLES and len(words) > 1 else None  # 'De Jong', 'van Dijk'
    for i, w in enumerate(words if start is None else ()):
        if i > 0 and w in PARTICLES and i < len(words) - 1:
            start = i
            break
    if start is None:
        start = len(words) - 1 if len(words) > 1 else 0
    parsed = _assemble(words[:start], words[start:])
    if generation:
        parsed = PersonName(parsed.given, parsed.initials, parsed.particles, parsed.surname, GENERATIONS[generation[0]])
    return parsed


def _assemble(given_words: list[str], sur_words: list[str]) -> PersonName:
    generation = ""
    for words in (given_words, sur_words):
        for w in list(words):
            if w in GENERATIONS:
                generation = GENERATIONS[w]
                words.remove(w)
    given_words = [w for w in given_words if w.rstrip(".") not in TITLES]
    particles = tuple(w for w in sur_words if w in PARTICLES)
    surname = tuple(fold(w.rstrip(".")) for w in sur_words if w not in PARTICLES)
    if not surname and particles:  # 'De' as a whole surname
        surname, particles = tuple(fold(w) for w in particles), ()
    given = tuple(fold(w) for w in given_words if len(w) > 1 and not w.endswith("."))
    initials = tuple(w[0] for w in given_words)
    return PersonName(given, initials, particles, surname, generation)


def check_person_name(parsed: PersonName, field: str = "name") -> list[Problem]:
    if parsed.is_empty:
        return [Problem(field, "name.empty", "De naam is leeg.")]
    if not parsed.surname:
        return [Problem(field, "name.no_surname", "De naam heeft geen achternaam.")]
    return []


# -- companies ------------------------------------------------------------------------------------

# rigour's table covers the forms themselves; trade-name noise words are dropped on top of it.
_COMPANY_NOISE = frozenset(["holding", "en", "zn", "zonen", "de", "het", "t", "the"])


@dataclass(frozen=True)
class CompanyName:
    core: str  # the name without legal form, ASCII, folded, single spaces
    tokens: tuple[str, ...]
    legal_form: str  # compare form from rigour ('bv', 'nv', 'vof', 'stichting', ...) or ''

    @property
    def key_tokens(self) -> tuple[str, ...]:
        return tuple(t for t in self.tokens if t not in _COMPANY_NOISE) or self.tokens


def _company_text(name: str) -> str:
    text = to_ascii(name)
    text = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", text)  # b.v. -> bv., v.o.f. -> vof.
    text = re.sub(r"\b([a-z]{1,2})\.", r"\1", text)
    text = text.replace("&", " en ")
    text = re.sub(r"\bv\s*/\s*d\b|\bv\.?\s*d\b\.?|\bvd\b", " van der ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


_LEADING_FORMS = ("stichting", "vereniging", "cooperatie", "maatschap", "eenmanszaak")


@lru_cache(maxsize=65536)
def parse_company_name(name: str, legal_form: str = "") -> CompanyName:
    """'Autohandel Jansen Besloten Vennootschap' -> core 'autohandel jansen', legal form 'bv'."""
    text = _company_text(name)
    forms = extract_org_types(text)
    form = forms[-1][1] if forms else ""
    core = remove_org_types(text, replacement=" ")
    for lead in _LEADING_FORMS:
        if core.startswith(lead + " "):
            core, form = core[len(lead) + 1:], form or lead
    if legal_form and not form:
        given = extract_org_types(_company_text(legal_form))
        form = given[0][1] if given else _company_text(legal_form)
    core = re.sub(r"\s+", " ", core).strip()
    tokens = tuple(fold(t) for t in core.split())
    return CompanyName(" ".join(tokens), tokens, form)
