from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django_otp import match_token


class LoginForm(AuthenticationForm):
    """Password and, for every role that sees personal data, a TOTP code in one step."""

    username = forms.CharField(label="Gebruikersnaam", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label="Wachtwoord", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    otp_token = forms.CharField(
        label="Verificatiecode",
        required=False,
        max_length=8,
        help_text="De 6 cijfers uit uw authenticator-app. Verplicht voor rollen die persoonsgegevens zien.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}),
    )

    error_messages = {
        "invalid_login": "Gebruikersnaam of wachtwoord is onjuist, of de verificatiecode klopt niet.",
        "inactive": "Dit account is niet actief.",
        "no_device": "Voor uw account is nog geen tweede factor ingesteld. Neem contact op met de functioneel beheerder.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.otp_device = None

    def clean(self):
        cleaned = super().clean()  # authenticates (and lets django-axes count failures)
        user = self.get_user()
        if user is None or not user.needs_second_factor:
            return cleaned
        token = (cleaned.get("otp_token") or "").strip().replace(" ", "")
        devices = list(user.totpdevice_set.filter(confirmed=True))
        if not devices:
            raise forms.ValidationError(self.error_messages["no_device"], code="no_device")
        device = match_token(user, token) if token else None
        if device is None:
            # count a wrong second factor as a failed login, so lock-out covers it as well
            user_login_failed.send(
                sender=get_user_model(),
                credentials={"username": user.get_username()},
                request=self.request,
            )
            self.user_cache = None
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        self.otp_device = device
        return cleaned


class SecondFactorForm(forms.Form):
    otp_token = forms.CharField(
        label="Verificatiecode",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].strip().replace(" ", "")
        self.device = match_token(self.user, token)
        if self.device is None:
            raise forms.ValidationError("De verificatiecode klopt niet of is verlopen.")
        return token
