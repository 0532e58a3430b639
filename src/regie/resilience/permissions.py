"""Who may do what in the resilience room. Seeing the registers is the scoped manager's business
(need-to-know RESILIENCE: coördinator, analist, burgemeester, functioneel beheerder; INTEGRITY:
the burgemeester only); these rules decide who may change them.

No new roles: the registers are kept by the coördinator (kernteam) and the functioneel beheerder
(who also keeps the partner registry); the functioneel beheerder and the coördinator read the HR
overview of the onboarding module, as no HR role exists in the authorisation matrix.
"""

from __future__ import annotations

from regie.accounts.roles import INTEGRITY, RESILIENCE, ROLE_SPECS, Role

READERS = frozenset(role for role, role_spec in ROLE_SPECS.items() if RESILIENCE in role_spec.categories)
MANAGERS = frozenset({Role.COORDINATOR, Role.BEHEERDER})
HR_VIEWERS = frozenset({Role.BEHEERDER, Role.COORDINATOR})
INTEGRITY_KEEPERS = frozenset(role for role, role_spec in ROLE_SPECS.items() if INTEGRITY in role_spec.categories)
