"""'Wat weten we al': the mayor's measures on the same persons, companies, addresses or building
as a signal (appended to :data:`regie.intake.enrichment.ENRICHERS` by the app config).

A jurist preparing a closure needs the earlier warnings and closures of the same premises: the
enforcement strategy's next step depends on them (recidive)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from regie.intake.enrichment import Item, Keys, Section
from regie.intake.models import Signal
from regie.organisations.access import Access

from .models import Measure

TITLE = "Maatregelen op dezelfde subjecten, hetzelfde adres of hetzelfde pand"


def related_measures(access: Access, signal: Signal, keys: Keys):
    """Visible measures on one of the signal's persons, companies, addresses or buildings, or on a
    case that holds the signal."""
    cond = Q(person_id__in=keys.person_ids) | Q(company_id__in=keys.company_ids) | Q(address_id__in=keys.address_ids)
    cond |= Q(case__signal_links__signal_id=signal.pk)
    for postcode, number in keys.buildings:
        cond |= Q(address__postcode=postcode, address__house_number=number)
    ids = Measure.objects.visible_to(access).filter(cond).values("pk")
    return Measure.objects.visible_to(access).filter(pk__in=ids).select_related("kind").order_by("-created_at")


def measures_section(access: Access, signal: Signal, keys: Keys) -> Section:
    items = []
    for measure in related_measures(access, signal, keys)[:50]:
        where = measure.get_outcome_display() if measure.outcome else measure.stage_label
        label = f"{measure.reference} {measure.kind} — {measure.description} ({where})"
        items.append(Item(label, measure.decided_on or measure.created_at, reverse("measures:detail", args=[measure.pk])))
    return Section(TITLE, items)
