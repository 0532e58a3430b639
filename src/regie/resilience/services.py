"""Writes of the resilience room. Every write takes the caller's :class:`Access`, checks the role,
validates (Dutch messages), writes and audits in one transaction.

The figures over these registers (reach, completion, capacity against the reference, budget
against spending) are in :mod:`.figures`; the four-eyes question other rooms ask is in
:mod:`.safeguards`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from regie.accounts.models import User
from regie.accounts.roles import RESILIENCE
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access, organisation_access
from regie.organisations.models import Organisation
from regie.organisations.scoping import owner_has
from regie.organisations.sequences import next_number

from . import onboarding
from .models import (
    INCIDENT_CONFIDENTIALITY,
    REGISTER_CONFIDENTIALITY,
    AwarenessSession,
    BudgetLine,
    BudgetSpending,
    CapacityLine,
    CapacityReference,
    ContactPerson,
    Department,
    IncidentSequence,
    IntegrityIncident,
    OnboardingCompletion,
    Project,
    ProjectEvaluation,
    ProjectPartner,
    ProjectTrack,
    SafeguardRule,
    SessionAttendance,
)
from .permissions import INTEGRITY_KEEPERS, MANAGERS

Action = AuditEntry.Action


def _manager(access: Access) -> None:
    if access is None or access.organisation_id is None or access.role not in MANAGERS:
        raise PermissionDenied("Alleen de coördinator of de functioneel beheerder van de gemeente mag dit vastleggen.")


def _clean(obj, exclude=()) -> None:
    obj.full_clean(exclude=list(exclude))


def _own(access: Access, model, value, what: str):
    """The caller's own, visible row ``value`` (an instance or a pk) of ``model``, else a Dutch error."""
    pk = getattr(value, "pk", value)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise ValidationError(f"Kies een bestaande {what}.") from None
    row = model.objects.visible_to(access).filter(pk=pk, owner_id=access.organisation_id).first()
    if row is None:
        raise ValidationError(f"Kies een bestaande {what}.")
    return row


def _year(value, field: str) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: "Vul een jaartal in."}) from None
    if not 2000 <= year <= 2100:
        raise ValidationError({field: "Vul een jaartal tussen 2000 en 2100 in."})
    return year


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "Vul een getal in."}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({field: "Vul een getal van 0 of meer in."})
    return number


def org_access(organisation: Organisation) -> Access:
    """Read the resilience registers for ``organisation`` as a whole (contact persons for every
    employee, one's own onboarding completion, the figures): never another organisation's rows."""
    return organisation_access(organisation, "weerbare-organisatie", frozenset({RESILIENCE}))


# --- departments and contact persons -----------------------------------------------------------

@transaction.atomic
def add_department(access: Access, name: str, *, request=None) -> Department:
    _manager(access)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Vul de naam van de afdeling in."})
    if owner_has(Department, access.organisation_id, name__iexact=name):
        raise ValidationError({"name": "Deze afdeling bestaat al."})
    department = Department(owner_id=access.organisation_id, name=name, confidentiality=REGISTER_CONFIDENTIALITY)
    _clean(department)
    department.save()
    record(Action.CREATE, obj=department, access=access, request=request, detail={"name": name})
    return department


@transaction.atomic
def add_contact(access: Access, department, *, name: str, function: str = "", email: str = "", phone: str = "",
                request=None) -> ContactPerson:
    _manager(access)
    department = _own(access, Department, department, "afdeling")
    contact = ContactPerson(owner_id=access.organisation_id, department=department, name=(name or "").strip(),
                            function=(function or "").strip(), email=(email or "").strip(), phone=(phone or "").strip(),
                            confidentiality=REGISTER_CONFIDENTIALITY)
    _clean(contact)
    contact.save()
    record(Action.CREATE, obj=contact, access=access, request=request, detail={"department": department.pk})
    return contact


def contacts_for(organisation: Organisation) -> list[ContactPerson]:
    """The aanspreekpunten of ``organisation``, for every one of its employees (point 3)."""
    return list(ContactPerson.objects.visible_to(org_access(organisation)).select_related("department"))


# --- awareness sessions ------------------------------------------------------------------------

@transaction.atomic
def add_session(access: Access, *, topic: str, audience: str, held_on: date, organiser: str, partners=(),
                attendance: dict | None = None, request=None) -> AwarenessSession:
    """A session with its attendance: ``attendance`` maps a department (or its pk) to a count."""
    _manager(access)
    session = AwarenessSession(owner_id=access.organisation_id, topic=(topic or "").strip(), audience=(audience or "").strip(),
                               held_on=held_on, organiser=(organiser or "").strip(), confidentiality=REGISTER_CONFIDENTIALITY)
    _clean(session)
    session.save()
    partner_rows = list(partners)
    if any(getattr(p, "kind", None) == Organisation.Kind.GEMEENTE and p.pk == access.organisation_id for p in partner_rows):
        raise ValidationError({"partners": "De eigen gemeente is de organisator, geen partner."})
    session.partners.set(partner_rows)
    counts = {}
    for department, attendees in (attendance or {}).items():
        department = _own(access, Department, department, "afdeling")
        try:
            attendees = int(attendees)
        except (TypeError, ValueError):
            raise ValidationError({"attendance": "Vul per afdeling een aantal deelnemers in."}) from None
        if attendees < 1:
            raise ValidationError({"attendance": "Het aantal deelnemers per afdeling is minstens 1."})
        SessionAttendance.objects.create(session=session, department=department, attendees=attendees)
        counts[department.pk] = attendees
    record(Action.CREATE, obj=session, access=access, request=request,
           detail={"held_on": held_on.isoformat(), "attendance": counts, "partners": [p.pk for p in partner_rows]})
    return session


# --- onboarding --------------------------------------------------------------------------------

def has_completed(user, version: int = onboarding.VERSION) -> bool:
    if user.organisation is None:
        return False
    return OnboardingCompletion.objects.visible_to(org_access(user.organisation)).filter(
        user_id=user.pk, version=version).exists()


@transaction.atomic
def complete_onboarding(access: Access, user, answers: dict[str, str], *, request=None) -> OnboardingCompletion:
    """Check the answers and record that ``user`` (the caller) completed the module."""
    if access is None or access.user_id != user.pk or user.organisation is None \
            or user.organisation.kind != Organisation.Kind.GEMEENTE:
        raise PermissionDenied("Alleen een medewerker van de gemeente rondt de introductie voor zichzelf af.")
    wrong = onboarding.wrong_answers(answers)
    if wrong:
        raise ValidationError({q.key: "Dit antwoord klopt niet. Lees de tekst nog eens en probeer het opnieuw." for q in wrong})
    existing = OnboardingCompletion.objects.visible_to(org_access(user.organisation)).filter(
        user_id=user.pk, version=onboarding.VERSION).first()
    if existing is not None:
        return existing
    completion = OnboardingCompletion(owner_id=user.organisation_id, user=user, version=onboarding.VERSION,
                                      completed_at=timezone.now(), confidentiality=REGISTER_CONFIDENTIALITY)
    completion.save()
    record(Action.CREATE, obj=completion, access=access, request=request, detail={"version": onboarding.VERSION})
    return completion


def onboarding_overview(access: Access) -> tuple[list, list]:
    """(completed, not completed) employees of the caller's organisation, for the HR overview."""
    people = list(User.objects.filter(organisation_id=access.organisation_id, is_active=True).order_by("last_name", "username"))
    done = dict(OnboardingCompletion.objects.visible_to(access).filter(
        owner_id=access.organisation_id, version=onboarding.VERSION).values_list("user_id", "completed_at"))
    return [(u, done[u.pk]) for u in people if u.pk in done], [u for u in people if u.pk not in done]


# --- capacity ----------------------------------------------------------------------------------

@transaction.atomic
def add_capacity(access: Access, *, year, team: str, function: str, fte, vacancy_fte=0, backlog=0, note: str = "",
                 request=None) -> CapacityLine:
    _manager(access)
    try:
        backlog = int(backlog or 0)
    except (TypeError, ValueError):
        raise ValidationError({"backlog": "Vul een aantal in."}) from None
    line = CapacityLine(owner_id=access.organisation_id, year=_year(year, "year"), team=(team or "").strip(),
                        function=(function or "").strip(), fte=_decimal(fte, "fte"),
                        vacancy_fte=_decimal(vacancy_fte or 0, "vacancy_fte"), backlog=backlog, note=(note or "").strip(),
                        confidentiality=REGISTER_CONFIDENTIALITY)
    _clean(line)
    line.save()
    record(Action.CREATE, obj=line, access=access, request=request, detail={"year": line.year, "fte": str(line.fte)})
    return line


@transaction.atomic
def set_capacity_reference(access: Access, *, year, fte, source: str, request=None) -> CapacityReference:
    _manager(access)
    year = _year(year, "year")
    reference = CapacityReference.objects.visible_to(access).filter(owner_id=access.organisation_id, year=year).first()
    if reference is None:
        if owner_has(CapacityReference, access.organisation_id, year=year):
            raise ValidationError({"year": "Voor dit jaar is al een referentie vastgelegd."})
        reference = CapacityReference(owner_id=access.organisation_id, year=year, confidentiality=REGISTER_CONFIDENTIALITY)
    reference.fte, reference.source = _decimal(fte, "fte"), (source or "").strip()
    _clean(reference)
    created = reference.pk is None
    reference.save()
    record(Action.CREATE if created else Action.UPDATE, obj=reference, access=access, request=request,
           detail={"year": year, "fte": str(reference.fte)})
    return reference


# --- budget ------------------------------------------------------------------------------------

def _goal(access: Access, goal):
    """The plans goal (object or id) a budget line or project serves, if it is one the caller may
    see in its own organisation; None for none."""
    if goal in (None, ""):
        return None
    from regie.plans.services import visible_goals

    pk = getattr(goal, "pk", goal)
    found = visible_goals(access).filter(pk=pk, theme__pillar__plan__owner_id=access.organisation_id).first() \
        if str(pk).isdigit() else None
    if found is None:
        raise ValidationError({"goal": "Dit doel bestaat niet in de plannen van uw gemeente."})
    return found


@transaction.atomic
def add_budget_line(access: Access, *, title: str, nature: str, first_year, last_year, amount_per_year,
                    goal=None, request=None) -> BudgetLine:
    _manager(access)
    first, last = _year(first_year, "first_year"), _year(last_year, "last_year")
    if last < first:
        raise ValidationError({"last_year": "Het laatste jaar ligt voor het eerste jaar."})
    line = BudgetLine(owner_id=access.organisation_id, title=(title or "").strip(), nature=nature, first_year=first,
                      last_year=last, amount_per_year=_decimal(amount_per_year, "amount_per_year"),
                      goal=_goal(access, goal), confidentiality=REGISTER_CONFIDENTIALITY)
    _clean(line)
    line.save()
    record(Action.CREATE, obj=line, access=access, request=request,
           detail={"nature": nature, "period": [first, last], "amount_per_year": str(line.amount_per_year)})
    return line


@transaction.atomic
def record_spending(access: Access, line, *, year, amount, note: str = "", request=None) -> BudgetSpending:
    _manager(access)
    line = _own(access, BudgetLine, line, "begrotingspost")
    year = _year(year, "year")
    if not line.first_year <= year <= line.last_year:
        raise ValidationError({"year": f"De post loopt van {line.first_year} tot en met {line.last_year}."})
    spending, created = BudgetSpending.objects.get_or_create(line=line, year=year, defaults={"amount": 0})
    spending.amount, spending.note = _decimal(amount, "amount"), (note or "").strip()
    spending.full_clean(exclude=["line"])
    spending.save()
    record(Action.CREATE if created else Action.UPDATE, obj=line, access=access, request=request,
           detail={"spending_year": year, "amount": str(spending.amount)})
    return spending


# --- safeguards --------------------------------------------------------------------------------

@transaction.atomic
def add_safeguard(access: Access, *, process: str, process_name: str, kind: str, description: str, enforced: bool = False,
                  request=None) -> SafeguardRule:
    _manager(access)
    process = (process or "").strip().lower()
    if owner_has(SafeguardRule, access.organisation_id, process=process, kind=kind):
        raise ValidationError({"process": "Voor dit proces is deze waarborg al vastgelegd."})
    rule = SafeguardRule(owner_id=access.organisation_id, process=process, process_name=(process_name or "").strip(),
                         kind=kind, description=(description or "").strip(), enforced=bool(enforced),
                         confidentiality=REGISTER_CONFIDENTIALITY)
    _clean(rule)
    rule.save()
    record(Action.CREATE, obj=rule, access=access, request=request, detail={"process": process, "kind": kind, "enforced": rule.enforced})
    return rule


@transaction.atomic
def set_enforced(access: Access, rule, enforced: bool, *, request=None) -> SafeguardRule:
    _manager(access)
    rule = _own(access, SafeguardRule, rule, "waarborg")
    rule.enforced = bool(enforced)
    rule.save(update_fields=["enforced", "updated_at"])
    record(Action.UPDATE, obj=rule, access=access, request=request, detail={"enforced": rule.enforced})
    return rule


# --- integrity incidents -----------------------------------------------------------------------

@transaction.atomic
def record_incident(access: Access, *, kind: str, occurred_on: date, description: str, measures_taken: str = "",
                    request=None) -> IntegrityIncident:
    if access is None or access.organisation_id is None or access.role not in INTEGRITY_KEEPERS:
        raise PermissionDenied("Alleen de burgemeester legt integriteitsincidenten vast.")
    incident = IntegrityIncident(owner_id=access.organisation_id, reference="-", kind=kind, occurred_on=occurred_on,
                                 description=(description or "").strip(), measures_taken=(measures_taken or "").strip(),
                                 confidentiality=INCIDENT_CONFIDENTIALITY)
    _clean(incident)
    year = occurred_on.year
    incident.reference = f"INT-{year}-{next_number(IncidentSequence, access.organisation_id, year):04d}"
    incident.save()
    record(Action.CREATE, obj=incident, access=access, request=request, detail={"kind": kind})
    return incident


# --- projects and programmes -------------------------------------------------------------------

@transaction.atomic
def add_project(access: Access, *, name: str, kind: str, problem: str, started_on: date, information_agreement: str = "",
                goal=None, request=None) -> Project:
    _manager(access)
    project = Project(owner_id=access.organisation_id, name=(name or "").strip(), kind=kind, problem=(problem or "").strip(),
                      started_on=started_on, information_agreement=(information_agreement or "").strip(),
                      goal=_goal(access, goal), confidentiality=REGISTER_CONFIDENTIALITY)
    _clean(project)
    project.save()
    record(Action.CREATE, obj=project, access=access, request=request, detail={"name": project.name, "kind": kind})
    return project


@transaction.atomic
def set_track(access: Access, project, *, track: str, goals: str, request=None) -> ProjectTrack:
    _manager(access)
    project = _own(access, Project, project, "project")
    if track not in ProjectTrack.Track.values:
        raise ValidationError({"track": "Kies preventie, repressie of zorg."})
    goals = (goals or "").strip()
    if not goals:
        raise ValidationError({"goals": "Vul de doelen van dit spoor in."})
    row, _ = ProjectTrack.objects.update_or_create(project=project, track=track, defaults={"goals": goals})
    record(Action.UPDATE, obj=project, access=access, request=request, detail={"track": track})
    return row


@transaction.atomic
def add_project_partner(access: Access, project, *, organisation, role: str, request=None) -> ProjectPartner:
    _manager(access)
    project = _own(access, Project, project, "project")
    organisation = Organisation.objects.filter(pk=getattr(organisation, "pk", organisation), active=True).first() \
        if str(getattr(organisation, "pk", organisation) or "").isdigit() else None
    if organisation is None:
        raise ValidationError({"organisation": "Kies een bestaande partnerorganisatie."})
    role = (role or "").strip()
    if not role:
        raise ValidationError({"role": "Beschrijf de rol van de partner."})
    try:
        with transaction.atomic():
            row = ProjectPartner.objects.create(project=project, organisation=organisation, role=role[:300])
    except IntegrityError:
        raise ValidationError({"organisation": "Deze partner doet al mee."}) from None
    record(Action.UPDATE, obj=project, access=access, request=request, detail={"partner": organisation.pk})
    return row


@transaction.atomic
def add_evaluation(access: Access, project, *, on: date, summary: str, decision: str, request=None) -> ProjectEvaluation:
    """An evaluation with its stop/go decision; 'stoppen' stops the project."""
    _manager(access)
    project = _own(access, Project, project, "project")
    if on is None or on < project.started_on:
        raise ValidationError({"on": "De evaluatie ligt niet voor de start van het project."})
    evaluation = ProjectEvaluation(project=project, on=on, summary=(summary or "").strip(), decision=decision)
    evaluation.full_clean(exclude=["project"])
    evaluation.save()
    if decision == ProjectEvaluation.Decision.STOP:
        project.status = Project.Status.STOPPED
    elif project.status == Project.Status.STOPPED:
        project.status = Project.Status.RUNNING
    project.save(update_fields=["status", "updated_at"])
    record(Action.UPDATE, obj=project, access=access, request=request,
           detail={"evaluation": evaluation.pk, "decision": decision, "status": project.status})
    return evaluation
