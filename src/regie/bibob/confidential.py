"""The confidential part of a Bibob file (issue 6, point 4; art. 28 Wet Bibob).

The RIEC and LBB advice and the coordinator's assessment of the degree of danger are read only
here: for the Bibob-coördinator of the owning municipality and the jurist assigned to the file,
and every read writes its own audit entry. Everyone else who may know the file sees that it
exists and its phase, nothing more.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from .models import BibobFile, BibobFinding
from .permissions import is_team


def _visible_file(access: Access, file: BibobFile) -> BibobFile:
    current = BibobFile.objects.visible_to(access).filter(pk=file.pk).first()
    if current is None or not is_team(access, current):
        raise PermissionDenied(
            "Het advies en de beoordeling zijn alleen zichtbaar voor de Bibob-coördinator en de jurist van dit dossier."
        )
    return current


def read_findings(access: Access, file: BibobFile, *, request=None) -> list[BibobFinding]:
    """The advice and assessments of ``file``, oldest first; logs the read."""
    file = _visible_file(access, file)
    findings = list(BibobFinding.objects.filter(file=file).select_related("step", "by").order_by("step__on", "pk"))
    record(AuditEntry.Action.VIEW, obj=file, access=access, request=request, detail={
        "vertrouwelijk": "advies en beoordeling (art. 28 Wet Bibob)", "findings": [f.pk for f in findings],
    })
    return findings


def current_degree(file: BibobFile) -> str:
    """The degree of danger of the latest assessment, for the decision check inside the services
    (never shown through this function)."""
    latest = (BibobFinding.objects.filter(file=file, kind=BibobFinding.Kind.ASSESSMENT)
              .order_by("-step__on", "-pk").first())
    return latest.degree if latest else ""
