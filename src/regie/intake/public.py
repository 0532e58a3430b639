"""The public form for residents (channel "public") and the status page for their feedback code.

Nobody signs in here. What the design promises a resident:

* Anonymous by default. Contact details are stored only when the resident ticks that he wants
  feedback; he then gets a reference and a one-time code, and sees nothing but
  ontvangen / in behandeling / afgehandeld.
* No IP address or user agent is stored with the signal, its reporter or its photo, nor in the
  audit entry of the submission (the audit record is written without the request).
* A photo is re-encoded without metadata (see :mod:`regie.intake.attachments`).

Against abuse: CSRF stays on, a honeypot field answers a bot as if it succeeded while
storing nothing, and each client gets ``REGIE_PUBLIC_RATE_LIMIT`` submissions and, separately,
as many status look-ups per window. The counter lives in Django's cache under a salted hash of
the client address; that hash never reaches the database.
"""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache

from regie.audit.services import client_address
from regie.organisations.models import Organisation

from . import attachments, services
from .forms import TEXT_LIMIT, _LocationMixin
from .models import Channel

log = logging.getLogger(__name__)

#: the honeypot: a field humans do not see (hidden by CSS, aria-hidden, out of the tab order)
HONEYPOT = "website"
NOT_FOUND = (
    "Wij hebben geen melding gevonden met dit kenmerk en deze code. Controleer of u beide goed heeft "
    "overgenomen. Heeft u anoniem gemeld, dan kunt u de status niet opvragen."
)


# --- rate limit ---------------------------------------------------------------------------------

def _bucket(request, scope: str) -> str:
    address = client_address(request) or "onbekend"
    digest = salted_hmac("regie.intake.public.rate-limit", address).hexdigest()
    return f"regie:public:{scope}:{digest}"


def allow(request, scope: str) -> bool:
    """Count one attempt of this client for ``scope``; False once over the limit in the window."""
    key = _bucket(request, scope)
    window = settings.REGIE_PUBLIC_RATE_WINDOW_SECONDS
    try:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a fresh window
            cache.set(key, 1, timeout=window)
            count = 1
    except Exception:  # noqa: BLE001 - a broken cache must not take the reporting point down
        log.warning("rate-limit cache unavailable; request allowed", exc_info=True)
        return True
    return count <= settings.REGIE_PUBLIC_RATE_LIMIT


def too_many(request):
    response = render(
        request, "intake/public/too_many.html",
        {"minutes": settings.REGIE_PUBLIC_RATE_WINDOW_SECONDS // 60}, status=429,
    )
    response["Retry-After"] = str(settings.REGIE_PUBLIC_RATE_WINDOW_SECONDS)
    return response


def _not_allowed(request):
    return HttpResponseNotAllowed(["GET", "POST"], content="Deze methode is hier niet toegestaan.".encode())


# --- forms --------------------------------------------------------------------------------------

_phone = RegexValidator(r"^\+?[0-9 ()\-]{6,20}$", "Vul een geldig telefoonnummer in, bijvoorbeeld 06 12345678.")


class PublicSignalForm(_LocationMixin):
    """What a resident can tell us; everything about himself is optional."""

    street = None  # a resident gives postcode and house number; the street follows from them

    text = forms.CharField(
        label="Wat heeft u gezien of gehoord?", max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Beschrijf wat u opviel, waar en wanneer. Schrijf niets over uzelf als u anoniem wilt blijven.",
    )
    reported_on = forms.DateField(
        label="Wanneer was dat?", required=False, widget=forms.DateInput(attrs={"type": "date"}),
    )
    photo = attachments.PhotoField()
    wants_feedback = forms.BooleanField(label="Ik wil horen wat er met mijn melding gebeurt", required=False)
    name = forms.CharField(label="Uw naam", required=False, max_length=200)
    email = forms.EmailField(label="Uw e-mailadres", required=False, max_length=254)
    phone = forms.CharField(label="Uw telefoonnummer", required=False, max_length=20, validators=[_phone])

    field_order = ["text", "reported_on", "postcode", "house_number", "addition", "photo",
                   "wants_feedback", "name", "email", "phone"]

    def clean_reported_on(self):
        day = self.cleaned_data.get("reported_on")
        if day and day > timezone.localdate():
            raise ValidationError("Deze datum ligt in de toekomst.")
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("wants_feedback") and not (cleaned.get("email") or cleaned.get("phone")):
            if "email" not in self.errors and "phone" not in self.errors:
                self.add_error("email", "Vul een e-mailadres of telefoonnummer in als u wilt horen wat er met uw melding gebeurt.")
        return cleaned

    def to_input(self) -> services.SignalInput:
        d = self.cleaned_data
        reporter = None
        if d.get("wants_feedback"):
            # contact details are kept only when the resident asked for feedback
            reporter = services.ReporterInput(
                name=d.get("name", "").strip(), email=d.get("email", "").strip(), phone=d.get("phone", "").strip(),
                wants_feedback=True,
            )
        return services.SignalInput(
            channel=Channel.PUBLIC, text=d["text"], reported_on=d.get("reported_on"),
            anonymous=reporter is None, address=self.address_input(), reporter=reporter,
        )


class StatusForm(forms.Form):
    reference = forms.CharField(label="Kenmerk", max_length=24, help_text="Bijvoorbeeld M-7K3F-9QXD.")
    code = forms.CharField(
        label="Code", max_length=64, widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="De code die u na het melden één keer te zien kreeg.",
    )


# --- views --------------------------------------------------------------------------------------

def _municipality(code: str) -> Organisation:
    code = code.strip()
    if not code or len(code) > 16 or not code.isascii() or not code.isalnum():
        raise Http404  # never a query with a malformed code (PostgreSQL refuses a NUL, for one)
    found = list(
        Organisation.objects.filter(code__iexact=code, kind=Organisation.Kind.GEMEENTE, active=True)[:2]
    )
    if len(found) != 1:
        raise Http404
    return found[0]


def _errors_to_form(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _thanks(request, reference: str, feedback_code: str = ""):
    return render(request, "intake/thanks.html", {"reference": reference, "feedback_code": feedback_code})


@never_cache
def report(request, code):
    """/melden/<gemeentecode>/: a resident reports a suspicion to his municipality."""
    if request.method not in ("GET", "HEAD", "POST"):
        return _not_allowed(request)
    owner = _municipality(code)
    if request.method != "POST":
        return render(request, "intake/public/form.html", {"form": PublicSignalForm(), "organisation": owner})
    if not allow(request, "melden"):
        return too_many(request)
    if request.POST.get(HONEYPOT):
        # a bot: the same answer as a success, with a reference that exists nowhere; nothing is stored
        fake_code = services.new_feedback_code()[0] if request.POST.get("wants_feedback") else ""
        return _thanks(request, services.new_reference(), fake_code)
    form = PublicSignalForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            # request=None: the audit entry of a resident's report holds no IP address
            registered = attachments.register_with_photo(
                owner, form.to_input(), form.cleaned_data.get("photo"), actor=None, request=None,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return _thanks(request, registered.signal.reference, registered.feedback_code)
    return render(request, "intake/public/form.html", {"form": form, "organisation": owner}, status=400)


@never_cache
def status(request):
    """/melden/status/: reference and code give ontvangen, in behandeling or afgehandeld; nothing else."""
    if request.method not in ("GET", "HEAD", "POST"):
        return _not_allowed(request)
    if request.method != "POST":
        return render(request, "intake/public/status.html", {"form": StatusForm()})
    if not allow(request, "status"):
        return too_many(request)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return render(request, "intake/public/status.html", {"form": form}, status=400)
    reference = form.cleaned_data["reference"].strip().upper()
    result = services.public_status(reference, form.cleaned_data["code"])
    if result is None:
        # one answer for a wrong reference, a wrong code and an anonymous report alike
        return render(request, "intake/public/status.html", {"form": StatusForm(), "not_found": NOT_FOUND}, status=404)
    return render(request, "intake/public/status.html", {"form": StatusForm(), "reference": reference, "result": result})
