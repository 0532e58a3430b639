"""Who may do what in the plans room. Seeing a plan is the scoped manager's business
(need-to-know PLANS, own organisation, clearance); a raadslid reads only what is openbaar."""

from __future__ import annotations

from dataclasses import replace

from regie.accounts.roles import PLANS, ROLE_SPECS, Role
from regie.organisations.access import Access, current_access, organisation_access
from regie.organisations.confidentiality import Confidentiality

READERS = frozenset(role for role, role_spec in ROLE_SPECS.items() if PLANS in role_spec.categories)
#: who builds the plans, restates baselines, enters figures and follows up recommendations
WRITERS = frozenset({Role.COORDINATOR, Role.ANALIST, Role.BURGEMEESTER})


def may_write(access: Access | None, owner_id: int | None) -> bool:
    if access is None:
        return False
    if access.system:
        return True
    return access.role in WRITERS and access.organisation_id is not None and access.organisation_id == owner_id


def public_access(organisation, what: str) -> Access:
    """Read the openbaar plans and recommendations of ``organisation`` (the council's view)."""
    return replace(organisation_access(organisation, what, frozenset({PLANS})), clearance=Confidentiality.OPENBAAR)


def reading_access(user) -> Access | None:
    """The access a page reads plans with: the user's own, or for a raadslid (clearance 0: no
    record at all) the openbaar plans of his municipality — council documents, no personal data."""
    if user.role == Role.RAADSLID and user.organisation is not None:
        return public_access(user.organisation, f"raadslid {user.username}")
    return current_access()
