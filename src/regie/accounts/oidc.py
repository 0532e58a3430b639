"""Optional single sign-on through OpenID Connect (mozilla-django-oidc).

Switched on by setting ``OIDC_RP_CLIENT_ID`` (docs/configuration.md). Users are not created
from the identity provider: an account with the same e-mail address must exist, so the
organisation and role stay a decision of the functioneel beheerder. Unless
``OIDC_TRUST_PROVIDER_MFA`` is set, the user still confirms a TOTP code in Regie.
"""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class RegieOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):  # accounts are provisioned in Regie, never by the IdP
        return None
