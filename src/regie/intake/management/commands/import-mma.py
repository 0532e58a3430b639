from ._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import Meld Misdaad Anoniem reports (plain text or an .eml e-mail, format in docs/import-formats.md) "
        "for a municipality. All reports or none: on any error nothing is written and every error is listed."
    )
    kind = "mma"
