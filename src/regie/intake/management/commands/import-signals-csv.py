from ._import import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a CSV file of signals (UTF-8, ';' or ',', format in docs/import-formats.md) for a municipality. "
        "All rows or none: on any error nothing is written and every error is listed."
    )
    kind = "csv"
