from regie.accounts.roles import Role

#: roles that may register and change subjects
WRITERS = frozenset({Role.COORDINATOR, Role.ANALIST, Role.BIBOB, Role.JURIST})
#: roles that see the BSN in full; others see it masked
SEES_BSN = frozenset({Role.COORDINATOR, Role.BIBOB, Role.JURIST, Role.BURGEMEESTER})


def may_write(role: str) -> bool:
    return role in WRITERS


def mask_bsn(value: str, role: str) -> str:
    if not value or role in SEES_BSN:
        return value
    return "*****" + value[-4:]
#: roles that may export lists of subjects
EXPORTERS = frozenset({Role.COORDINATOR, Role.ANALIST})


def may_export(role: str) -> bool:
    return role in EXPORTERS


#: roles that may import register extracts and FollowTheMoney files (the kernteam, as for signals)
IMPORTERS = frozenset({Role.COORDINATOR, Role.ANALIST})


def may_import(role: str) -> bool:
    return role in IMPORTERS


#: roles that judge candidate pairs in the review queue (the kernteam, as for imports)
REVIEWERS = frozenset({Role.COORDINATOR, Role.ANALIST})


def may_review(role: str) -> bool:
    return role in REVIEWERS
