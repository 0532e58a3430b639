"""Intake pages. Thin: look-ups through the scoped manager and the record gate, writes through
:mod:`regie.intake.services` and :mod:`regie.intake.enrichment`."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from regie.accounts.decorators import cleared_required, role_required
from regie.accounts.roles import SIGNALS, SUBJECTS, Role, spec
from regie.audit.gate import PurposeRequired, get_visible, is_assigned, open_record
from regie.audit.models import AuditEntry
from regie.audit.services import active_purpose, record
from regie.organisations.access import current_access
from regie.organisations.models import Organisation
from regie.subjects import screening

from . import attachments, enrichment, services
from .forms import AnswerForm, AskForm, CombineForm, RuleForm, SignalForm, SuspicionForm, ThemeForm, TriageForm
from .models import HitQuestion, Signal, Theme, TriageRule
from .permissions import MANAGES_RULES, SEES_REPORTER, TRIAGERS
from . import importers
from .forms import ImportForm
from .permissions import IMPORTERS

needs_signals = role_required(lambda role: SIGNALS in spec(role).categories)
triager = role_required(lambda role: role in TRIAGERS)
rules_manager = role_required(lambda role: role in MANAGES_RULES)
partner_only = role_required(lambda role: role == Role.PARTNER)


def _purpose_first(request, signal):
    """Changing a signal you are not assigned to needs a stated purpose, as opening it does."""
    access = current_access()
    if is_assigned(access, signal) or active_purpose(access, signal) is not None:
        return None
    ct = ContentType.objects.get_for_model(Signal)
    query = urlencode({"type": ct.pk, "id": signal.pk, "next": reverse("intake:detail", args=[signal.pk])})
    return redirect(f"{reverse('audit:purpose')}?{query}")


def _errors_to_form(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@cleared_required
def report_suspicion(request):
    """Meld een vermoeden: every municipal employee, a short form and a reference back."""
    user = request.user
    if user.organisation is None or user.organisation.kind != Organisation.Kind.GEMEENTE:
        raise PermissionDenied
    form = SuspicionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.to_input(user)
        if user.role == Role.BOA:
            data.channel = "boa"
        try:
            registered = attachments.register_with_photo(
                user.organisation, data, form.cleaned_data.get("photo"), actor=current_access(), request=request,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return render(request, "intake/thanks.html", {"reference": registered.signal.reference, "internal": True})
    return render(request, "intake/suspicion.html", {"form": form}, status=400 if request.method == "POST" else 200)


@cleared_required
def my_reports(request):
    return render(request, "intake/my_reports.html", {"rows": services.receipts_of(request.user)})


@needs_signals
def signal_list(request):
    status = request.GET.get("status", "")
    qs = Signal.objects.all().prefetch_related("themes")
    if status in Signal.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-received_at"), 25).get_page(request.GET.get("pagina"))
    record(AuditEntry.Action.LIST, model=Signal, request=request, detail={"status": status, "shown": [s.pk for s in page]})
    return render(request, "intake/list.html", {"page": page, "status": status, "statuses": Signal.Status.choices, "may_triage": request.user.role in TRIAGERS,
                                                "may_import": request.user.role in IMPORTERS})


@needs_signals
def signal_detail(request, pk):
    try:
        signal = open_record(request, Signal.objects.select_related("address", "buurt", "source_organisation"), pk)
    except PurposeRequired as gate:
        return gate.response
    access = current_access()
    role = request.user.role
    if signal.owner_id != access.organisation_id:
        # a partner following its own contribution sees its text and status, nothing the municipality added
        return render(request, "intake/detail_partner.html", {"signal": signal})
    context = {
        "signal": signal,
        "mentions": signal.mentions.select_related("person", "company", "address"),
        "events": signal.events.select_related("by"),
        "themes": signal.themes.all(),
        "sections": enrichment.what_we_know(access, signal),
        "may_triage": role in TRIAGERS,
        "reporter": getattr(signal, "reporter", None) if role in SEES_REPORTER else None,
        "questions": signal.hit_questions.select_related("partner") if role in TRIAGERS else [],
    }
    if role in TRIAGERS:
        context["triage_form"] = TriageForm(initial={"label": signal.suggested_label if signal.suggested_label != "onbekend" else "", "route": signal.suggested_route})
        context["candidates"] = enrichment.combine_candidates(access, signal)
        if SUBJECTS in spec(role).categories:  # issue 8 point 4: what the weakly linked mentions resemble
            # on request only: screening builds an index of the registry (seconds for a large one)
            context["may_screen_mentions"] = True
            if request.GET.get("lijkt_op") == "1":
                context["mention_candidates"] = screening.for_mentions(access, context["mentions"], obj=signal, request=request)
        context["partners"] = Organisation.objects.exclude(kind=Organisation.Kind.GEMEENTE).filter(active=True)
    return render(request, "intake/detail.html", context)


@triager
@require_POST
def signal_triage(request, pk):
    signal = get_visible(Signal.objects.all(), pk)
    if (gate := _purpose_first(request, signal)) is not None:
        return gate
    form = TriageForm(request.POST)
    if form.is_valid():
        try:
            services.decide_triage(current_access(), signal, request=request, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "De beoordeling is vastgelegd.")
    else:
        messages.error(request, "Kies een beoordeling en een route.")
    return redirect("intake:detail", signal.pk)


@triager
@require_POST
def signal_combine(request, pk):
    signal = get_visible(Signal.objects.all(), pk)
    if (gate := _purpose_first(request, signal)) is not None:
        return gate
    form = CombineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Kies een signaal om samen te voegen.")
        return redirect("intake:detail", signal.pk)
    other = get_visible(Signal.objects.all(), form.cleaned_data["other"])
    try:
        services.combine(current_access(), signal, other, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{other.reference} is samengevoegd met {signal.reference}.")
    return redirect("intake:detail", signal.pk)


@triager
@require_POST
def signal_ask(request, pk):
    signal = get_visible(Signal.objects.all(), pk)
    if (gate := _purpose_first(request, signal)) is not None:
        return gate
    form = AskForm(request.POST)
    if form.is_valid():
        mention = signal.mentions.filter(pk=form.cleaned_data["mention"]).first()
        partner = Organisation.objects.filter(pk=form.cleaned_data["partner"], active=True).first()
        if mention is None or partner is None:
            messages.error(request, "Kies een subject van dit signaal en een partner.")
        else:
            try:
                enrichment.ask_partner(current_access(), signal, mention, partner, request=request)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"De vraag is gesteld aan {partner.name}.")
    else:
        messages.error(request, "Kies een subject en een partner.")
    return redirect("intake:detail", signal.pk)


@triager
def signal_create(request):
    access = current_access()
    choices = [(t.code, str(t)) for t in services.catalogue_for(access.organisation_id)]
    form = SignalForm(request.POST or None, theme_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            registered = services.register(request.user.organisation, form.to_input(), actor=access, request=request)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"Signaal {registered.signal.reference} is geregistreerd.")
            return redirect("intake:detail", registered.signal.pk)
    return render(request, "intake/form.html", {"form": form}, status=400 if request.method == "POST" else 200)


@partner_only
def questions(request):
    access = current_access()
    rows = list(enrichment.inbox(access).select_related("signal__owner")[:200])
    record(AuditEntry.Action.LIST, model=HitQuestion, request=request, detail={"shown": [q.pk for q in rows]})
    return render(request, "intake/questions.html", {"rows": rows, "form": AnswerForm()})


@partner_only
@require_POST
def question_answer(request, pk):
    access = current_access()
    question = enrichment.inbox(access).filter(pk=pk).first()
    if question is None:
        from django.http import Http404

        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            enrichment.answer(access, question, form.cleaned_data["answer"], request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Uw antwoord is verstuurd.")
    else:
        messages.error(request, "Kies een antwoord.")
    return redirect("intake:questions")


@rules_manager
def rules(request):
    org = request.user.organisation
    form = RuleForm(request.POST or None)
    theme_form = ThemeForm(request.POST or None, prefix="thema")
    if request.method == "POST" and request.POST.get("what") == "rule" and form.is_valid():
        rule = form.save(commit=False)
        rule.organisation = org
        rule.save()
        record(AuditEntry.Action.CREATE, obj=rule, request=request)
        messages.success(request, "De regel is toegevoegd.")
        return redirect("intake:rules")
    if request.method == "POST" and request.POST.get("what") == "theme" and theme_form.is_valid():
        from django.utils.text import slugify

        code = slugify(theme_form.cleaned_data["name"])[:60] or "thema"
        if Theme.objects.filter(code=code).filter(organisation__isnull=True).exists() or Theme.objects.filter(code=code, organisation=org).exists():
            theme_form.add_error("name", "Dit thema bestaat al.")
        else:
            theme = Theme.objects.create(organisation=org, code=code, **theme_form.cleaned_data)
            record(AuditEntry.Action.CREATE, obj=theme, request=request)
            messages.success(request, "Het thema is toegevoegd.")
            return redirect("intake:rules")
    if request.method == "POST" and request.POST.get("what") == "toggle":
        rule = TriageRule.objects.filter(organisation=org, pk=request.POST.get("rule") or 0).first()
        if rule is not None:
            rule.active = not rule.active
            rule.save(update_fields=["active"])
            record(AuditEntry.Action.UPDATE, obj=rule, request=request, detail={"active": rule.active})
            messages.success(request, "De regel is bijgewerkt.")
            return redirect("intake:rules")
    context = {
        "rules": TriageRule.objects.filter(organisation=org),
        "themes": services.catalogue_for(org.pk) if org else [],
        "form": form,
        "theme_form": theme_form,
    }
    return render(request, "intake/rules.html", context, status=400 if request.method == "POST" else 200)


importer = role_required(lambda role: role in IMPORTERS)
_IMPORT_SESSION_KEY = "intake_import_result"


@importer
def signal_import(request):
    """Upload an MMA file or a CSV file: every row is registered, or nothing and every error is listed.

    A successful import redirects (so a reload cannot import twice) and shows the new references once.
    """
    organisation = request.user.organisation
    if organisation is None or organisation.kind != Organisation.Kind.GEMEENTE:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "errors_shown": importers.ERRORS_SHOWN}
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = importers.run(
                organisation, form.cleaned_data["kind"], upload.read(importers.MAX_BYTES + 1),
                filename=upload.name or "", actor=current_access(), request=request,
            )
            if result.ok:
                request.session[_IMPORT_SESSION_KEY] = {
                    "kind": result.kind, "created": [[c.pk, c.reference, c.external_reference] for c in result.created],
                }
                messages.success(request, f"{len(result.created)} signa{'al' if len(result.created) == 1 else 'len'} geïmporteerd.")
                return redirect("intake:import")
            context["errors"] = result.messages
        return render(request, "intake/import.html", context, status=400)
    context["result"] = request.session.pop(_IMPORT_SESSION_KEY, None)
    return render(request, "intake/import.html", context)
