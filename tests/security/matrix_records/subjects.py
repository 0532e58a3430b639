"""Records of the subjects room's review queue for the authorisation matrix: a candidate pair of
two persons per organisation and level."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from regie.subjects.models import MatchCandidate, Person

KINDS = {"matchcandidate"}


def build(world, key: str, org, level: int) -> dict[str, object]:
    a = Person.unscoped.create(owner=org, confidentiality=level, surname=f"Dubbel{key}{level}", first_names="Anna")
    b = Person.unscoped.create(owner=org, confidentiality=level, surname=f"Dubbel{key}{level}", first_names="Anne")
    candidate = MatchCandidate.unscoped.create(
        owner=org, confidentiality=level, subject_type=ContentType.objects.get_for_model(Person), left_id=a.pk,
        right_id=b.pk, score=0.6, explanation={"reasons": ["achternaam gelijk"]}, source=MatchCandidate.Source.DEMO,
    )
    return {"matchcandidate": candidate}
