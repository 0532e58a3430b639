"""``regie import-indicators --gemeente GM9901 kerncijfers.csv``: external area statistics, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regie.accounts.roles import AREAS
from regie.areas.indicators import MAX_BYTES, IndicatorImportRejected, import_indicators
from regie.organisations.access import organisation_access, use_access
from regie.organisations.models import Organisation


class Command(BaseCommand):
    help = "Importeer gebiedsindicatoren (CSV: bron;peildatum;gebiedscode;indicator;waarde[;eenheid]) voor één gemeente."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV file (see docs/imports.md).")
        parser.add_argument("--gemeente", required=True, help="Code of the municipality, e.g. GM0307.")

    def handle(self, *args, file, gemeente, **options):
        found = list(Organisation.objects.filter(code__iexact=gemeente.strip(), kind=Organisation.Kind.GEMEENTE, active=True)[:2])
        if len(found) != 1:
            raise CommandError(f"Er is geen (unieke) actieve gemeente met code ‘{gemeente}’.")
        organisation = found[0]
        path = Path(file)
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Bestand ‘{file}’ kan niet worden gelezen: {exc.strerror or exc}.") from exc
        access = organisation_access(organisation, "beheercommando import-indicators", frozenset({AREAS}))
        try:
            with use_access(access):
                counts = import_indicators(access, organisation, data, filename=path.name)
        except IndicatorImportRejected as exc:
            raise CommandError(
                f"Import geweigerd; er is niets opgeslagen ({len(exc.errors)} fout{'en' if len(exc.errors) != 1 else ''}):\n"
                + "\n".join(exc.errors)
            ) from None
        self.stdout.write(f"Gebiedsindicatoren voor {organisation.name}: {counts['nieuw']} nieuw, {counts['bijgewerkt']} bijgewerkt.")
