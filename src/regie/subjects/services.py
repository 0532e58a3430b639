"""Writes to the subjects registry: validate, write and audit in one transaction."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from regie.accounts.models import Assignment
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from .models import Address, Company, Person

KINDS = {"personen": Person, "bedrijven": Company, "adressen": Address}
SLUG = {model: slug for slug, model in KINDS.items()}


def counts(access: Access) -> dict:
    return {
        "persons": Person.objects.visible_to(access).count(),
        "companies": Company.objects.visible_to(access).count(),
        "addresses": Address.objects.visible_to(access).count(),
    }


def assigned_to(access: Access, limit: int = 10) -> list[tuple[str, str]]:
    """Records of this registry assigned to the user, as (label, url), visible ones only."""
    result = []
    for model in (Person, Company, Address):
        if len(result) >= limit:
            break
        ct = ContentType.objects.get_for_model(model)
        ids = Assignment.objects.filter(user_id=access.user_id, content_type=ct).values("object_id")
        shown = list(model.objects.visible_to(access).filter(pk__in=ids)[: limit - len(result)])
        if shown:
            # names on the start page are a read of personal data too
            record(AuditEntry.Action.LIST, model=model, access=access, detail={"context": "startpagina", "shown": [o.pk for o in shown]})
        for obj in shown:
            result.append((f"{model._meta.verbose_name.capitalize()}: {obj}", reverse("subjects:detail", args=[SLUG[model], obj.pk])))
    return result


def _check_owner(access: Access, instance, creating: bool) -> None:
    """Only the owning organisation writes its records: a share grants reading, not writing."""
    if access is not None and access.system:
        return
    if access is None or access.organisation_id is None or (not creating and instance.owner_id != access.organisation_id):
        raise PermissionDenied("Alleen de eigenaar van dit object mag het wijzigen of verwijderen.")


@transaction.atomic
def save(access: Access, instance, changed: list[str], request=None):
    """Create or update a subject owned by the caller's organisation; audit the field names."""
    creating = instance._state.adding
    _check_owner(access, instance, creating)
    if creating:
        instance.owner_id = access.organisation_id
    instance.full_clean()
    instance.save()
    if creating and access.user_id:
        Assignment.objects.get_or_create(
            user_id=access.user_id, content_type=ContentType.objects.get_for_model(type(instance)), object_id=instance.pk
        )
    record(
        AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        obj=instance,
        access=access,
        request=request,
        detail={"fields": sorted(changed)},
    )
    return instance


@transaction.atomic
def delete(access: Access, instance, request=None) -> None:
    _check_owner(access, instance, creating=False)
    record(AuditEntry.Action.DELETE, obj=instance, access=access, request=request, detail={"repr": type(instance)._meta.verbose_name})
    instance.delete()
