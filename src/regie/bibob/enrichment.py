"""'Wat weten we al': Bibob files on the same persons, companies or addresses as a signal
(appended to :data:`regie.intake.enrichment.ENRICHERS` by the app config). Existence and phase
only: the applicant's file itself stays with the Bibob team (art. 28 Wet Bibob)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from regie.intake.enrichment import Item, Keys, Section
from regie.intake.models import Signal
from regie.organisations.access import Access

from .models import BibobFile

TITLE = "Bibob-dossiers over dezelfde subjecten of hetzelfde adres"


def bibob_section(access: Access, signal: Signal, keys: Keys) -> Section:
    cond = Q(person_id__in=keys.person_ids) | Q(company_id__in=keys.company_ids) | Q(address_id__in=keys.address_ids)
    for postcode, number in keys.buildings:
        cond |= Q(address__postcode=postcode, address__house_number=number)
    rows = BibobFile.objects.visible_to(access).filter(cond).select_related("domain").order_by("-received_on")[:50]
    items = [
        Item(f"{f.reference} ({f.domain.name}) — fase: {f.get_phase_display()}", f.received_on,
             reverse("bibob:detail", args=[f.pk]))
        for f in rows
    ]
    return Section(TITLE, items, note="Alleen het bestaan en de fase; de inhoud is voorbehouden aan het Bibob-team." if items else "")
