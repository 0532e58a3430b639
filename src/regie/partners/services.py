"""Writes to the partner registry: validate, write and audit in one transaction.

Only the municipality that keeps the registry writes it; a share would grant reading, never
writing. The "niet interveniëren" flags have their own module, :mod:`regie.partners.flags`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from .models import ContactPerson, PartnerProfile

OWNER_ONLY = "Alleen de gemeente die het partnerregister bijhoudt, mag het wijzigen."


def _check_owner(access: Access, profile: PartnerProfile, creating: bool) -> None:
    if access is not None and access.system:
        return
    if access is None or access.organisation_id is None:
        raise PermissionDenied(OWNER_ONLY)
    if not creating and profile.owner_id != access.organisation_id:
        raise PermissionDenied(OWNER_ONLY)


@transaction.atomic
def save_profile(access: Access, profile: PartnerProfile, changed: list[str], request=None) -> PartnerProfile:
    """Create or update a profile of the caller's registry; audit the changed field names."""
    creating = profile._state.adding
    _check_owner(access, profile, creating)
    if creating and not access.system:
        profile.owner_id = access.organisation_id
    profile.full_clean()
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as exc:
        # the unique check of full_clean() reads through the scoped manager: a profile the caller
        # cannot see (above his clearance) is only caught here
        raise ValidationError({"partner": "Deze organisatie staat al in het partnerregister."}) from exc
    record(
        AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        obj=profile,
        access=access,
        request=request,
        detail={"fields": sorted(changed), "partner": profile.partner_id},
    )
    return profile


@transaction.atomic
def add_contact(access: Access, profile: PartnerProfile, *, name: str, function: str = "", email: str = "",
                phone: str = "", request=None) -> ContactPerson:
    _check_owner(access, profile, creating=False)
    contact = ContactPerson(profile=profile, name=name, function=function, email=email, phone=phone)
    contact.full_clean()
    contact.save()
    record(AuditEntry.Action.CREATE, obj=contact, access=access, request=request, detail={"profile": profile.pk})
    return contact


@transaction.atomic
def remove_contact(access: Access, contact: ContactPerson, request=None) -> None:
    _check_owner(access, contact.profile, creating=False)
    record(AuditEntry.Action.DELETE, obj=contact, access=access, request=request, detail={"profile": contact.profile_id})
    contact.delete()
