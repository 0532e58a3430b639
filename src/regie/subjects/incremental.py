"""Incremental entity resolution (issue 8 point 4): a subject that enters the registry — typed in,
imported, attached to a Bibob file — is matched against the registry at once.

:func:`propose_candidates` scores one subject against the owner's registry (the matching library's
blocking and scoring, through :mod:`.screening`'s registry reader) and stores the pairs above
:data:`PROPOSE_THRESHOLD` as open :class:`MatchCandidate` rows for the review queue. Identical
strong identifiers — BSN for persons, KvK-nummer (with the same vestigingsnummer) for companies,
kenteken for vehicles, IBAN for bank accounts — are linked automatically: the pair is judged
"zelfde" by the system, which the history shows and a person can reverse. An import builds one
:class:`Proposer` (one blocking index per kind) for all its rows.

Only the caller's own organisation's subjects are compared: a merge moves rows, and only the
owner writes them. A pair a person has already judged is never proposed or linked again.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.matching import CompanyRecord, PersonRecord, Screener
from regie.organisations.access import Access
from regie.organisations.scoping import owner_has

from . import review, screening
from .models import BankAccount, Company, Person, Vehicle
from .review_models import MatchCandidate, MergeRecord

#: pairs at or above this score go to the review queue (the library calls a match at 0.5; the
#: queue is where people decide the doubtful ones below it)
PROPOSE_THRESHOLD = 0.3
MAX_PER_SUBJECT = 10
FUZZY = {Person: "persoon", Company: "bedrijf"}
STRONG = {
    Person: (("bsn",), "BSN gelijk"),
    Company: (("kvk_number", "vestigingsnummer"), "KvK-nummer en vestigingsnummer gelijk"),
    Vehicle: (("kenteken",), "kenteken gelijk"),
    BankAccount: (("iban",), "IBAN gelijk"),
}
Source = MatchCandidate.Source


def _own(access: Access, model, away):
    return model.objects.visible_to(access).filter(owner_id=access.organisation_id).exclude(pk__in=away)


def _group(rows) -> dict[tuple, list[int]]:
    """(pk, *identifier) rows grouped by identifier."""
    found = {}
    for pk, *values in rows:
        found.setdefault(tuple(values), []).append(pk)
    return found


def _explanation(comparison) -> dict:
    explanation = comparison.explanation
    return {
        "code": comparison.text(),
        "reasons": screening.explain(explanation),
        "features": [[f.name, f.level, round(f.weight, 1)] for f in explanation.features if f.level != "missing"],
        "vetoes": [list(v) for v in explanation.vetoes],
    }


#: the columns read per kind: the record's fields, then the strong identifier's
COLUMNS = {
    Person: ("pk", "first_names", "initials", "surname_prefix", "surname", "birth_date", "address_id", "bsn"),
    Company: ("pk", "name", "legal_form", "address_id", "kvk_number", "vestigingsnummer"),
}


def _record(model, row, addresses):
    if model is Person:
        _, first, initials, prefix, surname, born, address_id, bsn = row
        return PersonRecord(given_names=first or initials, surname=f"{prefix} {surname}".strip(), birth_date=born, bsn=bsn,
                            address=addresses.get(address_id))
    _, name, legal_form, address_id, kvk, _ = row
    return CompanyRecord(name=name, legal_form="" if legal_form == "onbekend" else legal_form, kvk=kvk,
                         address=addresses.get(address_id))


class Proposer:
    """Proposes candidates for subjects of the caller's organisation, reading the registry once
    per kind (one blocking index), however many subjects are proposed for.

    Two subjects with different strong identifiers are never the same (the library vetoes two
    valid, different BSNs or KvK-nummers), so a subject that has one is only scored against the
    subjects without one, and the registry rows with another identifier are not even read."""

    def __init__(self, access: Access, *, source: str, reference: str = "", request=None):
        self.access, self.source, self.reference, self.request = access, source, reference[:200], request
        self._loaded = {}
        self.created: list[MatchCandidate] = []
        self.linked: list[MatchCandidate] = []

    def load(self, model, subjects) -> None:
        """Read what proposing for ``subjects`` needs, in one query (two when there is anything
        to score: the addresses too): twins by strong identifier and the rows to score against."""
        fields, _ = STRONG[model]
        keys = {tuple(getattr(s, f) for f in fields) for s in subjects}
        has_id = {k[0] for k in keys if k[0]}
        qs = _own(self.access, model, MergeRecord.objects.filter(
            candidate__owner_id=self.access.organisation_id, candidate__subject_type=ContentType.objects.get_for_model(model),
            split_at__isnull=True).values("merged_id"))
        if model not in FUZZY:
            rows = qs.filter(**{f"{fields[0]}__in": has_id}).values_list("pk", *fields) if has_id else []
            self._loaded[model] = {"twins": _group(rows), "rows": {}}
            return
        needs_all = any(not k[0] for k in keys)
        if not needs_all:  # only the rows without an identifier can be look-alikes; twins share it
            qs = qs.filter(Q(**{fields[0]: ""}) | Q(**{f"{fields[0]}__in": has_id}))
        rows = list(qs.values_list(*COLUMNS[model]))
        width = len(fields)
        twins = _group([(row[0], *row[-width:]) for row in rows if row[-width]])
        pool = [row for row in rows if needs_all or not row[-width]]
        addresses = screening._addresses(self.access, qs) if pool else {}
        records = {row[0]: _record(model, row, addresses) for row in rows}
        self._loaded[model] = {"twins": twins, "rows": records, "pool": pool, "screeners": {}}

    def _screener(self, model, without_identifier: bool):
        loaded = self._loaded[model]
        if without_identifier not in loaded["screeners"]:
            width = len(STRONG[model][0])
            ids = [row[0] for row in loaded["pool"] if not (without_identifier and row[-width])]
            screener = Screener([loaded["rows"][pk] for pk in ids]) if ids else None
            loaded["screeners"][without_identifier] = (ids, screener)
        return loaded["screeners"][without_identifier]

    def propose(self, subject) -> list[MatchCandidate]:
        model = type(subject)
        if model not in STRONG or subject.pk is None or subject.owner_id != self.access.organisation_id:
            return []
        if model not in self._loaded:
            self.load(model, [subject])
        loaded = self._loaded[model]
        if model in FUZZY and subject.pk not in loaded["rows"]:
            return []  # merged into another subject (or not visible): nothing to propose
        fields, _ = STRONG[model]
        key = tuple(getattr(subject, f) for f in fields)
        strong = [pk for pk in loaded["twins"].get(key, []) if pk != subject.pk] if key[0] else []
        found = [self._store(subject, pk, 1.0, self._strong_explanation(model), automatic=True) for pk in strong]
        if model in FUZZY:
            ids, screener = self._screener(model, without_identifier=bool(key[0]))
            hits = screening._query(screener, loaded["rows"][subject.pk], MAX_PER_SUBJECT + 1) if screener else []
            for hit in hits:
                other_id = ids[hit.index]
                if other_id == subject.pk or other_id in strong or hit.score < PROPOSE_THRESHOLD:
                    continue
                found.append(self._store(subject, other_id, hit.score, _explanation(hit.comparison)))
        return [c for c in found if c is not None]

    @staticmethod
    def _strong_explanation(model) -> dict:
        fields, phrase = STRONG[model]
        return {"code": " ".join(f"{f}=same" for f in fields), "reasons": [phrase], "features": [], "vetoes": [],
                "strong": list(fields)}

    def _store(self, subject, other_id: int, score: float, explanation: dict, automatic: bool = False):
        model = type(subject)
        left, right = sorted((subject.pk, other_id))
        ct = ContentType.objects.get_for_model(model)
        # asked of all the owner's candidates (one above the caller's clearance too), yes or no only
        if owner_has(MatchCandidate, self.access.organisation_id, subject_type=ct, left_id=left, right_id=right):
            return None  # proposed before; a judged pair is never re-opened or re-linked
        other = model.objects.visible_to(self.access).filter(pk=other_id).first()
        candidate = MatchCandidate(
            owner_id=self.access.organisation_id, subject_type=ct, left_id=left, right_id=right, score=round(score, 4),
            explanation=explanation, automatic=automatic, source=self.source, source_reference=self.reference,
            confidentiality=max(subject.confidentiality, other.confidentiality if other else 0),
        )
        candidate.full_clean(exclude=["owner", "subject_type"])
        candidate.save()
        self.created.append(candidate)
        if automatic:
            try:
                with transaction.atomic():
                    review.judge(self.access, candidate, MatchCandidate.Status.SAME, automatic=True, survivor_id=left,
                                 reason=f"Automatisch gekoppeld: {explanation['reasons'][0]}.", request=self.request)
                self.linked.append(candidate)
            except ValidationError:
                pass  # e.g. one of the two is merged elsewhere: it stays in the queue for a person
        return candidate

    def audit(self) -> None:
        if self.created:
            record(AuditEntry.Action.CREATE, model=MatchCandidate, access=self.access, request=self.request, detail={
                "source": self.source, "candidates": [c.pk for c in self.created], "linked": [c.pk for c in self.linked],
            })


@transaction.atomic
def propose_candidates(access: Access, subject, *, source: str = Source.REGISTRATION, reference: str = "",
                       request=None) -> list[MatchCandidate]:
    """Match ``subject`` against its owner's registry; store and return the new candidates (those
    linked automatically are already judged "zelfde")."""
    proposer = Proposer(access, source=source, reference=reference, request=request)
    found = proposer.propose(subject)
    proposer.audit()
    return found


def propose_many(access: Access, subjects, *, source: str, reference: str = "", request=None) -> int:
    """:func:`propose_candidates` for many subjects (an import), the registry read once per kind;
    inside the caller's transaction (the import's)."""
    proposer = Proposer(access, source=source, reference=reference, request=request)
    subjects = list(subjects)
    for model in {type(s) for s in subjects} & set(STRONG):
        proposer.load(model, [s for s in subjects if type(s) is model])
    seen = set()
    for subject in subjects:
        key = (type(subject), subject.pk)
        if key not in seen:
            seen.add(key)
            proposer.propose(subject)
    proposer.audit()
    return len(proposer.created)
