from django.core.management.base import BaseCommand, CommandError

from regie.audit.chain import verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; report the first altered, inserted or deleted row."

    def handle(self, *args, **options):
        checked, problem = verify()
        if problem is not None:
            raise CommandError(f"Audit-log NIET in orde: {problem.kind} bij regel {problem.seq}: {problem.message}")
        self.stdout.write(self.style.SUCCESS(f"Audit-log in orde: {checked} regels gecontroleerd."))
