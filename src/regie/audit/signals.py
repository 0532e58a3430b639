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
    from regie.accounts.models import User
    from regie.organisations.access import Access

    username = str(credentials.get("username", ""))[:150]
    user = User.objects.filter(username=username).select_related("organisation").first()
    if user is not None and user.organisation_id:
        # attributed to the account's organisation, so its privacy officer sees attempts on it
        # the actor is unknown (user_id stays empty); the account and its organisation are known
        who = Access(
            user_id=None, username=username, organisation_id=user.organisation_id,
            organisation_name=user.organisation.name, role=user.role, clearance=0,
        )
        record(AuditEntry.Action.LOGIN_FAILED, access=who, request=request)
    else:
        record(AuditEntry.Action.LOGIN_FAILED, access=None, request=request, username=username)
