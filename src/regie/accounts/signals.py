"""Mark a session whose second factor was enforced by a trusted OIDC provider."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import MFA_BY_PROVIDER


@receiver(user_logged_in)
def _trust_provider_mfa(sender, request, user, **kwargs):
    backend = getattr(user, "backend", "") or ""
    if request is not None and backend.endswith("RegieOIDCBackend") and getattr(settings, "OIDC_TRUST_PROVIDER_MFA", False):
        request.session[MFA_BY_PROVIDER] = True
