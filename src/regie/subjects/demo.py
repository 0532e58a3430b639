"""Demo data of the FtM-aligned registry for the fictitious Gemeente Ravenstede: vehicles and bank
accounts, relations between the subjects the builder made (directorships, ownership, family,
bewoning) and their provenance. Fictitious only: kentekens follow a sidecode, IBANs use the
non-existent bank code 'DEMO'. Deterministic from ``rng``; bulk writes, as the builder's own.

Called as ``build(gemeente, users, partners, rng, summary)`` from ``regie.demo.builder``.
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from stdnum import iban

from regie.accounts.roles import SUBJECTS
from regie.organisations.access import organisation_access

from .incremental import propose_many
from .models import Address, BankAccount, Company, MatchCandidate, Person, Relation, Statement, Vehicle

LETTERS = "BDFGHJKLNPRSTVXZ"  # the RDW uses no vowels on plates
MAKES = [("Volkswagen", "Golf"), ("Toyota", "Yaris"), ("BMW", "X5"), ("Mercedes-Benz", "Sprinter"), ("Audi", "A6")]


def _plate(rng) -> str:
    def pick(pattern: str) -> str:
        return "".join(rng.choice(LETTERS) if c == "L" else str(rng.randint(0, 9)) for c in pattern)

    return pick(rng.choice(["DDLLLD", "DLLLDD", "LLDDDL", "LDDDLL", "DDDLLD"]))


def _iban(rng) -> str:
    base = f"NL00DEMO{rng.randint(0, 9_999_999_999):010d}"
    return f"NL{iban.calc_check_digits(base)}{base[4:]}"


def build(gemeente, users, partners, rng, summary) -> None:
    persons = list(Person.objects.filter(owner=gemeente).order_by("pk")[:400])
    companies = list(Company.objects.filter(owner=gemeente).order_by("pk")[:120])
    if not persons or not companies:
        return
    vehicles = Vehicle.objects.bulk_create([
        Vehicle(owner=gemeente, kenteken=_plate(rng), make=make, model_name=model)
        for make, model in (rng.choice(MAKES) for _ in range(60))
    ])
    accounts = BankAccount.objects.bulk_create([
        BankAccount(owner=gemeente, iban=_iban(rng), bank_name="Demobank") for _ in range(40)
    ])
    ct = {m: ContentType.objects.get_for_model(m) for m in (Person, Company, Address, Vehicle, BankAccount, Relation)}

    def link(kind, source, target, **extra):
        return Relation(owner=gemeente, kind=kind, source_type=ct[type(source)], source_id=source.pk,
                        target_type=ct[type(target)], target_id=target.pk, **extra)

    def since() -> date:
        return date(rng.randint(2012, 2025), rng.randint(1, 12), rng.randint(1, 28))

    relations = []
    for company in companies:
        relations.append(link("directorship", rng.choice(persons), company, role="bestuurder", start_date=since()))
    for vehicle in vehicles:
        relations.append(link("ownership", rng.choice(persons + companies), vehicle, start_date=since()))
    for account in accounts:
        relations.append(link("ownership", rng.choice(companies), account))
    for person in rng.sample(persons, min(60, len(persons))):
        other = rng.choice(persons)
        if other.pk != person.pk:
            relations.append(link("family", person, other, role=rng.choice(["broer", "zus", "ouder", "partner"])))
    for person in persons[:100]:
        if person.address_id:
            address = Address(pk=person.address_id)
            relations.append(link("occupancy", person, address, start_date=since()))
    relations = Relation.objects.bulk_create(relations)
    today = date(2026, 11, 1)
    statements = [
        Statement(owner=gemeente, subject_type=ct[Relation], subject_id=r.pk, date=today, facts=["role", "start_date"],
                  source="KvK-uittreksel" if r.kind == "directorship" else ("BRP" if r.kind == "occupancy" else "RDW"))
        for r in relations if r.kind in ("directorship", "occupancy") or r.target_type_id == ct[Vehicle].pk
    ]
    Statement.objects.bulk_create(statements)
    summary.add("voertuigen", len(vehicles))
    summary.add("bankrekeningen", len(accounts))
    summary.add("relaties", len(relations))
    summary.add("herkomstregels", len(statements))
    _candidates(gemeente, persons, companies, summary)


def _candidates(gemeente, persons, companies, summary) -> None:
    """Fill the review queue: the first persons and companies matched against the registry, as an
    import would (look-alikes in the generated data: namesakes, family at one address)."""
    access = organisation_access(gemeente, "demodata", frozenset({SUBJECTS}))
    found = propose_many(access, persons[:200] + companies[:60], source=MatchCandidate.Source.DEMO, reference="demodata")
    summary.add("mogelijke dubbelingen", found)
