import base64
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from regie.accounts.models import User
from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import system_access
from regie.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Create a user in an organisation with a role. Prints a one-time password and, for roles that "
        "see personal data, the TOTP secret and otpauth:// URI to enrol an authenticator app."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="Exact name of the organisation.")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    @transaction.atomic
    def handle(self, *args, username, organisation, role, email, first_name, last_name, **options):
        org = Organisation.objects.filter(name=organisation).first()
        if org is None:
            raise CommandError(f"Organisatie '{organisation}' bestaat niet.")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Gebruiker '{username}' bestaat al.")
        password = secrets.token_urlsafe(15)
        user = User(username=username, organisation=org, role=role, email=email, first_name=first_name, last_name=last_name)
        try:
            validate_password(password, user)
        except ValidationError as exc:  # pragma: no cover - a random 20-character password passes
            raise CommandError(" ".join(exc.messages)) from exc
        user.set_password(password)
        user.save()
        with system_access(f"create-user {username}"):
            record(AuditEntry.Action.CREATE, model=User, object_id=user.pk, detail={"role": role, "organisation": org.name})
        self.stdout.write(f"Gebruiker {username} aangemaakt ({user.get_role_display()}, {org.name}).")
        self.stdout.write(f"Startwachtwoord (laat de gebruiker het wijzigen via Mijn account): {password}")
        if user.needs_second_factor:
            device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
            secret = base64.b32encode(device.bin_key).decode()
            self.stdout.write(f"TOTP-geheim (base32): {secret}")
            self.stdout.write(f"Registratie-URI: {device.config_url}")
