from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .access import user_is_cleared

SESSION_EXPIRED = "Uw sessie is verlopen. Log opnieuw in."


def role_required(test):
    """Signed in (with the second factor if needed) and ``test(role)`` true; else login or 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user_is_cleared(user):
                if not user.is_authenticated and request.COOKIES.get(settings.SESSION_COOKIE_NAME):
                    # this redirect drops the stale session cookie, so say it here, not on the login page
                    messages.info(request, SESSION_EXPIRED)
                return redirect_to_login(request.get_full_path())
            if not test(user.role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def cleared_required(view):
    return role_required(lambda role: True)(view)
