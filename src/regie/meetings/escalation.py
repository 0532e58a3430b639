"""Escalation to the DTO or the RIEC (issue 4, point 7).

The package handed over holds only the field groups the convenant allows the receiving
organisation (partner registry). The regional decision comes back on the same record — recorded by
the receiving organisation itself (the record is shared with it) or by the coördinator — and
"te licht voor RIEC" returns the signal or case to the local route.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.cases import services as cases
from regie.cases.models import Case
from regie.intake import services as intake
from regie.intake.models import Signal
from regie.organisations.access import Access, system_access
from regie.organisations.models import Share
from regie.partners import sharing

from .models import Decision, Escalation


@transaction.atomic
def escalate(access: Access, decision: Decision, *, request=None) -> Escalation:
    item = decision.item
    target_org = decision.owner_organisation
    if target_org is None or target_org.pk == item.owner_id:
        raise ValidationError({"owner_organisation": "Kies de organisatie aan wie wordt opgeschaald (DTO of RIEC)."})
    fields = sharing.receivable_fields(access, target_org)
    if not fields:
        raise ValidationError(
            {"owner_organisation": f"Voor {target_org} staat in het partnerregister niet wat zij mag ontvangen; "
                                   "leg dat eerst vast."}
        )
    package = sharing.filter_fields(item.snapshot, frozenset(fields))
    esc = Escalation(
        owner_id=item.owner_id, confidentiality=item.confidentiality, decision=decision,
        target=Escalation.Target.RIEC if decision.detail == Decision.Detail.RIEC else Escalation.Target.DTO,
        target_organisation=target_org, signal=item.signal, case=item.case, title=item.title, package=package,
        basis=sharing.basis_for(access, target_org)[:300], sent_at=decision.decided_at,
    )
    esc.full_clean()
    esc.save()
    Share.objects.create(content_type=ContentType.objects.get_for_model(Escalation), object_id=esc.pk,
                         organisation=target_org, basis=esc.basis or "Convenant", granted_by_id=access.user_id)
    if item.case_id:
        cases.set_escalation(access, item.case, esc.target, note=f"Aangeboden aan {target_org}", request=request)
    record(AuditEntry.Action.CREATE, obj=esc, access=access, request=request,
           detail={"to": target_org.pk, "fields": sorted(package)})
    return esc


ANSWERS = (Escalation.Status.ACCEPTED, Escalation.Status.TOO_LIGHT, Escalation.Status.FINISHED)


@transaction.atomic
def answer(access: Access, esc: Escalation, *, status: str, text: str, request=None) -> Escalation:
    """Record the regional decision. Allowed to the receiving organisation and to the owner."""
    if access.organisation_id not in (esc.owner_id, esc.target_organisation_id):
        raise ValidationError("Alleen de ontvangende organisatie of de eigenaar legt het besluit van de regio vast.")
    if status not in ANSWERS:
        raise ValidationError({"status": "Kies opgepakt, te licht voor RIEC of afgerond."})
    if esc.status in (Escalation.Status.TOO_LIGHT, Escalation.Status.FINISHED):
        raise ValidationError("Over deze opschaling is al definitief besloten.")
    if len(text.strip()) < 3:
        raise ValidationError({"text": "Beschrijf het besluit van de regio."})
    esc.status, esc.regional_decision, esc.answered_at = status, text.strip(), timezone.now()
    esc.reported_at = None  # report this answer back to the forum that escalated
    esc.save(update_fields=["status", "regional_decision", "answered_at", "reported_at"])
    record(AuditEntry.Action.UPDATE, obj=esc, access=access, request=request, detail={"status": status})
    if status == Escalation.Status.TOO_LIGHT:
        _back_to_local(access, esc, request)
    return esc


def _back_to_local(access: Access, esc: Escalation, request) -> None:
    """'Te licht voor RIEC': the signal returns to the local agenda, the case to level lokaal.

    The receiving organisation cannot see the municipality's records; then the change is made by
    the system on the owner's records (only these two, by id), with the reason in the audit log."""
    if access.organisation_id == esc.owner_id:
        _return_to_local(access, esc, request)
        return
    with system_access(f"terugmelding '{esc.get_status_display()}' door {access.organisation_name}") as on_behalf:
        _return_to_local(on_behalf, esc, request)


def _return_to_local(access: Access, esc: Escalation, request) -> None:
    note = f"{esc.get_target_display()}: te licht, terug naar de lokale aanpak"
    if esc.signal_id:
        signal = Signal.objects.visible_to(access).filter(pk=esc.signal_id, owner_id=esc.owner_id).first()
        if signal is not None and signal.status in (Signal.Status.ON_AGENDA, Signal.Status.TRIAGED):
            intake.set_status(access, signal, Signal.Status.TRIAGED, note=note, request=request)
    if esc.case_id:
        case = Case.objects.visible_to(access).filter(pk=esc.case_id, owner_id=esc.owner_id).first()
        if case is not None and case.escalation_level != Case.Escalation.LOCAL and not case.is_closed:
            cases.set_escalation(access, case, Case.Escalation.LOCAL, note=note, request=request)
