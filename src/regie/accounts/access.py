"""Build the access context (organisation, role, clearance, categories) for a user."""

from __future__ import annotations

from regie.organisations.access import Access

from .roles import spec


def access_for_user(user) -> Access | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    role_spec = spec(user.role)
    org = user.organisation
    return Access(
        user_id=user.pk,
        username=user.username,
        organisation_id=org.pk if org else None,
        organisation_name=org.name if org else "",
        role=user.role,
        clearance=role_spec.clearance,
        categories=role_spec.categories,
    )


def user_is_cleared(user) -> bool:
    """Signed in and, if the role sees personal data, verified with a second factor."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.needs_second_factor:
        return bool(getattr(user, "is_verified", lambda: False)())
    return True


def access_for_request(request) -> Access | None:
    user = getattr(request, "user", None)
    if not user_is_cleared(user):
        return None
    return access_for_user(user)
