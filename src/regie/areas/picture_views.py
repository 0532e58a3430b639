"""The area picture, its snapshots and ratings, and the map. Thin: figures from
:mod:`regie.areas.picture`, writes through :mod:`regie.areas.picture_services`."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from regie.accounts.decorators import role_required
from regie.accounts.roles import AREAS, spec
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import current_access
from regie.web.forms import errors_to_form

from . import maplayers, picture, picture_services
from .forms import CompareForm, PictureFilterForm, RatingForm, SnapshotForm
from .picture_models import PictureSnapshot, ThemeRating
from .views import WRITERS, writer

areas_readers = role_required(lambda role: AREAS in spec(role).categories)


def _ratings(access, area: str):
    rows = picture_services.ratings(access).select_related("theme")
    return rows.filter(area_code__in=["", area]) if area else rows


@areas_readers
def picture_page(request):
    access = current_access()
    form = PictureFilterForm(request.GET or None, organisation_id=access.organisation_id)
    status = 200
    data = {}
    if request.GET and not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data if request.GET else {}
    year = data.get("jaar") or timezone.localdate().year
    area = (data.get("gebied") or "").strip().upper()
    shown = picture.for_display(picture.build(access, year=year, theme=data.get("thema") or "",
                                              level=data.get("niveau") or ("buurt" if area.startswith("BU") else "wijk"), area=area))
    if area and not shown["rows"] and form.is_bound:
        form.add_error("gebied", "Onbekend gebied in deze gemeente.")
        status = 400
    themes = picture.themes_of_area(access, area, year) if area and shown["rows"] else []
    record(AuditEntry.Action.LIST, model=PictureSnapshot, request=request,
           detail={"gebiedsbeeld": year, "thema": shown["theme"], "gebied": area})
    context = {
        "form": form, "picture": shown, "themes": themes, "ratings": _ratings(access, area),
        "may_write": request.user.role in WRITERS, "threshold": picture.SUPPRESS_BELOW,
        "snapshot_form": SnapshotForm(initial={"jaar": year, "niveau": shown["level"], "thema": shown["theme"]}),
        "rating_form": RatingForm(organisation_id=access.organisation_id, initial={"area_code": area}),
    }
    return render(request, "areas/picture.html", context, status=status)


@require_POST
@writer
def snapshot_create(request):
    access = current_access()
    form = SnapshotForm(request.POST)
    if form.is_valid():
        try:
            snap = picture_services.take_snapshot(access, label=form.cleaned_data["label"], year=form.cleaned_data["jaar"],
                                                  level=form.cleaned_data["niveau"], theme=form.cleaned_data["thema"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"Momentopname versie {snap.version} vastgelegd.")
            return redirect(f"{_snapshots_url()}?links={snap.pk}&rechts=actueel")
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect("areas:picture")


def _snapshots_url():
    from django.urls import reverse

    return reverse("areas:snapshots")


@require_POST
@writer
def rating_create(request):
    access = current_access()
    form = RatingForm(request.POST, organisation_id=access.organisation_id)
    if form.is_valid():
        try:
            picture_services.add_rating(access, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "Beoordeling vastgelegd.")
            return redirect("areas:picture")
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect("areas:picture")


@areas_readers
def snapshots(request):
    access = current_access()
    exact = picture.full_access(access)
    rows = picture_services.snapshots(access)
    form = CompareForm(request.GET or None)
    comparison, left, right, status = None, None, None, 200
    if form.is_bound and form.is_valid() and form.cleaned_data.get("links"):
        left = rows.filter(pk=form.cleaned_data["links"]).first()
        other = form.cleaned_data.get("rechts") or "actueel"
        if other == "actueel":
            right = "actueel"
        else:
            right = rows.filter(pk=int(other)).first()
        if left is None or right is None:
            form.add_error(None, "Deze momentopname bestaat niet (in uw gemeente).")
            status = 400
        else:
            a = picture_services.as_picture(left)
            b = picture.build(access, year=left.year, theme=left.theme, level=left.level) if right == "actueel" \
                else picture_services.as_picture(right)
            comparison = picture_services.compare(a, b, exact)
    elif form.is_bound and not form.is_valid():
        status = 400
    record(AuditEntry.Action.LIST, model=PictureSnapshot, request=request, detail={"momentopnamen": True})
    return render(request, "areas/snapshots.html", {
        "snapshots": rows, "form": form, "comparison": comparison, "left": left, "right": right, "exact": exact,
        "threshold": picture.SUPPRESS_BELOW,
    }, status=status)


@areas_readers
def map_page(request):
    access = current_access()
    record(AuditEntry.Action.LIST, model=ThemeRating, request=request, detail={"kaart": True})
    return render(request, "areas/map.html", {
        "tile_url": settings.REGIE_MAP_TILE_URL, "points": picture.full_access(access),
        "layers": maplayers.POINT_LAYERS, "threshold": picture.SUPPRESS_BELOW,
    })


@areas_readers
def map_areas(request):
    access = current_access()
    year = request.GET.get("jaar", "")
    if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
        return JsonResponse({"fout": "Ongeldig jaar."}, status=400)
    return JsonResponse(maplayers.area_layer(access, int(year) if year else None))


@areas_readers
def map_points(request, layer):
    access = current_access()
    if layer not in maplayers.POINT_LAYERS:
        return JsonResponse({"fout": "Onbekende kaartlaag."}, status=400)
    if not picture.full_access(access):
        return JsonResponse({"fout": "Alleen geaggregeerde cijfers per buurt voor uw rol."}, status=403)
    data = maplayers.point_layer(access, layer)
    record(AuditEntry.Action.LIST, model=PictureSnapshot, request=request, detail={"kaartlaag": layer, "punten": len(data["features"])})
    return JsonResponse(data)
