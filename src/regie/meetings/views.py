"""Meeting pages. Thin: look-ups through the scoped managers and the record gate, writes through
:mod:`regie.meetings.services` and :mod:`regie.meetings.escalation`."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from regie.accounts.decorators import role_required
from regie.accounts.roles import ACTIONS, MEETINGS, Role, spec
from regie.audit.gate import PurposeRequired, get_visible, is_assigned, open_record
from regie.audit.models import AuditEntry
from regie.audit.services import active_purpose, record
from regie.cases.models import Case
from regie.organisations.access import current_access
from regie.organisations.models import Organisation
from regie.partners import documents, flags

from . import escalation, minutes, services
from .forms import ActionResultForm, DecisionForm, EscalationAnswerForm, ForumForm, MeetingForm, default_start
from .models import Action, AgendaItem, Escalation, Forum, Meeting
from .permissions import DECIDERS, MANAGERS

readers = role_required(lambda role: MEETINGS in spec(role).categories)
managers = role_required(lambda role: role in MANAGERS)
deciders = role_required(lambda role: role in DECIDERS)
action_roles = role_required(lambda role: ACTIONS in spec(role).categories)


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _purpose_first(request, obj, next_url: str):
    """Changing a record you are not assigned to needs a stated purpose, as opening it does."""
    access = current_access()
    if is_assigned(access, obj) or active_purpose(access, obj) is not None:
        return None
    ct = ContentType.objects.get_for_model(type(obj))
    return redirect(f"{reverse('audit:purpose')}?{urlencode({'type': ct.pk, 'id': obj.pk, 'next': next_url})}")


def _is_owner(request, obj) -> bool:
    return obj.owner_id == request.user.organisation_id


# --- forums -------------------------------------------------------------------------------------

@readers
def forum_list(request):
    forums = Forum.objects.prefetch_related("members").order_by("name")
    record(AuditEntry.Action.LIST, model=Forum, request=request, detail={"shown": [f.pk for f in forums]})
    return render(request, "meetings/forum_list.html", {"forums": forums, "may_manage": request.user.role in MANAGERS})


@managers
def forum_edit(request, pk=None):
    forum = get_visible(Forum.objects.all(), pk) if pk else Forum(owner_id=request.user.organisation_id)
    form = ForumForm(request.POST or None, instance=forum)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_forum(current_access(), form.save(commit=False), form.cleaned_data["members"], request=request)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "De overlegvorm is opgeslagen.")
            return redirect("meetings:forums")
    return render(request, "meetings/forum_form.html", {"form": form, "forum": forum},
                  status=400 if request.method == "POST" else 200)


@readers
def forum_sharing(request, pk):
    """The informatiedelingsdocument of a forum: who sits at the table, why, what each may share."""
    forum = get_visible(Forum.objects.all(), pk)  # no personal data: no purpose gate
    access = current_access()
    context = documents.sharing_document_context(
        access, [forum.owner_organisation(), *forum.members.all()], title=f"Informatiedelingsdocument {forum.name}",
        purpose=forum.purpose,
    )
    response = _document(request, documents.render_html(context), f"informatiedeling-{forum.pk}")
    if response is None:
        return redirect("meetings:forums")
    fmt = "pdf" if response.get("Content-Type") == "application/pdf" else "html"
    # logged once the document is actually handed out
    documents.record_export(access, context, fmt, request=request, detail={"forum": forum.pk})
    return response


# --- meetings -----------------------------------------------------------------------------------

@readers
def meeting_list(request):
    meetings = Meeting.objects.select_related("forum").order_by("-starts_at")[:100]
    record(AuditEntry.Action.LIST, model=Meeting, request=request, detail={"shown": [m.pk for m in meetings]})
    context = {"meetings": meetings, "may_manage": request.user.role in MANAGERS}
    if request.user.role != Role.PARTNER:
        try:
            year = int(request.GET.get("jaar", timezone.localdate().year))
        except ValueError:
            year = timezone.localdate().year
        context.update(year=year, figures=services.year_figures(current_access(), year),
                       years=range(timezone.localdate().year, timezone.localdate().year - 5, -1))
    return render(request, "meetings/meeting_list.html", context)


@managers
def meeting_create(request):
    forums = Forum.objects.filter(active=True).exclude(kind__in=Forum.ESCALATION_KINDS)
    form = MeetingForm(request.POST or None, forums=forums, initial={"starts_at": default_start(), "forum": request.GET.get("forum")})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.plan_meeting(current_access(), request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "Het overleg is gepland. Maak nu de agenda.")
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form}, status=400 if request.method == "POST" else 200)


@readers
def meeting_detail(request, pk):
    try:
        meeting = open_record(request, Meeting.objects.select_related("forum"), pk)
    except PurposeRequired as gate:
        return gate.response
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("signal", "case", "action").prefetch_related("decisions"))
    if not _is_owner(request, meeting):
        org_id = request.user.organisation_id
        rows = []
        for item in items:
            view = services.partner_view(item, org_id)
            decisions = list(item.decisions.all()) if "besluiten" in view else []
            rows.append({"item": item, "s": view, "decisions": decisions})
        return render(request, "meetings/meeting_partner.html", {"meeting": meeting, "rows": rows})
    access = current_access()
    may_decide = request.user.role in DECIDERS and meeting.status != Meeting.Status.HELD
    names = dict(Organisation.objects.values_list("pk", "name"))
    open_cases = Case.objects.visible_to(access).exclude(phase="afgesloten").order_by("-opened_at") if may_decide else None
    rows = []
    for item in items:
        row = {
            "item": item,
            "shared_with": [names.get(int(pk), pk) for pk in item.partner_fields],
            "flagged": any(flags.active_flags(t) for t in services.flag_targets(item)),
            "form": None,
        }
        if may_decide and item.kind != AgendaItem.Kind.TRENDS:
            row["form"] = DecisionForm(organisation=request.user.organisation, cases=open_cases, auto_id=f"punt{item.pk}_%s")
        rows.append(row)
    context = {
        "meeting": meeting,
        "items": items,
        "rows": rows,
        "may_manage": request.user.role in MANAGERS,
        "may_decide": may_decide,
    }
    return render(request, "meetings/meeting_detail.html", context)


def _own(request, queryset):
    """Changes are made by the organisation that runs the meeting, never through a share."""
    return queryset.filter(owner_id=request.user.organisation_id)


def _meeting_action(request, pk, run, success, redirect_to="meetings:detail"):
    """A POST on one's own meeting: the purpose gate, the service call, a Dutch message."""
    meeting = get_visible(_own(request, Meeting.objects.all()), pk)
    if (gate := _purpose_first(request, meeting, reverse("meetings:detail", args=[pk]))) is not None:
        return gate
    try:
        outcome = run(current_access(), meeting, request=request)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("meetings:detail", meeting.pk)
    messages.success(request, success(outcome))
    return redirect(redirect_to, meeting.pk)


@managers
@require_POST
def meeting_generate(request, pk):
    return _meeting_action(request, pk, services.generate_agenda,
                           lambda added: f"De agenda is bijgewerkt: {added} punt(en) toegevoegd en voorbereid.")


@managers
@require_POST
def meeting_share(request, pk):
    return _meeting_action(request, pk, services.share_agenda,
                           lambda counts: f"De agenda is gedeeld met {len(counts)} partner(s), elk volgens de deelregels.")


@managers
@require_POST
def item_sharing(request, pk):
    item = get_visible(_own(request, AgendaItem.objects.select_related("meeting")), pk)
    if (gate := _purpose_first(request, item.meeting, reverse("meetings:detail", args=[item.meeting_id]))) is not None:
        return gate
    try:
        services.set_item_sharing(current_access(), item, request.POST.get("share") == "1", request=request)
    except ValidationError as exc:
        _error(request, exc)
    return redirect("meetings:detail", item.meeting_id)


@deciders
@require_POST
def item_decide(request, pk):
    item = get_visible(_own(request, AgendaItem.objects.select_related("meeting__forum", "signal", "case")), pk)
    if (gate := _purpose_first(request, item.meeting, reverse("meetings:detail", args=[item.meeting_id]))) is not None:
        return gate
    access = current_access()
    open_cases = Case.objects.visible_to(access).exclude(phase="afgesloten")
    form = DecisionForm(request.POST, organisation=request.user.organisation, cases=open_cases)
    if not form.is_valid():
        messages.error(request, "Het besluit is niet vastgelegd: " + "; ".join(
            f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}" for f, e in form.errors.items()))
        return redirect(f"{reverse('meetings:detail', args=[item.meeting_id])}#punt-{item.pk}")
    try:
        decision = services.decide(access, item, request=request, **form.cleaned_data)
    except flags.ConfirmationRequired as exc:
        names = ", ".join(sorted({f.set_by_organisation.name for f in exc.flags}))
        messages.error(request, f"Let op: {names} heeft gevraagd niet te interveniëren zonder overleg. "
                                "Overleg eerst en bevestig dat in het besluitformulier.")
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, f"Besluit vastgelegd: {decision.get_kind_display()}.")
    return redirect(f"{reverse('meetings:detail', args=[item.meeting_id])}#punt-{item.pk}")


@deciders
@require_POST
def meeting_close(request, pk):
    return _meeting_action(
        request, pk, services.close_meeting, redirect_to="meetings:actions_of",
        success=lambda postponed: f"Het overleg is afgesloten. {postponed} onbesproken punt(en) zijn uitgesteld met reden.",
    )


def _document(request, html: str, filename: str):
    """The document as HTML, or as PDF with ?formaat=pdf; None (and a Dutch message) when no PDF
    can be made here. The caller logs the export once a response is handed out."""
    if request.GET.get("formaat") != "pdf":
        return HttpResponse(html)
    try:
        response = HttpResponse(documents.render_pdf(html), content_type="application/pdf")
    except documents.PdfUnavailable as exc:
        messages.error(request, str(exc))
        return None
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


@readers
def meeting_minutes(request, pk):
    """The verslag: what the viewer's organisation may see of it, as HTML or PDF."""
    meeting = get_visible(Meeting.objects.select_related("forum"), pk)
    if (gate := _purpose_first(request, meeting, request.get_full_path())) is not None:
        return gate
    access = current_access()
    context = minutes.context(access, meeting, own=_is_owner(request, meeting))
    response = _document(request, minutes.render_html(context), f"verslag-{meeting.pk}")
    if response is None:
        return redirect("meetings:detail", meeting.pk)
    fmt = "pdf" if response.get("Content-Type") == "application/pdf" else "html"
    # logged once the minutes are actually handed out, with the items they held
    record(AuditEntry.Action.EXPORT, obj=meeting, request=request,
           detail={"verslag": fmt, "items": [row["id"] for row in context["rows"]]})
    return response


@readers
def meeting_actions(request, pk):
    """The action list after the meeting, per owner with due dates (point 5)."""
    meeting = get_visible(Meeting.objects.select_related("forum"), pk)
    if (gate := _purpose_first(request, meeting, request.get_full_path())) is not None:
        return gate
    actions = Action.objects.filter(decision__item__meeting=meeting).select_related("owner_user", "owner_organisation")
    groups: dict[str, list] = {}
    for action in actions.order_by("due_on"):
        owner = action.owner_user.display_name if action.owner_user_id else str(action.owner_organisation or "—")
        groups.setdefault(owner, []).append(action)
    # the list is read through its meeting: the entry names the meeting and the actions shown
    record(AuditEntry.Action.LIST, obj=meeting, request=request, detail={"actions": [a.pk for a in actions]})
    return render(request, "meetings/actions_of_meeting.html", {"meeting": meeting, "groups": sorted(groups.items())})


# --- actions ------------------------------------------------------------------------------------

def _own_actions(request):
    """Managers see their organisation's actions; everyone else only the actions they own (or,
    for a partner, those of their organisation)."""
    qs = Action.objects.select_related("forum", "owner_user", "owner_organisation")
    role = request.user.role
    if role in MANAGERS:
        return qs
    if role == Role.PARTNER:
        return qs.filter(owner_organisation_id=request.user.organisation_id)
    return qs.filter(owner_user=request.user)


@action_roles
def action_list(request):
    show = request.GET.get("toon", "open")
    qs = _own_actions(request)
    if show != "alle":
        qs = qs.filter(status=Action.Status.OPEN)
    actions = list(qs.order_by("due_on")[:300])
    record(AuditEntry.Action.LIST, model=Action, request=request, detail={"shown": [a.pk for a in actions]})
    return render(request, "meetings/action_list.html", {"actions": actions, "show": show, "today": timezone.localdate()})


@action_roles
def action_detail(request, pk):
    try:
        action = open_record(request, _own_actions(request), pk)
    except PurposeRequired as gate:
        return gate.response
    form = ActionResultForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.complete_action(current_access(), action, request=request, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, "Het resultaat is vastgelegd en komt terug in het volgende overleg.")
                return redirect("meetings:actions")
        return render(request, "meetings/action_detail.html", {"action": action, "form": form}, status=400)
    return render(request, "meetings/action_detail.html", {"action": action, "form": form})


# --- escalations --------------------------------------------------------------------------------

@readers
def escalation_list(request):
    rows = Escalation.objects.select_related("target_organisation").order_by("-sent_at")[:200]
    record(AuditEntry.Action.LIST, model=Escalation, request=request, detail={"shown": [e.pk for e in rows]})
    return render(request, "meetings/escalation_list.html", {"rows": rows})


@readers
def escalation_detail(request, pk):
    try:
        esc = open_record(request, Escalation.objects.select_related("target_organisation"), pk)
    except PurposeRequired as gate:
        return gate.response
    may_answer = request.user.role in (MANAGERS | {Role.PARTNER}) and esc.status in (
        Escalation.Status.SENT, Escalation.Status.ACCEPTED)
    form = EscalationAnswerForm(request.POST or None) if may_answer else None
    if request.method == "POST":
        if form is None:
            messages.error(request, "U kunt over deze opschaling geen besluit vastleggen.")
            return redirect("meetings:escalation", esc.pk)
        if form.is_valid():
            try:
                escalation.answer(current_access(), esc, request=request, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, "Het besluit van de regio is vastgelegd en gaat terug naar het overleg.")
                return redirect("meetings:escalation", esc.pk)
        return render(request, "meetings/escalation_detail.html", {"esc": esc, "form": form}, status=400)
    return render(request, "meetings/escalation_detail.html", {"esc": esc, "form": form})
