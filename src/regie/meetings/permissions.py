"""Who may do what in the meetings room (besides the record categories of accounts.roles)."""

from regie.accounts.roles import Role

#: prepare forums, meetings and agendas, and share them with the partners at the table
MANAGERS = frozenset({Role.COORDINATOR, Role.ANALIST})
#: record the forum's decisions and close a meeting (the coördinator runs the overleg)
DECIDERS = frozenset({Role.COORDINATOR})
