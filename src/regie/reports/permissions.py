"""Who reads which report (docs/reports.md).

The public council report holds aggregates after disclosure control only; the besloten variant
adds sections for the college and the driehoek (burgemeester, coördinator). Both are the
municipality's own reports: a user of another kind of organisation gets 403.
"""

from regie.accounts.roles import Role

PUBLIC_READERS = frozenset({Role.COORDINATOR, Role.ANALIST, Role.BURGEMEESTER, Role.RAADSLID})
BESLOTEN_READERS = frozenset({Role.BURGEMEESTER, Role.COORDINATOR})
