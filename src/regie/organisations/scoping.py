"""Tenancy and need-to-know, applied by default to every domain query.

Every domain model inherits :class:`OwnedModel`. Its default manager ``objects`` returns only
the rows the current :class:`~regie.organisations.access.Access` may see:

* rows owned by the caller's organisation, of a record category the caller's role needs,
  up to the caller's clearance; plus
* rows explicitly shared with the caller's organisation (:class:`Share`), still within the
  role's categories and clearance.

Without an access context the manager returns nothing. The escape hatch ``Model.unscoped`` is
deliberately loud; ``tests/test_scoping_lint.py`` rejects it outside the security frame.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .access import Access, current_access
from .confidentiality import Confidentiality


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, access: Access | None):
        return self.filter(visibility_q(self.model, access))


def visibility_q(model, access: Access | None, prefix: str = "") -> Q:
    """The filter that limits ``model`` to what ``access`` may see (default deny).

    With ``prefix`` (e.g. ``"signal__"``) the same filter applies to a row reached through that
    path, so a link table can be limited to the links of visible parents without a sub-query.
    """
    if access is None:
        return Q(pk__in=[])
    if access.system:
        return Q()
    category = getattr(model, "need_to_know", None)
    if not category or not access.may_see_category(category) or access.organisation_id is None:
        return Q(pk__in=[])
    from .models import Share  # local: models imports this module

    now = timezone.now()
    shared_ids = Share.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        organisation_id=access.organisation_id,
        valid_from__lte=now,
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now)).values("object_id")
    return (Q(**{f"{prefix}owner_id": access.organisation_id}) | Q(**{f"{prefix}pk__in": shared_ids})) & Q(
        **{f"{prefix}confidentiality__lte": access.clearance}
    )


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    """Default manager of every domain model: scoped to the current access context."""

    def get_queryset(self):
        return super().get_queryset().visible_to(current_access())

    def visible_to(self, access: Access | None):
        """Rows ``access`` may see, whatever the current request context is (explicit access)."""
        return super().get_queryset().visible_to(access)


class OwnedModel(models.Model):
    """Base of every domain row: an owning organisation and a confidentiality level."""

    #: record category a role must need to see rows of this model (see accounts.roles)
    need_to_know: str = ""
    #: whether rows hold personal data (reads and writes are audited)
    personal_data: bool = True

    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="eigenaar",
    )
    confidentiality = models.PositiveSmallIntegerField(
        "vertrouwelijkheid",
        choices=Confidentiality.choices,
        default=Confidentiality.ZAAKVERTROUWELIJK,
    )
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    updated_at = models.DateTimeField("gewijzigd", auto_now=True)

    objects = ScopedManager()
    unscoped = models.Manager()  # the deliberate, greppable escape: security frame only

    class Meta:
        abstract = True
        base_manager_name = "unscoped"


def owner_has(model, owner_id: int, *, exclude_pk=None, **filters) -> bool:
    """Whether any row of ``owner_id`` matches ``filters``, whatever the caller may see.

    For uniqueness checks that the scoped manager would get wrong (a duplicate above the caller's
    clearance would pass the check and then fail in the database). It answers yes or no only,
    never which row: domain code may not reach the base manager itself (tests/test_scoping_lint.py).
    """
    rows = model._base_manager.filter(owner_id=owner_id, **filters)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.exists()
