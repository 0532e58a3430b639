"""'Wat weten we al': the cases about the same persons, companies, addresses, building or
vehicle as a signal (appended to :data:`regie.intake.enrichment.ENRICHERS` by the app config)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from regie.intake.enrichment import Item, Keys, Section
from regie.intake.models import Signal
from regie.organisations.access import Access

from .models import Case

TITLE = "Casussen over dezelfde subjecten, hetzelfde adres of hetzelfde pand"


def related_cases(access: Access, signal: Signal, keys: Keys):
    """Visible cases that hold the signal itself or one of its subjects, addresses, buildings or plates."""
    cond = Q(signal_links__signal_id=signal.pk)
    cond |= Q(subjects__person_id__in=keys.person_ids) | Q(subjects__company_id__in=keys.company_ids)
    cond |= Q(subjects__address_id__in=keys.address_ids) | Q(subjects__vehicle_plate__in=keys.plates)
    for postcode, number in keys.buildings:
        cond |= Q(subjects__address__postcode=postcode, subjects__address__house_number=number)
    ids = Case.objects.visible_to(access).filter(cond).values("pk")
    return (
        Case.objects.visible_to(access)
        .filter(pk__in=ids)
        .annotate(n_signals=Count("signal_links", distinct=True), n_interventions=Count("interventions", distinct=True))
        .order_by("-opened_at")
    )


def cases_section(access: Access, signal: Signal, keys: Keys) -> Section:
    rows = list(related_cases(access, signal, keys)[:50])
    own = set(signal.case_links.filter(case__in=[c.pk for c in rows]).values_list("case_id", flat=True))
    items = []
    for case in rows:
        label = (
            f"{case.reference} {case.title} (fase {case.get_phase_display()}, {case.n_signals} "
            f"signa{'al' if case.n_signals == 1 else 'len'}, {case.n_interventions} "
            f"interventie{'' if case.n_interventions == 1 else 's'})"
        )
        if case.pk in own:
            label += " — bevat dit signaal"
        items.append(Item(label, case.opened_at, reverse("cases:detail", args=[case.pk])))
    return Section(TITLE, items)
