"""Records of the partners room for the authorisation matrix: a partner profile (with a contact
person) per organisation and level, and a "niet interveniëren" flag set by the police (the
matrix partner's organisation "P") on that organisation's person of the same level."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from regie.accounts.roles import Role
from regie.organisations.models import Organisation
from regie.partners.models import ContactPerson, NoInterventionFlag, PartnerProfile

KINDS = {"partnerprofile", "contactperson", "flag"}


def build(world, key: str, org, level: int) -> dict[str, object]:
    # one profile per partner per registry: a partner organisation of its own for each level
    partner = Organisation.objects.create(name=f"Matrixpartner {key}{level}", kind=Organisation.Kind.OVERIG)
    profile = PartnerProfile.unscoped.create(
        owner=org, partner=partner, confidentiality=level, legal_basis=f"Matrixconvenant {key}{level}, art. 1",
        may_receive=["onderwerp"],
    )
    contact = ContactPerson.objects.create(profile=profile, name=f"Contact {key}{level}")
    person = world.records[("person", key, level)]
    flag = NoInterventionFlag.objects.create(
        owner=org, content_type=ContentType.objects.get_for_model(type(person)), object_id=person.pk,
        set_by_organisation=world.orgs["P"], set_by=world.users[Role.PARTNER],
    )
    return {"partnerprofile": profile, "contactperson": contact, "flag": flag}


def url_kwargs(kind: str, obj) -> dict:
    if kind == "contactperson":
        return {"pk": obj.profile_id, "contact_pk": obj.pk}
    return {"pk": obj.pk}
