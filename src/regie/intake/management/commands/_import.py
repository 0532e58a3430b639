"""Shared base of ``regie import-mma`` and ``regie import-signals-csv`` (Django skips ``_`` modules)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regie.accounts.roles import SIGNALS, SUBJECTS
from regie.intake import importers
from regie.organisations.access import organisation_access
from regie.organisations.models import Organisation


class ImportCommand(BaseCommand):
    kind = ""  # "mma" or "csv"

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the file to import.")
        parser.add_argument("--gemeente", required=True, help="Code of the municipality, e.g. GM0307.")

    def handle(self, *args, file, gemeente, **options):
        organisation = self.municipality(gemeente)
        path = Path(file)
        try:
            with path.open("rb") as handle:
                data = handle.read(importers.MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Bestand ‘{file}’ kan niet worden gelezen: {exc.strerror or exc}.") from exc
        # the audit log names the command as the actor of every signal it registers
        actor = organisation_access(organisation, f"beheercommando {self.command_name}", frozenset({SUBJECTS, SIGNALS}))
        result = importers.run(organisation, self.kind, data, filename=path.name, actor=actor)
        if not result.ok:
            raise CommandError(
                f"Import geweigerd; er is niets opgeslagen ({len(result.errors)} fout{'en' if len(result.errors) != 1 else ''}):\n"
                + "\n".join(result.messages)
            )
        self.stdout.write(f"{len(result.created)} signa{'al' if len(result.created) == 1 else 'len'} geïmporteerd voor {organisation.name}.")
        for created in result.created:
            suffix = f" ({created.external_reference})" if created.external_reference else ""
            self.stdout.write(f"regel {created.line}: {created.reference}{suffix}")

    @property
    def command_name(self) -> str:
        return self.__module__.rsplit(".", 1)[-1]

    @staticmethod
    def municipality(code: str) -> Organisation:
        found = list(Organisation.objects.filter(code__iexact=code.strip(), kind=Organisation.Kind.GEMEENTE, active=True)[:2])
        if not found:
            raise CommandError(f"Er is geen actieve gemeente met code ‘{code}’.")
        if len(found) > 1:
            raise CommandError(f"Meer dan één gemeente heeft code ‘{code}’; maak de codes eerst uniek.")
        return found[0]
