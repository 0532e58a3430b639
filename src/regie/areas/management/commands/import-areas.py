"""``regie import-areas --gemeente GM9901 grenzen.geojson``: wijk and buurt boundaries, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regie.accounts.roles import AREAS
from regie.areas.geo import MAX_BYTES, AreaImportRejected, import_areas
from regie.organisations.access import organisation_access, use_access
from regie.organisations.models import Organisation


class Command(BaseCommand):
    help = "Importeer wijk- en buurtgrenzen (GeoJSON, WGS84) met hun CBS-codes voor één gemeente."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the GeoJSON file (a FeatureCollection, see docs/imports.md).")
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
        access = organisation_access(organisation, "beheercommando import-areas", frozenset({AREAS}))
        try:
            with use_access(access):
                counts = import_areas(access, organisation, data, filename=path.name)
        except AreaImportRejected as exc:
            raise CommandError(
                f"Import geweigerd; er is niets opgeslagen ({len(exc.errors)} fout{'en' if len(exc.errors) != 1 else ''}):\n"
                + "\n".join(exc.errors)
            ) from None
        self.stdout.write(
            f"Gebieden geïmporteerd voor {organisation.name}: {counts['wijken_nieuw']} wijk(en) nieuw, "
            f"{counts['wijken_bijgewerkt']} bijgewerkt; {counts['buurten_nieuw']} buurt(en) nieuw, "
            f"{counts['buurten_bijgewerkt']} bijgewerkt; {counts.get('adressen_heringedeeld', 0)} adres(sen) heringedeeld."
        )
