"""Who may do what with integral controls. Seeing a control is the scoped manager's business
(need-to-know CONTROLS, own organisation or an explicit share, clearance); these rules decide who
may plan it, work the field list and turn findings into follow-up."""

from __future__ import annotations

from regie.accounts.roles import CONTROLS, ROLE_SPECS, Role
from regie.organisations.access import Access

#: roles that need to know controls: the year plan, the control file, the field list, the report
READERS = frozenset(role for role, role_spec in ROLE_SPECS.items() if CONTROLS in role_spec.categories)
#: the regie of the year plan and the control file (goals, partners, participants, addresses, notes)
PLANNERS = frozenset({Role.COORDINATOR, Role.ANALIST})
#: who leads on location and records the outcome: the planners and the boa (seed 000 §3.5: "A boa
#: led the control and gave a briefing")
LEADERS = PLANNERS | {Role.BOA}
#: who works the field list: the leaders and the partners' inspectors on a shared control
FIELD = LEADERS | {Role.PARTNER}
#: the report holds counts only, per year, type and partner
REPORT_READERS = frozenset({Role.COORDINATOR, Role.ANALIST, Role.BURGEMEESTER})


def _own(access: Access | None, control) -> bool:
    if access is None:
        return False
    if access.system:
        return True
    return access.organisation_id is not None and access.organisation_id == control.owner_id


def may_plan(access: Access | None, control) -> bool:
    """A planner of the owning municipality; a share grants reading (and field work), never planning."""
    return access is not None and (access.system or (access.role in PLANNERS and _own(access, control)))


def may_lead(access: Access | None, control) -> bool:
    return access is not None and (access.system or (access.role in LEADERS and _own(access, control)))


def may_record(access: Access | None, control) -> bool:
    """Record findings: the municipality's leaders, or a partner on a control shared with him."""
    if access is None:
        return False
    if access.system or may_lead(access, control):
        return True
    return access.role == Role.PARTNER and access.organisation_id is not None
