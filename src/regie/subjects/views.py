"""Subjects registry pages. Thin: look-ups go through the scoped manager and the record gate,
writes through :mod:`regie.subjects.services`."""

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from regie.accounts.decorators import role_required
from regie.accounts.roles import SUBJECTS, spec
from regie.areas.models import Buurt
from regie.audit.gate import PurposeRequired, get_visible, is_assigned, open_record
from regie.audit.models import AuditEntry
from regie.audit.services import active_purpose, record
from regie.organisations.access import current_access

from . import services
from .forms import FORMS, SearchForm
from .models import Address, Company, Person
from .permissions import mask_bsn, may_export, may_review, may_write

needs_subjects = role_required(lambda role: SUBJECTS in spec(role).categories)

SEARCH_FIELDS = {
    Person: ["surname", "first_names", "initials", "surname_prefix"],
    Company: ["name", "kvk_number"],
    Address: ["street", "postcode", "city"],
}
COLUMNS = {
    Person: [("Naam", "full_name"), ("Geboortedatum", "birth_date"), ("Adres", "address")],
    Company: [("Naam", "name"), ("Rechtsvorm", "get_legal_form_display"), ("KvK-nummer", "kvk_number"), ("Adres", "address")],
    Address: [("Adres", "__str__"), ("Buurt", "buurt")],
}


def _model(kind):
    model = services.KINDS.get(kind)
    if model is None:
        raise Http404
    return model


def _filtered(model, query):
    qs = model.objects.all()
    # related look-ups use the unscoped base manager: fetch related records through the scoped
    # manager instead, so one the caller may not see itself shows as empty
    if model in (Person, Company):
        qs = qs.prefetch_related(Prefetch("address", queryset=Address.objects.all()))
    if model is Address:
        qs = qs.prefetch_related(Prefetch("buurt", queryset=Buurt.objects.all()))
    if query:
        cond = Q()
        for name in SEARCH_FIELDS[model]:
            cond |= Q(**{f"{name}__icontains": query})
        qs = qs.filter(cond)
    return qs


def _value(obj, attr):
    value = getattr(obj, attr)
    value = value() if callable(value) else value
    return "" if value is None else value


def _visible_related(obj, field):
    """The related record only if the caller may see it itself (the base manager is unscoped)."""
    pk = getattr(obj, field.attname)
    if pk is None:
        return None
    return field.related_model._default_manager.filter(pk=pk).first()


@needs_subjects
def subject_list(request, kind):
    model = _model(kind)
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    qs = _filtered(model, query)
    page = Paginator(qs, 25).get_page(request.GET.get("pagina"))
    rows = [(obj, [_value(obj, attr) for _, attr in COLUMNS[model]]) for obj in page]
    record(
        AuditEntry.Action.SEARCH if query else AuditEntry.Action.LIST,
        model=model,
        request=request,
        detail={"q": query, "page": page.number, "shown": [obj.pk for obj in page]},
    )
    context = {
        "kind": kind,
        "kinds": [(slug, m._meta.verbose_name_plural.capitalize()) for slug, m in services.KINDS.items()],
        "model_name": model._meta.verbose_name_plural,
        "model_singular": model._meta.verbose_name,
        "form": form,
        "page": page,
        "rows": rows,
        "columns": [label for label, _ in COLUMNS[model]],
        "query": query,
        "may_write": may_write(request.user.role),
        "may_export": may_export(request.user.role),
        "may_review": may_review(request.user.role),
    }
    template = "subjects/_results.html" if request.headers.get("HX-Request") else "subjects/list.html"
    return render(request, template, context)


@needs_subjects
def subject_detail(request, kind, pk):
    model = _model(kind)
    try:
        obj = open_record(request, model.objects.all(), pk)
    except PurposeRequired as gate:
        return gate.response
    fields = []
    for field in model._meta.fields:
        if field.name in ("id", "owner", "created_at", "updated_at"):
            continue
        if field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
        elif field.is_relation:
            value = _visible_related(obj, field)
        else:
            value = getattr(obj, field.name)
        if field.name == "bsn":
            value = mask_bsn(value, request.user.role)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        fields.append((field.verbose_name.capitalize(), value if value not in (None, "") else "—"))
    return render(
        request,
        "subjects/detail.html",
        {"obj": obj, "kind": kind, "fields": fields, "model_name": model._meta.verbose_name, "may_write": may_write(request.user.role),
         "relations": _relations(obj), "provenance": services.provenance_of(current_access(), obj)},
    )


def _relations(obj):
    """The subject's relations the caller may see, each with its other end only if visible too."""
    rows = []
    for relation in services.relations_of(current_access(), obj):
        outgoing = relation.source_type.model_class() is type(obj) and relation.source_id == obj.pk
        other = relation.visible_end("target" if outgoing else "source")
        slug = services.SLUG.get(type(other)) if other is not None else None
        rows.append({"relation": relation, "other": other, "slug": slug, "outgoing": outgoing})
    return rows


@needs_subjects
def subject_edit(request, kind, pk=None):
    model = _model(kind)
    if not may_write(request.user.role):
        raise PermissionDenied
    access = current_access()
    instance = None
    if pk is not None:
        try:
            instance = open_record(request, model.objects.all(), pk)
        except PurposeRequired as gate:
            return gate.response
    form = FORMS[model](request.POST or None, instance=instance)
    form.limit_confidentiality(access.clearance)
    if request.method == "POST" and form.is_valid():
        obj = services.save(access, form.save(commit=False), form.changed_data, request=request)
        messages.success(request, f"{model._meta.verbose_name.capitalize()} is opgeslagen.")
        return redirect("subjects:detail", kind, obj.pk)
    return render(
        request,
        "subjects/form.html",
        {"form": form, "kind": kind, "obj": instance, "model_name": model._meta.verbose_name},
        status=400 if request.method == "POST" else 200,
    )


@needs_subjects
@require_POST
def subject_delete(request, kind, pk):
    model = _model(kind)
    if not may_write(request.user.role):
        raise PermissionDenied
    obj = get_visible(model.objects.all(), pk)
    if not is_assigned(current_access(), obj) and active_purpose(current_access(), obj) is None:
        # deleting a record you are not assigned to needs a stated purpose, as opening it does
        ct = ContentType.objects.get_for_model(model)
        next_url = reverse("subjects:detail", args=[kind, obj.pk])
        return redirect(f"{reverse('audit:purpose')}?{urlencode({'type': ct.pk, 'id': obj.pk, 'next': next_url})}")
    try:
        services.delete(current_access(), obj, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("subjects:detail", kind, obj.pk)
    messages.success(request, f"{model._meta.verbose_name.capitalize()} is verwijderd.")
    return redirect("subjects:list", kind)


@needs_subjects
def subject_export(request, kind):
    model = _model(kind)
    if not may_export(request.user.role):
        raise PermissionDenied
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    qs = _filtered(model, query)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="regie-{kind}.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["nummer", *[label for label, _ in COLUMNS[model]]])
    count = 0
    for obj in qs.iterator(chunk_size=1000):
        writer.writerow([obj.pk, *[_csv_safe(_value(obj, attr)) for _, attr in COLUMNS[model]]])
        count += 1
    record(AuditEntry.Action.EXPORT, model=model, request=request, detail={"q": query, "rows": count, "format": "csv"})
    return response


def _csv_safe(value) -> str:
    """Neutralise spreadsheet formulas in exported cells (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
