"""Writes of the area picture: snapshots and theme ratings. Each validates, writes and logs in one
transaction; reads of both go through the municipality's geography access (own rows only)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from . import picture
from .models import Buurt, Wijk
from .picture_models import PictureSnapshot, ThemeRating
from .services import _geography_of

MIN_YEAR = 2000


def snapshots(access: Access):
    """The caller's municipality's snapshots (aggregates; readable by every AREAS role)."""
    return PictureSnapshot.objects.visible_to(_geography_of(access.organisation_id)).filter(owner_id=access.organisation_id)


def ratings(access: Access):
    return ThemeRating.objects.visible_to(_geography_of(access.organisation_id)).filter(owner_id=access.organisation_id)


def _check_year(year) -> int:
    if not isinstance(year, int) or not (MIN_YEAR <= year <= timezone.localdate().year):
        raise ValidationError({"year": f"Kies een jaar tussen {MIN_YEAR} en {timezone.localdate().year}."})
    return year


def take_snapshot(access: Access, *, label: str, year: int, level: str = "wijk", theme: str = "") -> PictureSnapshot:
    """Freeze the municipality's picture (exact counts over all categories) as the next version."""
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": "Geef de momentopname een omschrijving."})
    _check_year(year)
    if level not in ("wijk", "buurt"):
        raise ValidationError({"level": "Kies wijk of buurt."})
    from regie.organisations.models import Organisation

    org = Organisation.objects.get(pk=access.organisation_id)
    from regie.organisations.access import organisation_access

    counting = organisation_access(org, access.username, frozenset(c for _, _, c, *_ in picture.CATEGORIES))
    data = picture.build(counting, year=year, theme=theme, level=level)
    figures = {"years": data["years"], "categories": data["categories"], "total": data["total"],
               "rows": [{k: r[k] for k in ("code", "name", "figures")} for r in data["rows"]]}
    with transaction.atomic():
        last = PictureSnapshot.objects.visible_to(_geography_of(org.pk)).filter(owner_id=org.pk).select_for_update() \
            .aggregate(m=Max("version"))["m"] or 0
        snap = PictureSnapshot(owner_id=org.pk, version=last + 1, label=label, year=year, level=level, theme=theme,
                               figures=figures, taken_by=access.username)
        snap.full_clean()
        snap.save()
        record(AuditEntry.Action.CREATE, obj=snap, access=access,
               detail={"versie": snap.version, "jaar": year, "niveau": level, "thema": theme})
    return snap


def as_picture(snap: PictureSnapshot) -> dict:
    """A snapshot in the shape of :func:`picture.build` (JSON turned the years into strings)."""
    f = snap.figures
    years = [int(y) for y in f.get("years", [])]

    def ints(series):
        return {k: {int(y): n for y, n in v.items()} for k, v in series.items()}

    return {"year": snap.year, "years": years, "theme": snap.theme, "level": snap.level, "exact": True, "area": "",
            "categories": [tuple(c) for c in f.get("categories", [])],
            "rows": [{"code": r["code"], "name": r["name"], "level": snap.level, "wijk": "", "figures": ints(r["figures"])}
                     for r in f.get("rows", [])],
            "total": ints(f.get("total", {}))}


def compare(left: dict, right: dict, exact: bool) -> dict:
    """Side by side, per area and category, the selected year's figures of two pictures and the
    difference (the difference only when exact: it would reveal a suppressed number)."""
    keys = [k for k in dict(left["categories"]) if k in dict(right["categories"])]
    ly, ry = left["year"], right["year"]
    right_rows = {r["code"]: r for r in right["rows"]}
    rows = []
    for row in left["rows"] + [r for r in right["rows"] if r["code"] not in {x["code"] for x in left["rows"]}]:
        other = right_rows.get(row["code"], {"figures": {}})
        mine = row if row in left["rows"] else {"figures": {}}
        cells = []
        for key in keys:
            a = mine["figures"].get(key, {}).get(ly, 0)
            b = other["figures"].get(key, {}).get(ry, 0)
            cells.append({"key": key, "left": picture.suppress(a, exact), "right": picture.suppress(b, exact),
                          "change": (b - a) if exact else None})
        rows.append({"code": row["code"], "name": row["name"], "cells": cells})
    return {"categories": [(k, picture.LABELS[k]) for k in keys], "rows": rows}


def add_rating(access: Access, *, theme, rating: str, source: str, reference_date: date, area_code: str = "",
               note: str = "") -> ThemeRating:
    """Record a qualitative rating of ``theme`` (an intake Theme) with its source and peildatum."""
    area_code = (area_code or "").strip().upper()
    if reference_date and reference_date > timezone.localdate():
        raise ValidationError({"reference_date": "De peildatum ligt in de toekomst."})
    geo = _geography_of(access.organisation_id)
    if area_code and not (Wijk.objects.visible_to(geo).filter(owner_id=access.organisation_id, code=area_code).exists()
                          or Buurt.objects.visible_to(geo).filter(owner_id=access.organisation_id, code=area_code).exists()):
        raise ValidationError({"area_code": "Onbekende wijk- of buurtcode in deze gemeente."})
    if theme is not None and theme.organisation_id not in (None, access.organisation_id):
        raise ValidationError({"theme": "Onbekend thema."})
    row = ThemeRating(owner_id=access.organisation_id, theme=theme, area_code=area_code, rating=rating,
                      source=(source or "").strip(), reference_date=reference_date, note=(note or "").strip(),
                      entered_by=access.username)
    row.full_clean()
    with transaction.atomic():
        row.save()
        record(AuditEntry.Action.CREATE, obj=row, access=access,
               detail={"thema": theme.code, "gebied": area_code, "beoordeling": rating, "bron": row.source})
    return row
