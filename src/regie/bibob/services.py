"""Writes of the Bibob room: open a file, record its steps, assign the jurist; and the reads the
pages need (terms, the overview per domain and phase).

Every write takes the caller's :class:`Access`, validates (Dutch messages), writes and audits in
one transaction. The content of an advice or assessment goes into a :class:`BibobFinding`,
never into the step's note; it is read only through :mod:`.confidential`.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from regie.accounts.models import Assignment
from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access
from regie.organisations.sequences import next_number
from regie.subjects.incremental import propose_candidates
from regie.subjects.models import Address, Company, MatchCandidate, Person

from . import workflow
from .catalogue import domains_for, install_default_catalogue, uncovered, update_domain  # noqa: F401 - interface
from .confidential import current_degree
from .models import (
    BibobDomain,
    BibobFile,
    BibobFinding,
    BibobSequence,
    BibobStep,
    Degree,
    Phase,
)
from .permissions import CREATORS, is_team

Kind = BibobStep.Kind
#: steps that carry confidential content, and what kind of finding they make
FINDING_OF = {Kind.RIEC_ADVICE: BibobFinding.Kind.RIEC, Kind.LBB_ADVICE: BibobFinding.Kind.LBB,
              Kind.ASSESSMENT: BibobFinding.Kind.ASSESSMENT}
#: findings that state a degree of danger
WITH_DEGREE = frozenset({Kind.LBB_ADVICE, Kind.ASSESSMENT})


def _pk(value):
    if value in (None, ""):
        return None
    try:
        return int(getattr(value, "pk", value))
    except (TypeError, ValueError):
        return -1


def _visible(access: Access, model, value, field: str, what: str, owner_id: int):
    pk = _pk(value)
    if pk is None:
        return None
    obj = model.objects.visible_to(access).filter(pk=pk).first()
    if obj is None or obj.owner_id != owner_id:
        raise ValidationError({field: f"Onbekend{what} (of u mag het niet zien)."})
    return obj


def _assign(user_id, file: BibobFile) -> None:
    if user_id is not None:
        Assignment.objects.get_or_create(
            user_id=user_id, content_type=ContentType.objects.get_for_model(BibobFile), object_id=file.pk)


def _locked(access: Access, file: BibobFile | None) -> BibobFile:
    if file is None or getattr(file, "pk", None) is None:
        raise ValidationError("Een stap, zoals een adviesaanvraag aan het LBB, hoort bij een bestaand Bibob-dossier.")
    current = BibobFile.objects.visible_to(access).select_for_update().filter(pk=file.pk).first()
    if current is None or not is_team(access, current):
        raise PermissionDenied("Alleen de Bibob-coördinator en de jurist van dit dossier mogen het wijzigen.")
    return current


def history(file: BibobFile) -> list[workflow.Done]:
    return [
        workflow.Done(s.kind, s.on, s.term, s.deadline, s.complete, s.outcome)
        for s in file.steps.order_by("on", "pk")
    ] if file.pk else []


def next_steps(file: BibobFile) -> list[tuple[str, str]]:
    return [(kind, Kind(kind).label) for kind in workflow.allowed_next(history(file))]


def _refresh_decision_term(file: BibobFile, today: date) -> None:
    """Move the beslistermijn of the application with the suspensions so far."""
    done = history(file)
    due = workflow.decision_due(file.received_on, file.domain.decision_weeks, done, today)
    file.decision_due = due
    file.steps.filter(term=BibobStep.Term.DECISION, done_on__isnull=True).update(deadline=due)


@transaction.atomic
def open_file(access: Access, *, domain, description: str, received_on: date | None, kind: str = BibobFile.Kind.APPLICATION,
              person=None, company=None, address=None, request=None, today: date | None = None) -> BibobFile:
    """Open a Bibob file for an application or relationship in one of the municipality's domains;
    its first step is the application, which starts the beslistermijn."""
    if access.organisation_id is None or (not access.system and access.role not in CREATORS):
        raise PermissionDenied("Alleen de Bibob-coördinator van een gemeente opent een Bibob-dossier.")
    today = today or timezone.localdate()
    owner_id = access.organisation_id
    domain_obj = BibobDomain.objects.filter(organisation_id=owner_id, active=True, pk=_pk(domain)).first() if _pk(domain) else None
    if domain_obj is None:
        raise ValidationError({"domain": "Kies een domein uit de Bibob-catalogus van uw gemeente."})
    if kind not in BibobFile.Kind.values:
        raise ValidationError({"kind": "Kies de soort dossier: aanvraag, herbeoordeling of rechtsbetrekking."})
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": "Geef een korte omschrijving, bijvoorbeeld de zaak en de vergunning."})
    if received_on is None:
        raise ValidationError({"received_on": "Geef de datum waarop de aanvraag is ontvangen."})
    if received_on > today:
        raise ValidationError({"received_on": "De aanvraag kan niet in de toekomst zijn ontvangen."})
    if received_on < workflow.EARLIEST:
        raise ValidationError({"received_on": "Controleer het jaartal van de ontvangstdatum."})
    file = BibobFile(owner_id=owner_id, domain=domain_obj, kind=kind, description=description, received_on=received_on,
                     created_by_id=access.user_id)
    file.person = _visible(access, Person, person, "person", "e persoon", owner_id)
    file.company = _visible(access, Company, company, "company", " bedrijf", owner_id)
    file.address = _visible(access, Address, address, "address", " adres", owner_id)
    file.reference = f"BIB-{received_on.year}-{next_number(BibobSequence, owner_id, received_on.year):04d}"
    file.full_clean(exclude=["owner", "domain", "person", "company", "address", "created_by"])
    file.save()
    step = BibobStep(file=file, kind=Kind.APPLICATION, on=received_on, term=BibobStep.Term.DECISION,
                     by_id=access.user_id)
    step.save()
    _refresh_decision_term(file, today)
    file.save(update_fields=["decision_due"])
    _assign(access.user_id, file)
    record(AuditEntry.Action.CREATE, obj=file, access=access, request=request,
           detail={"domain": domain_obj.code, "kind": kind, "received_on": received_on.isoformat()})
    for subject in (file.person, file.company):  # issue 8 point 4: the applicant against the registry
        if subject is not None:
            propose_candidates(access, subject, source=MatchCandidate.Source.BIBOB, reference=file.reference, request=request)
    return file


@transaction.atomic
def add_step(access: Access, file: BibobFile | None, kind: str, *, on: date | None, note: str = "",
             complete: bool | None = None, deadline: date | None = None, outcome: str = "", follow_up: str = "",
             degree: str = "", finding: str = "", request=None, today: date | None = None) -> BibobStep:
    """Record the next step of a file (issue 6, point 2).

    The transition table (:mod:`.workflow`) decides whether ``kind`` may follow. The completeness
    check carries ``complete`` (and the hersteltermijn as ``deadline`` when incomplete); an advice
    or assessment its content as ``finding`` (and ``degree``); a decision its ``outcome``; a
    follow-up its kind (``follow_up``) and planned date (``deadline``).
    """
    file = _locked(access, file)
    today = today or timezone.localdate()
    note, finding, degree = (note or "").strip(), (finding or "").strip(), (degree or "").strip()
    done = history(file)
    workflow.check_transition(done, kind)
    workflow.check_date(done, kind, on, today)
    if kind == Kind.COMPLETENESS:
        if complete is None:
            raise ValidationError({"complete": "Geef aan of het vragenformulier volledig is."})
        if complete is False:
            workflow.check_user_term(on, deadline, today, "de hersteltermijn")
    elif complete is not None:
        raise ValidationError({"complete": "Volledig of onvolledig hoort bij de beoordeling van de volledigheid."})
    if kind == Kind.FOLLOW_UP:
        if follow_up not in BibobStep.FollowUp.values:
            raise ValidationError({"follow_up": "Kies de soort nazorg: toezicht of herbeoordeling."})
        workflow.check_user_term(on, deadline, today, "de nazorg")
    elif follow_up:
        raise ValidationError({"follow_up": "De soort nazorg hoort bij de stap ‘nazorg gepland’."})
    if deadline is not None and kind not in (Kind.COMPLETENESS, Kind.FOLLOW_UP):
        raise ValidationError({"deadline": "Bij deze stap hoort geen zelf gekozen termijn; Regie berekent die."})
    if kind in FINDING_OF:
        if len(finding) < 10:
            raise ValidationError({"finding": "Leg de inhoud van het advies of de beoordeling vast (minimaal 10 tekens)."})
        if kind in WITH_DEGREE and degree not in Degree.values:
            raise ValidationError({"degree": "Kies de mate van gevaar (art. 3 Wet Bibob)."})
    elif finding or degree:
        raise ValidationError({"finding": "Een advies of beoordeling hoort bij de stap ‘advies ontvangen’ of ‘beoordeling’."})
    if kind == Kind.DECISION:
        workflow.check_decision(file.kind, done, outcome, on, current_degree(file))
    elif outcome:
        raise ValidationError({"outcome": "De uitkomst hoort bij de stap ‘besluit’."})
    if kind == Kind.LBB_EXTENSION:
        request_step = file.steps.get(kind=Kind.LBB_REQUEST)
        request_step.deadline = workflow.lbb_term_end([*done, workflow.Done(kind, on)])
        request_step.save(update_fields=["deadline"])
    term, term_deadline = workflow.term_of(kind, on, complete=complete, deadline=deadline)
    step = BibobStep(file=file, kind=kind, on=on, term=term, deadline=term_deadline, complete=complete, outcome=outcome,
                     follow_up=follow_up, note=note, by_id=access.user_id)
    step.full_clean(exclude=["file", "by"])
    step.save()
    settled = 0
    for earlier in file.steps.filter(deadline__isnull=False, done_on__isnull=True).exclude(pk=step.pk):
        if workflow.settles(kind, earlier.term):
            earlier.done_on = on
            earlier.save(update_fields=["done_on"])
            settled += 1
    if kind in FINDING_OF:
        BibobFinding.objects.create(file=file, step=step, kind=FINDING_OF[kind], degree=degree, text=finding,
                                    by_id=access.user_id)
    file.phase = workflow.PHASE_OF[kind]
    if kind == Kind.DECISION:
        file.outcome, file.decided_on = outcome, on
    if kind == Kind.CLOSED:
        file.closed_on = on
    _refresh_decision_term(file, today)
    file.save()
    # the audit entry names the step, never the content of an advice or assessment
    record(AuditEntry.Action.CREATE, obj=step, access=access, request=request, detail={
        "file": file.pk, "kind": kind, "on": on.isoformat(), "settled": settled,
        **({"outcome": outcome} if outcome else {}), **({"vertrouwelijk": True} if kind in FINDING_OF else {}),
    })
    return step


@transaction.atomic
def assign_jurist(access: Access, file: BibobFile, user, *, request=None) -> None:
    """Put a jurist of the municipality on the file's team (issue 6, point 4)."""
    file = _locked(access, file)
    if access.role != Role.BIBOB and not access.system:
        raise PermissionDenied("Alleen de Bibob-coördinator wijst de jurist van een dossier toe.")
    jurist = get_user_model().objects.filter(pk=_pk(user), organisation_id=file.owner_id, role=Role.JURIST,
                                             is_active=True).first()
    if jurist is None:
        raise ValidationError({"jurist": "Kies een jurist van uw gemeente."})
    ct = ContentType.objects.get_for_model(BibobFile)
    if Assignment.objects.filter(user=jurist, content_type=ct, object_id=file.pk).exists():
        raise ValidationError({"jurist": f"{jurist.get_full_name() or jurist.username} is al jurist van dit dossier."})
    Assignment.objects.create(user=jurist, content_type=ct, object_id=file.pk)
    record(AuditEntry.Action.UPDATE, obj=file, access=access, request=request, detail={"jurist": jurist.pk})


def jurists_of(file: BibobFile):
    ct = ContentType.objects.get_for_model(BibobFile)
    ids = Assignment.objects.filter(content_type=ct, object_id=file.pk).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, role=Role.JURIST, organisation_id=file.owner_id)


def team_files(access: Access):
    """The visible files the caller works on: all of the municipality for the Bibob-coördinator,
    the assigned ones for a jurist, none for the other roles."""
    qs = BibobFile.objects.visible_to(access).filter(owner_id=access.organisation_id)
    if access.role == Role.BIBOB:
        return qs
    if access.role == Role.JURIST and access.user_id is not None:
        ct = ContentType.objects.get_for_model(BibobFile)
        ids = Assignment.objects.filter(user_id=access.user_id, content_type=ct).values("object_id")
        return qs.filter(pk__in=ids)
    return qs.none()


def deadlines(access: Access, *, until: date | None = None):
    """Open terms of the caller's files, earliest first (issue 6, point 3)."""
    qs = BibobStep.objects.filter(file__in=team_files(access), deadline__isnull=False, done_on__isnull=True)
    if until is not None:
        qs = qs.filter(deadline__lte=until)
    return qs.select_related("file", "file__domain").order_by("deadline", "pk")


def overview(access: Access) -> dict:
    """Files per domain and phase (existence and phase only, so every reader may see it), and the
    domains the local Bibob policy does not cover yet."""
    counts = Counter(BibobFile.objects.visible_to(access).filter(owner_id=access.organisation_id)
                     .values_list("domain_id", "phase"))
    domains = list(domains_for(access.organisation_id, active_only=False))
    phases = list(Phase.choices)
    rows = [
        (domain, [counts.get((domain.pk, value), 0) for value, _ in phases])
        for domain in domains if domain.active or any(counts.get((domain.pk, v), 0) for v, _ in phases)
    ]
    return {"phases": phases, "rows": [(d, cells, sum(cells)) for d, cells in rows],
            "uncovered": [d for d in domains if d.active and not d.in_policy],
            "totals": [sum(cells[i] for _, cells in rows) for i in range(len(phases))]}
