from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from regie.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue an API token for a user. The token is printed once; only its hash is stored."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="api", help="What the token is for.")
        parser.add_argument("--days", type=int, default=90, help="Days until the token expires (0 = never).")

    def handle(self, *args, username, name, days, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Geen actieve gebruiker '{username}'.")
        if days < 0:
            raise CommandError("--days mag niet negatief zijn.")
        expires = timezone.now() + timedelta(days=days) if days else None
        _, raw = ApiToken.issue(user, name, expires_at=expires)
        self.stdout.write(raw)
