"""Bibob pages: the overview (files per domain and phase, terms, domains outside the policy),
a file, the step form and the jurist assignment. Thin: look-ups through the scoped managers and
the record gate, writes through :mod:`regie.bibob.services`, the confidential part only through
:mod:`regie.bibob.confidential`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from regie.accounts.decorators import role_required
from regie.accounts.roles import Role
from regie.audit.gate import PurposeRequired, open_record
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import current_access
from regie.subjects.models import Address, Company, Person
from regie.web.forms import errors_to_form

from . import confidential, research, services, workflow
from .forms import FileForm, JuristForm, StepForm
from .models import BibobFile, BibobStep
from .permissions import CREATORS, READERS, is_team

needs_bibob = role_required(lambda role: role in READERS)
creator = role_required(lambda role: role in CREATORS)
team_role = role_required(lambda role: role in (Role.BIBOB, Role.JURIST))


@needs_bibob
def file_list(request):
    """The coordinator's overview: every file per domain and phase, the open terms of the files
    the user works on, and the domains the local policy does not cover yet."""
    access = current_access()
    today = timezone.localdate()
    qs = BibobFile.objects.filter(owner_id=access.organisation_id).select_related("domain")
    domain, phase = request.GET.get("domein", ""), request.GET.get("fase", "")
    if domain.isdigit():
        qs = qs.filter(domain_id=int(domain))
    if phase:
        qs = qs.filter(phase=phase)
    files = list(qs.order_by("-received_on", "-pk")[:200])
    team = set(services.team_files(access).filter(pk__in=[f.pk for f in files]).values_list("pk", flat=True))
    record(AuditEntry.Action.LIST, model=BibobFile, request=request,
           detail={"domein": domain, "fase": phase, "shown": [f.pk for f in files]})
    context = {
        "files": [(f, f.pk in team) for f in files], "overview": services.overview(access),
        "terms": list(services.deadlines(access)[:50]), "today": today,
        "may_create": request.user.role in CREATORS, "domain": domain, "phase": phase,
    }
    return render(request, "bibob/list.html", context)


def _subject(form):
    d = form.cleaned_data
    found = {"person": None, "company": None, "address": None}
    if d["subject"]:
        if len(d["subject"]) == 9:
            found["person"] = Person.objects.filter(bsn=d["subject"]).first()
        else:
            found["company"] = Company.objects.filter(kvk_number=d["subject"]).first()
        if found["person"] is None and found["company"] is None:
            form.add_error("subject", "Niet gevonden in het register (of u mag het niet zien).")
    if d["address"]:
        postcode, number = d["address"]
        found["address"] = Address.objects.filter(postcode=postcode, house_number=number).order_by("pk").first()
        if found["address"] is None:
            form.add_error("address", "Dit adres staat niet in het register (of u mag het niet zien).")
    return None if form.errors else found


@creator
def file_create(request):
    access = current_access()
    form = FileForm(request.POST or None, domains=services.domains_for(access.organisation_id),
                    initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        related = _subject(form)
        if related is not None:
            d = form.cleaned_data
            try:
                file = services.open_file(access, domain=d["domain"], kind=d["kind"], description=d["description"],
                                          received_on=d["received_on"], request=request, **related)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, f"Bibob-dossier {file.reference} is geopend. "
                                          f"Uiterste beslisdatum: {file.decision_due:%d-%m-%Y}.")
                return redirect("bibob:detail", file.pk)
    return render(request, "bibob/form.html", {"form": form}, status=400 if request.method == "POST" else 200)


def _visible_subjects(file: BibobFile) -> dict:
    return {
        "person": Person.objects.filter(pk=file.person_id).first() if file.person_id else None,
        "company": Company.objects.filter(pk=file.company_id).first() if file.company_id else None,
        "address": Address.objects.filter(pk=file.address_id).first() if file.address_id else None,
    }


@needs_bibob
def file_detail(request, pk):
    try:
        file = open_record(request, BibobFile.objects.select_related("domain"), pk)
    except PurposeRequired as gate:
        return gate.response
    access = current_access()
    if not is_team(access, file):
        # art. 28 Wet Bibob: others see that the file exists and its phase, nothing more
        return render(request, "bibob/detail_restricted.html", {"file": file})
    done = services.history(file)
    context = {
        "file": file, **_visible_subjects(file), "steps": file.steps.select_related("by"),
        "next_steps": services.next_steps(file), "today": timezone.localdate(),
        "suspensions": workflow.suspensions(done, timezone.localdate()),
        "findings": confidential.read_findings(access, file, request=request),
        "research": research.history(access, file), "jurists": services.jurists_of(file),
        "jurist_form": JuristForm(jurists=get_user_model().objects.filter(
            organisation_id=file.owner_id, role=Role.JURIST, is_active=True)) if access.role == Role.BIBOB else None,
    }
    return render(request, "bibob/detail.html", context)


def _team_file(request, pk) -> BibobFile:
    file = open_record(request, BibobFile.objects.select_related("domain"), pk)
    if not is_team(current_access(), file):
        raise PermissionDenied
    return file


@team_role
def file_step(request, pk):
    """Choose the next step (GET without ?soort=), show its form, record it (POST)."""
    try:
        file = _team_file(request, pk)
    except PurposeRequired as gate:
        return gate.response
    allowed = services.next_steps(file)
    step = request.POST.get("soort") or request.GET.get("soort") or ""
    if not step:
        return render(request, "bibob/step_form.html", {"file": file, "allowed": allowed, "form": None})
    if step not in BibobStep.Kind.values:
        messages.error(request, "Kies een geldige stap.")
        return redirect("bibob:step", file.pk)
    form = StepForm(request.POST or None, step=step, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            done = services.add_step(current_access(), file, step, request=request, **form.step_fields())
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            text = f"Stap vastgelegd: {done.get_kind_display()} op {done.on:%d-%m-%Y}."
            if done.deadline:
                text += f" {done.get_term_display()[:1].upper()}{done.get_term_display()[1:]}: {done.deadline:%d-%m-%Y}."
            messages.success(request, text)
            return redirect("bibob:detail", file.pk)
    context = {"file": file, "allowed": allowed, "form": form, "step": step,
               "step_label": BibobStep.Kind(step).label, "step_allowed": step in dict(allowed)}
    return render(request, "bibob/step_form.html", context, status=400 if request.method == "POST" else 200)


@creator
def file_jurist(request, pk):
    """Assign a jurist to the file's team (POST only)."""
    try:
        file = _team_file(request, pk)
    except PurposeRequired as gate:
        return gate.response
    if request.method != "POST":
        return redirect("bibob:detail", file.pk)
    form = JuristForm(request.POST, jurists=get_user_model().objects.filter(
        organisation_id=file.owner_id, role=Role.JURIST, is_active=True))
    if form.is_valid():
        try:
            services.assign_jurist(current_access(), file, form.cleaned_data["jurist"], request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "De jurist is aan het dossier toegevoegd.")
    else:
        messages.error(request, "Kies een jurist van uw gemeente.")
    return redirect("bibob:detail", file.pk)
