"""The per-municipality catalogue of Bibob domains (issue 6, point 1).

The default covers every domain the Wet Bibob reaches; ``in_policy`` marks what the local
Bibob-beleidslijn covers. Many municipalities start with horeca, seksbedrijven and coffeeshops
only (Amersfoort, seed 000 §6.2.5), so those are on by default and the rest is visible as "not
covered yet" until the municipality switches it on. ``group`` is the row of the per-domain annual
table (Dordrecht reports bouw, milieu and overheidsopdrachten together, seed 004 Tabel 4.6).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from .models import BibobDomain

APV = "APV (horeca en seksbedrijven)"
#: code, name, table group, covered by the default policy, decision term in weeks
DEFAULT_DOMAINS = [
    ("horeca-alcohol", "APV horeca en alcoholvergunning (Alcoholwet)", APV, True, 8),
    ("exploitatievergunning", "Exploitatievergunning horeca (APV)", APV, True, 8),
    ("seksbedrijf", "Seksbedrijf (APV)", APV, True, 8),
    ("coffeeshop", "Coffeeshop (gedoogbeschikking)", "Coffeeshops", True, 8),
    ("speelautomaten", "Speelautomaten en speelautomatenhal", "Speelautomaten", False, 8),
    ("omgevingsvergunning-bouw", "Omgevingsvergunning bouw", "Bouw en milieu", False, 8),
    ("omgevingsvergunning-milieu", "Omgevingsvergunning milieu", "Bouw en milieu", False, 8),
    ("evenementen", "Evenementenvergunning", "Evenementen", False, 8),
    ("subsidie", "Subsidie", "Subsidies", False, 8),
    ("vastgoed", "Vastgoedtransactie en grondzaken", "Vastgoed en grondzaken", False, 8),
    ("aanbesteding", "Aanbesteding en overheidsopdracht", "Aanbestedingen en overheidsopdrachten", False, 8),
]
EDITABLE = ("name", "group", "in_policy", "decision_weeks", "active")


def install_default_catalogue(organisation) -> int:
    """Give a municipality the default domains it has none of yet; returns the number added."""
    have = set(BibobDomain.objects.filter(organisation=organisation).values_list("code", flat=True))
    new = [
        BibobDomain(organisation=organisation, code=code, name=name, group=group, in_policy=covered,
                    decision_weeks=weeks, position=(i + 1) * 10)
        for i, (code, name, group, covered, weeks) in enumerate(DEFAULT_DOMAINS) if code not in have
    ]
    BibobDomain.objects.bulk_create(new)
    return len(new)


def domains_for(organisation_id, *, active_only: bool = True):
    qs = BibobDomain.objects.filter(organisation_id=organisation_id)
    return qs.filter(active=True) if active_only else qs


def uncovered(organisation_id):
    """Active domains the local Bibob policy does not cover yet (issue 6, point 3)."""
    return domains_for(organisation_id).filter(in_policy=False)


def _organisation_id(access: Access) -> int:
    if access.organisation_id is None:
        raise ValidationError("Alleen een medewerker van een gemeente beheert de Bibob-catalogus.")
    return access.organisation_id


@transaction.atomic
def install_for(access: Access, *, request=None) -> int:
    from regie.organisations.models import Organisation

    added = install_default_catalogue(Organisation.objects.get(pk=_organisation_id(access)))
    if not added:
        raise ValidationError("De standaardcatalogus is al volledig aanwezig.")
    record(AuditEntry.Action.CREATE, model=BibobDomain, access=access, request=request, detail={"standaardcatalogus": added})
    return added


@transaction.atomic
def update_domain(access: Access, domain: BibobDomain, *, request=None, **fields) -> BibobDomain:
    """Change a domain of the caller's catalogue: name, table group, policy cover, term, active."""
    if domain.organisation_id != _organisation_id(access):
        raise ValidationError("Dit domein hoort niet bij de catalogus van uw gemeente.")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"update_domain() does not change {sorted(unknown)}")
    changed = []
    for name, value in fields.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(domain, name) != value:
            setattr(domain, name, value)
            changed.append(name)
    if not changed:
        raise ValidationError("Er is niets gewijzigd.")
    if not domain.name or not domain.group:
        raise ValidationError("Geef het domein een naam en een groep voor de jaartabellen.")
    if not 1 <= int(domain.decision_weeks or 0) <= 52:
        raise ValidationError({"decision_weeks": "Geef een beslistermijn van 1 tot 52 weken."})
    domain.full_clean(exclude=["organisation"])
    domain.save()
    record(AuditEntry.Action.UPDATE, obj=domain, access=access, request=request, detail={"fields": sorted(changed)})
    return domain
