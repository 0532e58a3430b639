from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regie.subjects import ftm

from ._gemeente import actor, municipality


class Command(BaseCommand):
    help = (
        "Export a municipality's subjects and relations as FollowTheMoney entities (JSON lines, one per line). "
        "BSNs are never exported. Writes an audit EXPORT entry."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="Path of the .jsonl file to write.")
        parser.add_argument("--gemeente", required=True, help="Code of the municipality, e.g. GM0307.")

    def handle(self, *args, out, gemeente, **options):
        organisation = municipality(gemeente)
        lines = ftm.export_lines(actor(organisation, "export-ftm"))
        try:
            Path(out).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Bestand ‘{out}’ kan niet worden geschreven: {exc.strerror or exc}.") from exc
        self.stdout.write(f"{len(lines)} entiteiten geëxporteerd voor {organisation.name}.")
