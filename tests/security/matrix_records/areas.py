"""Records of the areas room for the authorisation matrix: a risk location per organisation and level."""

from __future__ import annotations

from datetime import date

from regie.areas.risk_models import RiskLocation, RiskLocationEvent

KINDS = {"risklocation"}


def build(world, key: str, org, level: int) -> dict[str, object]:
    location = RiskLocation.objects.create(
        owner=org, confidentiality=level, kind=RiskLocation.Kind.PREMISES, name=f"Matrixpand {key}{level}",
        status=RiskLocation.Status.BASELINE, status_on=date(2025, 1, 1),
    )
    RiskLocationEvent.objects.create(location=location, status=RiskLocation.Status.BASELINE, on=date(2025, 1, 1))
    return {"risklocation": location}
