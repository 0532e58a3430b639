"""Shared helper of the subjects commands (Django skips ``_`` modules)."""

from django.core.management.base import CommandError

from regie.accounts.roles import AREAS, SUBJECTS
from regie.organisations.access import organisation_access
from regie.organisations.models import Organisation


def municipality(code: str) -> Organisation:
    found = list(Organisation.objects.filter(code__iexact=code.strip(), kind=Organisation.Kind.GEMEENTE, active=True)[:2])
    if not found:
        raise CommandError(f"Er is geen actieve gemeente met code ‘{code}’.")
    if len(found) > 1:
        raise CommandError(f"Meer dan één gemeente heeft code ‘{code}’; maak de codes eerst uniek.")
    return found[0]


def actor(organisation: Organisation, command: str):
    """The command acts for the municipality as a whole, scoped to it (named in the audit log)."""
    return organisation_access(organisation, f"beheercommando {command}", frozenset({SUBJECTS, AREAS}))
