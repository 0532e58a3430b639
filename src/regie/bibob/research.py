"""Eigen onderzoek (issue 6, point 2): what Regie already holds about the applicant, its address
and its business relations — signals, cases, measures and other Bibob files — each through the
scoped manager, so the caller sees only what the role may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from regie.cases.models import Case
from regie.intake.models import Signal
from regie.measures.models import Measure
from regie.organisations.access import Access
from regie.subjects.models import Company, Person

from .models import BibobFile


@dataclass
class Finding:
    title: str
    rows: list[str] = field(default_factory=list)


def _ids(file: BibobFile) -> tuple[set[int], set[int], set[int]]:
    persons = {file.person_id} if file.person_id else set()
    companies = {file.company_id} if file.company_id else set()
    addresses = {file.address_id} if file.address_id else set()
    return persons, companies, addresses


def relations(access: Access, file: BibobFile) -> list[str]:
    """Persons and companies at the applicant's address (business relations and co-residents)."""
    _, _, addresses = _ids(file)
    for model, pk in ((Person, file.person_id), (Company, file.company_id)):
        if pk:
            subject = model.objects.visible_to(access).filter(pk=pk).first()
            if subject is not None and subject.address_id:
                addresses.add(subject.address_id)
    if not addresses:
        return []
    rows = [f"Persoon: {p}" for p in Person.objects.visible_to(access).filter(address_id__in=addresses)
            .exclude(pk=file.person_id or 0)[:25]]
    rows += [f"Bedrijf: {c}" for c in Company.objects.visible_to(access).filter(address_id__in=addresses)
             .exclude(pk=file.company_id or 0)[:25]]
    return rows


def history(access: Access, file: BibobFile) -> list[Finding]:
    persons, companies, addresses = _ids(file)
    if not (persons or companies or addresses):
        return []
    mention = Q(mentions__person_id__in=persons) | Q(mentions__company_id__in=companies)
    mention |= Q(mentions__address_id__in=addresses) | Q(address_id__in=addresses)
    signals = Signal.objects.visible_to(access).filter(mention).distinct().order_by("-received_at")[:25]
    subject = Q(subjects__person_id__in=persons) | Q(subjects__company_id__in=companies)
    subject |= Q(subjects__address_id__in=addresses)
    cases = Case.objects.visible_to(access).filter(subject).distinct()[:25]
    on_subject = Q(person_id__in=persons) | Q(company_id__in=companies) | Q(address_id__in=addresses)
    measures = Measure.objects.visible_to(access).filter(on_subject).select_related("kind")[:25]
    files = (BibobFile.objects.visible_to(access).filter(on_subject).exclude(pk=file.pk)
             .select_related("domain")[:25])
    return [
        Finding("Signalen", [f"{s.reference} {s.received_at:%d-%m-%Y} — {s.get_status_display()}" for s in signals]),
        Finding("Casussen", [f"{c.reference} {c.title} (fase {c.get_phase_display()})" for c in cases]),
        Finding("Maatregelen", [f"{m.reference} {m.kind.name} — {m.stage_label}" for m in measures]),
        Finding("Andere Bibob-dossiers", [f"{f.reference} {f.domain.name} — {f.get_phase_display()}"
                                         + (f", {f.get_outcome_display()}" if f.outcome else "") for f in files]),
        Finding("Zakelijke relaties en adresgenoten", relations(access, file)),
    ]
