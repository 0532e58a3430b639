"""Records of the Bibob room for the authorisation matrix: a horeca file per organisation and
level, with its application step."""

from __future__ import annotations

from datetime import date

from regie.bibob.catalogue import install_default_catalogue
from regie.bibob.models import BibobDomain, BibobFile, BibobStep

KINDS = {"bibobfile"}


def build(world, key: str, org, level: int) -> dict[str, object]:
    install_default_catalogue(org)  # once per organisation; a no-op afterwards
    file = BibobFile.objects.create(
        owner=org, confidentiality=level, reference=f"BIB-MATRIX-{key}{level}", description=f"Matrixcafé {key}{level}",
        domain=BibobDomain.objects.get(organisation=org, code="horeca-alcohol"), received_on=date(2025, 3, 3),
        decision_due=date(2025, 4, 28),
    )
    BibobStep.objects.create(file=file, kind="aanvraag", on=date(2025, 3, 3), term="beslistermijn",
                             deadline=date(2025, 4, 28))
    return {"bibobfile": file}
