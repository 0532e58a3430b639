"""Who may do what with Bibob files. Seeing that a file exists (and its phase) is the scoped
manager's business (need-to-know BIBOB). The file itself — applicant, steps, terms — and its
confidential part are for the file's own team only (art. 28 Wet Bibob): the Bibob-coördinator of
the owning municipality and the jurist assigned to the file."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from regie.accounts.models import Assignment
from regie.accounts.roles import BIBOB, ROLE_SPECS, Role
from regie.organisations.access import Access

#: roles that may know that a file exists and see its phase
READERS = frozenset(role for role, role_spec in ROLE_SPECS.items() if BIBOB in role_spec.categories)
#: who opens files and keeps the catalogue
CREATORS = frozenset({Role.BIBOB})
#: roles that can be on a file's team (the jurist only when assigned to the file)
TEAM_ROLES = frozenset({Role.BIBOB, Role.JURIST})
#: the annual tables are aggregates without personal data: the council reads them too
TABLE_READERS = READERS | {Role.RAADSLID}


def _assigned(access: Access, file) -> bool:
    from .models import BibobFile

    return Assignment.objects.filter(
        user_id=access.user_id, content_type=ContentType.objects.get_for_model(BibobFile), object_id=file.pk
    ).exists()


def is_team(access: Access | None, file) -> bool:
    """The Bibob-coördinator of the owner, or the jurist assigned to this file."""
    if access is None:
        return False
    if access.system:
        return True
    if access.organisation_id is None or access.organisation_id != file.owner_id:
        return False
    if access.role == Role.BIBOB:
        return True
    return access.role == Role.JURIST and access.user_id is not None and _assigned(access, file)


may_edit = is_team
