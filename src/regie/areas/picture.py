"""The area picture (ondermijningsbeeld, issue 10 point 3): signals, cases, measures, controls and
Bibob files per area × year, optionally for one theme, with the trend against earlier years.

A picture of places and themes, never a score of persons: only counts per buurt/wijk leave this
module. Every count is one ``values().annotate(Count)`` query through the scoped managers, so the
database aggregates (bench/areas). Users without case access (raadslid, functioneel beheerder)
get the municipality's aggregates with small numbers suppressed (:data:`SUPPRESS_BELOW`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.db.models import Count, F
from django.utils import timezone

from regie.accounts.roles import BIBOB, CASES, CONTROLS, MEASURES, SIGNALS
from regie.organisations.access import Access, organisation_access

from .models import Buurt, Wijk

#: counts from 1 up to this value (exclusive) are shown as "< 5" to users without case access
SUPPRESS_BELOW = 5
YEARS = 3  # the selected year and the two before it

#: (key, label, record category, model path, area lookup, year lookup, theme lookup or None)
CATEGORIES = [
    ("signalen", "Signalen", SIGNALS, "intake.Signal", "buurt_id", "received_at", "themes__code"),
    ("casussen", "Casussen", CASES, "cases.Case", "subjects__address__buurt_id", "opened_at", "themes__code"),
    ("maatregelen", "Maatregelen", MEASURES, "measures.Measure", "address__buurt_id", "created_at", "case__themes__code"),
    ("controles", "Integrale controles", CONTROLS, "controls.Control", "addresses__address__buurt_id", "planned_on", None),
    ("bibob", "Bibob-dossiers", BIBOB, "bibob.BibobFile", "address__buurt_id", "received_on", None),
]
MULTI_ROW = {"casussen", "controles"}  # counted through child rows (subjects, control addresses)
LABELS = {key: label for key, label, *_ in CATEGORIES}


def full_access(access: Access) -> bool:
    """Whether the caller sees exact figures and point layers (case access); else suppressed aggregates."""
    return access.may_see_category(CASES)


def suppress(n: int | None, exact: bool):
    """The value to show: exact for case access, otherwise "< 5" for 1..4."""
    if n is None or exact:
        return n
    return f"< {SUPPRESS_BELOW}" if 0 < n < SUPPRESS_BELOW else n


def _model(path: str):
    from django.apps import apps

    return apps.get_model(path)


def counting_access(access: Access) -> tuple[Access, bool]:
    """The access the counts run under and whether they may be shown exactly. Without case access
    the municipality's own aggregates are counted (organisation_access: its rows only) and shown
    suppressed; with it, exactly what the caller's scoped managers let him see."""
    if full_access(access):
        return access, True
    from regie.organisations.models import Organisation

    org = Organisation.objects.get(pk=access.organisation_id)
    cats = frozenset(c for _, _, c, *_ in CATEGORIES)
    return organisation_access(org, "gebiedsbeeld (geaggregeerd)", cats), False


def _bound(model, when: str, year: int):
    """1 January of ``year`` as the field needs it: a date, or local midnight for a timestamp."""
    if isinstance(model._meta.get_field(when), models.DateTimeField):
        return timezone.make_aware(datetime(year, 1, 1))
    return date(year, 1, 1)


def count_by_buurt(access: Access, key: str, years: list[int], theme: str = "", by_theme: bool = False) -> dict:
    """{(buurt_id, year[, theme code]): n} for one category, aggregated in the database; {} when
    the caller may not see the category or it has no theme while one is asked."""
    _, _, category, path, area, when, theme_lookup = next(c for c in CATEGORIES if c[0] == key)
    if not access.may_see_category(category) or ((theme or by_theme) and not theme_lookup):
        return {}
    model = _model(path)
    base = model.objects.visible_to(access)
    if access.organisation_id is not None:
        base = base.filter(owner_id=access.organisation_id)
    if theme:
        base = base.filter(**{theme_lookup: theme})
    fields = {"b": F(area)}
    if by_theme:
        fields["t"] = F(theme_lookup)
    # distinct only where a join can repeat a record (several addresses or themes of one record)
    distinct = key in MULTI_ROW or bool(theme) or by_theme
    out = {}
    # one range query per year (an indexed range, no per-row year function: SQLite would call
    # Python for every row) grouped by buurt in the database
    for year in years:
        qs = base.filter(**{f"{when}__gte": _bound(model, when, year), f"{when}__lt": _bound(model, when, year + 1)})
        qs = qs.exclude(**{f"{area}__isnull": True}).values(**fields).annotate(n=Count("pk", distinct=distinct)).order_by()
        for r in qs:
            out[(r["b"], year, r["t"]) if by_theme else (r["b"], year)] = r["n"]
    return out


@dataclass
class AreaRow:
    code: str
    name: str
    level: str
    wijk_code: str = ""
    #: {category key: {year: n}}
    figures: dict = field(default_factory=dict)


def _areas(access: Access, level: str, org_id: int) -> tuple[list[AreaRow], dict[int, list[str]]]:
    """The rows for ``level`` and, per buurt id, the codes its counts add up to."""
    from .services import _geography_of

    geo = _geography_of(org_id)
    wijken = {w.pk: w for w in Wijk.objects.visible_to(geo).filter(owner_id=org_id)}
    buurten = list(Buurt.objects.visible_to(geo).filter(owner_id=org_id).only("pk", "code", "name", "wijk_id"))
    targets: dict[int, list[str]] = {}
    rows: list[AreaRow] = []
    if level == "buurt":
        for b in buurten:
            rows.append(AreaRow(b.code, b.name, "buurt", wijken[b.wijk_id].code if b.wijk_id in wijken else ""))
            targets[b.pk] = [b.code]
    else:
        rows = [AreaRow(w.code, w.name, "wijk") for w in wijken.values()]
        for b in buurten:
            if b.wijk_id in wijken:
                targets[b.pk] = [wijken[b.wijk_id].code]
    rows.sort(key=lambda r: r.code)
    return rows, targets


def build(access: Access, *, year: int | None = None, theme: str = "", level: str = "wijk", area: str = "",
          span: int = YEARS) -> dict:
    """The picture as plain data: years, the category columns, one row per area (or only ``area``)
    with {category: {year: n}}, and the total. Counts are exact only with case access."""
    year = year or timezone.localdate().year
    years = list(range(year - span + 1, year + 1))
    level = "buurt" if level == "buurt" else "wijk"
    counting, exact = counting_access(access)
    rows, targets = _areas(access, level, access.organisation_id)
    by_code = {r.code: r for r in rows}
    total = {key: {y: 0 for y in years} for key in LABELS}
    visible = []
    for key, _, category, *_ in CATEGORIES:
        if not counting.may_see_category(category):
            continue
        visible.append(key)
        for r in rows:
            r.figures[key] = {y: 0 for y in years}
        for (buurt_id, y), n in count_by_buurt(counting, key, years, theme).items():
            for code in targets.get(buurt_id, []):
                by_code[code].figures[key][y] += n
            if buurt_id in targets:
                total[key][y] += n
    if area:
        rows = [r for r in rows if r.code == area]
    return {
        "year": year, "years": years, "theme": theme, "level": level, "exact": exact, "area": area,
        "categories": [(k, LABELS[k]) for k in visible],
        "rows": [{"code": r.code, "name": r.name, "level": r.level, "wijk": r.wijk_code, "figures": r.figures} for r in rows],
        "total": {k: total[k] for k in visible},
    }


def themes_of_area(access: Access, area_code: str, year: int) -> list[dict]:
    """Per theme, the signals, cases and measures in ``area_code`` (wijk or buurt) in ``year`` and
    the year before: the theme × area × year cut of the picture."""
    from regie.intake.models import Theme

    counting, exact = counting_access(access)
    years = [year - 1, year]
    _, targets = _areas(access, "buurt", access.organisation_id)
    _, wijk_targets = _areas(access, "wijk", access.organisation_id)
    ids = {b for b, codes in targets.items() if area_code in codes} | {b for b, codes in wijk_targets.items() if area_code in codes}
    per_theme: dict[str, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(lambda: {y: 0 for y in years}))
    for key in ("signalen", "casussen", "maatregelen"):
        for (buurt_id, y, code), n in count_by_buurt(counting, key, years, by_theme=True).items():
            if buurt_id in ids and code:
                per_theme[code][key][y] += n
    names = dict(Theme.objects.filter(code__in=list(per_theme)).values_list("code", "name"))
    result = []
    for code in sorted(per_theme, key=lambda c: names.get(c, c)):
        cells = {k: {y: suppress(v, exact) for y, v in per_theme[code][k].items()} for k in ("signalen", "casussen", "maatregelen")}
        result.append({"code": code, "name": names.get(code, code), "figures": cells})
    return result


def for_display(picture: dict) -> dict:
    """The picture with small numbers suppressed when it is not exact, and per cell the change
    against the year before (only when exact: a difference would reveal a suppressed value)."""
    exact = picture["exact"]
    years = picture["years"]

    def cells(figures):
        out = []
        for key, _ in picture["categories"]:
            series = figures.get(key, {})
            values = [series.get(y, series.get(str(y), 0)) for y in years]
            change = values[-1] - values[-2] if exact and len(values) > 1 else None
            out.append({"key": key, "values": [suppress(v, exact) for v in values], "change": change})
        return out

    rows = [{**r, "cells": cells(r["figures"])} for r in picture["rows"]]
    return {**picture, "rows": rows, "total_cells": cells(picture["total"])}


def aggregate_layer(access: Access, year: int | None = None) -> dict[str, dict]:
    """The map's aggregate layer: per buurt code, the counts of the selected year (suppressed
    without case access). Only counts: never a row."""
    year = year or timezone.localdate().year
    picture = build(access, year=year, level="buurt", span=1)
    out = {}
    for row in picture["rows"]:
        out[row["code"]] = {key: suppress(row["figures"][key][year], picture["exact"]) for key, _ in picture["categories"]}
    return out
