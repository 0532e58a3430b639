"""Demo data of the network room for the fictitious Gemeente Ravenstede: an analysis assignment,
a small constructed network that the saved patterns hit (one director of four care firms at one
address, a burst of registrations at one address), a saved run of those patterns as open review
items. Fictitious only; deterministic from ``rng``.

Called as ``build(gemeente, users, partners, rng, summary)`` from ``regie.demo.builder``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType

from regie.accounts.access import access_for_user
from regie.organisations.access import use_access
from regie.subjects.models import Address, Company, Person, Relation, Statement

from . import services
from .models import AnalysisAssignment


def build(gemeente, users, partners, rng, summary) -> None:
    analyst = users.get("analist")
    persons = list(Person.objects.filter(owner=gemeente).order_by("pk")[:200])
    addresses = list(Address.objects.filter(owner=gemeente).order_by("pk")[:200])
    if analyst is None or len(persons) < 10 or len(addresses) < 2:
        return
    ct = {m: ContentType.objects.get_for_model(m) for m in (Person, Company, Address, Relation)}
    office, flat = rng.sample(addresses, 2)
    director = rng.choice(persons)
    # KvK numbers below the registry's demo range (90,000,000 and up), so they never collide
    firms = [Company.objects.create(owner=gemeente, name=f"Zorg{name} Ravenstede", legal_form="bv", sbi_code="88101",
                                    kvk_number=f"{89_000_000 + rng.randint(0, 999_999)}", address=office)
             for name in ("Thuis", "Plus", "Samen", "Dichtbij")]
    relations = [Relation(owner=gemeente, kind="directorship", role="bestuurder", source_type=ct[Person],
                          source_id=director.pk, target_type=ct[Company], target_id=firm.pk,
                          start_date=date(2025, rng.randint(1, 12), rng.randint(1, 28))) for firm in firms]
    start = date(2026, rng.randint(1, 6), rng.randint(1, 28))
    movers = rng.sample([p for p in persons if p.pk != director.pk], 5)
    relations += [Relation(owner=gemeente, kind="occupancy", source_type=ct[Person], source_id=p.pk,
                           target_type=ct[Address], target_id=flat.pk, start_date=start + timedelta(days=3 * i))
                  for i, p in enumerate(movers)]
    relations = Relation.objects.bulk_create(relations)
    Statement.objects.bulk_create(
        [Statement(owner=gemeente, subject_type=ct[Relation], subject_id=r.pk, date=date(2026, 10, 1),
                   source="KvK-uittreksel" if r.kind == "directorship" else "BRP", reference=f"demo-netwerk-{i}")
         for i, r in enumerate(relations)]
        + [Statement(owner=gemeente, subject_type=ct[Company], subject_id=f.pk, date=date(2026, 10, 1),
                     source="KvK-uittreksel", reference=f"demo-zorg-{f.pk}") for f in firms])
    assignment = AnalysisAssignment.objects.create(
        owner=gemeente, title="Zorgaanbieders en bewoning", analyst=analyst,
        description="Verkennende analyse van zorgaanbieders op gedeelde adressen en snelle inschrijvingen (demo).",
        starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31))
    access = access_for_user(analyst)
    hits = 0
    with use_access(access):
        for code in ("zelfde_bestuurder", "gedeeld_adres", "snelle_inschrijvingen"):
            hits += len(services.run_pattern(access, code, f"opdracht:{assignment.pk}",
                                             {"minimum": 4, **({"dagen": 30} if code == "snelle_inschrijvingen" else {})}))
    summary.add("netwerk: analyseopdrachten", 1)
    summary.add("netwerk: patroontreffers ter beoordeling", hits)
