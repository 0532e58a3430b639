"""Log sign-ins, failed sign-ins and sign-outs."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from regie.accounts.access import access_for_user

from .models import AuditEntry
from .services import record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(AuditEntry.Action.LOGIN, access=access_for_user(user), request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditEntry.Action.LOGOUT, access=access_for_user(user), request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    record(AuditEntry.Action.LOGIN_FAILED, access=None, request=request, username=username)
