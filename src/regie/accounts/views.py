from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from .decorators import SESSION_EXPIRED
from .decorators import cleared_required as cleared
from .forms import LoginForm, SecondFactorForm

__all__ = ["cleared", "login", "logout", "second_factor"]


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password", "otp_token")
@csrf_protect
@never_cache
def login(request):
    if request.user.is_authenticated and request.method == "GET" and not request.GET.get("next"):
        return redirect(settings.LOGIN_REDIRECT_URL)
    if request.method == "GET" and request.COOKIES.get(settings.SESSION_COOKIE_NAME) and not request.user.is_authenticated:
        messages.info(request, SESSION_EXPIRED)
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if form.otp_device is not None:
            otp_login(request, form.otp_device)
        return HttpResponseRedirect(_next_url(request))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.GET.get("next", ""), "oidc_enabled": settings.OIDC_ENABLED},
        status=status,
    )


@sensitive_post_parameters("otp_token")
@csrf_protect
@never_cache
def second_factor(request):
    """For a user signed in without a verified second factor (e.g. through SSO)."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    form = SecondFactorForm(request.user, data=request.POST or None)
    if request.method == "POST":
        # a wrong code here is a failed sign-in as on the login page: logged, counted, locked out
        credentials = {"username": request.user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, credentials=credentials)
        if form.is_valid():
            otp_login(request, form.device)
            return HttpResponseRedirect(_next_url(request))
        user_login_failed.send(sender=get_user_model(), credentials=credentials, request=request)
    return render(request, "accounts/second_factor.html", {"form": form}, status=400 if request.method == "POST" else 200)


@require_POST
def logout(request):
    auth_logout(request)
    messages.success(request, "U bent uitgelogd.")
    return redirect(settings.LOGOUT_REDIRECT_URL)
