"""The four-eyes question other rooms ask (issue 12, point 6): is a second person's approval
configured, and enforced, for a process of this municipality? The rules themselves are kept in
the register (:class:`.models.SafeguardRule`, written through :mod:`.services`).
"""

from __future__ import annotations

from .models import SafeguardRule

#: the process code of the mayor's closure decision under art. 13b Opiumwet
DECISION_13B = "13b-besluit"
#: the kinds of rule that need a second person
SECOND_PERSON = (SafeguardRule.Kind.FOUR_EYES, SafeguardRule.Kind.SIX_EYES)


def requires_second_person(organisation, process: str) -> bool:
    """Whether ``organisation`` enforces a four- or six-eyes rule on ``process``.

    Asked by rooms whose users may not see the register (a jurist): read for the organisation as a
    whole, answering yes or no only.
    """
    from .services import (
        org_access,  # local: services imports the models this module shares
    )

    if organisation is None:
        return False
    return SafeguardRule.objects.visible_to(org_access(organisation)).filter(
        process=process, kind__in=SECOND_PERSON, enforced=True,
    ).exists()
