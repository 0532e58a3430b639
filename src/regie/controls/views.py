"""Pages of the controls room: the year plan with its realisation, the control file and its
sub-forms. Thin: look-ups through the scoped managers and the record gate, writes through
:mod:`regie.controls.services`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from regie.accounts.decorators import role_required
from regie.accounts.models import User
from regie.areas.models import Wijk
from regie.audit.gate import PurposeRequired, get_visible, is_assigned, open_record
from regie.audit.models import AuditEntry
from regie.audit.services import active_purpose, record
from regie.meetings.models import Forum
from regie.organisations.access import current_access
from regie.organisations.models import Organisation
from regie.web.forms import errors_to_form

from . import services
from .forms import (
    AnswerForm,
    CancelForm,
    ControlForm,
    DrawForm,
    NoteForm,
    ParticipantForm,
    PartnerForm,
    PlanForm,
)
from .models import Control, ControlAddress, PartnerRequest
from .permissions import (
    FIELD,
    LEADERS,
    PLANNERS,
    READERS,
    may_lead,
    may_plan,
    may_record,
)

needs_controls = role_required(lambda role: role in READERS)
planner = role_required(lambda role: role in PLANNERS)
leader = role_required(lambda role: role in LEADERS)
field_worker = role_required(lambda role: role in FIELD)




def control_for_change(request, pk) -> Control:
    """The visible control for a write: 404 as for a missing one, and the purpose form first when
    the user is not assigned to it. Who may change what is the services' business (403)."""
    control = get_visible(Control.objects.all(), pk)
    access = current_access()
    if not is_assigned(access, control) and active_purpose(access, control) is None:
        query = urlencode({"type": ContentType.objects.get_for_model(Control).pk, "id": control.pk,
                           "next": reverse("controls:detail", args=[control.pk])})
        raise PurposeRequired(redirect(f"{reverse('audit:purpose')}?{query}"))
    return control


def partners_of(access) -> list[Organisation]:
    """Organisations that may take part: every organisation except the other municipalities."""
    return list(Organisation.objects.exclude(kind=Organisation.Kind.GEMEENTE).order_by("name")) + list(
        Organisation.objects.filter(pk=access.organisation_id))


def _forums(access):
    return Forum.objects.visible_to(access).filter(owner_id=access.organisation_id, active=True).exclude(
        kind__in=Forum.ESCALATION_KINDS)


def _leads(access):
    return User.objects.filter(organisation_id=access.organisation_id, is_active=True,
                               role__in=list(LEADERS)).order_by("first_name", "last_name")


def _year(request) -> int:
    value = request.GET.get("jaar", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@needs_controls
def control_list(request):
    """The year plan: target, realisation and every reserved date of the year."""
    access = current_access()
    year = _year(request)
    plan = services.plan_for(access, year)
    controls = Control.objects.filter(planned_on__year=year).select_related("cancel_partner").order_by("planned_on", "pk")
    shown = list(controls)
    record(AuditEntry.Action.LIST, model=Control, request=request, detail={"year": year, "shown": [c.pk for c in shown]})
    context = {
        "year": year, "plan": plan, "controls": shown, "previous": year - 1, "next": year + 1,
        "realisation": services.realisation(access, plan) if plan else None,
        "may_plan": request.user.role in PLANNERS and access.organisation_id is not None,
        "plan_form": PlanForm(initial={"year": year, "target": plan.target if plan else 12, "note": plan.note if plan else ""}),
    }
    return render(request, "controls/list.html", context)


@planner
def plan_save(request):
    access = current_access()
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.save_plan(access, form.cleaned_data["year"], target=form.cleaned_data["target"],
                                      note=form.cleaned_data["note"], request=request)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"Jaarplan {plan.year} vastgelegd: streefaantal {plan.target} controles.")
            return redirect(f"{reverse('controls:list')}?jaar={plan.year}")
    status = 400 if request.method == "POST" else 200
    return render(request, "controls/plan_form.html", {"form": form}, status=status)


def _control_form(access, data=None, initial=None):
    return ControlForm(data, initial=initial, forums=_forums(access), leads=_leads(access), clearance=access.clearance)


@planner
def control_create(request):
    access = current_access()
    initial = {"planned_on": request.GET.get("datum", "")} if request.GET.get("datum") else None
    form = _control_form(access, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        try:
            control = services.plan_control(access, request=request, **form.control_fields())
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"Controle {control.reference} is ingepland op {control.planned_on:%d-%m-%Y}.")
            return redirect("controls:detail", control.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "controls/form.html", {"form": form, "creating": True}, status=status)


@planner
def control_edit(request, pk):
    try:
        control = control_for_change(request, pk)
    except PurposeRequired as gate:
        return gate.response
    access = current_access()
    initial = {name: getattr(control, name) for name in ("planned_on", "kind", "title", "area", "goals", "confidentiality")}
    initial.update(requesting_forum=control.requesting_forum_id or "", lead=control.lead_id or "")
    form = _control_form(access, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_control(access, control, request=request, **form.control_fields())
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "De controle is bijgewerkt.")
            return redirect("controls:detail", control.pk)
    elif request.method == "GET":
        record(AuditEntry.Action.VIEW, obj=control, request=request, detail={"form": "bewerken"})
    status = 400 if request.method == "POST" else 200
    return render(request, "controls/form.html", {"form": form, "control": control, "creating": False}, status=status)


def _detail_context(request, control: Control, forms: dict | None = None) -> dict:
    access = current_access()
    partners = partners_of(access)
    wijken = Wijk.objects.filter(owner_id=control.owner_id).prefetch_related("buurten").order_by("name")
    planning = may_plan(access, control) and control.is_open
    context = {
        "control": control,
        "forum": Forum.objects.filter(pk=control.requesting_forum_id).first() if control.requesting_forum_id else None,
        "requests": control.requests.select_related("organisation"),
        "participants": control.participants.select_related("organisation"),
        "addresses": control.addresses.select_related("address", "signal", "case").prefetch_related("findings"),
        "findings": control.findings.select_related("address__address", "organisation", "signal", "measure", "action"),
        "draws": control.draws.select_related("wijk", "buurt"),
        "notes": services.read_notes(access, control, request=request),
        "may_plan": planning,
        "may_lead": may_lead(access, control),
        "may_record": may_record(access, control) and control.in_the_field,
        "may_confirm": may_plan(access, control) and control.status == Control.Status.PLANNED,
        "may_execute": may_lead(access, control) and control.status == Control.Status.CONFIRMED,
        "candidates": services.address_candidates(access, control) if planning else [],
        "partner_form": PartnerForm(partners=partners), "answer_form": AnswerForm(),
        "participant_form": ParticipantForm(partners=partners),
        "note_form": NoteForm(clearance=access.clearance), "draw_form": DrawForm(wijken=wijken),
        "cancel_form": CancelForm(partners=partners),
        "summary": services.summary_of(control),
        **_measure_options(access, control),
        "today": timezone.localdate(),
    }
    context.update(forms or {})
    return context


def _measure_options(access, control: Control) -> dict:
    """Kinds and domains for turning a finding into a measure (only for a measures writer)."""
    from regie.measures import services as measures
    from regie.measures.permissions import WRITERS

    if access.role not in WRITERS or not may_plan(access, control):
        return {"may_measure": False}
    return {"may_measure": True, "measure_kinds": measures.kinds_for(access.organisation_id),
            "measure_domains": measures.domains_for(access.organisation_id)}


@needs_controls
def control_detail(request, pk):
    try:
        control = open_record(request, Control.objects.select_related("plan", "lead", "cancel_partner"), pk)
    except PurposeRequired as gate:
        return gate.response
    return render(request, "controls/detail.html", _detail_context(request, control))


def _refused(request, control: Control, exc: ValidationError, forms: dict | None = None):
    """Bad input on a sub-form of the control file: the page again, with the Dutch message, 400."""
    for text in exc.messages:
        messages.error(request, text)
    return render(request, "controls/detail.html", _detail_context(request, control, forms), status=400)


def _post_only(view):
    def wrapped(request, pk):
        if request.method != "POST":
            return redirect("controls:detail", pk)
        try:
            control = control_for_change(request, pk)
        except PurposeRequired as gate:
            return gate.response
        return view(request, control)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@leader
@_post_only
def control_status(request, control):
    """Bevestigen, uitvoeren or annuleren."""
    access, action = current_access(), request.POST.get("actie", "")
    try:
        if action == "bevestigen":
            services.confirm(access, control, request=request)
            messages.success(request, f"Controle {control.reference} is bevestigd.")
        elif action == "uitvoeren":
            services.execute(access, control, request=request)
            messages.success(request, f"Controle {control.reference} is uitgevoerd."
                             + (" Het resultaat staat klaar voor het volgende overleg." if control.requesting_forum_id else ""))
        elif action == "annuleren":
            form = CancelForm(request.POST, partners=partners_of(access))
            form.is_valid()
            data = form.cleaned_data
            services.cancel(access, control, kind=data.get("cancel_kind", ""), reason=data.get("cancel_reason", ""),
                            partner=data.get("cancel_partner") or None, request=request)
            messages.success(request, f"Controle {control.reference} is geannuleerd.")
        else:
            raise ValidationError("Kies bevestigen, uitvoeren of annuleren.")
    except ValidationError as exc:
        return _refused(request, control, exc)
    return redirect("controls:detail", control.pk)


@planner
@_post_only
def control_partners(request, control):
    """Ask a partner for people, or record its answer (``verzoek``)."""
    access = current_access()
    try:
        if request.POST.get("verzoek"):
            row = PartnerRequest.objects.filter(control=control, pk=request.POST["verzoek"] if request.POST["verzoek"].isdigit() else 0).first()
            if row is None:
                raise ValidationError("Onbekend verzoek.")
            form = AnswerForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Kies toegezegd of afgezegd en geef het aantal mensen.")
            services.answer_partner(access, control, row, answer=form.cleaned_data["answer"],
                                    people=form.cleaned_data["people"], request=request)
            messages.success(request, f"Antwoord van {row.organisation.name} vastgelegd.")
        else:
            form = PartnerForm(request.POST, partners=partners_of(access))
            if not form.is_valid():
                return _refused(request, control, ValidationError("Kies een partner en het aantal gevraagde mensen."),
                                {"partner_form": form})
            row = services.ask_partner(access, control, form.cleaned_data["organisation"], people=form.cleaned_data["people"],
                                       note=form.cleaned_data["note"], request=request)
            messages.success(request, f"{row.organisation.name} is gevraagd om {row.people_asked} mensen.")
    except ValidationError as exc:
        return _refused(request, control, exc)
    return redirect("controls:detail", control.pk)


@planner
@_post_only
def control_participants(request, control):
    access = current_access()
    form = ParticipantForm(request.POST, partners=partners_of(access))
    if not form.is_valid():
        return _refused(request, control, ValidationError("Controleer de gegevens van de deelnemer."), {"participant_form": form})
    try:
        services.add_participant(access, control, request=request, **form.cleaned_data)
    except ValidationError as exc:
        errors_to_form(form, exc)
        return _refused(request, control, exc, {"participant_form": form})
    messages.success(request, "Deelnemer toegevoegd.")
    return redirect("controls:detail", control.pk)


@planner
@_post_only
def control_addresses(request, control):
    """Add an address from a signal or case (``kandidaat``: source:address:record), or draw at random."""
    access = current_access()
    try:
        if request.POST.get("actie") == "trekken":
            form = DrawForm(request.POST, wijken=Wijk.objects.filter(owner_id=control.owner_id).prefetch_related("buurten"))
            if not form.is_valid():
                return _refused(request, control, ValidationError("Kies een gebied en een aantal tussen 1 en 50."), {"draw_form": form})
            area = form.cleaned_data["area"]
            draw = services.draw_addresses(
                access, control, wijk=area[1:] if area.startswith("w") else None, buurt=area[1:] if area.startswith("b") else None,
                count=form.cleaned_data["count"], seed=form.cleaned_data["seed"], request=request)
            messages.success(request, f"{draw.addresses.count()} adressen willekeurig getrokken (startwaarde {draw.seed}).")
        else:
            picked = request.POST.getlist("kandidaat")
            if not picked:
                raise ValidationError("Kies ten minste één adres.")
            for value in picked:
                source, _, rest = value.partition(":")
                address, _, record_id = rest.partition(":")
                services.add_address(access, control, address, source=source,
                                     signal=record_id if source == ControlAddress.Source.SIGNAL else None,
                                     case=record_id if source == ControlAddress.Source.CASE else None, request=request)
            messages.success(request, f"{len(picked)} adres{'' if len(picked) == 1 else 'sen'} toegevoegd aan de adreslijst.")
    except ValidationError as exc:
        return _refused(request, control, exc)
    return redirect("controls:detail", control.pk)


@leader
@_post_only
def control_notes(request, control):
    access = current_access()
    form = NoteForm(request.POST, clearance=access.clearance)
    try:
        if not form.is_valid():
            raise ValidationError("Kies de soort en de vertrouwelijkheid.")
        services.add_note(access, control, request=request, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, control, exc, {"note_form": form})
    messages.success(request, "Tekst vastgelegd.")
    return redirect("controls:detail", control.pk)


@planner
@_post_only
def control_share(request, control):
    access = current_access()
    try:
        org = request.POST.get("organisation", "")
        services.share_control(access, control, org if org.isdigit() else None, basis=request.POST.get("basis", ""),
                               with_briefing=request.POST.get("briefing") == "1", request=request)
    except ValidationError as exc:
        return _refused(request, control, exc)
    messages.success(request, "De controle is gedeeld.")
    return redirect("controls:detail", control.pk)
