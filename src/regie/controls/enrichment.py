"""'Wat weten we al': the integral controls that visited the same address or building as a signal
(appended to :data:`regie.intake.enrichment.ENRICHERS` by the app config)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from regie.intake.enrichment import Item, Keys, Section
from regie.intake.models import Signal
from regie.organisations.access import Access

from .models import Control, ControlAddress

TITLE = "Integrale controles op hetzelfde adres of hetzelfde pand"


def controls_section(access: Access, signal: Signal, keys: Keys) -> Section:
    cond = Q(address_id__in=keys.address_ids)
    for postcode, number in keys.buildings:
        cond |= Q(address__postcode=postcode, address__house_number=number)
    if not keys.address_ids and not keys.buildings:
        return Section(TITLE, [])
    visible = Control.objects.visible_to(access)
    rows = (
        ControlAddress.objects.filter(cond, control__in=visible)
        .select_related("control").order_by("-control__planned_on", "pk")[:50]
    )
    items, seen = [], set()
    for row in rows:
        control = row.control
        if control.pk in seen:
            continue
        seen.add(control.pk)
        n = row.findings.count()
        label = (f"{control.reference} {control.get_kind_display()} ({control.get_status_display()} "
                 f"{control.planned_on:%d-%m-%Y}, {'bezocht' if row.visited else 'niet bezocht'}, "
                 f"{n} bevinding{'' if n == 1 else 'en'})")
        items.append(Item(label, control.planned_on, reverse("controls:detail", args=[control.pk])))
    return Section(TITLE, items)
