"""Helpers for the audit tests."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from regie.accounts.models import Assignment
from regie.audit.models import AuditEntry


def assign(user, obj):
    Assignment.objects.create(user=user, content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


def entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("seq"))


def last_entry():
    return AuditEntry.objects.order_by("-seq").first()


def assert_who(entry, user):
    """The entry names the user, his organisation and his role."""
    assert entry.user_id == user.pk
    assert entry.username == user.username
    assert entry.organisation_id == user.organisation_id
    assert entry.organisation_name == user.organisation.name
    assert entry.role == user.role
