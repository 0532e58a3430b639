from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regie.subjects import imports
from regie.subjects.imports.csvfile import MAX_BYTES

from ._gemeente import actor, municipality


class Command(BaseCommand):
    help = (
        "Import a register extract (kvk, bag or brp; CSV as in docs/imports.md) for a municipality. "
        "All rows or none: on any error nothing is written and every error is listed with its line."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(imports.KINDS), help="Which register the extract comes from.")
        parser.add_argument("file", help="Path of the CSV file.")
        parser.add_argument("--gemeente", required=True, help="Code of the municipality, e.g. GM0307.")

    def handle(self, *args, kind, file, gemeente, **options):
        organisation = municipality(gemeente)
        path = Path(file)
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Bestand ‘{file}’ kan niet worden gelezen: {exc.strerror or exc}.") from exc
        result = imports.run(actor(organisation, "import-register"), kind, data, filename=path.name)
        if not result.ok:
            raise CommandError(
                f"Import geweigerd; er is niets opgeslagen ({len(result.errors)} fout(en)):\n" + "\n".join(result.messages)
            )
        summary = ", ".join(f"{name.replace('_', ' ')}: {n}" for name, n in result.counts.items())
        self.stdout.write(f"{kind.upper()}-extract geïmporteerd voor {organisation.name} ({summary}).")
