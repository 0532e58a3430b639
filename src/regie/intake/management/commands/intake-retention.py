"""`regie intake-retention`: remove signals that led to nothing once their term has passed."""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from regie.intake import retention


def _day(value: str):
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise CommandError(f"--now verwacht een datum als JJJJ-MM-DD, niet {value!r}.") from exc


class Command(BaseCommand):
    help = (
        "Delete signals that led to nothing (closed, or forwarded as not ondermijning) once "
        "REGIE_SIGNAL_RETENTION_DAYS have passed since closing, with their reporter, mentions, events, "
        "questions, photos and the subjects registered only for them. Logs counts, never personal data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted; change nothing.")
        parser.add_argument("--now", metavar="JJJJ-MM-DD", help="Run as if it were this day (start of the day, local time).")
        parser.add_argument("--days", type=int, help="Retention term in days (default: REGIE_SIGNAL_RETENTION_DAYS).")

    def handle(self, *args, dry_run=False, now=None, days=None, **options):
        moment = timezone.make_aware(datetime.combine(_day(now), time.min)) if now else None
        try:
            outcome = retention.run(now=moment, days=days, dry_run=dry_run)
        except ValueError as exc:
            raise CommandError(f"Ongeldige bewaartermijn: {exc}") from exc
        verb = "Zou verwijderen" if dry_run else "Verwijderd"
        totals = outcome.totals()
        self.stdout.write(
            f"Bewaartermijn {outcome.days} dagen; gesloten voor {timezone.localtime(outcome.cutoff):%Y-%m-%d %H:%M}."
        )
        if not totals:
            self.stdout.write(self.style.SUCCESS("Niets te verwijderen."))
            return
        for kind, n in sorted(totals.items()):
            self.stdout.write(f"{verb}: {n} × {kind}")
        if dry_run:
            self.stdout.write(self.style.WARNING("Proefdraai: er is niets gewijzigd."))
        else:
            self.stdout.write(self.style.SUCCESS(f"{outcome.signals} signalen verwijderd; vastgelegd in het bewaartermijnlog en het audit-log."))
