from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.demo import builder
from regie.organisations.access import system_access


class Command(BaseCommand):
    help = "Build the reproducible, fictitious demo municipality (Gemeente Ravenstede) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random generator (same seed, same data).")
        parser.add_argument(
            "--scale", type=float, default=1.0,
            help="Multiplies the number of persons, companies and addresses (1 = 3,000 persons; 1000 = 3 million).",
        )
        parser.add_argument("--batch", type=int, default=5000, help="Rows per bulk insert.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing (but print the logins) if the demo exists.")

    def handle(self, *args, seed, scale, batch, if_empty, **options):
        if scale <= 0:
            raise CommandError("--scale moet groter dan 0 zijn.")
        if batch < 1:
            raise CommandError("--batch moet minstens 1 zijn.")
        with system_access(f"demo-data --seed {seed} --scale {scale}"), transaction.atomic():
            if builder.exists():
                if not if_empty:
                    raise CommandError(
                        "De demogemeente bestaat al in deze database. Verwijder de database (var/) om opnieuw te beginnen."
                    )
                self.stdout.write("De demogemeente bestaat al; er is niets toegevoegd.")
            else:
                summary = builder.build(seed=seed, scale=scale, batch=batch)
                record(AuditEntry.Action.SYSTEM, detail={"command": "demo-data", "seed": seed, "scale": scale, **summary.counts})
                self.stdout.write(self.style.SUCCESS("Demogemeente aangemaakt: " + ", ".join(f"{n} {k}" for k, n in summary.counts.items())))
        self.print_logins()

    def print_logins(self):
        from django_otp.oath import totp

        secret = __import__("base64").b32encode(bytes.fromhex(builder.DEMO_TOTP_KEY)).decode()
        self.stdout.write("")
        self.stdout.write("Demo-logins (fictief; alleen voor deze demo):")
        self.stdout.write(f"  wachtwoord voor iedereen:  {builder.DEMO_PASSWORD}")
        self.stdout.write(f"  TOTP-geheim (authenticator-app, base32): {secret}")
        self.stdout.write(f"  huidige verificatiecode:   {totp(bytes.fromhex(builder.DEMO_TOTP_KEY)):06d}  (opnieuw: regie totp-code)")
        for username, role, org, _ in builder.DEMO_USERS:
            self.stdout.write(f"  {username:<24} {role.label} — {org or builder.MUNICIPALITY}")
