"""Incremental entity resolution (issue 8 point 4): a subject that enters the registry — typed in,
imported, attached to a Bibob file — is matched against the registry at once.

:func:`propose_candidates` scores one subject against the owner's registry (the matching library's
blocking and scoring, through the cached :mod:`.registry_index` that screening shares) and stores the pairs above
:data:`PROPOSE_THRESHOLD` as open :class:`MatchCandidate` rows for the review queue. Identical
strong identifiers — BSN for persons, KvK-nummer (with the same vestigingsnummer) for companies,
kenteken for vehicles, IBAN for bank accounts — are linked automatically: the pair is judged
"zelfde" by the system, which the history shows and a person can reverse. An import or a signal
bundle builds one :class:`Proposer` for all its rows; the index behind it is kept between calls and
brought up to date from the changed rows only, so matching on entry costs a few queries, not a
read of the registry.

Only the caller's own organisation's subjects are compared: a merge moves rows, and only the
owner writes them. A pair a person has already judged is never proposed or linked again.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access
from regie.organisations.scoping import owner_has

from . import registry_index, review, screening
from .models import BankAccount, Company, Person, Vehicle
from .review_models import MatchCandidate, MergeRecord

#: pairs at or above this score go to the review queue (the library calls a match at 0.5; the
#: queue is where people decide the doubtful ones below it)
PROPOSE_THRESHOLD = 0.3
MAX_PER_SUBJECT = 10
FUZZY = {Person: "persoon", Company: "bedrijf"}  # the kinds matched by name, as registry_index calls them
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


class Proposer:
    """Proposes candidates for subjects of the caller's organisation. Persons and companies are
    matched through the shared :mod:`.registry_index` (read once per kind and cached between calls,
    so a bundle or an import costs a fingerprint and, when the registry changed, the changed rows);
    vehicles and bank accounts only by their strong identifier, one query per kind.

    Only the owner's own subjects that are not merged into another are proposed. Two subjects
    with different strong identifiers are never the same (the library vetoes two valid,
    different BSNs or KvK-nummers), so they score below the threshold."""

    def __init__(self, access: Access, *, source: str, reference: str = "", request=None):
        self.access, self.source, self.reference, self.request = access, source, reference[:200], request
        self._loaded = {}
        self.created: list[MatchCandidate] = []
        self.linked: list[MatchCandidate] = []

    def _merged(self, models) -> dict[type, set[int]]:
        types = {ContentType.objects.get_for_model(m).pk: m for m in models}
        found = {m: set() for m in models}
        for type_id, pk in MergeRecord.objects.filter(
                candidate__owner_id=self.access.organisation_id, candidate__subject_type_id__in=list(types),
                split_at__isnull=True).values_list("candidate__subject_type_id", "merged_id"):
            found[types[type_id]].add(pk)
        return found

    def load_all(self, subjects) -> None:
        """:meth:`load` for every kind among ``subjects``: persons and companies together (one
        address fingerprint, one query for the merged ids)."""
        models = {type(s) for s in subjects} & set(STRONG)
        fuzzy = [m for m in models if m in FUZZY]
        if fuzzy:
            indexes = registry_index.get_many(self.access, [FUZZY[m] for m in fuzzy])
            merged = self._merged(fuzzy)
            for model in fuzzy:
                self._loaded[model] = {"index": indexes[FUZZY[model]], "merged": merged[model]}
        for model in models - set(fuzzy):
            self.load(model, [s for s in subjects if type(s) is model])

    def load(self, model, subjects) -> None:
        """Read what proposing for ``subjects`` needs: for persons and companies the registry index
        (see :mod:`.registry_index`) and the merged ids; for the others the twins by strong
        identifier, in one query."""
        if model in FUZZY:
            self.load_all(subjects)
            return
        fields, _ = STRONG[model]
        has_id = {getattr(s, fields[0]) for s in subjects} - {""}
        qs = _own(self.access, model, self._merged([model])[model])
        rows = qs.filter(**{f"{fields[0]}__in": has_id}).values_list("pk", *fields) if has_id else []
        self._loaded[model] = {"twins": _group(rows)}

    def _twins(self, subject, key) -> list[int]:
        model = type(subject)
        loaded = self._loaded[model]
        if model not in FUZZY:
            return [pk for pk in loaded["twins"].get(key, []) if pk != subject.pk]
        index, merged = loaded["index"], loaded["merged"]
        return [pk for pk in index.twins(key) if pk != subject.pk and pk not in merged
                and index.owner_of(pk) == self.access.organisation_id]

    def propose(self, subject, *, reference: str | None = None) -> list[MatchCandidate]:
        """Store and return the new candidates of ``subject`` (``reference``: where it came from,
        when not the proposer's own, e.g. each signal of a bundle)."""
        if reference is not None:
            self.reference = reference[:200]
        model = type(subject)
        if model not in STRONG or subject.pk is None or subject.owner_id != self.access.organisation_id:
            return []
        if model not in self._loaded:
            self.load(model, [subject])
        loaded = self._loaded[model]
        if model in FUZZY and (subject.pk in loaded["merged"] or loaded["index"].record_of(subject.pk) is None):
            return []  # merged into another subject (or not visible): nothing to propose
        fields, _ = STRONG[model]
        key = tuple(getattr(subject, f) for f in fields)
        strong = self._twins(subject, key) if key[0] else []
        found = [self._store(subject, pk, 1.0, self._strong_explanation(model), automatic=True) for pk in strong]
        if model in FUZZY:
            index, merged = loaded["index"], loaded["merged"]
            hits = index.query(index.record_of(subject.pk), threshold=PROPOSE_THRESHOLD, limit=3 * MAX_PER_SUBJECT)
            kept = [(pk, hit) for pk, hit in hits if pk != subject.pk and pk not in strong and pk not in merged
                    and index.owner_of(pk) == self.access.organisation_id][:MAX_PER_SUBJECT]
            found += [self._store(subject, pk, hit.score, _explanation(hit.comparison)) for pk, hit in kept]
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
    proposer.load_all(subjects)
    seen = set()
    for subject in subjects:
        key = (type(subject), subject.pk)
        if key not in seen:
            seen.add(key)
            proposer.propose(subject)
    proposer.audit()
    return len(proposer.created)
