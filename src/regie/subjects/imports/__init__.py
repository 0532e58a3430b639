"""Register extracts shaped like KvK, BAG and BRP from CSV (layouts in ``docs/imports.md``).

:func:`parse` is pure: bytes in, numbered rows out, or :class:`ImportRejected` with every error
(never another exception). :func:`run` validates every row against the registry too, then writes
all rows or none in one transaction with bulk writes, a provenance statement per imported fact
row and one audit entry for the import. Rows that name an existing subject by its strong
identifier (BSN; KvK-nummer + vestigingsnummer; BAG nummeraanduiding or postcode + huisnummer +
huisletter + toevoeging) update it instead of registering it twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access

from ..incremental import propose_many
from ..models import Company, MatchCandidate, Person, Statement
from . import bag, brp, kvk
from .csvfile import ImportRejected, LineError, Row, read_rows
from .store import Provenance

KINDS = {"kvk": kvk, "bag": bag, "brp": brp}

__all__ = ["KINDS", "ImportRejected", "ImportResult", "LineError", "parse", "run"]


@dataclass
class ImportResult:
    kind: str
    counts: dict = field(default_factory=dict)
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]


def parse(kind: str, data: bytes) -> list[Row]:
    module = KINDS[kind]
    return read_rows(data, module.COLUMNS, module.REQUIRED)


def run(access: Access, kind: str, data: bytes, *, filename: str = "", partner=None, request=None) -> ImportResult:
    """Import one extract for ``access``'s organisation: all rows or none."""
    if kind not in KINDS:
        return ImportResult(kind, errors=[LineError(None, f"Onbekende soort register ‘{kind}’ (kvk, bag of brp).")])
    if access is None or access.organisation_id is None:
        raise ValueError("an import writes for one organisation")
    module = KINDS[kind]
    try:
        rows = parse(kind, data)
    except ImportRejected as exc:
        return ImportResult(kind, errors=exc.errors)
    try:
        with transaction.atomic():
            errors: list[LineError] = []
            stores, planned = module.prepare(access, rows, errors)
            if errors:
                raise ImportRejected(errors)
            provenance = Provenance(access, module.SOURCE, filename or f"{kind}.csv", partner=partner)
            counts = module.write(access, planned, stores, provenance)
            counts["herkomst"] = provenance.save()
            # issue 8 point 4: every imported person and company against the registry, one index per kind
            counts["kandidaten"] = propose_many(
                access, [obj for _, obj, _, _ in provenance.rows if isinstance(obj, (Person, Company))],
                source=MatchCandidate.Source.IMPORT, reference=filename or f"{kind}.csv", request=request,
            )
            counts["regels"] = len(rows)
            record(AuditEntry.Action.CREATE, model=Statement, access=access, request=request,
                   detail={"import": kind, "bestand": filename[:200], "bron": module.SOURCE, **counts})
    except ImportRejected as exc:
        return ImportResult(kind, errors=exc.errors)
    except IntegrityError:
        # a person with one of these BSNs above the caller's clearance, or registered at this moment
        return ImportResult(kind, errors=[LineError(None, (
            "Er is niets opgeslagen: een persoon met een van deze BSN's staat al in het register buiten uw zicht, "
            "of het register is tijdens de import gewijzigd. Vraag de coördinator om het bestand te importeren."
        ))])
    return ImportResult(kind, counts=counts)
