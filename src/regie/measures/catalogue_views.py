"""The catalogue of kinds of measures and domains, kept by the coördinator or the functioneel beheerder."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from regie.accounts.decorators import role_required
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import current_access

from . import services
from .forms import DomainForm, KindForm
from .models import MeasureDomain, MeasureKind
from .permissions import CATALOGUE_MANAGERS
from .views import errors_to_form

manager = role_required(lambda role: role in CATALOGUE_MANAGERS)


@manager
def catalogue(request):
    organisation = request.user.organisation
    if organisation is None:
        raise PermissionDenied
    access = current_access()
    what = request.POST.get("what", "")
    kind_form = KindForm(request.POST if what == "kind" else None, prefix="soort")
    domain_form = DomainForm(request.POST if what == "domain" else None, prefix="domein")
    if request.method == "POST":
        done = None
        try:
            if what == "kind" and kind_form.is_valid():
                item = services.add_kind(access, request=request, **kind_form.cleaned_data)
                done = f"De soort ‘{item.name}’ staat in de catalogus."
            elif what == "domain" and domain_form.is_valid():
                item = services.add_domain(access, request=request, **domain_form.cleaned_data)
                done = f"Het domein ‘{item.name}’ staat in de catalogus."
            elif what == "install":
                done = f"De standaardcatalogus is aangevuld ({services.install_for(access, request=request)} onderdelen)."
            elif what in ("toggle_kind", "toggle_domain"):
                model = MeasureKind if what == "toggle_kind" else MeasureDomain
                item = model.objects.filter(organisation=organisation, pk=request.POST.get("item") or 0).first()
                if item is None:
                    messages.error(request, "Onbekend onderdeel van de catalogus.")
                    return redirect("measures:catalogue")
                services.set_active(access, item, not item.active, request=request)
                done = f"‘{item.name}’ is {'weer actief' if item.active else 'uitgeschakeld'}."
        except ValidationError as exc:
            if what in ("kind", "domain"):
                errors_to_form(kind_form if what == "kind" else domain_form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("measures:catalogue")
        if done:
            messages.success(request, done)
            return redirect("measures:catalogue")
    else:
        record(AuditEntry.Action.LIST, model=MeasureKind, request=request, detail={"catalogus": True})
    context = {
        "kinds": services.kinds_for(organisation.pk, active_only=False),
        "domains": services.domains_for(organisation.pk, active_only=False),
        "kind_form": kind_form, "domain_form": domain_form,
    }
    return render(request, "measures/catalogue.html", context, status=400 if request.method == "POST" else 200)
