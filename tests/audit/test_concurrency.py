"""Writers in parallel threads still form one gap-free, valid chain.

On PostgreSQL the threads write to the test database itself. SQLite's in-memory test database
is opened in shared-cache mode, whose table locks fail at once instead of waiting, unlike the
embedded default (a file in WAL mode with a busy timeout and IMMEDIATE transactions). So on
SQLite the migrated test schema is copied into a file and the threads write there, with the
production connection options.
"""

import sqlite3
import threading

import pytest
from django.db import connection, connections

from regie.audit import chain
from regie.audit.models import AuditEntry, AuditHead
from regie.audit.services import record, record_many
from regie.organisations.access import Access

THREADS = 6
PER_THREAD = 15
#: every third step writes a bundle of three entries
ENTRIES = THREADS * (PER_THREAD + 2 * sum(1 for i in range(PER_THREAD) if i % 3 == 2))


@pytest.fixture
def database_name(tmp_path):
    """The database the writer threads use: None for the test database itself."""
    if connection.vendor != "sqlite":
        return None
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "audit.sqlite3")
    connection.connection.backup(target)
    target.close()
    return str(tmp_path / "audit.sqlite3")


def in_thread(database_name, work, *args):
    """Run ``work`` on a connection of its own; return a thread and a list for its outcome."""
    outcome = []

    def run():
        if database_name:
            own = connections["default"]
            own.settings_dict = {**own.settings_dict, "NAME": database_name}
        try:
            outcome.append(work(*args))
        except Exception as exc:  # reported by the test below
            outcome.append(exc)
        finally:
            connections["default"].close()

    return threading.Thread(target=run), outcome


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_form_one_valid_chain(database_name):
    start = threading.Barrier(THREADS)

    def write(n):
        access = Access(
            user_id=1000 + n, username=f"schrijver-{n}", organisation_id=None, organisation_name="", role="analist", clearance=7
        )
        start.wait()
        seqs = []
        for i in range(PER_THREAD):
            if i % 3 == 1:
                seqs.append(record(AuditEntry.Action.SEARCH, access=access, detail={"thread": n, "i": i}).seq)
            elif i % 3 == 2:  # a bundle: three entries under one lock of the head, consecutive
                bundle = record_many([dict(action=AuditEntry.Action.CREATE, access=access, detail={"thread": n, "i": i, "j": j}) for j in range(3)])
                assert [e.seq for e in bundle] == list(range(bundle[0].seq, bundle[0].seq + 3))
                seqs += [e.seq for e in bundle]
            else:
                seqs.append(chain.append(action=AuditEntry.Action.SYSTEM, username=f"schrijver-{n}", detail={"thread": n, "i": i}).seq)
        return seqs

    workers = [in_thread(database_name, write, n) for n in range(THREADS)]
    for thread, _ in workers:
        thread.start()
    for thread, _ in workers:
        thread.join(timeout=120)
    results = [outcome[0] for _, outcome in workers]
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors

    # every thread saw its own entries in order, and no two writers got the same number
    for seqs in results:
        assert seqs == sorted(seqs)
    all_seqs = sorted(s for seqs in results for s in seqs)
    assert all_seqs == list(range(1, ENTRIES + 1))

    def check():
        rows = list(AuditEntry.objects.order_by("seq"))
        head = AuditHead.objects.get(pk=1)
        return chain.verify(batch_size=7), len(rows), (head.seq, head.hash == rows[-1].hash), {
            (r.detail["thread"], r.detail["i"]) for r in rows
        }

    checker, outcome = in_thread(database_name, check)
    checker.start()
    checker.join(timeout=60)
    verified, count, head, written = outcome[0]
    assert verified == (ENTRIES, None)
    assert count == ENTRIES
    assert head == (ENTRIES, True)
    assert written == {(n, i) for n in range(THREADS) for i in range(PER_THREAD)}
