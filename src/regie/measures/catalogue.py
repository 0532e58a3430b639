"""The per-municipality catalogue of kinds of measures and domains (issue 5, point 3).

A new municipality gets the default catalogue (:func:`install_default_catalogue`, as the intake
room installs its default triage rules); the coördinator or the functioneel beheerder edits it
afterwards. Writes are audited; the catalogue holds no personal data.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from .models import Category, MeasureDomain, MeasureKind

C = Category
#: code, name, legal basis, category, voornemen needed, weighing needed
DEFAULT_KINDS = [
    ("waarschuwing", "Bestuurlijke waarschuwing", "handhavingsbeleid van de burgemeester", C.WARNING, False, False),
    ("sluiting-13b", "Sluiting woning of lokaal (art. 13b Opiumwet)", "art. 13b Opiumwet", C.CLOSURE, True, True),
    ("sluiting-seksbranche", "Sluiting wegens illegale prostitutie of seksbranche (APV)", "APV, hoofdstuk seksbedrijven",
     C.CLOSURE, True, True),
    ("sluiting-174a", "Sluiting woning of lokaal (art. 174a Gemeentewet)", "art. 174a Gemeentewet", C.CLOSURE, True, True),
    ("sluiting-apv", "Overige sluiting op grond van de APV", "APV", C.CLOSURE, True, True),
    ("last-onder-dwangsom", "Last onder dwangsom", "art. 5:32 Awb", C.PENALTY, True, False),
    ("last-onder-bestuursdwang", "Last onder bestuursdwang", "art. 5:21 Awb en art. 125 Gemeentewet", C.ADMIN_ENFORCEMENT,
     True, False),
    ("bestuurlijke-boete", "Bestuurlijke boete", "art. 5:40 Awb", C.FINE, True, False),
    ("machtiging-binnentreden", "Machtiging tot binnentreden", "Algemene wet op het binnentreden", C.ENTRY, False, False),
    ("vergunning", "Weigering of intrekking van een vergunning", "APV en Wet Bibob", C.PERMIT, True, False),
    ("handhaving-dor", "Handhaving Digitaal Opkopers Register (DOR)", "art. 437 Sr en APV (registratieplicht opkopers)",
     C.OTHER, True, False),
    ("uitkering", "Stopzetting en terugvordering van een uitkering", "Participatiewet", C.BENEFIT, True, False),
]
#: code, name, categories under which the instrument table always shows the domain
DEFAULT_DOMAINS = [
    ("seksbranche", "Seksbranche en illegale prostitutie", [C.WARNING, C.CLOSURE, C.PENALTY]),
    ("drugspanden", "Drugspanden (art. 13b Opiumwet)", [C.WARNING, C.CLOSURE, C.PENALTY]),
    ("drugsdealen", "Drugsdealen op straat", [C.PENALTY]),
    ("coffeeshops", "Coffeeshops", [C.CLOSURE]),
    ("explosies", "Explosies en openbare orde", [C.CLOSURE]),
    ("dor", "Digitaal Opkopers Register (DOR)", [C.WARNING, C.PENALTY]),
    ("inbrekerswerktuigen", "Vervoer inbrekerswerktuigen", [C.PENALTY]),
    ("huisvesting", "Kamerverhuur en huisvesting", []),
    ("uitkeringen", "Uitkeringen", []),
    ("overig", "Overige (APV)", [C.CLOSURE]),
]


def install_default_catalogue(organisation) -> int:
    """Give a municipality the default kinds and domains it has none of yet; returns the number added."""
    kinds = set(MeasureKind.objects.filter(organisation=organisation).values_list("code", flat=True))
    domains = set(MeasureDomain.objects.filter(organisation=organisation).values_list("code", flat=True))
    new_kinds = [
        MeasureKind(organisation=organisation, code=code, name=name, legal_basis=basis, category=category,
                    requires_voornemen=intention, requires_weighing=weighing, position=(i + 1) * 10)
        for i, (code, name, basis, category, intention, weighing) in enumerate(DEFAULT_KINDS) if code not in kinds
    ]
    new_domains = [
        MeasureDomain(organisation=organisation, code=code, name=name, instrument_rows=[str(c) for c in rows],
                      position=(i + 1) * 10)
        for i, (code, name, rows) in enumerate(DEFAULT_DOMAINS) if code not in domains
    ]
    MeasureKind.objects.bulk_create(new_kinds)
    MeasureDomain.objects.bulk_create(new_domains)
    return len(new_kinds) + len(new_domains)


@transaction.atomic
def install_for(access: Access, *, request=None) -> int:
    """Install the default catalogue for the caller's municipality (what it lacks of it), audited."""
    from regie.organisations.models import Organisation

    organisation = Organisation.objects.get(pk=_organisation_id(access))
    added = install_default_catalogue(organisation)
    if not added:
        raise ValidationError("De standaardcatalogus is al volledig aanwezig.")
    record(AuditEntry.Action.CREATE, model=MeasureKind, access=access, request=request, detail={"standaardcatalogus": added})
    return added


def kinds_for(organisation_id, *, active_only: bool = True):
    qs = MeasureKind.objects.filter(organisation_id=organisation_id)
    return qs.filter(active=True) if active_only else qs


def domains_for(organisation_id, *, active_only: bool = True):
    qs = MeasureDomain.objects.filter(organisation_id=organisation_id)
    return qs.filter(active=True) if active_only else qs


def _organisation_id(access: Access) -> int:
    if access.organisation_id is None:
        raise ValidationError("Alleen een medewerker van een gemeente beheert de catalogus.")
    return access.organisation_id


def _code(model, organisation_id: int, name: str) -> str:
    base = slugify(name)[:50] or "soort"
    code, n = base, 1
    while model.objects.filter(organisation_id=organisation_id, code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def add_kind(access: Access, *, name: str, category: str, legal_basis: str = "", requires_voornemen: bool = True,
             requires_weighing: bool = False, zienswijze_days: int = 14, request=None) -> MeasureKind:
    organisation_id = _organisation_id(access)
    name = (name or "").strip()
    if MeasureKind.objects.filter(organisation_id=organisation_id, name__iexact=name).exists():
        raise ValidationError({"name": "Deze soort maatregel staat al in de catalogus."})
    kind = MeasureKind(
        organisation_id=organisation_id, name=name, category=category, legal_basis=(legal_basis or "").strip(),
        requires_voornemen=requires_voornemen, requires_weighing=requires_weighing or category == Category.CLOSURE,
        zienswijze_days=zienswijze_days, code=_code(MeasureKind, organisation_id, name),
        position=(kinds_for(organisation_id, active_only=False).count() + 1) * 10,
    )
    kind.full_clean(exclude=["organisation"])
    kind.save()
    record(AuditEntry.Action.CREATE, obj=kind, access=access, request=request, detail={"name": kind.name})
    return kind


@transaction.atomic
def add_domain(access: Access, *, name: str, instrument_rows=(), request=None) -> MeasureDomain:
    organisation_id = _organisation_id(access)
    name = (name or "").strip()
    if MeasureDomain.objects.filter(organisation_id=organisation_id, name__iexact=name).exists():
        raise ValidationError({"name": "Dit domein staat al in de catalogus."})
    rows = [str(c) for c in instrument_rows]
    if set(rows) - set(Category.values):
        raise ValidationError({"instrument_rows": "Kies geldige soorten."})
    domain = MeasureDomain(
        organisation_id=organisation_id, name=name, instrument_rows=rows, code=_code(MeasureDomain, organisation_id, name),
        position=(domains_for(organisation_id, active_only=False).count() + 1) * 10,
    )
    domain.full_clean(exclude=["organisation"])
    domain.save()
    record(AuditEntry.Action.CREATE, obj=domain, access=access, request=request, detail={"name": domain.name})
    return domain


@transaction.atomic
def set_active(access: Access, item: MeasureKind | MeasureDomain, active: bool, *, request=None):
    """Switch a kind or domain on or off; measures that use it keep it."""
    if item.organisation_id != _organisation_id(access):
        raise ValidationError("Dit onderdeel hoort niet bij de catalogus van uw gemeente.")
    if item.active == active:
        raise ValidationError("Er is niets gewijzigd.")
    item.active = active
    item.save(update_fields=["active"])
    record(AuditEntry.Action.UPDATE, obj=item, access=access, request=request, detail={"active": active})
    return item
