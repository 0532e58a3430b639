"""The shell: a start page per role showing what needs attention, and account pages."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from regie.accounts.decorators import cleared_required, role_required
from regie.accounts.models import Assignment
from regie.accounts.roles import ACTIONS, CONTROLS, MEETINGS, SIGNALS, SUBJECTS, Role, spec
from regie.areas import services as areas
from regie.audit.models import AuditEntry, PurposeDeclaration
from regie.audit.services import record
from regie.organisations.access import current_access
from regie.intake import enrichment as intake_enrichment
from regie.intake import services as intake
from regie.meetings import services as meetings
from regie.meetings.permissions import MANAGERS as MEETING_MANAGERS
from regie.bibob import services as bibob
from regie.measures import services as measures
from regie.controls import services as controls
from regie.measures.permissions import WRITERS as MEASURE_WRITERS
from regie.subjects import services as subjects


def home(request):
    if request.user.is_authenticated:
        return redirect("web:start")
    return redirect(settings.LOGIN_URL)


@cleared_required
def start(request):
    user = request.user
    access = current_access()
    role_spec = spec(user.role)
    context = {"role": user.role, "tiles": [], "attention": []}
    now = timezone.now()
    if SUBJECTS in role_spec.categories:
        counts = subjects.counts(access)
        context["tiles"] += [
            ("Personen in beeld", counts["persons"], "subjects:list", "personen"),
            ("Bedrijven in beeld", counts["companies"], "subjects:list", "bedrijven"),
            ("Adressen in beeld", counts["addresses"], "subjects:list", "adressen"),
        ]
        context["assigned"] = subjects.assigned_to(access, limit=10)
        context["attention"] = [
            f"{d.get_purpose_display()} — doel verloopt {timezone.localtime(d.valid_until):%d-%m-%Y %H:%M}"
            for d in PurposeDeclaration.objects.filter(user=user, valid_until__gt=now).order_by("valid_until")[:5]
        ]
    if SIGNALS in role_spec.categories and user.role != Role.PARTNER:
        waiting = intake.attention(access)
        context["tiles"] = [
            ("Signalen te beoordelen", waiting["to_triage"], "intake:list", None),
            ("Beoordeeld, klaar voor het overleg", waiting["triaged"], "intake:list", None),
        ] + context["tiles"]
    if user.role == Role.PARTNER:
        open_questions = intake_enrichment.inbox(access).filter(answer="").count()
        context["tiles"].insert(0, ("Open hit/no-hit-vragen", open_questions, "intake:questions", None))
    if ACTIONS in role_spec.categories:
        # actions the user (or, for a partner, his organisation) owns; overdue ones are marked
        context["actions"] = list(meetings.actions_for(access, user)[:20])
        context["today"] = timezone.localdate()
    if MEETINGS in role_spec.categories and user.role in MEETING_MANAGERS:
        context["postponed"] = meetings.often_postponed(access)
    if user.role in MEASURE_WRITERS:
        # legal terms of measures (zienswijze, begunstigingstermijn, heropening ...) due in two weeks or overdue
        context["measure_terms"] = list(measures.deadlines(access, until=timezone.localdate() + timedelta(days=14))[:20])
        context["today"] = timezone.localdate()
    if CONTROLS in role_spec.categories:
        # integral controls of the coming month and the year plan's realisation
        context["controls"] = list(controls.upcoming(access)[:10])
        plan = controls.plan_for(access, timezone.localdate().year) if access.organisation_id else None
        context["control_plan"] = controls.realisation(access, plan) if plan else None
        context["today"] = timezone.localdate()
    if user.role in (Role.BIBOB, Role.JURIST):
        # terms of every step of the user's Bibob files (LBB advice, beslistermijn, hersteltermijn ...)
        context["bibob_terms"] = list(bibob.deadlines(access)[:30])  # the earliest open terms, overdue first
        context["bibob_uncovered"] = list(bibob.uncovered(access.organisation_id)) if user.role == Role.BIBOB else []
        context["today"] = timezone.localdate()
    if role_spec.reads_audit:
        own = AuditEntry.objects.filter(organisation_id=access.organisation_id)
        day_ago = now - timedelta(days=1)
        context["tiles"] += [
            ("Inzages afgelopen 24 uur", own.filter(action=AuditEntry.Action.VIEW, at__gte=day_ago).count(), "audit:log", None),
            ("Opgegeven doelen afgelopen 7 dagen", own.filter(action=AuditEntry.Action.PURPOSE, at__gte=now - timedelta(days=7)).count(), "audit:log", None),
            ("Exports afgelopen 7 dagen", own.filter(action=AuditEntry.Action.EXPORT, at__gte=now - timedelta(days=7)).count(), "audit:log", None),
        ]
        context["top_viewers"] = (
            own.filter(action=AuditEntry.Action.VIEW, at__gte=day_ago)
            .values("username")
            .annotate(n=Count("seq"))
            .order_by("-n")[:5]
        )
        context["failed_logins"] = own.filter(action=AuditEntry.Action.LOGIN_FAILED, at__gte=day_ago).count()
    if user.role == Role.RAADSLID:
        context["areas"] = areas.summary(access)
    if user.role == Role.BEHEERDER:
        context["users_without_device"] = _users_without_device(user.organisation)
        context["locked"] = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).count()
    context["contacts"] = get_user_model().objects.filter(
        organisation=user.organisation, role=Role.COORDINATOR, is_active=True
    ).order_by("last_name")
    context["assignments"] = Assignment.objects.filter(user=user).count()
    return render(request, "web/start.html", context)


def _users_without_device(organisation):
    users = get_user_model().objects.filter(organisation=organisation, is_active=True)
    with_device = set(TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True))
    return [u for u in users.order_by("username") if u.needs_second_factor and u.pk not in with_device]


@cleared_required
def account(request):
    user = request.user
    return render(
        request,
        "web/account.html",
        {
            "devices": TOTPDevice.objects.filter(user=user, confirmed=True),
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
            "tokens": user.api_tokens.filter(revoked_at__isnull=True),
        },
    )


@role_required(lambda role: role == Role.BEHEERDER)
def users(request):
    people = get_user_model().objects.filter(organisation=request.user.organisation).order_by("role", "username")
    with_device = set(TOTPDevice.objects.filter(user__in=people, confirmed=True).values_list("user_id", flat=True))
    rows = [(u, u.pk in with_device) for u in people]
    record(AuditEntry.Action.LIST, model=get_user_model(), request=request, detail={"shown": [u.pk for u, _ in rows]})
    return render(request, "web/users.html", {"rows": rows})
