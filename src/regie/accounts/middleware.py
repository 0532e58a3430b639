from django.shortcuts import redirect
from django.urls import reverse

MFA_BY_PROVIDER = "regie_mfa_by_provider"


class SecondFactorMiddleware:
    """A signed-in user whose role sees personal data must have verified a second factor.

    Such a user (e.g. signed in through SSO whose provider does not enforce MFA) is sent to
    the second-factor page for every page but that one and logging out. The API refuses
    them through its own authentication classes.
    """

    ALLOWED = ("accounts:second_factor", "accounts:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.session.get(MFA_BY_PROVIDER):
            # signed in through SSO whose provider enforces MFA (OIDC_TRUST_PROVIDER_MFA)
            user.is_verified = lambda: True
        if (
            user is not None
            and user.is_authenticated
            and user.needs_second_factor
            and not user.is_verified()
            and not request.path.startswith(("/static/", "/api/"))
            and request.path not in {reverse(name) for name in self.ALLOWED}
        ):
            return redirect(f"{reverse('accounts:second_factor')}?next={request.path}")
        return self.get_response(request)
