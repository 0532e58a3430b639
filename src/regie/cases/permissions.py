"""Who may do what with a case. Seeing a case is the scoped manager's business (need-to-know
CASES, own organisation or a Share); these rules decide who may change what they see."""

from __future__ import annotations

from regie.accounts.roles import CASES, ROLE_SPECS, Role
from regie.organisations.access import Access

#: roles that need to know cases at all (the pages' first check)
READERS = frozenset(role for role, role_spec in ROLE_SPECS.items() if CASES in role_spec.categories)
#: the kernteam of the owning municipality opens and runs cases
WRITERS = frozenset({Role.COORDINATOR, Role.ANALIST})
#: roles that may open the page of an intervention (the object rules below decide the rest)
REPORTERS = WRITERS | {Role.PARTNER}
#: fields of an intervention the executing partner may report back
FEEDBACK_FIELDS = frozenset({"status", "result", "started_on", "done_on"})


def may_edit(access: Access | None, case) -> bool:
    """The kernteam of the owning organisation; a share grants reading, never writing."""
    if access is None:
        return False
    if access.system:
        return True
    return access.role in WRITERS and access.organisation_id is not None and access.organisation_id == case.owner_id


def may_report(access: Access | None, intervention) -> bool:
    """Status and result of an intervention: the case's editors, or a partner user of the
    organisation that carries it out (who sees the case only when it is shared with him)."""
    if may_edit(access, intervention.case):
        return True
    if access is None or access.organisation_id is None:
        return False
    return access.role == Role.PARTNER and access.organisation_id == intervention.partner_id
