"""Writes to the subjects registry: validate, write and audit in one transaction."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.db.models import Q
from django.urls import reverse

from regie.accounts.models import Assignment
from regie.areas.services import buurt_for_address
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from .incremental import STRONG, propose_candidates
from .models import Address, Company, Person, Relation, Statement

KINDS = {"personen": Person, "bedrijven": Company, "adressen": Address}
SLUG = {model: slug for slug, model in KINDS.items()}
#: the fields whose change sends a subject through matching again
MATCHED_FIELDS = {"first_names", "initials", "surname_prefix", "surname", "birth_date", "bsn", "address", "name",
                  "legal_form", "kvk_number", "vestigingsnummer", "kenteken", "iban"}


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
    if isinstance(instance, Address) and (creating or {"postcode", "latitude", "longitude"} & set(changed)):
        # the buurt follows the place: the imported boundary around its coordinates, else its postcode area
        instance.buurt = buurt_for_address(instance.owner_id, instance.postcode, instance.latitude, instance.longitude)
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
    if type(instance) in STRONG and (creating or MATCHED_FIELDS & set(changed)):
        # issue 8 point 4: matched against the registry as it is entered (candidates for the review queue)
        propose_candidates(access, instance, request=request)
    return instance


@transaction.atomic
def delete(access: Access, instance, request=None) -> None:
    _check_owner(access, instance, creating=False)
    record(AuditEntry.Action.DELETE, obj=instance, access=access, request=request, detail={"repr": type(instance)._meta.verbose_name})
    _forget_references(access, instance)
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError as exc:
        # e.g. an address on a control's list: the other room's record must keep it (all rolled back)
        uses = sorted({type(row)._meta.verbose_name for row in exc.protected_objects})
        raise ValidationError(
            f"{type(instance)._meta.verbose_name.capitalize()} wordt nog gebruikt ({', '.join(uses)}) en kan niet "
            "worden verwijderd."
        ) from exc


def _forget_references(access: Access, instance) -> None:
    """Relations and provenance point at subjects generically (no cascade in the database):
    remove those of a subject that is deleted, and the provenance of those relations. Only what the
    deleting organisation may see; another organisation's relation to a shared subject stays, and
    its readers find the end missing (they re-fetch ends through the scoped manager)."""
    ct = ContentType.objects.get_for_model(type(instance))
    if isinstance(instance, Relation):
        relation_ids = [instance.pk]
    else:
        relations = Relation.objects.visible_to(access).filter(
            Q(source_type=ct, source_id=instance.pk) | Q(target_type=ct, target_id=instance.pk)
        )
        relation_ids = list(relations.values_list("pk", flat=True))
        relations.delete()
    Statement.objects.visible_to(access).filter(
        Q(subject_type=ct, subject_id=instance.pk)
        | Q(subject_type=ContentType.objects.get_for_model(Relation), subject_id__in=relation_ids)
    ).delete()


def reference(obj) -> dict:
    """The generic reference fields pointing at ``obj`` (for Relation and Statement)."""
    return {"type": ContentType.objects.get_for_model(type(obj)), "id": obj.pk}


@transaction.atomic
def link(access: Access, kind: str, source, target, *, role: str = "", start_date=None, end_date=None,
         confidentiality: int | None = None, request=None) -> Relation:
    """Record a relation of ``kind`` from ``source`` to ``target`` (both owned by the caller)."""
    src, dst = reference(source), reference(target)
    relation = Relation(
        kind=kind, source_type=src["type"], source_id=src["id"], target_type=dst["type"], target_id=dst["id"],
        role=role, start_date=start_date, end_date=end_date,
    )
    if confidentiality is not None:
        relation.confidentiality = confidentiality
    return save(access, relation, ["kind", "source", "target", "role", "start_date", "end_date"], request=request)


@transaction.atomic
def add_statement(access: Access, subject, *, source: str, date, facts: list[str], partner=None,
                  reference_text: str = "", confidentiality: int | None = None, request=None) -> Statement:
    """Record where facts about ``subject`` (a subject or a relation) came from."""
    ref = reference(subject)
    statement = Statement(
        subject_type=ref["type"], subject_id=ref["id"], source=source, partner=partner, date=date,
        facts=sorted(facts), reference=reference_text,
    )
    if confidentiality is not None:
        statement.confidentiality = confidentiality
    return save(access, statement, ["source", "date", "facts"], request=request)


def relations_of(access: Access, subject) -> list[Relation]:
    """The relations of ``subject`` the caller may see, either direction."""
    ct = ContentType.objects.get_for_model(type(subject))
    return list(
        Relation.objects.visible_to(access).filter(
            Q(source_type=ct, source_id=subject.pk) | Q(target_type=ct, target_id=subject.pk)
        )
    )


def provenance_of(access: Access, subject) -> list[Statement]:
    ct = ContentType.objects.get_for_model(type(subject))
    return list(Statement.objects.visible_to(access).filter(subject_type=ct, subject_id=subject.pk))
