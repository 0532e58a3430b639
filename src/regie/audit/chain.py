"""Writing and verifying the HMAC chain of the audit log."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db import transaction

from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64
FIELDS = (
    "seq", "at", "user_id", "username", "organisation_id", "organisation_name", "role",
    "action", "object_type", "object_id", "purpose", "detail", "ip_address",
)


def _key() -> bytes:
    key = getattr(settings, "REGIE_AUDIT_KEY", None)
    if key:
        return key.encode()
    return hashlib.sha256(b"regie-audit-chain:" + settings.SECRET_KEY.encode()).digest()


def _canonical(entry: AuditEntry) -> bytes:
    data = {}
    for name in FIELDS:
        value = getattr(entry, name)
        if name == "at":
            value = value.astimezone(dt_timezone.utc).isoformat(timespec="microseconds")
        data[name] = value
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False).encode()


def compute_hash(entry: AuditEntry, prev_hash: str) -> str:
    return hmac.new(_key(), prev_hash.encode() + b"|" + _canonical(entry), hashlib.sha256).hexdigest()


def append(**fields) -> AuditEntry:
    """Append one entry. Locks the head, so concurrent writers form one ordered chain."""
    return append_many([fields])[0]


def append_many(entries: list[dict]) -> list[AuditEntry]:
    """Append several entries in order, locking the head once (a bundle of signals writes one
    entry per signal; taking the lock per entry made the head the bottleneck under load)."""
    if not entries:
        return []
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        seq, prev, now = head.seq, head.hash, timezone.now()
        ip_field = AuditEntry._meta.get_field("ip_address")
        rows = []
        for fields in entries:
            seq += 1
            entry = AuditEntry(seq=seq, at=now, prev_hash=prev, **fields)
            # normalise the JSON detail and the IP address the way the database will give them back
            entry.detail = json.loads(json.dumps(entry.detail or {}, default=str))
            entry.ip_address = ip_field.get_prep_value(entry.ip_address) or None
            entry.hash = prev = compute_hash(entry, prev)
            rows.append(entry)
        if len(rows) == 1:
            rows[0].save(force_insert=True)
        else:
            AuditEntry.objects.bulk_create(rows)
        AuditHead.objects.filter(pk=1).update(seq=seq, hash=prev)
        return rows


@dataclass
class Problem:
    kind: str  # "gewijzigd", "ingevoegd", "verwijderd"
    seq: int
    message: str


def verify(batch_size: int = 5000) -> tuple[int, Problem | None]:
    """Walk the chain; return the number of rows checked and the first problem, if any."""
    prev_seq, prev_hash = 0, GENESIS
    checked = 0
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    rows = AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size)
    pending = None
    for row in rows:
        if pending is not None:
            problem = _check(pending, prev_seq, prev_hash, following=row, head_seq=head_seq)
            if problem:
                return checked, problem
            prev_seq, prev_hash = pending.seq, pending.hash
            checked += 1
        pending = row
    if pending is not None:
        problem = _check(pending, prev_seq, prev_hash, following=None, head_seq=head_seq)
        if problem:
            return checked, problem
        prev_seq, prev_hash = pending.seq, pending.hash
        checked += 1
    if head_seq > prev_seq:
        return checked, Problem(
            "verwijderd", prev_seq + 1, f"regels {prev_seq + 1} t/m {head_seq} ontbreken aan het einde van het log"
        )
    if head_seq < prev_seq or head_hash != prev_hash:
        return checked, Problem("ingevoegd", prev_seq, f"regel {prev_seq} staat na de laatst geschreven regel {head_seq}")
    return checked, None


def _check(row, prev_seq, prev_hash, following, head_seq) -> Problem | None:
    if row.seq > head_seq:
        return Problem("ingevoegd", row.seq, f"regel {row.seq} staat na de laatst geschreven regel {head_seq}")
    if compute_hash(row, row.prev_hash) != row.hash:
        if following is not None and following.prev_hash == prev_hash:
            return Problem("ingevoegd", row.seq, f"regel {row.seq} is tussengevoegd (de keten slaat haar over)")
        return Problem("gewijzigd", row.seq, f"regel {row.seq} is na het schrijven gewijzigd")
    if row.seq != prev_seq + 1 or row.prev_hash != prev_hash:
        if row.seq > prev_seq + 1:
            return Problem(
                "verwijderd", prev_seq + 1, f"regel(s) {prev_seq + 1} t/m {row.seq - 1} ontbreken vóór regel {row.seq}"
            )
        return Problem("ingevoegd", row.seq, f"regel {row.seq} past niet in de keten na regel {prev_seq}")
    return None
