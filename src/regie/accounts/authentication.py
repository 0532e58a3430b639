"""API authentication: hashed bearer tokens and verified sessions."""

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from .access import user_is_cleared
from .models import ApiToken

LAST_USED_PRECISION = timedelta(minutes=1)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in (b"token", b"bearer"):
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Ongeldige Authorization-header.")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("Ongeldig token.") from exc
        token = ApiToken.objects.select_related("user", "user__organisation").filter(digest=ApiToken.hash(raw)).first()
        if token is None or not token.usable or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Ongeldig of verlopen token.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            # at most once a minute: concurrent requests with one token must not queue on this row
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # a token stands in for both factors: it is issued to a verified user and stored hashed
        token.user.is_verified = lambda: True
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """A browser session counts only once the second factor has been verified."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, auth = result
        if not user_is_cleared(user):
            return None
        return user, auth
