"""Moving a merged subject's rows to the surviving subject, and exactly back again.

What points at a subject: relations and provenance statements in this room (a generic reference,
content type + id) and the foreign keys of other rooms' rows (a signal's mention, a case's
subject, a measure, a Bibob file, ...), found through Django's model metadata so a new room needs
no change here. Each moved row is listed as ``{"model": label, "field": name, "pk": id}``; a
split moves back exactly those rows that still point at the survivor. A row that cannot move (the
survivor is already linked to the same case, a relation between the two merged subjects) stays
where it is and is listed in ``kept``.

Only rows the caller may see are moved (scoped managers), and nothing is deleted: the merged
subject remains in the registry, empty, until the merge is split.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q

from regie.organisations.access import Access

from .models import Relation, Statement


def _rows(access: Access, model):
    manager = model._default_manager
    return manager.visible_to(access) if hasattr(manager, "visible_to") else manager.all()


def _foreign_keys(subject_model):
    """(model, field name) of every row type in another table that points at ``subject_model``."""
    for rel in subject_model._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one) and rel.remote_field.concrete:
            yield rel.related_model, rel.field.name


def _move(access: Access, model, field: str, pks, to_id: int, moved: list, kept: list) -> None:
    label = model._meta.label_lower
    for pk in pks:
        try:
            with transaction.atomic():  # a savepoint: a unique link that already exists stays put
                _rows(access, model).filter(pk=pk).update(**{field: to_id})
        except IntegrityError:
            kept.append({"model": label, "field": field, "pk": pk})
        else:
            moved.append({"model": label, "field": field, "pk": pk})


def move_rows(access: Access, subject_model, merged_id: int, survivor_id: int) -> tuple[list, list]:
    """Point everything that points at ``merged_id`` at ``survivor_id``; return (moved, kept)."""
    moved, kept = [], []
    ct = ContentType.objects.get_for_model(subject_model)
    relations = Relation.objects.visible_to(access)
    for end, other in (("source", "target"), ("target", "source")):
        rows = relations.filter(**{f"{end}_type": ct, f"{end}_id": merged_id})
        # a relation between the two merged subjects would point at itself: it stays
        between = rows.filter(**{f"{other}_type": ct, f"{other}_id": survivor_id})
        kept += [{"model": "subjects.relation", "field": f"{end}_id", "pk": pk} for pk in between.values_list("pk", flat=True)]
        _move(access, Relation, f"{end}_id", list(rows.exclude(pk__in=between.values("pk")).values_list("pk", flat=True)),
              survivor_id, moved, kept)
    statements = Statement.objects.visible_to(access).filter(subject_type=ct, subject_id=merged_id)
    _move(access, Statement, "subject_id", list(statements.values_list("pk", flat=True)), survivor_id, moved, kept)
    for model, field in _foreign_keys(subject_model):
        pks = list(_rows(access, model).filter(**{f"{field}_id": merged_id}).values_list("pk", flat=True))
        _move(access, model, f"{field}_id", pks, survivor_id, moved, kept)
    return moved, kept


def restore_rows(access: Access, moved: list, survivor_id: int, merged_id: int) -> int:
    """Move back the rows a merge moved, if they still point at the survivor; return how many."""
    restored = 0
    by_target = {}
    for row in moved:
        by_target.setdefault((row["model"], row["field"]), []).append(row["pk"])
    for (label, field), pks in by_target.items():
        model = apps.get_model(label)
        rows = _rows(access, model).filter(Q(pk__in=pks) & Q(**{field: survivor_id}))
        restored += rows.update(**{field: merged_id})
    return restored
