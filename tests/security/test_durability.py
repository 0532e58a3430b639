"""Crash durability (issue 13, point 3): SIGKILL the application server in the middle of writes.

gunicorn (master and workers) serves the PostgreSQL test database while partner systems deliver
signals concurrently through the API. Once deliveries are flowing, the whole server is killed
with SIGKILL — no graceful shutdown, requests in flight are cut off — then started again and
given a few more deliveries. Afterwards:

* every delivery the client saw acknowledged (201 with a reference) is stored exactly once;
* at most the requests that were in flight at the kill are stored without an acknowledgement;
* no signal is half-written: each has its one RECEIVED event, all of its subject links and
  themes, and its one audit entry; no audit entry points at a signal that does not exist;
* the audit chain verifies (`regie audit-verify`), across the crash and the restart.

SQLite is left out: its test database is an in-memory database that a separate server process
cannot open. The server is started with `bench/intake/run.py`'s launcher (the same one the
intake benchmark uses), against the test database that pytest-django created.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import threading
import time
from datetime import date
from io import StringIO
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from bench.intake.run import HOST, Server, clean_env
from regie.accounts.models import ApiToken
from regie.accounts.roles import Role
from regie.audit.chain import verify
from regie.audit.models import AuditEntry
from regie.intake import services
from regie.intake.models import Signal, SignalEvent, SignalSubject
from regie.organisations.models import Region, RegionMembership
from tests.conftest import restore_standard_themes

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the server process must see committed rows
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL: a separate gunicorn process cannot open SQLite's in-memory test database",
    ),
]

CLIENTS = 6
ACKNOWLEDGED_BEFORE_KILL = 12  # kill once this many deliveries were acknowledged
DEADLINE = 60  # seconds for the whole load phase; the test fails rather than hang
BSNS = ["999990019", "999990020", "999990032", "999990044", "999990056"]  # test BSNs (elfproef)


def database_url() -> str:
    db = connection.settings_dict
    user, password = quote(db["USER"] or "", safe=""), quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def payload(gemeente: int, client: int, n: int) -> dict:
    """A delivery with one to three subjects; its text carries a unique mark to find it again."""
    subjects = [{"soort": "persoon", "naam": f"Persoon {client}-{n}", "bsn": BSNS[(client + n) % len(BSNS)]}]
    if n % 2:
        subjects.append({"soort": "bedrijf", "naam": f"Handel {client} B.V.", "kvk_nummer": f"{10_000_000 + client}"})
    if n % 3 == 0:
        subjects.append({"soort": "voertuig", "kenteken": f"{10 + client}-XZ-{n % 9 + 1}"})
    return {
        "gemeente": gemeente,
        "omschrijving": f"Hennepgeur en afgeplakte ramen [DUR-{client}-{n}]",
        "adres": {"postcode": f"{1000 + client} AB", "huisnummer": n + 1, "straat": "Molenweg"},
        "themas": ["drugs-productie", "vastgoed"][: 1 + n % 2],
        "subjecten": subjects,
    }


class Deliveries:
    """Partner systems posting signals from threads until told to stop; what each one saw."""

    def __init__(self, gemeente: int, token: str):
        self.gemeente, self.token = gemeente, token
        self.lock = threading.Lock()
        self.sent: dict[str, dict] = {}  # mark -> payload, for every request that was started
        self.acknowledged: dict[str, str] = {}  # reference -> mark
        self.refused: list[tuple[int, str]] = []  # an HTTP answer other than 201
        self.cut_off = 0  # requests without an answer (connection reset by the kill)
        self.stop = threading.Event()

    def run(self, port: int, client: int, first: int) -> None:
        headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
        n = first
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while not self.stop.is_set():
            body = payload(self.gemeente, client, n)
            mark = f"DUR-{client}-{n}"
            with self.lock:
                self.sent[mark] = body
            n += 1
            try:
                conn.request("POST", "/api/v1/signalen/", body=json.dumps(body), headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.cut_off += 1
                return  # the server is gone: this partner stops
            with self.lock:
                if response.status == 201:
                    self.acknowledged[json.loads(data)["kenmerk"]] = mark
                else:
                    self.refused.append((response.status, data[:300].decode(errors="replace")))
        conn.close()

    def start(self, port: int, first: int) -> list[threading.Thread]:
        self.stop.clear()
        threads = [threading.Thread(target=self.run, args=(port, c, first), daemon=True) for c in range(CLIENTS)]
        for thread in threads:
            thread.start()
        return threads


@pytest.fixture
def partner_token(orgs, make_user):
    restore_standard_themes()  # an earlier transactional test's flush may have emptied the catalogue
    town = orgs["a"]
    services.install_default_rules(town)
    region = Region.objects.create(name="RIEC-regio Duurzaam", kind=Region.Kind.RIEC_REGIO)
    for org in (town, orgs["politie"]):
        RegionMembership.objects.create(organisation=org, region=region, valid_from=date(2020, 1, 1))
    partner = make_user(role=Role.PARTNER, org=orgs["politie"], device=False)
    return town.pk, ApiToken.issue(partner, "duurzaamheid")[1]


@pytest.fixture
def servers():
    """The servers a test starts; any still running when it ends (a failed assertion) is killed."""
    started: list[Server] = []
    yield started
    for server in started:
        if server.proc.poll() is None:
            kill_server(server)


def start_server(tmp_path, tag: str) -> Server:
    data_dir = tmp_path / tag
    data_dir.mkdir()
    extra = {"SECRET_KEY": settings.SECRET_KEY}
    if settings.REGIE_AUDIT_KEY:
        extra["REGIE_AUDIT_KEY"] = settings.REGIE_AUDIT_KEY  # the same chain key as this process
    return Server(data_dir, clean_env(data_dir, database_url(), extra), workers=2, threads=2)


def kill_server(server: Server) -> None:
    """SIGKILL the master and every worker at once (the server runs in a session of its own)."""
    os.killpg(server.proc.pid, signal.SIGKILL)
    server.proc.wait(timeout=30)
    server.log.close()


def test_a_killed_server_leaves_no_half_written_delivery_and_a_valid_chain(partner_token, tmp_path, servers):
    gemeente, token = partner_token
    deliveries = Deliveries(gemeente, token)
    deadline = time.monotonic() + DEADLINE

    server = start_server(tmp_path, "before")
    servers.append(server)
    threads = deliveries.start(server.port, first=0)
    while len(deliveries.acknowledged) < ACKNOWLEDGED_BEFORE_KILL and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(deliveries.acknowledged) >= ACKNOWLEDGED_BEFORE_KILL, server.log_path.read_text()[-3000:]
    kill_server(server)
    for thread in threads:
        thread.join(timeout=40)
    acknowledged_before = len(deliveries.acknowledged)
    assert deliveries.cut_off >= 1, "the kill cut off no request in flight: it did not happen mid-write"

    # a new server on the same database: deliveries go on, the chain continues
    server = start_server(tmp_path, "after")
    servers.append(server)
    threads = deliveries.start(server.port, first=1000)
    while len(deliveries.acknowledged) < acknowledged_before + CLIENTS and time.monotonic() < deadline:
        time.sleep(0.05)
    deliveries.stop.set()
    for thread in threads:
        thread.join(timeout=40)
    server.stop()
    assert len(deliveries.acknowledged) >= acknowledged_before + CLIENTS
    assert deliveries.refused == []

    signals = {s.reference: s for s in Signal.unscoped.all()}
    # every acknowledged delivery exists, exactly once (references are unique), with its own text
    assert set(deliveries.acknowledged) <= set(signals)
    for reference, mark in deliveries.acknowledged.items():
        assert f"[{mark}]" in signals[reference].text
    marks = [s.text.rsplit("[", 1)[1].rstrip("]") for s in signals.values()]
    assert len(marks) == len(set(marks)), "a delivery was stored twice"
    # stored without an acknowledgement: only requests that were cut off by the kill
    unacknowledged = set(signals) - set(deliveries.acknowledged)
    print(f"acknowledged {len(deliveries.acknowledged)} ({acknowledged_before} before the kill), cut off {deliveries.cut_off}, "
          f"stored {len(signals)}, stored without acknowledgement {len(unacknowledged)}")
    assert len(unacknowledged) <= deliveries.cut_off

    # nothing half-written: each signal is complete
    for signal_row in signals.values():
        mark = signal_row.text.rsplit("[", 1)[1].rstrip("]")
        sent = deliveries.sent[mark]
        events = SignalEvent.objects.filter(signal=signal_row, kind=SignalEvent.Kind.RECEIVED)
        assert events.count() == 1, mark
        mentions = SignalSubject.objects.filter(signal=signal_row).exclude(as_written="locatie van het signaal")
        assert mentions.count() == len(sent["subjecten"]), mark  # a new address is linked as well, not counted
        assert signal_row.themes.count() == len(sent["themas"]), mark
        assert signal_row.address_id is not None, mark
    audited = list(
        AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_type="intake.signal").values_list("object_id", flat=True)
    )
    assert sorted(audited) == sorted(str(s.pk) for s in signals.values())  # one each, none dangling

    # the chain verifies, through the crash
    checked, problem = verify()
    assert problem is None, problem
    assert checked >= len(signals)
    out = StringIO()
    call_command("audit-verify", stdout=out)
    assert "Audit-log in orde" in out.getvalue()
