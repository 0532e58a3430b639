"""Partner registry pages and the informatiedelingsdocument. Thin: look-ups through the scoped
manager, writes through :mod:`regie.partners.services`.

The registry holds organisations and their sharing rules, no personal data of citizens: a
profile page opens without the purpose gate (every view is still logged).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from regie.accounts.decorators import role_required
from regie.audit.gate import get_visible
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import current_access

from . import documents, services
from .forms import ContactForm, PartnerProfileForm
from .models import PartnerProfile
from .permissions import may_write, reads_registry
from .sharing import labels

reader = role_required(reads_registry)
writer = role_required(may_write)


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _profiles():
    return PartnerProfile.objects.select_related("partner")


@reader
def profile_list(request):
    rows = list(_profiles())
    record(AuditEntry.Action.LIST, model=PartnerProfile, request=request, detail={"shown": [p.pk for p in rows]})
    return render(request, "partners/list.html", {"rows": rows, "may_write": may_write(request.user.role)})


@reader
def profile_detail(request, pk):
    profile = get_visible(_profiles(), pk)
    return _detail(request, profile, ContactForm())


def _detail(request, profile, contact_form, status=200):
    record(AuditEntry.Action.VIEW, obj=profile, request=request)
    context = {
        "profile": profile,
        "contacts": profile.contacts.all(),
        "may_receive": labels(profile.may_receive),
        "themes": documents.theme_names(profile),
        "may_write": may_write(request.user.role) and profile.owner_id == request.user.organisation_id,
        "contact_form": contact_form,
    }
    return render(request, "partners/detail.html", context, status=status)


@writer
def profile_edit(request, pk=None):
    access = current_access()
    if request.user.organisation is None:
        raise PermissionDenied  # a registry belongs to an organisation
    instance = get_visible(_profiles(), pk) if pk is not None else None
    form = PartnerProfileForm(
        request.POST or None, instance=instance, owner=request.user.organisation, clearance=access.clearance
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.save_profile(access, form.save(commit=False), form.changed_data, request=request)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"Het partnerprofiel van {profile.partner.name} is opgeslagen.")
            return redirect("partners:detail", profile.pk)
    return render(
        request, "partners/form.html", {"form": form, "profile": instance},
        status=400 if request.method == "POST" else 200,
    )


@writer
@require_POST
def contact_add(request, pk):
    profile = get_visible(_profiles(), pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.add_contact(current_access(), profile, request=request, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "De contactpersoon is toegevoegd.")
            return redirect("partners:detail", profile.pk)
    return _detail(request, profile, form, status=400)


@writer
@require_POST
def contact_remove(request, pk, contact_pk):
    profile = get_visible(_profiles(), pk)
    contact = profile.contacts.filter(pk=contact_pk).first()
    if contact is None:
        raise Http404
    services.remove_contact(current_access(), contact, request=request)
    messages.success(request, f"{contact.name} is verwijderd als contactpersoon.")
    return redirect("partners:detail", profile.pk)


@reader
def sharing_document(request):
    """The informatiedelingsdocument for the whole registry, as HTML or (?formaat=pdf) PDF."""
    access = current_access()
    fmt = "pdf" if request.GET.get("formaat") == "pdf" else "html"
    context = documents.sharing_document_context(
        access,
        documents.registry_organisations(access),
        title=f"Informatiedelingsdocument lokaal overleg ondermijning — {access.organisation_name}",
        purpose="Wie er aan tafel zit bij het lokaal overleg ondermijning, waarom, en welke informatie elke partner "
        "mag inbrengen en ontvangen.",
    )
    if fmt == "pdf":
        try:
            pdf = documents.render_pdf(documents.render_html(context))
        except documents.PdfUnavailable as exc:
            messages.error(request, str(exc))
            return redirect("partners:list")
        documents.record_export(access, context, "pdf", request=request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="informatiedelingsdocument.pdf"'
        return response
    documents.record_export(access, context, "html", request=request)
    return HttpResponse(documents.render_html({**context, "pdf_url": f"{request.path}?formaat=pdf"}))

