from django.core.management.base import BaseCommand, CommandError

from regie.audit.chain import verify
from regie.audit.models import AuditHead


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the audit log; report the first altered, inserted or deleted row. "
        "Prints the head (sequence number and hash) to record outside the database; --expect-head "
        "compares with such a recorded head, which also catches deleting the newest rows together "
        "with rolling back the head."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect-head", metavar="SEQ:HASH",
            help="A head printed earlier; the log must still contain that row with that hash.",
        )

    def handle(self, *args, expect_head=None, **options):
        checked, problem = verify()
        if problem is not None:
            raise CommandError(f"Audit-log NIET in orde: {problem.kind} bij regel {problem.seq}: {problem.message}")
        if expect_head:
            self._check_anchor(expect_head)
        head = AuditHead.objects.filter(pk=1).first()
        self.stdout.write(self.style.SUCCESS(f"Audit-log in orde: {checked} regels gecontroleerd."))
        if head is not None:
            self.stdout.write(f"Kop (bewaar buiten de database): {head.seq}:{head.hash}")

    def _check_anchor(self, value: str) -> None:
        from regie.audit.models import AuditEntry

        seq_text, _, digest = value.partition(":")
        if not seq_text.isdigit() or len(digest) != 64:
            raise CommandError("--expect-head moet de vorm VOLGNUMMER:HASH hebben.")
        row = AuditEntry.objects.filter(seq=int(seq_text)).first()
        if row is None:
            raise CommandError(f"Audit-log NIET in orde: verwijderd bij regel {seq_text}: de eerder vastgelegde kop ontbreekt")
        if row.hash != digest:
            raise CommandError(f"Audit-log NIET in orde: gewijzigd bij regel {seq_text}: de hash wijkt af van de vastgelegde kop")
