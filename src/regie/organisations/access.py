"""Who is asking: the access context every scoped query reads.

The request middleware (and the API base view, after DRF has authenticated) put an
:class:`Access` in a context variable for the duration of a request. Scoped managers read it;
without one they return nothing (default deny). Background jobs run under
:func:`system_access` with a stated reason.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Access:
    user_id: int | None
    username: str
    organisation_id: int | None
    organisation_name: str
    role: str
    clearance: int
    categories: frozenset[str] = field(default_factory=frozenset)
    system: bool = False
    reason: str = ""

    def may_see_category(self, category: str) -> bool:
        return self.system or category in self.categories


_current: contextvars.ContextVar[Access | None] = contextvars.ContextVar("regie_access", default=None)


def current_access() -> Access | None:
    return _current.get()


def set_access(access: Access | None) -> contextvars.Token:
    return _current.set(access)


def reset_access(token: contextvars.Token) -> None:
    _current.reset(token)


@contextmanager
def use_access(access: Access | None):
    token = _current.set(access)
    try:
        yield access
    finally:
        _current.reset(token)


def system_access(reason: str) -> "contextmanager":
    """Run a block as the system (management commands, scheduled jobs): every row is visible.

    The reason is written to the audit log by the callers that change personal data.
    """
    if not reason:
        raise ValueError("system access needs a reason")
    return use_access(
        Access(
            user_id=None,
            username="systeem",
            organisation_id=None,
            organisation_name="",
            role="system",
            clearance=99,
            system=True,
            reason=reason,
        )
    )


def organisation_access(organisation, username: str, categories: frozenset[str]) -> Access:
    """Act for an organisation as a whole (a public form, an import): scoped to that tenant.

    Used where no signed-in user is behind a step, e.g. linking a resident's report to the
    municipality's own registry. It never sees another organisation's rows.
    """
    return Access(
        user_id=None,
        username=username,
        organisation_id=organisation.pk,
        organisation_name=organisation.name,
        role="organisation",
        clearance=8,
        categories=categories,
    )
