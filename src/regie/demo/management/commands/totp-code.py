from django.core.management.base import BaseCommand

from regie.demo import builder


class Command(BaseCommand):
    help = "Print the current verification code of the demo users' fixed TOTP secret (demo only)."

    def handle(self, *args, **options):
        from django_otp.oath import totp

        self.stdout.write(f"{totp(bytes.fromhex(builder.DEMO_TOTP_KEY)):06d}")
