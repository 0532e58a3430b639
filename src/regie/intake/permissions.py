from regie.accounts.roles import Role

#: may confirm triage, combine signals, ask partners and register signals from other channels
TRIAGERS = frozenset({Role.COORDINATOR, Role.ANALIST})
#: may see who reported a signal (the reporter is protected)
SEES_REPORTER = frozenset({Role.COORDINATOR})
#: may edit the triage rules and the theme catalogue
MANAGES_RULES = frozenset({Role.BEHEERDER, Role.COORDINATOR})
#: may upload CSV and MMA imports
IMPORTERS = frozenset({Role.COORDINATOR, Role.ANALIST})
