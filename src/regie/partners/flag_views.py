"""Setting and lifting "niet interveniëren zonder overleg" flags (police partners only)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from regie.accounts.decorators import role_required
from regie.accounts.roles import Role
from regie.audit.gate import get_visible
from regie.organisations.access import current_access

from . import flags
from .models import NoInterventionFlag
from .permissions import is_police_partner

partner_only = role_required(lambda role: role == Role.PARTNER)


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("web:start")


def _bad_request(request, message: str):
    return render(request, "partners/flag_error.html", {"message": message}, status=400)


@partner_only
@require_POST
def flag_mark(request):
    """Mark the record named by content_type ("app_label.model") and object_id; no reason asked."""
    if not is_police_partner(request.user):
        raise PermissionDenied
    model = flags.flaggable_model(request.POST.get("content_type", ""))
    if model is None:
        return _bad_request(request, "Kies een persoon, bedrijf, adres, signaal of agendapunt om te markeren.")
    raw_id = request.POST.get("object_id", "")
    if not raw_id.isdigit():
        return _bad_request(request, "Het objectnummer ontbreekt of is ongeldig.")
    obj = get_visible(model.objects.all(), raw_id)  # 404 when missing or not visible
    try:
        flags.mark(current_access(), obj, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Gemarkeerd: niet interveniëren zonder overleg met uw organisatie.")
    return _back(request)


@partner_only
@require_POST
def flag_lift(request, pk):
    if not is_police_partner(request.user):
        raise PermissionDenied
    flag = NoInterventionFlag.objects.select_related("content_type").filter(pk=pk).first()
    if flag is None:
        raise Http404
    model = flags.flaggable_model(f"{flag.content_type.app_label}.{flag.content_type.model}")
    # the flag is visible exactly when its record is (through the record's scoped manager)
    if model is None or not model.objects.filter(pk=flag.object_id).exists():
        raise Http404
    try:
        flags.lift(current_access(), flag, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "De markering 'niet interveniëren zonder overleg' is opgeheven.")
    return _back(request)
