"""The hash chain: `regie audit-verify` passes a clean log and names the first tampered row.

Tampering goes around the application as a database administrator would: switch off the
append-only trigger with raw SQL on the test connection, then change the table directly.
"""

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory, override_settings

from regie.accounts.models import User
from regie.accounts.roles import Role
from regie.audit import chain
from regie.audit.models import AppendOnlyError, AuditEntry, AuditHead
from regie.audit.services import record
from regie.subjects.models import Person
from tests.conftest import as_user

A = AuditEntry.Action
TABLE = AuditEntry._meta.db_table


def verify_command():
    out = StringIO()
    call_command("audit-verify", stdout=out)
    return out.getvalue()


def assert_broken(kind, seq):
    with pytest.raises(CommandError) as excinfo:
        verify_command()
    message = str(excinfo.value)
    assert message.startswith("Audit-log NIET in orde")
    assert f"{kind} bij regel {seq}:" in message
    assert excinfo.value.returncode == 1  # `regie audit-verify` exits non-zero
    _, problem = chain.verify()
    assert (problem.kind, problem.seq) == (kind, seq)
    return message


def switch_off_append_only():
    """What a database administrator with owner rights can do; rolled back with the test."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER regie_audit_no_update")
            cursor.execute("DROP TRIGGER regie_audit_no_delete")
        elif connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER regie_audit_append_only")
        else:  # pragma: no cover
            pytest.skip(f"no append-only trigger on {connection.vendor}")


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@pytest.fixture
def log(orgs, make_user):
    """Five entries of real use: a login, a list, a view with purpose, an update and a logout."""
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    with as_user(user) as access:
        person = Person.objects.create(owner=orgs["a"], surname="Visser")
        record(A.LOGIN, access=access)
        record(A.LIST, model=Person, detail={"q": "", "shown": [person.pk]})
        record(A.VIEW, obj=person, purpose="Onderzoek in een casus: casus 2026-014")
        record(A.UPDATE, obj=person, detail={"fields": ["surname"]})
        record(A.LOGOUT, access=access)
    assert AuditEntry.objects.count() == 5
    return user


def test_clean_log_passes(log):
    output = verify_command()
    assert "Audit-log in orde: 5 regels gecontroleerd." in output
    assert chain.verify() == (5, None)


def test_empty_log_passes(db):
    assert "Audit-log in orde: 0 regels gecontroleerd." in verify_command()


@pytest.mark.parametrize("batch_size", [1, 2, 3, 5000])
def test_verify_reads_in_batches(log, batch_size):
    assert chain.verify(batch_size=batch_size) == (5, None)
    switch_off_append_only()
    raw(f"DELETE FROM {TABLE} WHERE seq = 4")
    _, problem = chain.verify(batch_size=batch_size)
    assert (problem.kind, problem.seq) == ("verwijderd", 4)


def test_chain_links_each_row_to_the_one_before(log):
    rows = list(AuditEntry.objects.order_by("seq"))
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == chain.GENESIS
    for before, after in zip(rows, rows[1:]):
        assert after.prev_hash == before.hash
    head = AuditHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (5, rows[-1].hash)


def test_values_survive_the_database_round_trip(orgs, make_user):
    """What is hashed is what the database gives back: dates, decimals, accents, IPv6."""
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    request = RequestFactory().get("/", REMOTE_ADDR="2001:0DB8:0000:0000:0000:0000:0000:0001")
    with as_user(user):
        record(
            A.EXPORT,
            model=Person,
            detail={"op": date(2026, 3, 12), "bedrag": Decimal("12.50"), "naam": "Zoë d'Ancona", "lijst": [3, 1, {"b": 1, "a": 2}]},
            request=request,
        )
        record(A.VIEW, model=Person, object_id=7, request=RequestFactory().get("/", REMOTE_ADDR="::ffff:192.0.2.1"))
    assert chain.verify() == (2, None)


def test_unusable_client_address_does_not_break_logging(orgs, make_user):
    user = make_user(role=Role.COORDINATOR, org=orgs["a"])
    with as_user(user):
        for address in ("", "unknown", "10.0.0.1, 10.0.0.2"):
            entry = record(A.LIST, model=Person, request=RequestFactory().get("/", REMOTE_ADDR=address))
            assert entry.ip_address is None
    assert chain.verify() == (3, None)


@pytest.mark.parametrize(
    "column, value",
    [
        ("username", "iemand-anders"),
        ("action", "list"),
        ("object_id", "999"),
        ("purpose", "Kwaliteitscontrole of audit: achteraf verzonnen"),
        ("role", "privacy_officer"),
        ("organisation_name", "Gemeente Bedorp"),
        ("hash", "f" * 64),
    ],
)
def test_altered_row_is_reported(log, column, value):
    switch_off_append_only()
    assert raw(f"UPDATE {TABLE} SET {column} = %s WHERE seq = 3", [value]) == 1

    message = assert_broken("gewijzigd", 3)
    assert "regel 3 is na het schrijven gewijzigd" in message


def test_altered_time_is_reported(log):
    switch_off_append_only()
    entry = AuditEntry.objects.get(seq=2)
    raw(f"UPDATE {TABLE} SET at = %s WHERE seq = 2", [entry.at - timedelta(hours=3)])
    assert_broken("gewijzigd", 2)


def test_altered_detail_is_reported(log):
    switch_off_append_only()
    entry = AuditEntry.objects.get(seq=2)
    detail = '{"q": "", "shown": []}'
    if connection.vendor == "postgresql":
        raw(f"UPDATE {TABLE} SET detail = %s::jsonb WHERE seq = 2", [detail])
    else:
        raw(f"UPDATE {TABLE} SET detail = %s WHERE seq = 2", [detail])
    assert AuditEntry.objects.get(seq=2).detail != entry.detail
    assert_broken("gewijzigd", 2)


def test_altered_first_row_is_reported(log):
    switch_off_append_only()
    raw(f"UPDATE {TABLE} SET username = %s WHERE seq = 1", ["x"])
    assert_broken("gewijzigd", 1)


def test_deleted_row_in_the_middle_is_reported(log):
    switch_off_append_only()
    assert raw(f"DELETE FROM {TABLE} WHERE seq = 3") == 1

    message = assert_broken("verwijderd", 3)
    assert "ontbreken vóór regel 4" in message


def test_deleted_first_row_is_reported(log):
    switch_off_append_only()
    raw(f"DELETE FROM {TABLE} WHERE seq = 1")
    assert_broken("verwijderd", 1)


def test_deleted_tail_is_reported(log):
    switch_off_append_only()
    assert raw(f"DELETE FROM {TABLE} WHERE seq >= 4") == 2

    message = assert_broken("verwijderd", 4)
    assert "4 t/m 5 ontbreken aan het einde" in message


def test_deleted_last_row_is_reported(log):
    switch_off_append_only()
    raw(f"DELETE FROM {TABLE} WHERE seq = 5")
    assert_broken("verwijderd", 5)


def _forged(seq, prev_hash):
    """A row as someone without the chain key would write it."""
    entry = AuditEntry(
        seq=seq,
        at=AuditEntry.objects.get(seq=2).at,
        username="coordinator-1",
        action=A.VIEW,
        object_type="subjects.person",
        object_id="1",
        prev_hash=prev_hash,
        hash="",
    )
    entry.hash = hashlib.sha256(prev_hash.encode()).hexdigest()  # plausible looking, wrong key
    return entry


def test_row_inserted_at_the_end_is_reported(log):
    last = AuditEntry.objects.get(seq=5)
    _forged(6, last.hash).save(force_insert=True)  # inserting needs no trigger switched off

    message = assert_broken("ingevoegd", 6)
    assert "regel 6 staat na de laatst geschreven regel 5" in message


def test_row_inserted_in_the_middle_is_reported(log):
    switch_off_append_only()
    # make room after row 3, as an intruder renumbering the rows would
    raw(f"UPDATE {TABLE} SET seq = 106 WHERE seq = 5")
    raw(f"UPDATE {TABLE} SET seq = 105 WHERE seq = 4")
    raw(f"UPDATE {TABLE} SET seq = seq - 100 WHERE seq > 100")
    _forged(4, AuditEntry.objects.get(seq=3).hash).save(force_insert=True)

    message = assert_broken("ingevoegd", 4)
    assert "regel 4 is tussengevoegd" in message


def test_another_key_fails_the_whole_log(log):
    with override_settings(REGIE_AUDIT_KEY="een-andere-sleutel"):
        assert_broken("gewijzigd", 1)
    assert chain.verify() == (5, None)


class TestAppendOnly:
    def test_orm_refuses_to_change_an_entry(self, log):
        entry = AuditEntry.objects.get(seq=3)
        entry.username = "iemand-anders"
        attempts = [
            entry.save,
            lambda: AuditEntry.objects.filter(seq=3).update(username="iemand-anders"),
            lambda: AuditEntry.objects.bulk_update([entry], ["username"]),
            lambda: AuditEntry.objects.update_or_create(seq=3, defaults={"username": "iemand-anders"}),
        ]
        for attempt in attempts:
            with pytest.raises(AppendOnlyError), transaction.atomic():
                attempt()
        assert AuditEntry.objects.get(seq=3).username == log.username
        assert chain.verify() == (5, None)

    def test_orm_refuses_to_delete_entries(self, log):
        attempts = [
            AuditEntry.objects.get(seq=3).delete,
            AuditEntry.objects.filter(seq__gte=4).delete,
            AuditEntry.objects.all().delete,
        ]
        for attempt in attempts:
            with pytest.raises(AppendOnlyError), transaction.atomic():
                attempt()
        assert AuditEntry.objects.count() == 5
        assert chain.verify() == (5, None)

    def test_deleting_the_user_keeps_his_entries(self, log):
        User.objects.filter(pk=log.pk).delete()
        assert AuditEntry.objects.filter(user_id=log.pk).count() == 5
        assert chain.verify() == (5, None)

    @pytest.mark.parametrize(
        "sql",
        [
            f"UPDATE {TABLE} SET username = 'iemand-anders' WHERE seq = 3",
            f"UPDATE {TABLE} SET hash = prev_hash",
            f"DELETE FROM {TABLE} WHERE seq = 3",
            f"DELETE FROM {TABLE}",
        ],
    )
    def test_database_refuses_raw_update_and_delete(self, log, sql):
        if connection.vendor not in ("sqlite", "postgresql"):  # pragma: no cover
            pytest.skip("the trigger exists for SQLite and PostgreSQL")
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic():
                raw(sql)
        assert AuditEntry.objects.count() == 5
        assert AuditEntry.objects.get(seq=3).username == log.username
        assert chain.verify() == (5, None)


def test_head_cannot_be_rolled_back_and_a_recorded_head_catches_tail_deletion(db):
    """Deleting the newest rows *and* rolling back the head is refused by the database; with the
    triggers dropped (a database administrator), a head recorded outside the database catches it."""
    from io import StringIO

    from django.core.management import CommandError, call_command
    from django.db import IntegrityError, connection, transaction

    from regie.audit.chain import append
    from regie.audit.models import AuditHead

    for n in range(3):
        append(action="system", detail={"n": n})
    out = StringIO()
    call_command("audit-verify", stdout=out)
    anchor = out.getvalue().strip().splitlines()[-1].split(": ", 1)[1]
    assert anchor.startswith("3:")
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - the DB raises its own error type
        AuditHead.objects.filter(pk=1).update(seq=2)
    with pytest.raises((IntegrityError, Exception)), transaction.atomic():  # noqa: B017
        AuditHead.objects.filter(pk=1).delete()
    # as an administrator: drop the triggers, delete the tail and roll the head back consistently
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cur.execute("ALTER TABLE audit_audithead DISABLE TRIGGER USER")
        else:
            for name in ("regie_audit_no_delete", "regie_audit_head_no_rollback"):
                cur.execute(f"DROP TRIGGER IF EXISTS {name}")
        cur.execute("SELECT hash FROM audit_auditentry WHERE seq = 2")
        second = cur.fetchone()[0]
        cur.execute("DELETE FROM audit_auditentry WHERE seq = 3")
        cur.execute("UPDATE audit_audithead SET seq = 2, hash = %s WHERE id = 1", [second])
    call_command("audit-verify", stdout=StringIO())  # the chain alone cannot tell
    with pytest.raises(CommandError, match="verwijderd bij regel 3"):
        call_command("audit-verify", "--expect-head", anchor, stdout=StringIO())
