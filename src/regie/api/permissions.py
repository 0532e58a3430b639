from rest_framework.permissions import BasePermission

from regie.accounts.access import user_is_cleared
from regie.accounts.roles import spec


class IsVerifiedUser(BasePermission):
    """Signed in with every factor the role needs."""

    message = "Inloggen met tweede factor of een geldig API-token is vereist."

    def has_permission(self, request, view):
        return bool(request.user) and user_is_cleared(request.user)


class HasCategory(BasePermission):
    """The role needs the record category of the view's model (need-to-know)."""

    message = "Uw rol geeft geen toegang tot deze gegevens."

    def has_permission(self, request, view):
        category = getattr(view.get_model(), "need_to_know", "")
        return bool(category) and category in spec(request.user.role).categories
