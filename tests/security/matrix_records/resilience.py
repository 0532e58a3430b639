"""Records of the resilience room for the authorisation matrix: per organisation and level a
project (with a prevention track) and an integrity incident."""

from __future__ import annotations

from datetime import date

from regie.resilience.models import IntegrityIncident, Project, ProjectTrack

KINDS = {"project", "integrityincident"}


def build(world, key: str, org, level: int) -> dict[str, object]:
    project = Project.objects.create(
        owner=org, confidentiality=level, name=f"Matrixproject {key}{level}", problem="Matrixprobleem",
        started_on=date(2024, 1, 8),
    )
    ProjectTrack.objects.create(project=project, track=ProjectTrack.Track.PREVENTION, goals="Matrixdoel")
    incident = IntegrityIncident.objects.create(
        owner=org, confidentiality=level, reference=f"INT-MATRIX-{key}{level}", kind=IntegrityIncident.Kind.THREAT,
        occurred_on=date(2025, 5, 6), description="Matrixincident",
    )
    return {"project": project, "integrityincident": incident}
