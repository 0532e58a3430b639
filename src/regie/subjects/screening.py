"""Screening (issue 8 point 5): a name, with an optional birth date or address, against the
caller's registry, answered as ranked candidates with a score and a Dutch explanation.

The registry is matched through :mod:`.registry_index`: the rows the access may see, read
through the scoped manager column by column and held as one :class:`regie.matching.Screener`
(a blocking index, so only the candidates that share a blocking key are scored), cached per
(organisation, clearance, categories) and checked against a data fingerprint on every call, so
a search after a create, edit, delete, merge, import or Share sees the change. The subjects shown
are re-read through the scoped manager.

Every search writes one audit SEARCH row with the stated purpose and the ids found; never the
name that was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.matching import AddressRecord, CompanyRecord, Hit, PersonRecord, prepare
from regie.matching.dates import parse_date
from regie.organisations.access import Access

from . import registry_index
from .models import Company, Person

KINDS = {"persoon": Person, "bedrijf": Company}
#: the URL slug of each kind (as in services.KINDS), for links to the subject's page
SLUGS = {"persoon": "personen", "bedrijf": "bedrijven"}
#: candidates below this score are not shown: a name that merely sounds alike is no lead
THRESHOLD = 0.2
MAX_LIMIT = 50
MAX_TEXT = 200

#: the matching library's explanation codes (feature, level) in short Dutch phrases
PHRASES = {
    ("bsn", "same"): "BSN gelijk",
    ("bsn", "different"): "BSN verschilt",
    ("kvk", "same"): "KvK-nummer gelijk",
    ("kvk", "different"): "KvK-nummer verschilt",
    ("iban", "same"): "IBAN gelijk",
    ("iban", "different"): "IBAN verschilt",
    ("other_id", "same"): "kenmerk gelijk",
    ("other_id", "typo"): "kenmerk wijkt één teken af",
    ("other_id", "different"): "kenmerk verschilt",
    ("surname", "exact"): "achternaam gelijk",
    ("surname", "similar"): "achternaam lijkt sterk",
    ("surname", "variant"): "achternaam is een variant",
    ("surname", "partial"): "deel van dubbele achternaam gelijk",
    ("surname", "different"): "achternaam verschilt",
    ("given_name", "exact"): "voornaam gelijk",
    ("given_name", "similar"): "voornaam lijkt sterk",
    ("given_name", "initials"): "voorletters passen",
    ("given_name", "different"): "voornaam verschilt",
    ("generation", "same"): "zelfde generatie (jr/sr)",
    ("generation", "conflict"): "junior tegenover senior",
    ("name_order", "swapped"): "voor- en achternaam omgedraaid",
    ("family", "twins"): "andere voornaam bij gelijke achternaam en geboortedatum (broer of zus?)",
    ("birth_date", "exact"): "geboortedatum gelijk",
    ("birth_date", "typo"): "geboortedatum wijkt één cijfer af",
    ("birth_date", "one_part"): "geboortedatum deels gelijk",
    ("birth_date", "generation"): "geboortedatum een generatie verschil",
    ("birth_date", "different"): "geboortedatum verschilt",
    ("company_name", "exact"): "naam gelijk",
    ("company_name", "similar"): "naam lijkt sterk",
    ("company_name", "partial"): "naam deels gelijk",
    ("company_name", "different"): "naam verschilt",
    ("legal_form", "same"): "rechtsvorm gelijk",
    ("legal_form", "conflict"): "rechtsvorm verschilt",
    ("postcode", "same"): "postcode gelijk",
    ("postcode", "typo"): "postcode wijkt één teken af",
    ("postcode", "different"): "postcode verschilt",
    ("house_number", "same"): "huisnummer gelijk",
    ("house_number", "number_only"): "huisnummer gelijk, toevoeging ontbreekt",
    ("house_number", "other_door"): "andere huisletter of toevoeging",
    ("house_number", "typo"): "huisnummer wijkt één cijfer af",
    ("house_number", "different"): "huisnummer verschilt",
    ("street", "same"): "straat gelijk",
    ("street", "similar"): "straat lijkt sterk",
    ("street", "different"): "straat verschilt",
    ("city", "same"): "plaats gelijk",
    ("city", "similar"): "plaats lijkt sterk",
    ("city", "different"): "plaats verschilt",
    ("address_extra", "same"): "adresregel gelijk",
    ("address_extra", "similar"): "adresregel lijkt sterk",
    ("address_extra", "different"): "adresregel verschilt",
}
ADDRESS_PARTS = {"street", "house_number", "postcode", "city"}


@dataclass
class Candidate:
    subject: Person | Company
    kind: str  # "persoon" or "bedrijf"
    score: float  # 0..1
    reasons: list[str]  # Dutch phrases, strongest first
    code: str  # the library's explanation text (stable codes), for analysts and logs

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons)

    @property
    def percentage(self) -> int:
        return round(self.score * 100)

    @property
    def slug(self) -> str:
        return SLUGS[self.kind]


def explain(explanation) -> list[str]:
    """The library's explanation as Dutch phrases: vetoes first, then by weight, strongest first;
    "adres gelijk" when street, house number and (when present) postcode and city all agree."""
    features = [f for f in explanation.features if f.level != "missing"]
    levels = {f.name: f.level for f in features}
    address = {name for name in ADDRESS_PARTS if name in levels}
    whole_address = {"street", "house_number"} <= address and all(levels[n] == "same" for n in address)
    reasons = [f"uitgesloten: {PHRASES.get(v, '='.join(v))}" for v in explanation.vetoes]
    if whole_address:
        reasons.append("adres gelijk")
    for feature in sorted(features, key=lambda f: -abs(f.weight)):
        if whole_address and feature.name in ADDRESS_PARTS:
            continue
        reasons.append(PHRASES.get((feature.name, feature.level), f"{feature.name}: {feature.level}"))
    return reasons or ["geen vergelijkbare gegevens"]


def _clean(value: str) -> str:
    return (value or "").replace("\x00", "").strip()


def _validate(kind, name, birth_date, address_text, purpose, limit):
    errors = {}
    if kind not in KINDS:
        errors["soort"] = "Kies persoon of bedrijf."
    if not name:
        errors["naam"] = "Vul een naam in."
    elif len(name) > MAX_TEXT:
        errors["naam"] = f"Een naam heeft hoogstens {MAX_TEXT} tekens."
    if len(address_text) > MAX_TEXT:
        errors["adres"] = f"Een adres heeft hoogstens {MAX_TEXT} tekens."
    if not purpose:
        errors["doel"] = "Geef het doel van deze zoekvraag op; zonder doel wordt niet gezocht."
    elif len(purpose) > 500:
        errors["doel"] = "Een doel heeft hoogstens 500 tekens."
    parsed = None
    if birth_date not in (None, ""):
        if kind == "bedrijf":
            errors["geboortedatum"] = "Een bedrijf heeft geen geboortedatum."
        else:
            parsed, problems = parse_date(birth_date)
            if problems:
                errors["geboortedatum"] = problems[0].message
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        errors["aantal"] = f"Het aantal kandidaten ligt tussen 1 en {MAX_LIMIT}."
    if errors:
        raise ValidationError(errors)
    return parsed


def _query_record(kind, name, birth_date: date | None, address_text):
    address = AddressRecord(text=address_text) if address_text else None
    if kind == "persoon":
        record_ = PersonRecord(name=name, birth_date=birth_date, address=address)
    else:
        record_ = CompanyRecord(name=name, address=address)
    if any(p.code == "name.empty" for p in prepare(record_).problems):
        raise ValidationError({"naam": "Deze naam bevat niets om op te zoeken."})
    return record_


def _query(index: registry_index.RegistryIndex, query, limit: int) -> list[tuple[int, Hit]]:
    """(subject id, hit) of the registry subjects scoring at least :data:`THRESHOLD`, best first.
    A person asked with initials only ("J. vd Berg") meets "Jan van der Berg" through the
    blocking key surname + first initial."""
    return index.query(query, threshold=THRESHOLD, limit=limit)


def _candidates(access: Access, kind: str, hits: list[tuple[int, Hit]]) -> list[Candidate]:
    model = KINDS[kind]
    # re-read through the scoped manager: what is shown is what the caller may see now
    found = {obj.pk: obj for obj in model.objects.visible_to(access).filter(pk__in=[pk for pk, _ in hits])}
    return [
        Candidate(found[pk], kind, h.score, explain(h.comparison.explanation), h.comparison.text())
        for pk, h in hits
        if pk in found  # removed or re-classified since it was read
    ]


def screen(
    access: Access,
    *,
    kind: str,
    name: str,
    birth_date: date | str | None = None,
    address_text: str = "",
    limit: int = 10,
    purpose: str,
    request=None,
) -> list[Candidate]:
    """Ranked candidates for ``name`` (``kind`` "persoon" or "bedrijf") among the registry rows
    ``access`` may see. Raises a Dutch :class:`ValidationError` for bad input or a missing purpose;
    writes one audit SEARCH row."""
    name, address_text, purpose = _clean(name), _clean(address_text), _clean(purpose)
    parsed = _validate(kind, name, birth_date, address_text, purpose, limit)
    query = _query_record(kind, name, parsed, address_text)
    model = KINDS[kind]
    candidates = _candidates(access, kind, _query(registry_index.get(access, kind), query, limit))
    record(
        AuditEntry.Action.SEARCH,
        model=model,
        access=access,
        request=request,
        purpose=purpose,
        detail={
            "screening": kind,
            "birth_date": parsed is not None,
            "address": bool(address_text),
            "candidates": len(candidates),
            "ids": [c.subject.pk for c in candidates],
        },
    )
    return candidates


#: how a signal's mention was linked when no strong identifier did it (intake.SignalSubject.Method)
WEAK_LINKS = frozenset({"naam", "nieuw"})


@dataclass
class MentionCandidates:
    mention: object  # the intake mention (SignalSubject)
    kind: str  # "persoon" or "bedrijf"
    subject: Person | Company  # as the caller may see it
    candidates: list[Candidate]


def for_mentions(access: Access, mentions, *, obj, limit: int = 3, request=None) -> list[MentionCandidates]:
    """Issue 8 point 4: for each person or company mentioned in ``obj`` (a signal) that was linked
    by name or registered as new rather than by BSN or KvK number, the other registry subjects it
    most resembles, with their reasons. Nothing is linked. The registry is read once per kind;
    one audit SEARCH row on ``obj`` names the candidates shown."""
    wanted = {"persoon": [], "bedrijf": []}
    for mention in mentions:
        if mention.method not in WEAK_LINKS:
            continue
        if mention.person_id:
            wanted["persoon"].append((mention, mention.person_id))
        elif mention.company_id:
            wanted["bedrijf"].append((mention, mention.company_id))
    rows = []
    for kind, items in wanted.items():
        if not items:
            continue
        model = KINDS[kind]
        index = registry_index.get(access, kind)
        subjects = {s.pk: s for s in model.objects.visible_to(access).filter(pk__in=[pk for _, pk in items])}
        for mention, pk in items:
            own = index.record_of(pk)
            if own is None or pk not in subjects:
                continue  # not visible to the caller: nothing to compare, nothing to show
            hits = [(other, h) for other, h in _query(index, own, limit + 1) if other != pk][:limit]
            rows.append(MentionCandidates(mention, kind, subjects[pk], _candidates(access, kind, hits)))
    if rows:
        record(
            AuditEntry.Action.SEARCH,
            obj=obj,
            access=access,
            request=request,
            purpose="Beoordeling van een signaal: mogelijke dubbelingen van genoemde subjecten",
            detail={
                "screening": "genoemde subjecten",
                "ids": {f"{row.kind}:{row.subject.pk}": [c.subject.pk for c in row.candidates] for row in rows},
            },
        )
    return rows
