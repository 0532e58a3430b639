"""Pages every employee of a municipality sees: the onboarding module 'Introductie ondermijning'
(pages, questions, completion, the link to Meld een vermoeden at its end), the contact persons,
and the HR overview of who has not completed the module."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from regie.accounts.decorators import cleared_required, role_required
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import current_access
from regie.organisations.models import Organisation

from . import figures, onboarding, services
from .forms import ContactForm, DepartmentForm, OnboardingForm
from .models import ContactPerson, Department, OnboardingCompletion
from .permissions import HR_VIEWERS, MANAGERS
from .views import errors_to_form


def _gemeente_employee(request) -> None:
    organisation = request.user.organisation
    if organisation is None or organisation.kind != Organisation.Kind.GEMEENTE:
        raise PermissionDenied


@cleared_required
def module(request):
    """The module: its pages, the questions, and on completion the way to Meld een vermoeden."""
    _gemeente_employee(request)
    user = request.user
    form = OnboardingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_onboarding(current_access(), user, form.cleaned_data, request=request)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            return render(request, "resilience/onboarding_done.html", {"contacts": services.contacts_for(user.organisation)})
    return render(request, "resilience/onboarding.html", {
        "pages": onboarding.PAGES, "form": form, "completed": services.has_completed(user),
        "contacts": services.contacts_for(user.organisation),
    }, status=400 if request.method == "POST" else 200)


@cleared_required
def contacts(request):
    """The aanspreekpunten per department, for every employee; the keepers add departments and people."""
    _gemeente_employee(request)
    access = current_access()
    may_manage = request.user.role in MANAGERS
    what = request.POST.get("what")
    department_form = DepartmentForm(request.POST if what == "department" else None)
    contact_form = ContactForm(request.POST if what == "contact" else None,
                               departments=Department.objects.filter(owner_id=access.organisation_id) if may_manage else None)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        form = department_form if what == "department" else contact_form
        if form.is_valid():
            try:
                if what == "department":
                    services.add_department(access, form.cleaned_data["name"], request=request)
                else:
                    services.add_contact(access, request=request, **form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, "Vastgelegd.")
                return redirect("resilience:contacts")
    rows = services.contacts_for(request.user.organisation)
    record(AuditEntry.Action.LIST, model=ContactPerson, request=request, detail={"shown": [c.pk for c in rows]})
    return render(request, "resilience/contacts.html", {
        "rows": rows, "may_manage": may_manage, "department_form": department_form, "contact_form": contact_form,
    }, status=400 if request.method == "POST" else 200)


@role_required(lambda role: role in HR_VIEWERS)
def onboarding_overview(request):
    """HR overview: who has and who has not completed the current module."""
    access = current_access()
    completed, missing = services.onboarding_overview(access)
    record(AuditEntry.Action.LIST, model=OnboardingCompletion, request=request,
           detail={"completed": len(completed), "missing": [u.pk for u in missing]})
    return render(request, "resilience/onboarding_overview.html", {
        "completed": completed, "missing": missing, "figures": figures.completion(access), "version": onboarding.VERSION,
    })



