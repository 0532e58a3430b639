from django.core.management.base import BaseCommand, CommandError

from regie.matching.pairs import PairsError, match_pairs


class Command(BaseCommand):
    help = (
        "Score pairs of names (CSV in the layout of nomenklatura's name_bench: schema,name1,name2; "
        "further columns passed through) and write them with a score between 0 and 1 and an explanation."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="CSV with the columns schema,name1,name2 (UTF-8)")
        parser.add_argument("target", help="CSV to write: the same rows plus score and explanation")

    def handle(self, *args, source, target, **options):
        try:
            count = match_pairs(source, target)
        except PairsError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{count} paren gescoord, geschreven naar {target}.")
