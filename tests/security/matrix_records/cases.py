"""Records of the cases room for the authorisation matrix: a case per organisation and level,
and an intervention in it carried out by the police (the matrix partner's organisation "P")."""

from __future__ import annotations

from regie.cases.models import Case, Intervention

KINDS = {"case", "intervention"}


def build(world, key: str, org, level: int) -> dict[str, object]:
    case = Case.objects.create(
        owner=org, confidentiality=level, reference=f"CAS-MATRIX-{key}{level}", title=f"Matrixcasus {key}{level}",
    )
    intervention = Intervention.objects.create(
        case=case, partner=world.orgs["P"], domain=Intervention.Domain.CRIMINAL, description=f"Inval {key}{level}",
    )
    return {"case": case, "intervention": intervention}


def url_kwargs(kind: str, obj) -> dict:
    if kind == "intervention":
        return {"pk": obj.case_id, "int_pk": obj.pk}
    return {"pk": obj.pk}


def gated_record(kind: str, obj):
    """An intervention is opened through its case: the purpose is stated for the case."""
    return obj.case if kind == "intervention" else obj
