"""The review queue (issue 8 point 3) and the intake form's look-alikes (point 4). Thin: the
writes are in :mod:`.review`, the matching in :mod:`.screening` and :mod:`.incremental`."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from regie.accounts.decorators import role_required
from regie.accounts.roles import SUBJECTS, spec
from regie.audit.gate import PurposeRequired, get_visible, open_record
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import current_access

from . import review, screening, services
from .permissions import may_review
from .review_models import MatchCandidate

reviewer = role_required(lambda role: may_review(role) and SUBJECTS in spec(role).categories)
Status = MatchCandidate.Status
VERDICT_LABELS = {Status.SAME: "Zelfde", Status.DIFFERENT: "Niet dezelfde", Status.UNSURE: "Onzeker"}


class JudgeForm(forms.Form):
    verdict = forms.ChoiceField(label="Oordeel", choices=[(v.value, v.label) for v in review.VERDICTS],
                                error_messages={"invalid_choice": "Kies ‘zelfde’, ‘niet dezelfde’ of ‘onzeker’."})
    expected = forms.ChoiceField(label="Status bij het openen", choices=Status.choices, required=False)
    survivor = forms.IntegerField(label="Blijvend subject", required=False)
    reason = forms.CharField(label="Toelichting (optioneel)", required=False, max_length=review.MAX_REASON,
                             widget=forms.Textarea(attrs={"rows": 2}))


def _side(subject):
    slug = services.SLUG.get(type(subject)) if subject is not None else None
    return {"subject": subject, "slug": slug}


def _row(candidate, access):
    left, right = review.subjects_of(candidate, access)
    return {"candidate": candidate, "left": _side(left), "right": _side(right),
            "reasons": candidate.explanation.get("reasons", []), "percentage": round(candidate.score * 100)}


@reviewer
def queue(request):
    access = current_access()
    show = request.GET.get("status", Status.OPEN)
    if show not in Status.values:
        show = Status.OPEN
    qs = MatchCandidate.objects.filter(status=show).select_related("subject_type")
    page = Paginator(qs, 20).get_page(request.GET.get("pagina"))
    rows = [_row(c, access) for c in page]
    record(AuditEntry.Action.LIST, model=MatchCandidate, request=request,
           detail={"status": show, "page": page.number, "shown": [c.pk for c in page]})
    return render(request, "subjects/review_queue.html", {
        "rows": rows, "page": page, "show": show, "statuses": Status.choices, "verdicts": VERDICT_LABELS,
    })


@reviewer
def candidate_detail(request, pk):
    try:
        candidate = open_record(request, MatchCandidate.objects.all(), pk)
    except PurposeRequired as gate:
        return gate.response
    return _detail(request, candidate, JudgeForm(initial={"expected": candidate.status}))


def _detail(request, candidate, form, status=200):
    access = current_access()
    return render(request, "subjects/review_candidate.html", {
        "row": _row(candidate, access), "candidate": candidate, "form": form, "verdicts": VERDICT_LABELS,
        "history": candidate.judgements.select_related("by"), "merge": review.active_merge(candidate),
        "kind_label": candidate.subject_type.model_class()._meta.verbose_name,
    }, status=status)


@reviewer
@require_POST
def candidate_judge(request, pk):
    candidate = get_visible(MatchCandidate.objects.all(), pk)
    form = JudgeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            review.judge(current_access(), candidate, data["verdict"], reason=data["reason"],
                         expected=data["expected"] or None, survivor_id=data["survivor"], request=request)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Oordeel ‘{VERDICT_LABELS[data['verdict']].lower()}’ is vastgelegd.")
            return redirect("subjects:review_candidate", candidate.pk)
    candidate.refresh_from_db()
    return _detail(request, candidate, form, status=400)


intake_reader = role_required(lambda role: may_review(role) and SUBJECTS in spec(role).categories)


@intake_reader
@require_POST
def intake_candidates(request):
    """htmx fragment on the internal signal form: registry subjects that look like the person or
    company being typed, with their reasons. One audit SEARCH row per kind asked (never the name)."""
    access = current_access()
    found = []
    for kind, field in (("persoon", "person_name"), ("bedrijf", "company_name")):
        name = (request.POST.get(field) or "").strip()[: screening.MAX_TEXT]
        if len(name) < 3:
            continue
        birth = request.POST.get("person_birth_date") if kind == "persoon" else None
        try:
            found += screening.screen(access, kind=kind, name=name, birth_date=birth or None, limit=5, request=request,
                                      purpose="Registratie van een signaal: bestaande subjecten die op de genoemde lijken")
        except ValidationError:
            continue  # a name without letters or an unreadable date: nothing to show while typing
    return render(request, "subjects/_intake_candidates.html", {"candidates": found})
