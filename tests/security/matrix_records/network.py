"""Records of the network room for the authorisation matrix: per organisation and level an
analysis assignment with a saved chart on it, and an open pattern hit on the shared person."""

from __future__ import annotations

from datetime import date

from regie.accounts.models import User
from regie.network.models import AnalysisAssignment, PatternHit, SavedChart

KINDS = {"savedchart", "patternhit"}


def build(world, key: str, org, level: int) -> dict[str, object]:
    analyst = User.objects.filter(organisation=org).first() or User.objects.first()
    assignment = AnalysisAssignment.objects.create(
        owner=org, confidentiality=level, title=f"Matrixopdracht {key}{level}", description="Matrix", analyst=analyst,
        starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
    )
    person = world.records.get(("person", key, level))
    nodes = [f"persoon:{person.pk}"] if person is not None else []
    chart = SavedChart.objects.create(owner=org, confidentiality=level, title=f"Matrixkaart {key}{level}",
                                      assignment=assignment, start=nodes[0] if nodes else "", nodes=nodes)
    hit = PatternHit.objects.create(owner=org, confidentiality=level, pattern="kanalen", key=f"matrix:{key}{level}",
                                    title=f"Matrixtreffer {key}{level}", nodes=nodes, explanation={"waarom": "Matrix"},
                                    assignment=assignment)
    return {"savedchart": chart, "patternhit": hit}
