"""Screening (issue 8 point 5): a name, with an optional birth date or address, against the
caller's registry, answered as ranked candidates with a score and a Dutch explanation.

The registry is read through the scoped manager for the given access, column by column
(``values()``), and matched with :class:`regie.matching.Screener` (one blocking index, so only
the candidates that share a blocking key are scored). The screener is built per call: a cache
would have to be keyed on organisation, clearance, categories and the data version, and a
wrongly keyed one would leak persons across organisations or clearances.

Every search writes one audit SEARCH row with the stated purpose and the ids found; never the
name that was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from rigour.text import soundex

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.matching import (
    AddressRecord,
    CompanyRecord,
    Hit,
    PersonRecord,
    Screener,
    prepare,
    score_prepared,
)
from regie.matching.dates import parse_date
from regie.organisations.access import Access

from .models import Address, Company, Person

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


def _addresses(access: Access, owner_qs) -> dict[int, AddressRecord]:
    """The addresses of the registry rows the caller may see himself (an address above his
    clearance is left out, not used to match), as records by id."""
    rows = Address.objects.visible_to(access).filter(pk__in=owner_qs.values("address_id")).values_list(
        "pk", "street", "house_number", "house_letter", "addition", "postcode", "city"
    )
    found = {}
    for pk, street, number, letter, addition, postcode, city in rows:
        house = f"{number}{letter}" + (f"-{addition}" if addition else "")
        found[pk] = AddressRecord(street=street, house_number=house, postcode=postcode, city=city)
    return found


def _registry(access: Access, kind: str):
    """(ids, records) of the caller's visible persons or companies, only the columns needed."""
    model = KINDS[kind]
    qs = model.objects.visible_to(access)
    addresses = _addresses(access, qs)
    ids, records = [], []
    if model is Person:
        rows = qs.values_list("pk", "first_names", "initials", "surname_prefix", "surname", "birth_date", "bsn", "address_id")
        for pk, first, initials, prefix, surname, born, bsn, address_id in rows.iterator(chunk_size=5000):
            ids.append(pk)
            records.append(PersonRecord(
                given_names=first or initials, surname=f"{prefix} {surname}".strip(), birth_date=born, bsn=bsn,
                address=addresses.get(address_id),
            ))
    else:
        rows = qs.values_list("pk", "name", "legal_form", "kvk_number", "address_id")
        for pk, name, legal_form, kvk, address_id in rows.iterator(chunk_size=5000):
            ids.append(pk)
            records.append(CompanyRecord(
                name=name, legal_form="" if legal_form == "onbekend" else legal_form, kvk=kvk,
                address=addresses.get(address_id),
            ))
    return model, ids, records


def _initial(name) -> str:
    return (name.given_key or (name.initials[0] if name.initials else ""))[:1]


def _query(screener: Screener, query, limit: int) -> list[Hit]:
    """The screener's hits, plus for a person asked with initials only ("J. vd Berg", no birth
    date) the registry persons with the same surname (Soundex) and first initial: the blocking
    keys pair a full first name with a full one, so "J." alone would find no one."""
    hits = screener.query(query, threshold=THRESHOLD, limit=limit)
    asked = prepare(query, "1.")
    name = asked.get("name") if asked.kind == "person" else None
    if name is None or name.given_key or not name.initials or not name.surname_key:
        return hits
    seen = {h.index for h in hits}
    surname, initial = soundex(name.surname_key), _initial(name)
    for i, other in enumerate(screener.prepared):
        theirs = other.get("name")
        if i in seen or theirs is None or _initial(theirs) != initial or not theirs.surname_key:
            continue
        if soundex(theirs.surname_key) == surname:
            comparison = score_prepared(asked, other, screener.model)
            if comparison.score >= THRESHOLD:
                hits.append(Hit(i, comparison))
    hits.sort(key=lambda h: (-h.score, h.index))
    return hits[:limit]


def _candidates(access: Access, kind: str, ids: list, hits: list[Hit]) -> list[Candidate]:
    model = KINDS[kind]
    found = {obj.pk: obj for obj in model.objects.visible_to(access).filter(pk__in=[ids[h.index] for h in hits])}
    return [
        Candidate(found[ids[h.index]], kind, h.score, explain(h.comparison.explanation), h.comparison.text())
        for h in hits
        if ids[h.index] in found  # removed or re-classified since it was read
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
    model, ids, records = _registry(access, kind)
    hits = _query(Screener(records), query, limit) if records else []
    candidates = _candidates(access, kind, ids, hits)
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
        model, ids, records = _registry(access, kind)
        position = {pk: i for i, pk in enumerate(ids)}
        screener = Screener(records) if records else None
        subjects = {s.pk: s for s in model.objects.visible_to(access).filter(pk__in=[pk for _, pk in items])}
        for mention, pk in items:
            if pk not in position or pk not in subjects or screener is None:
                continue  # not visible to the caller: nothing to compare, nothing to show
            hits = [h for h in _query(screener, records[position[pk]], limit + 1) if ids[h.index] != pk][:limit]
            rows.append(MentionCandidates(mention, kind, subjects[pk], _candidates(access, kind, ids, hits)))
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
