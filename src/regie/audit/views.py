from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from regie.accounts.decorators import cleared_required, role_required
from regie.accounts.roles import ROLE_SPECS
from regie.organisations.access import current_access

from .forms import AuditSearchForm, PurposeForm
from .gate import get_visible
from .models import AuditEntry
from .services import declare_purpose, record


@cleared_required
def purpose(request):
    """State a purpose before opening a record you are not assigned to."""
    access = current_access()
    if access is None:
        raise PermissionDenied
    try:
        ct = ContentType.objects.get_for_id(int(request.GET.get("type", "")))
    except (ValueError, ContentType.DoesNotExist) as exc:
        raise Http404 from exc
    model = ct.model_class()
    if model is None or not hasattr(model, "need_to_know"):
        raise Http404
    obj = get_visible(model.objects.all(), request.GET.get("id"))
    next_url = request.GET.get("next") or reverse("web:start")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("web:start")
    form = PurposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        declare_purpose(access, obj, form.cleaned_data["purpose"], form.cleaned_data["explanation"], request=request)
        messages.success(request, "Uw doel is vastgelegd in het audit-log.")
        return HttpResponseRedirect(next_url)
    return render(
        request,
        "audit/purpose.html",
        {"form": form, "record_label": f"{model._meta.verbose_name} {obj.pk}"},
        status=400 if request.method == "POST" else 200,
    )


def _reads_audit(role):
    spec = ROLE_SPECS.get(role)
    return bool(spec and spec.reads_audit)


def entries_for(access):
    """The audit entries a privacy officer may read: those of his own organisation."""
    if access is None or access.organisation_id is None:
        return AuditEntry.objects.none()  # default deny (e.g. the browsable API renders after the request)
    return AuditEntry.objects.filter(organisation_id=access.organisation_id)


@role_required(_reads_audit)
def log(request):
    access = current_access()
    base = entries_for(access)
    types = sorted(t for t in base.values_list("object_type", flat=True).distinct() if t)
    form = AuditSearchForm(request.GET or None, types=types)
    entries = base.none()
    searched = False
    if form.is_bound and form.is_valid():
        searched = True
        data = form.cleaned_data
        entries = base
        if data["username"]:
            entries = entries.filter(username__iexact=data["username"].strip())
        if data["object_type"]:
            entries = entries.filter(object_type=data["object_type"])
        if data["object_id"]:
            entries = entries.filter(object_id=data["object_id"].strip())
        if data["action"]:
            entries = entries.filter(action=data["action"])
        tz = timezone.get_current_timezone()
        if data["date_from"]:
            entries = entries.filter(at__gte=datetime.combine(data["date_from"], time.min, tz))
        if data["date_to"]:
            entries = entries.filter(at__lt=datetime.combine(data["date_to"] + timedelta(days=1), time.min, tz))
        entries = entries.order_by("-seq")
        record(
            AuditEntry.Action.SEARCH,
            model=AuditEntry,
            request=request,
            detail={k: str(v) for k, v in data.items() if v},
        )
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "searched": searched, "query": query.urlencode()},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
