import pytest

from regie.accounts.roles import AREAS, SUBJECTS
from regie.organisations.access import Access


@pytest.fixture
def access_for():
    """A hand-made access context: organisation, clearance and categories as given."""

    def make(org, clearance=7, categories=(SUBJECTS, AREAS), role="coordinator"):
        return Access(
            user_id=None,
            username=f"test-{role}",
            organisation_id=org.pk if org is not None else None,
            organisation_name=org.name if org is not None else "",
            role=role,
            clearance=clearance,
            categories=frozenset(categories),
        )

    return make
