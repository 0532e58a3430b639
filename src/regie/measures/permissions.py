"""Who may do what with measures. Seeing a measure is the scoped manager's business
(need-to-know MEASURES, own organisation, clearance); these rules decide who may change it."""

from __future__ import annotations

from regie.accounts.roles import MEASURES, ROLE_SPECS, Role
from regie.organisations.access import Access

#: roles that need to know measures at all: the register, the steps, the documents, the calendar
READERS = frozenset(role for role, role_spec in ROLE_SPECS.items() if MEASURES in role_spec.categories)
#: the jurist prepares the mayor's decisions and records the steps; the coördinator too
WRITERS = frozenset({Role.JURIST, Role.COORDINATOR})
#: the annual tables are aggregates without personal data: the council reads them too
TABLE_READERS = READERS | {Role.RAADSLID}
#: the catalogue of kinds and domains (as the triage rules: intake.permissions.MANAGES_RULES)
CATALOGUE_MANAGERS = frozenset({Role.COORDINATOR, Role.BEHEERDER})


def may_edit(access: Access | None, measure) -> bool:
    """A writer of the owning municipality; a share would grant reading, never writing."""
    if access is None:
        return False
    if access.system:
        return True
    return access.role in WRITERS and access.organisation_id is not None and access.organisation_id == measure.owner_id
