"""Who may do what in the partners room."""

from regie.accounts.roles import PARTNERS, Role, spec
from regie.organisations.models import Organisation

#: keep the partner registry (profiles and contact persons)
WRITERS = frozenset({Role.COORDINATOR, Role.BEHEERDER})


def reads_registry(role: str) -> bool:
    return PARTNERS in spec(role).categories


def may_write(role: str) -> bool:
    return role in WRITERS


def is_police_partner(user) -> bool:
    """A partner user working for the police: the only one who sets "niet interveniëren" flags."""
    organisation = getattr(user, "organisation", None)
    return (
        getattr(user, "is_authenticated", False)
        and user.role == Role.PARTNER
        and organisation is not None
        and organisation.kind == Organisation.Kind.POLITIE
    )
