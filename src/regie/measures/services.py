"""Writes of the measures room: open a measure, change it, record its legal steps.

Every write takes the caller's :class:`Access`, validates (Dutch messages), writes and audits in
one transaction. A step on a measure that belongs to a case also lands on the case's timeline
(:func:`regie.cases.services.record_event`). The catalogue writes live in :mod:`.catalogue` and
are re-exported here.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from regie.accounts.models import Assignment
from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.cases import services as cases
from regie.cases.models import Case
from regie.organisations.access import Access
from regie.organisations.confidentiality import Confidentiality
from regie.organisations.sequences import next_number
from regie.resilience import safeguards
from regie.subjects.models import Address, Company, Person

from . import workflow
from .catalogue import (  # noqa: F401 - part of this module's interface
    add_domain,
    add_kind,
    domains_for,
    install_default_catalogue,
    install_for,
    kinds_for,
    set_active,
)
from .models import Measure, MeasureDomain, MeasureKind, MeasureSequence, MeasureStep
from .permissions import WRITERS, may_edit

Kind = MeasureStep.Kind
#: what is decided in the besluit: fixed once the besluit is recorded
DECISION_FIELDS = ("kind", "closure_months", "penalty_amount", "penalty_maximum", "term_days")
#: what is recorded while the measure is carried out (also after its end: collection takes time)
EXECUTION_FIELDS = ("forfeited", "forfeited_on", "collected_amount")
WEIGHING_FIELDS = ("suitability", "necessity", "proportionality", "strategy_step", "strategy_note")
EDITABLE = (
    "description", "kind", "domain", "case", "address", "person", "company", "confidentiality",
    *WEIGHING_FIELDS, "penalty_amount", "penalty_maximum", "term_days", "closure_months", *EXECUTION_FIELDS,
)


def _require_editor(access: Access, measure: Measure) -> None:
    if not may_edit(access, measure):
        raise PermissionDenied("Alleen de jurist of de coördinator van de gemeente die de maatregel heeft, mag haar wijzigen.")


def _locked(access: Access, measure: Measure) -> Measure:
    """The measure as it stands now, locked for the write; a measure out of sight is not changed."""
    current = Measure.objects.visible_to(access).select_for_update().filter(pk=measure.pk).first()
    if current is None:
        raise PermissionDenied("U mag deze maatregel niet zien, en dus ook niet wijzigen.")
    return current


def _pk(value):
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    try:
        return int(pk)
    except (TypeError, ValueError):
        return -1  # matches nothing: reported as unknown


def _kind(owner_id: int, value, current: MeasureKind | None = None) -> MeasureKind:
    pk = _pk(value)
    if current is not None and pk == current.pk:
        return current  # a kind switched off later stays on the measures that have it
    kind = MeasureKind.objects.filter(organisation_id=owner_id, active=True, pk=pk).first() if pk else None
    if kind is None:
        raise ValidationError({"kind": "Kies een soort maatregel uit de catalogus van uw gemeente."})
    return kind


def _domain(owner_id: int, value, current: MeasureDomain | None = None) -> MeasureDomain:
    pk = _pk(value)
    if current is not None and pk == current.pk:
        return current
    domain = MeasureDomain.objects.filter(organisation_id=owner_id, active=True, pk=pk).first() if pk else None
    if domain is None:
        raise ValidationError({"domain": "Kies een domein uit de catalogus van uw gemeente."})
    return domain


def _visible(access: Access, model, value, field: str, what: str, owner_id: int):
    """A case, address, person or company the caller may see, of the measure's municipality."""
    pk = _pk(value)
    if pk is None:
        return None
    obj = model.objects.visible_to(access).filter(pk=pk).first()
    if obj is None or obj.owner_id != owner_id:
        raise ValidationError({field: f"Onbekend{what} (of u mag het niet zien)."})
    return obj


def _next_reference(owner_id: int, year: int) -> str:
    """MTR-<year>-<number>, numbered per organisation and year under a row lock."""
    return f"MTR-{year}-{next_number(MeasureSequence, owner_id, year):04d}"


def _assign(user_id, measure: Measure) -> None:
    """Who opens a measure works on it: no separate purpose needed to open it again."""
    if user_id is None:
        return
    Assignment.objects.get_or_create(
        user_id=user_id, content_type=ContentType.objects.get_for_model(Measure), object_id=measure.pk
    )


def _check_level(access: Access, measure: Measure) -> None:
    floor = measure.case.confidentiality if measure.case_id else Confidentiality.OPENBAAR
    if measure.confidentiality < floor:
        raise ValidationError({"confidentiality": "Een maatregel is minstens zo vertrouwelijk als haar casus."})
    if measure.confidentiality > access.clearance:
        raise ValidationError({"confidentiality": "U kunt geen maatregel vastleggen boven uw eigen rubricering."})


def _amount(value, field: str):
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except ArithmeticError as exc:
        raise ValidationError({field: "Geef een bedrag in euro's."}) from exc
    if amount < 0:
        raise ValidationError({field: "Een bedrag kan niet negatief zijn."})
    return amount


def _set_fields(access: Access, measure: Measure, fields: dict) -> list[str]:
    """Apply ``fields`` to ``measure`` (resolving relations through the scoped managers);
    returns the names of the fields whose value really changed."""
    owner_id = measure.owner_id
    changed = []
    for name, value in fields.items():
        if name == "kind":
            value = _kind(owner_id, value, measure.kind if measure.kind_id else None)
        elif name == "domain":
            value = _domain(owner_id, value, measure.domain if measure.domain_id else None)
        elif name == "case":
            value = _visible(access, Case, value, "case", "e casus", owner_id)
        elif name == "address":
            value = _visible(access, Address, value, "address", " adres", owner_id)
        elif name == "person":
            value = _visible(access, Person, value, "person", "e persoon", owner_id)
        elif name == "company":
            value = _visible(access, Company, value, "company", " bedrijf", owner_id)
        elif name in ("penalty_amount", "penalty_maximum", "collected_amount"):
            value = _amount(value, name)
        elif isinstance(value, str):
            value = value.strip()
        if name in ("kind", "domain", "case", "address", "person", "company"):
            if getattr(measure, f"{name}_id") != (value.pk if value is not None else None):
                setattr(measure, name, value)
                changed.append(name)
        elif getattr(measure, name) != value:
            setattr(measure, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def open_measure(access: Access, *, kind, domain, description: str, request=None, at=None, **fields) -> Measure:
    """Register a measure of the caller's municipality, optionally from a case (``case=``).

    The steps follow with :func:`add_step`; the first is the bestuurlijke rapportage or the voornemen.
    """
    if access.organisation_id is None:
        raise PermissionDenied("Alleen een medewerker van een gemeente kan een maatregel vastleggen.")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"open_measure() got unknown fields {sorted(unknown)}")
    now = at or timezone.now()
    measure = Measure(owner_id=access.organisation_id, created_by_id=access.user_id, description="")
    _require_editor(access, measure)
    level = fields.pop("confidentiality", None)
    _set_fields(access, measure, {"kind": kind, "domain": domain, "description": description or "", **fields})
    if not measure.description:
        raise ValidationError({"description": "Geef een korte omschrijving, bijvoorbeeld het adres en wat er speelt."})
    floor = measure.case.confidentiality if measure.case_id else Confidentiality.ZAAKVERTROUWELIJK
    measure.confidentiality = max(int(level or 0), floor)
    _check_level(access, measure)
    measure.reference = _next_reference(measure.owner_id, timezone.localtime(now).year)
    measure.full_clean(exclude=["owner", "kind", "domain", "case", "address", "person", "company", "created_by"])
    measure.save()
    measure.created_at = now
    Measure.objects.visible_to(access).filter(pk=measure.pk).update(created_at=now)
    _assign(access.user_id, measure)
    if measure.case_id:
        cases.record_event(measure.case, "maatregel", f"Maatregel {measure.reference} vastgelegd: {measure.kind.name}",
                           at=now, by_id=access.user_id, source="maatregel")
    record(AuditEntry.Action.CREATE, obj=measure, access=access, request=request,
           detail={"kind": measure.kind.code, "domain": measure.domain.code, "case": measure.case_id})
    return measure


@transaction.atomic
def update_measure(access: Access, measure: Measure, *, request=None, **fields) -> Measure:
    """Change a measure's details, weighing and figures. What the besluit decided is fixed
    after it; after the end only the collection of a dwangsom may still change."""
    _require_editor(access, measure)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"update_measure() does not change {sorted(unknown)}")
    measure = _locked(access, measure)
    changed = _set_fields(access, measure, fields)
    if not changed:
        raise ValidationError("Er is niets gewijzigd.")
    if measure.is_ended and set(changed) - set(EXECUTION_FIELDS):
        raise ValidationError("Deze maatregel is beëindigd: alleen de verbeuring en invordering kunnen nog worden bijgewerkt.")
    fixed = sorted(set(changed) & set(DECISION_FIELDS))
    if measure.decided_on and fixed:
        labels = ", ".join(str(Measure._meta.get_field(name).verbose_name) for name in fixed)
        raise ValidationError(f"Het besluit is genomen: {labels} lig{'t' if len(fixed) == 1 else 'gen'} vast.")
    if set(changed) & set(EXECUTION_FIELDS):
        workflow.check_execution(measure, measure.kind, history(measure), measure.forfeited_on or timezone.localdate())
    if not measure.description:
        raise ValidationError({"description": "Geef een korte omschrijving."})
    _check_level(access, measure)
    measure.full_clean(exclude=["owner", "kind", "domain", "case", "address", "person", "company", "created_by"])
    measure.save()
    if measure.case_id and "case" in changed:
        cases.record_event(measure.case, "maatregel", f"Maatregel {measure.reference} gekoppeld: {measure.kind.name}",
                           by_id=access.user_id, source="maatregel")
    record(AuditEntry.Action.UPDATE, obj=measure, access=access, request=request, detail={"fields": sorted(changed)})
    return measure


def history(measure: Measure) -> list[workflow.Done]:
    """The measure's steps so far, oldest first, as the workflow checks need them."""
    return [
        workflow.Done(step.kind, step.on, step.term, step.deadline)
        for step in measure.steps.order_by("on", "pk")
    ] if measure.pk else []


def next_steps(measure: Measure) -> list[tuple[str, str]]:
    """(value, label) of the steps that may follow now."""
    return [(kind, Kind(kind).label) for kind in workflow.allowed_next(history(measure))]


def _moment(day: date, now: datetime) -> datetime:
    """When a dated step goes on the case's timeline: now when it is today, else midday."""
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time(12)))


def _describe(measure: Measure, step: MeasureStep) -> str:
    text = f"Maatregel {measure.reference} ({measure.kind.name}): {step.get_kind_display()} op {step.on:%d-%m-%Y}"
    if step.kind == Kind.END and measure.outcome:
        text += f" — {measure.get_outcome_display()}"
    if step.deadline:
        text += f"; {step.get_term_display()} {step.deadline:%d-%m-%Y}"
    return text


STEP_FIELDS = {
    Kind.DECISION: ("closure_months", "penalty_amount", "penalty_maximum", "term_days"),
    Kind.EXECUTION: EXECUTION_FIELDS,
}


@transaction.atomic
def add_step(access: Access, measure: Measure, kind: str, *, on: date | None, note: str = "", urgent: bool = False,
             source: str = "", outcome: str = "", request=None, at=None, today: date | None = None, **decided) -> MeasureStep:
    """Record the next legal step of a measure.

    The transition table (:mod:`.workflow`) decides whether ``kind`` may follow; a besluit
    carries what was decided (``closure_months``, ``penalty_amount``, ``term_days``), an
    uitvoering what happened to a dwangsom (``forfeited``, ``collected_amount``). The step
    starts its legal term and settles the open terms it answers.
    """
    _require_editor(access, measure)
    unknown = set(decided) - set(STEP_FIELDS.get(kind, ()))
    if unknown:
        raise ValidationError(f"Bij de stap ‘{Kind(kind).label if kind in Kind.values else kind}’ horen geen "
                              f"gegevens {', '.join(sorted(unknown))}.")
    measure = _locked(access, measure)
    now = at or timezone.now()
    today = today or timezone.localdate(now)
    note, source = (note or "").strip(), (source or "").strip()
    done = history(measure)
    if _awaiting_approval(measure) is not None:
        raise ValidationError("Het besluit wacht op goedkeuring door een tweede persoon (vier-ogenprincipe); "
                              "pas daarna kan een volgende stap worden vastgelegd.")
    workflow.check_transition(done, kind)
    workflow.check_date(done, kind, on, today)
    if source and source not in MeasureStep.Source.values:
        raise ValidationError({"source": "Kies van wie de rapportage komt."})
    if kind == Kind.REPORT and not source:
        raise ValidationError({"source": "Geef aan van wie de bestuurlijke rapportage komt (politie of boa)."})
    if urgent and kind != Kind.DECISION:
        raise ValidationError({"urgent": "Alleen een besluit kan spoedeisend zijn."})
    _set_fields(access, measure, decided)
    if kind == Kind.DECISION:
        workflow.check_decision(measure, measure.kind, done, on, urgent=urgent, note=note)
        measure.decided_on = on
        measure.term_ends_on = workflow.term_of(kind, on, measure, measure.kind)[1]
    elif kind == Kind.EXECUTION:
        if measure.forfeited and measure.forfeited_on is None:
            measure.forfeited_on = on
        workflow.check_execution(measure, measure.kind, done, on)
    elif kind == Kind.END:
        workflow.check_end(measure, done, outcome)
        measure.outcome, measure.ended_on = outcome, on
    elif outcome:
        raise ValidationError({"outcome": "De afloop hoort bij de stap ‘einde’."})
    term, deadline = workflow.term_of(kind, on, measure, measure.kind)
    step = MeasureStep(measure=measure, kind=kind, on=on, term=term, deadline=deadline, note=note, urgent=urgent,
                       source=source, by_id=access.user_id, created_at=now,
                       approval_required=kind == Kind.DECISION and needs_four_eyes(measure))
    step.full_clean(exclude=["measure", "by"])
    step.save()
    settled = 0
    for earlier in measure.steps.filter(deadline__isnull=False, done_on__isnull=True).exclude(pk=step.pk):
        if workflow.settles(kind, earlier.term):
            earlier.done_on = on
            earlier.save(update_fields=["done_on"])
            settled += 1
    if kind == Kind.REPORT:
        measure.reported_on = on
    if kind == Kind.EXECUTION and term == MeasureStep.Term.REOPENING:
        measure.closure_starts_on, measure.closure_ends_on = on, deadline
    measure.stage = kind
    measure.full_clean(exclude=["owner", "kind", "domain", "case", "address", "person", "company", "created_by"])
    measure.save()
    if measure.case_id:
        cases.record_event(measure.case, "maatregel", _describe(measure, step), at=_moment(on, now),
                           by_id=access.user_id, source="maatregel")
    record(AuditEntry.Action.CREATE, obj=step, access=access, request=request, detail={
        "measure": measure.pk, "kind": kind, "on": on.isoformat(), "settled": settled,
        **({"fields": sorted(decided)} if decided else {}),
        **({"approval_required": True} if step.approval_required else {}),
    })
    return step


# --- four eyes (issue 12, point 6) -------------------------------------------------------------

#: who may give the second person's approval of a besluit: the writers and the mayor
APPROVERS = frozenset({*WRITERS, Role.BURGEMEESTER})
SAME_PERSON = "U heeft dit besluit zelf vastgelegd. Een tweede persoon moet het goedkeuren (vier-ogenprincipe)."


def is_13b(measure: Measure) -> bool:
    kind = measure.kind
    return "13b" in f"{kind.code} {kind.legal_basis}".lower()


def needs_four_eyes(measure: Measure) -> bool:
    """Whether a besluit on ``measure`` needs a second person's approval: a 13b decision where the
    municipality's safeguard register enforces a four- or six-eyes rule on it."""
    return is_13b(measure) and safeguards.requires_second_person(measure.owner, safeguards.DECISION_13B)


def _awaiting_approval(measure: Measure) -> MeasureStep | None:
    return measure.steps.filter(kind=Kind.DECISION, approval_required=True, approved_at__isnull=True).order_by("-on", "-pk").first()


def awaiting_approval(measure: Measure) -> MeasureStep | None:
    """The besluit of ``measure`` that waits for a second person's approval, if any."""
    return _awaiting_approval(measure) if measure.pk else None


def approve_decision(access: Access, measure: Measure, *, request=None, at=None) -> MeasureStep:
    """A second person approves the besluit that waits for it. The person who recorded the besluit
    is refused (Dutch error) and the refusal is logged."""
    if access is None or access.role not in APPROVERS or access.organisation_id != measure.owner_id:
        raise PermissionDenied("Alleen de jurist, de coördinator of de burgemeester van de gemeente keurt een besluit goed.")
    with transaction.atomic():
        current = _locked(access, measure)
        step = _awaiting_approval(current)
        if step is None:
            raise ValidationError("Er wacht geen besluit van deze maatregel op goedkeuring.")
        if step.by_id != access.user_id:
            step.approved_by_id, step.approved_at = access.user_id, at or timezone.now()
            step.save(update_fields=["approved_by", "approved_at"])
            record(AuditEntry.Action.UPDATE, obj=step, access=access, request=request,
                   detail={"measure": current.pk, "approved": True, "recorded_by": step.by_id})
            return step
    with transaction.atomic():
        record(AuditEntry.Action.DENIED, obj=step, access=access, request=request,
               detail={"measure": measure.pk, "approved": False, "reason": "zelfde persoon"})
    raise ValidationError(SAME_PERSON)


def deadlines(access: Access, *, until: date | None = None, since: date | None = None):
    """Open terms of the measures the caller may see, earliest first (``until``/``since``: last day)."""
    qs = MeasureStep.objects.filter(
        measure__in=Measure.objects.visible_to(access), deadline__isnull=False, done_on__isnull=True
    )
    if until is not None:
        qs = qs.filter(deadline__lte=until)
    if since is not None:
        qs = qs.filter(deadline__gte=since)
    return qs.select_related("measure", "measure__kind").order_by("deadline", "pk")


def measures_of_case(access: Access, case: Case):
    """The measures the caller may see that belong to ``case``."""
    return Measure.objects.visible_to(access).filter(case=case).select_related("kind", "domain")
