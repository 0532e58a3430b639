"""Records of the measures room for the authorisation matrix: a measure per organisation and
level (a 13b closure with its rapportage step), and a PDF document attached to it."""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.files.base import ContentFile

from regie.measures.catalogue import install_default_catalogue
from regie.measures.models import (
    Measure,
    MeasureDocument,
    MeasureDomain,
    MeasureKind,
    MeasureStep,
)

KINDS = {"measure", "measuredocument"}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def build(world, key: str, org, level: int) -> dict[str, object]:
    install_default_catalogue(org)  # once per organisation; a no-op afterwards
    measure = Measure.objects.create(
        owner=org, confidentiality=level, reference=f"MTR-MATRIX-{key}{level}", description=f"Matrixpand {key}{level}",
        kind=MeasureKind.objects.get(organisation=org, code="sluiting-13b"),
        domain=MeasureDomain.objects.get(organisation=org, code="drugspanden"), stage="rapportage",
    )
    MeasureStep.objects.create(measure=measure, kind="rapportage", on=date(2025, 3, 3), source="politie")
    document = MeasureDocument.objects.create(
        measure=measure, kind="besluit", file=ContentFile(PDF, name="besluit.pdf"), content_type="application/pdf",
        size=len(PDF), sha256=hashlib.sha256(PDF).hexdigest(),
    )
    return {"measure": measure, "measuredocument": document}


def url_kwargs(kind: str, obj) -> dict:
    if kind == "measuredocument":
        return {"pk": obj.measure_id, "doc_pk": obj.pk}
    return {"pk": obj.pk}


def gated_record(kind: str, obj):
    """A document is opened through its measure: the purpose is stated for the measure."""
    return obj.measure if kind == "measuredocument" else obj
