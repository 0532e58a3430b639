"""The one way to write the audit log: :func:`record`."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.utils import timezone

from regie.organisations.access import Access, current_access

from . import chain
from .models import AuditEntry, PurposeDeclaration

Action = AuditEntry.Action


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind REGIE_PROXY_COUNT trusted proxies the entry
    of X-Forwarded-For that the outermost trusted proxy saw (entries further left can be forged)."""
    proxies = getattr(settings, "REGIE_PROXY_COUNT", 0)
    if proxies > 0:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= proxies:
            return chain[-proxies]
    return request.META.get("REMOTE_ADDR") or ""


def _client_ip(request) -> str | None:
    if request is None:
        return None
    address = client_address(request)
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None  # not an address (e.g. a misconfigured proxy): the inet column would refuse it
    return address


def record(
    action: str,
    *,
    obj=None,
    model=None,
    object_id=None,
    purpose: str = "",
    detail: dict | None = None,
    access: Access | None = None,
    request=None,
    username: str = "",
) -> AuditEntry:
    """Append an entry for ``action`` on ``obj`` (or on ``model``/``object_id``)."""
    return chain.append(**_fields(action, obj, model, object_id, purpose, detail, access, request, username))


def record_many(entries: list[dict]) -> list[AuditEntry]:
    """The entries :func:`record` would write one by one (each a dict of its keyword arguments),
    appended to the chain in order under one lock of its head: for a bundle written at once."""
    return chain.append_many([_fields(**entry) for entry in entries])


def _fields(action, obj=None, model=None, object_id=None, purpose="", detail=None, access=None, request=None, username="") -> dict:
    access = access or current_access()
    if obj is not None:
        model = type(obj)
        object_id = obj.pk
    object_type = model._meta.label_lower if model is not None else ""
    if access is not None:
        who = {
            "user_id": access.user_id,
            "username": access.username,
            "organisation_id": access.organisation_id,
            "organisation_name": access.organisation_name,
            "role": access.role,
        }
        if access.system and not purpose:
            purpose = access.reason
    else:
        who = {"user_id": None, "username": username, "organisation_id": None, "organisation_name": "", "role": ""}
    if not purpose and access is not None and obj is not None:
        purpose = active_purpose_text(access, obj)
    return dict(
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        purpose=purpose[:500],
        detail=detail or {},
        ip_address=_client_ip(request),
        **who,
    )


def active_purpose(access: Access, obj) -> PurposeDeclaration | None:
    if access is None or access.user_id is None:
        return None
    return (
        PurposeDeclaration.objects.filter(
            user_id=access.user_id,
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            valid_until__gt=timezone.now(),
        )
        .order_by("-stated_at")
        .first()
    )


def active_purpose_text(access: Access, obj) -> str:
    declaration = active_purpose(access, obj)
    if declaration is None:
        return ""
    return f"{declaration.get_purpose_display()}: {declaration.explanation}"


def declare_purpose(access: Access, obj, purpose: str, explanation: str, request=None) -> PurposeDeclaration:
    declaration = PurposeDeclaration.objects.create(
        user_id=access.user_id,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        purpose=purpose,
        explanation=explanation,
        valid_until=timezone.now() + timedelta(hours=settings.REGIE_PURPOSE_VALID_HOURS),
    )
    record(
        Action.PURPOSE,
        obj=obj,
        access=access,
        request=request,
        purpose=f"{declaration.get_purpose_display()}: {explanation}",
    )
    return declaration
