""""Niet interveniëren zonder overleg" (issue 4, point 8).

The police cannot say whether an investigation is running on a person, company or location
(seed 000, §5.4.4). Instead a police partner marks the record, without a reason; the owner sees
the flag, every intervention on it asks for a confirmation first, and each marking, lifting and
confirmation is written to the audit log.

A flag's visibility follows the flagged record: callers pass records they fetched through the
record's scoped manager, and whoever may see the record sees its flags.

Other rooms call :func:`require_confirmation` before every intervention (meeting decisions,
case interventions, measures) and add their own flaggable models with :func:`register_flaggable`
(e.g. in their ``AppConfig.ready``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access
from regie.organisations.models import Organisation
from regie.organisations.scoping import OwnedModel

from .models import NoInterventionFlag

#: models a flag may be put on, as "app_label.model"
FLAGGABLE: set[str] = {"subjects.person", "subjects.company", "subjects.address", "intake.signal"}
#: the form field by which a user confirms an intervention on a flagged record
CONFIRM_FIELD = "overleg_bevestigd"

ONLY_POLICE = "Alleen een partner van de politie kan markeren met 'niet interveniëren zonder overleg'."
ONLY_SETTER = "Alleen de organisatie die de markering heeft geplaatst, kan haar opheffen."


class ConfirmationRequired(Exception):
    """An intervention on a flagged record needs the user's explicit confirmation first."""

    def __init__(self, flags: list[NoInterventionFlag]):
        self.flags = flags
        names = sorted({flag.set_by_organisation.name for flag in flags})
        super().__init__(
            "Er staat een markering 'niet interveniëren zonder overleg' van "
            + ", ".join(names)
            + ". Bevestig dat u overleg hebt gehad voordat u verdergaat."
        )


def register_flaggable(label: str) -> None:
    """Allow flags on the model ``label`` ("app_label.model"), an OwnedModel of another room."""
    model = apps.get_model(label)
    if not issubclass(model, OwnedModel):
        raise TypeError(f"{label} is geen domeinmodel met een eigenaar en kan niet worden gemarkeerd")
    FLAGGABLE.add(model._meta.label_lower)


def flaggable_model(label: str):
    """The model behind ``label`` if flags may be put on it, else None."""
    label = (label or "").strip().lower()
    if label not in FLAGGABLE:
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def is_flaggable(obj) -> bool:
    return obj is not None and type(obj)._meta.label_lower in FLAGGABLE


def label_of(obj) -> str:
    return type(obj)._meta.label_lower


def _target(obj) -> dict:
    return {"content_type": ContentType.objects.get_for_model(type(obj)), "object_id": obj.pk}


def _describe(obj) -> str:
    return f"{label_of(obj)}#{obj.pk}"


def active_flags(obj) -> list[NoInterventionFlag]:
    """The active flags on ``obj`` (a record the caller fetched through its scoped manager)."""
    if obj is None or obj.pk is None:
        return []
    return list(
        NoInterventionFlag.objects.filter(**_target(obj), lifted_at__isnull=True).select_related("set_by_organisation")
    )


def active_flags_for(objs: Iterable) -> list[NoInterventionFlag]:
    """The active flags on any of ``objs`` (records of one or more models)."""
    flags = []
    for obj in objs:
        flags.extend(active_flags(obj))
    return flags


def _is_police_partner(access: Access) -> bool:
    if access is None or access.system or access.role != Role.PARTNER or access.organisation_id is None:
        return False
    return Organisation.objects.filter(pk=access.organisation_id, kind=Organisation.Kind.POLITIE).exists()


@transaction.atomic
def mark(access: Access, obj, *, request=None) -> NoInterventionFlag:
    """Flag ``obj`` "niet interveniëren zonder overleg" for the caller's (police) organisation.

    No reason is asked. ``obj`` must have been fetched through its scoped manager by the caller.
    """
    if not _is_police_partner(access):
        raise PermissionDenied(ONLY_POLICE)
    if not is_flaggable(obj):
        raise ValidationError("Dit soort object kan niet worden gemarkeerd.")
    if not type(obj).objects.visible_to(access).filter(pk=obj.pk).exists():
        raise PermissionDenied("U kunt alleen een object markeren dat u zelf mag zien.")
    target = _target(obj)
    if NoInterventionFlag.objects.filter(**target, set_by_organisation_id=access.organisation_id, lifted_at__isnull=True).exists():
        raise ValidationError("Uw organisatie heeft dit al gemarkeerd met 'niet interveniëren zonder overleg'.")
    try:
        with transaction.atomic():
            flag = NoInterventionFlag.objects.create(
                **target, owner_id=obj.owner_id, set_by_organisation_id=access.organisation_id, set_by_id=access.user_id,
            )
    except IntegrityError as exc:  # a second click at the same moment
        raise ValidationError("Uw organisatie heeft dit al gemarkeerd met 'niet interveniëren zonder overleg'.") from exc
    record(
        AuditEntry.Action.CREATE, obj=flag, access=access, request=request,
        detail={"event": "nizo_marked", "target": _describe(obj), "target_owner": obj.owner_id},
    )
    return flag


@transaction.atomic
def lift(access: Access, flag: NoInterventionFlag, *, request=None) -> NoInterventionFlag:
    """Lift a flag: only the organisation that set it."""
    if access is None or access.organisation_id is None or flag.set_by_organisation_id != access.organisation_id:
        raise PermissionDenied(ONLY_SETTER)
    if not _is_police_partner(access):
        raise PermissionDenied(ONLY_SETTER)
    flag = NoInterventionFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.lifted_at is not None:
        raise ValidationError("Deze markering is al opgeheven.")
    flag.lifted_at = timezone.now()
    flag.lifted_by_id = access.user_id
    flag.save(update_fields=["lifted_at", "lifted_by"])
    record(
        AuditEntry.Action.UPDATE, obj=flag, access=access, request=request,
        detail={"event": "nizo_lifted", "target": f"{flag.content_type.app_label}.{flag.content_type.model}#{flag.object_id}"},
    )
    return flag


@transaction.atomic
def require_confirmation(access: Access, objs: Iterable, *, confirmed: bool, request=None, action: str = "") -> list[NoInterventionFlag]:
    """Call before an intervention on ``objs``: raise :class:`ConfirmationRequired` while any of
    them is flagged and the user has not confirmed; once confirmed, log one row per flag.

    Returns the flags that were confirmed (empty when nothing was flagged).
    """
    objs = [obj for obj in objs if obj is not None]
    flags = active_flags_for(objs)
    if not flags:
        return []
    if not confirmed:
        raise ConfirmationRequired(flags)
    for flag in flags:
        record(
            AuditEntry.Action.UPDATE, obj=flag, access=access, request=request,
            detail={
                "event": "nizo_confirmed",
                "intervention": action[:300],
                "target": f"{flag.content_type.app_label}.{flag.content_type.model}#{flag.object_id}",
                "flagged_by": flag.set_by_organisation.name,
            },
        )
    return flags


def is_confirmed(data) -> bool:
    """Whether a submitted form (request.POST) carries the confirmation checkbox."""
    return str(data.get(CONFIRM_FIELD, "")).lower() in ("1", "on", "true", "ja")
