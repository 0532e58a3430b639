"""Opening one record: scoped look-up, need-to-know, purpose gate and audit in one place.

Domain views call :func:`open_record`; it answers 404 for a record that is missing *or*
forbidden (no existence leak), sends a user who is not assigned to the record to the
purpose form first, and logs the view with the stated purpose.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from regie.accounts.models import Assignment
from regie.organisations.access import current_access

from .models import AuditEntry
from .services import active_purpose, record


class PurposeRequired(Exception):
    def __init__(self, response):
        self.response = response


def is_assigned(access, obj) -> bool:
    if access is None or access.user_id is None:
        return False
    return Assignment.objects.filter(
        user_id=access.user_id,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
    ).exists()


def get_visible(queryset, pk):
    """The record ``pk`` if the current access may see it, else 404 (missing or forbidden alike)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def open_record(request, queryset, pk, *, action=AuditEntry.Action.VIEW):
    """Return the visible record, or raise Http404 / PurposeRequired; logs the view."""
    access = current_access()
    obj = get_visible(queryset, pk)
    if not is_assigned(access, obj) and active_purpose(access, obj) is None:
        ct = ContentType.objects.get_for_model(type(obj))
        query = urlencode({"type": ct.pk, "id": obj.pk, "next": request.get_full_path()})
        raise PurposeRequired(redirect(f"{reverse('audit:purpose')}?{query}"))
    record(action, obj=obj, request=request)
    return obj
