"""`regie settings-doc`: print docs/configuration.md from the declared environment variables."""

from django.conf import settings
from django.core.management.base import BaseCommand

from regie.conf import env


class Command(BaseCommand):
    help = "Print the Markdown reference of every environment variable (docs/configuration.md)."

    def handle(self, *args, **options):
        settings.INSTALLED_APPS  # noqa: B018  (importing the settings registers every variable)
        self.stdout.write(env.render_markdown(), ending="")
