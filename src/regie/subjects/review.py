"""The review queue's writes (issue 8 point 3): judge a candidate pair, merge and split.

``judge`` is the one entry: "zelfde" merges (the chosen survivor keeps everything, see
:mod:`.merging`), any other verdict on a merged pair splits it again with its rows and statements
back on the original subject. Every judgement is appended to the history and audited, all in one
transaction; a stale or repeated judgement is refused in Dutch and writes nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from . import merging
from .permissions import may_review
from .review_models import MatchCandidate, MatchJudgement, MergeRecord

Status = MatchCandidate.Status
VERDICTS = (Status.SAME, Status.DIFFERENT, Status.UNSURE)
MAX_REASON = 500


def active_merge(candidate: MatchCandidate) -> MergeRecord | None:
    return candidate.merges.filter(split_at__isnull=True).first()


def merged_away(subject_type, ids) -> set[int]:
    """Which of ``ids`` are merged into another subject right now (and not split since)."""
    return set(
        MergeRecord.objects.filter(candidate__subject_type=subject_type, merged_id__in=list(ids), split_at__isnull=True)
        .values_list("merged_id", flat=True)
    )


def subjects_of(candidate: MatchCandidate, access: Access):
    """The two subjects of a candidate as the caller may see them (None when not visible)."""
    model = candidate.subject_type.model_class()
    found = {s.pk: s for s in model.objects.visible_to(access).filter(pk__in=[candidate.left_id, candidate.right_id])}
    return found.get(candidate.left_id), found.get(candidate.right_id)


def _validate(access: Access, candidate: MatchCandidate, verdict: str, expected: str | None, reason: str) -> None:
    if verdict not in VERDICTS:
        raise ValidationError({"verdict": "Kies ‘zelfde’, ‘niet dezelfde’ of ‘onzeker’."})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": f"Een toelichting heeft hoogstens {MAX_REASON} tekens."})
    if expected is not None and expected != candidate.status:
        raise ValidationError(
            "Deze kandidaat is intussen door iemand anders beoordeeld. Bekijk de nieuwe stand en beoordeel opnieuw."
        )
    if verdict == candidate.status:
        raise ValidationError(f"Deze kandidaat is al beoordeeld als ‘{candidate.get_status_display()}’.")
    if not access.system and candidate.owner_id != access.organisation_id:
        raise PermissionDenied("Alleen de eigenaar van deze subjecten beoordeelt of ze dezelfde zijn.")


def _merge(access: Access, candidate: MatchCandidate, survivor_id: int | None) -> MergeRecord:
    pair = (candidate.left_id, candidate.right_id)
    survivor_id = survivor_id if survivor_id is not None else candidate.left_id
    if survivor_id not in pair:
        raise ValidationError({"survivor": "Kies welk van de twee subjecten blijft bestaan."})
    left, right = subjects_of(candidate, access)
    if left is None or right is None:
        raise ValidationError("Een van beide subjecten bestaat niet meer of is niet zichtbaar; samenvoegen kan niet.")
    if merged_away(candidate.subject_type, pair):
        raise ValidationError(
            "Een van beide subjecten is al met een ander subject samengevoegd. Splits die samenvoeging eerst."
        )
    merged_id = pair[1] if survivor_id == pair[0] else pair[0]
    model = candidate.subject_type.model_class()
    moved, kept = merging.move_rows(access, model, merged_id, survivor_id)
    return MergeRecord.objects.create(candidate=candidate, survivor_id=survivor_id, merged_id=merged_id, moved=moved, kept=kept)


def _split(access: Access, merge: MergeRecord) -> MergeRecord:
    merge.restored = merging.restore_rows(access, merge.moved, merge.survivor_id, merge.merged_id)
    merge.split_at = timezone.now()
    merge.save(update_fields=["restored", "split_at"])
    return merge


@transaction.atomic
def judge(access: Access, candidate: MatchCandidate, verdict: str, *, reason: str = "", expected: str | None = None,
          survivor_id: int | None = None, automatic: bool = False, request=None) -> MatchJudgement:
    """Record ``verdict`` on ``candidate``. ``expected`` is the status the judge saw: when someone
    else judged in between, nothing is written. "zelfde" merges into ``survivor_id`` (default the
    older subject); leaving "zelfde" splits the merge."""
    if not automatic and not access.system and not may_review(access.role):
        raise PermissionDenied("Alleen het kernteam beoordeelt mogelijke dubbelingen.")
    reason = (reason or "").replace("\x00", "").strip()
    # lock the row: two judges at once are served one after the other, the second sees the first
    candidate = MatchCandidate.objects.visible_to(access).select_for_update().filter(pk=candidate.pk).first()
    if candidate is None:
        raise ValidationError("Deze kandidaat bestaat niet (meer).")
    _validate(access, candidate, verdict, expected, reason)
    previous = candidate.status
    merge = None
    if verdict == Status.SAME:
        merge = _merge(access, candidate, survivor_id)
    elif previous == Status.SAME:
        merge = active_merge(candidate)
        if merge is not None:
            _split(access, merge)
    candidate.status = verdict
    candidate.save(update_fields=["status", "updated_at"])
    judgement = MatchJudgement.objects.create(
        candidate=candidate, verdict=verdict, previous=previous, by_id=None if automatic else access.user_id,
        automatic=automatic, reason=reason, merge=merge,
    )
    detail = {"verdict": verdict, "previous": previous, "automatic": automatic, "reason": bool(reason)}
    if merge is not None:
        detail.update({"survivor": merge.survivor_id, "merged": merge.merged_id, "moved": len(merge.moved),
                       "kept": len(merge.kept), "split": merge.split_at is not None, "restored": merge.restored})
    record(AuditEntry.Action.UPDATE, obj=candidate, access=access, request=request, detail=detail)
    return judgement
