"""Records of the controls room for the authorisation matrix: per organisation and level a
confirmed control in that year's plan, with one address on its list (so the field list has a card)."""

from __future__ import annotations

from datetime import date

from regie.controls.models import Control, ControlAddress, YearPlan

KINDS = {"control"}


def build(world, key: str, org, level: int) -> dict[str, object]:
    plan, _ = YearPlan.unscoped.get_or_create(owner=org, year=2026, defaults={"confidentiality": 3})
    control = Control.objects.create(
        owner=org, confidentiality=level, plan=plan, reference=f"CTL-MATRIX-{key}{level}", planned_on=date(2026, 3, 12),
        kind=Control.Kind.HORECA, title=f"Matrixcontrole {key}{level}", goals="Matrixdoel", status=Control.Status.CONFIRMED,
    )
    address = world.records.get(("address", key, level))
    if address is not None:
        ControlAddress.objects.create(control=control, address=address, source=ControlAddress.Source.CHOSEN, reason="Matrix")
    return {"control": control}
