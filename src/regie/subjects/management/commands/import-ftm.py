from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regie.subjects import ftm_import
from regie.subjects.imports.csvfile import MAX_BYTES

from ._gemeente import actor, municipality


class Command(BaseCommand):
    help = (
        "Import FollowTheMoney entities (JSON lines) into a municipality's registry. "
        "All entities or none: on any error nothing is written and every error is listed with its line."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the .jsonl file.")
        parser.add_argument("--gemeente", required=True, help="Code of the municipality, e.g. GM0307.")

    def handle(self, *args, file, gemeente, **options):
        organisation = municipality(gemeente)
        try:
            data = Path(file).open("rb").read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Bestand ‘{file}’ kan niet worden gelezen: {exc.strerror or exc}.") from exc
        result = ftm_import.run(actor(organisation, "import-ftm"), data, filename=Path(file).name)
        if not result.ok:
            raise CommandError(
                f"Import geweigerd; er is niets opgeslagen ({len(result.errors)} fout(en)):\n" + "\n".join(result.messages)
            )
        summary = ", ".join(f"{name.replace('_', ' ')}: {n}" for name, n in result.counts.items())
        self.stdout.write(f"FollowTheMoney-bestand geïmporteerd voor {organisation.name} ({summary}).")
