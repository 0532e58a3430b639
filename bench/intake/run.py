"""Intake throughput: signals per second through the partner API, and the public form under load.

Point 10 of the intake issue: sustained signals per second through the partner API
(``POST /api/v1/signalen/``) on SQLite and PostgreSQL on this machine, target at least 200/s with
zero errors; the public form (``/melden/<code>/``) under 50 concurrent submitters with zero errors.

    .venv/bin/python bench/intake/run.py                                  # SQLite only
    .venv/bin/python bench/intake/run.py --database-url postgres://u:p@127.0.0.1:5432/postgres
    .venv/bin/python bench/intake/run.py --databases postgresql --database-url ... --concurrency 8
    .venv/bin/python bench/intake/run.py --batch-sizes 100 --public-concurrency 0   # bundles only

The API is driven two ways (``--batch-sizes``, default ``1 100``): one signal per request
(``POST /api/v1/signalen/``) and bundles of up to 100 (``POST /api/v1/signalen/bundel/``).
Signals per second count stored signals, so a bundle counts each of its signals; requests per
second are reported next to them.

For every database the script migrates a template database once and builds a small fixture in
it (a municipality with the default triage rules and six buurten over its twelve four-digit
postcode areas, a police organisation in the same RIEC region, a partner user with an API token
from ``regie api-token``). The payloads' addresses lie in those postcode areas and recur, their
persons carry test BSNs (999 99x xxx) that recur too. Every run then gets a fresh copy of
that template: a file copy in a temporary directory for SQLite; ``CREATE DATABASE ... TEMPLATE``
on the server of ``--database-url`` for PostgreSQL (the role needs CREATEDB; the database named
in the URL is only used to create and drop the throw-away databases ``regie_bench_*``).

Each run starts ``gunicorn regie.wsgi:application`` on 127.0.0.1 with the shipped defaults
(REGIE_PRODUCTION and DEBUG unset, ALLOWED_HOSTS default), drives it from keep-alive
``http.client`` connections in threads for ``--warmup`` + ``--duration`` seconds at one
concurrency, stops it, and checks the database: every 201 answer is exactly one stored signal
(the returned references and the stored ones are the same set), no other signal was stored, each
signal has its audit entry and the audit chain verifies. Throughput counts the 201 answers that
completed inside the measured window; latencies are of every request completed in that window.
Each configuration runs ``--runs`` times; the summary gives the medians (throughput, p50, p95)
and the total number of errors over all runs. CPU is measured per stored signal for the gunicorn
processes and, when the PostgreSQL server runs on this machine, for the server's processes; the
share of the whole machine's CPU that was busy during the window (this benchmark and anything
else running) shows how quiet the machine was.

When ``GET /melden/<code>/`` answers 200, the public form is loaded too: ``--public-concurrency``
submitters, each a ``requests.Session`` that GETs the form (CSRF cookie and token) and POSTs a
report, repeatedly for the same window. The per-client rate limit is raised for the benchmark
(REGIE_PUBLIC_RATE_LIMIT), and REGIE_CACHE_DIR points at a shared file cache as it must with more
than one worker process. Without the form the script prints "skipped: no public form yet".

Only Regie's own figures are produced: the peer named in the issue (Signalen, Amsterdam's signal
intake) is not on a package registry and cannot be installed on this machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
REGIE = [sys.executable, "-m", "regie.manage"]
GUNICORN = [sys.executable, "-m", "gunicorn"]
API_PATH = "/api/v1/signalen/"
BUNDLE_PATH = "/api/v1/signalen/bundel/"
HOST = "127.0.0.1"
JSON_MARK = "BENCH-JSON:"
MUNICIPALITY_CODE = "GM9990"
PARTNER_USERNAME = "bench-partner"

# --------------------------------------------------------------------------------------------
# fixture and verification, run inside Regie with `regie shell -c`

#: the four-digit postcode areas of the benchmark municipality (a town has a handful); the
#: fixture's buurten cover them two by two, and every address in the payloads lies in one
PC4_AREAS = [str(n) for n in sorted(random.Random(4242).sample(range(1000, 10000), 12))]

SETUP = f"""
import json
from datetime import date
from regie.accounts.models import User
from regie.accounts.roles import Role
from regie.intake import services
from regie.organisations.models import Organisation, Region, RegionMembership

town = Organisation.objects.create(name="Gemeente Benchstad", kind=Organisation.Kind.GEMEENTE, code="{MUNICIPALITY_CODE}")
police = Organisation.objects.create(name="Politie Eenheid Bench", kind=Organisation.Kind.POLITIE)
region = Region.objects.create(name="RIEC-regio Bench", kind=Region.Kind.RIEC_REGIO)
for org in (town, police):
    RegionMembership.objects.create(organisation=org, region=region, valid_from=date(2020, 1, 1))
rules = services.install_default_rules(town)
from regie.areas.models import Buurt, Wijk
wijk = Wijk.objects.create(owner=town, code="WK999001", name="Benchstad-Centrum", confidentiality=1)
areas = {PC4_AREAS!r}
for n in range(0, len(areas), 2):
    Buurt.objects.create(owner=town, wijk=wijk, code=f"BU99900{{n:03d}}", name=f"Buurt {{n // 2 + 1}}",
                         postcode_areas=",".join(areas[n:n + 2]), confidentiality=1)
partner = User(username="{PARTNER_USERNAME}", role=Role.PARTNER, organisation=police, first_name="Bench", last_name="Partner")
partner.set_unusable_password()
partner.save()
print("{JSON_MARK}" + json.dumps({{"gemeente": town.pk, "rules": rules}}))
"""

VERIFY = f"""
import json
from django.db.models import Count
from regie.audit.chain import verify
from regie.audit.models import AuditEntry
from regie.intake.models import Signal
from regie.subjects.models import Person

refs = list(Signal.unscoped.values_list("reference", flat=True))
channels = dict(Signal.unscoped.values_list("channel").annotate(n=Count("id")))
audited = AuditEntry.objects.filter(action="create", object_type="intake.signal").values("object_id").distinct().count()
checked, problem = verify()
dup = Person.unscoped.exclude(bsn="").values("owner_id", "bsn").annotate(n=Count("id")).filter(n__gt=1)
print("{JSON_MARK}" + json.dumps({{
    "references": refs,
    "channels": channels,
    "audited_signals": audited,
    "audit_rows": checked,
    "audit_problem": None if problem is None else f"{{problem.kind}} {{problem.seq}}: {{problem.message}}",
    "persons": Person.unscoped.count(),
    "duplicate_bsn_groups": dup.count(),
    "duplicate_bsn_extra": sum(row["n"] - 1 for row in dup),
}}))
"""


def clean_env(data_dir: Path, database_url: str | None, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The shipped defaults: no REGIE_*/DJANGO_* from the caller, no DEBUG, no ALLOWED_HOSTS."""
    drop = {"DATABASE_URL", "DEBUG", "ALLOWED_HOSTS", "SECRET_KEY", "CSRF_TRUSTED_ORIGINS", "DATABASE_CONN_MAX_AGE"}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REGIE_", "DJANGO_")) and k not in drop}
    env.update({"REGIE_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "regie.settings", "PYTHONUNBUFFERED": "1"})
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra or {})
    return env


def regie(args: list[str], env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run([*REGIE, *args], env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"regie {' '.join(args[:2])} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def regie_json(code: str, env: dict[str, str], cwd: Path) -> dict:
    out = regie(["shell", "-c", code], env, cwd)
    for line in out.splitlines():
        if line.startswith(JSON_MARK):
            return json.loads(line[len(JSON_MARK):])
    raise RuntimeError(f"no result from regie shell:\n{out}")


# --------------------------------------------------------------------------------------------
# databases: a migrated template, and a fresh copy per run


@dataclass
class Fixture:
    gemeente: int
    token: str


class SqliteDatabase:
    name = "sqlite"
    label = "SQLite"

    def __init__(self, root: Path):
        self.root = root
        self.template = root / "template"

    def version(self) -> str:
        return f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL, BEGIN IMMEDIATE, busy timeout 20 s)"

    def prepare(self) -> Fixture:
        self.template.mkdir()
        env = clean_env(self.template, None)
        regie(["migrate", "--noinput", "-v", "0"], env, self.template)
        fixture = regie_json(SETUP, env, self.template)
        token = regie(["api-token", PARTNER_USERNAME, "--name", "benchmark", "--days", "1"], env, self.template).strip()
        # fold the WAL into the main file before copying
        with sqlite3.connect(self.template / "regie.sqlite3") as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return Fixture(fixture["gemeente"], token)

    def fresh(self, tag: str) -> tuple[Path, str | None]:
        data_dir = self.root / tag
        data_dir.mkdir()
        for suffix in ("", "-wal", "-shm"):
            source = self.template / f"regie.sqlite3{suffix}"
            if source.exists():
                shutil.copy(source, data_dir / source.name)
        return data_dir, None

    def drop(self, tag: str) -> None:
        shutil.rmtree(self.root / tag, ignore_errors=True)

    def close(self) -> None:
        pass


class PostgresDatabase:
    name = "postgresql"
    label = "PostgreSQL"

    def __init__(self, root: Path, url: str):
        import psycopg  # the main dependency of Regie on PostgreSQL

        self.psycopg = psycopg
        self.root = root
        self.url = url
        self.prefix = f"regie_bench_{os.getpid()}_{random.randrange(16**6):06x}"
        self.created: list[str] = []
        self.template_name = f"{self.prefix}_tpl"

    def _admin(self):
        return self.psycopg.connect(self.url, autocommit=True)

    def url_for(self, dbname: str) -> str:
        parts = urlsplit(self.url)
        return parts._replace(path=f"/{dbname}").geturl()

    def server_pid(self) -> int | None:
        """The postmaster's process id when the server runs on this machine, for its CPU time."""
        if urlsplit(self.url).hostname not in ("127.0.0.1", "localhost", "::1"):
            return None
        with self._admin() as conn:  # read /proc while the connection (its process) exists
            backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
            try:
                parent = int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
                if Path(f"/proc/{parent}/comm").read_text().strip() != "postgres":
                    return None
            except (OSError, ValueError, IndexError):
                return None
        return parent

    def version(self) -> str:
        with self._admin() as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            fsync = conn.execute("SHOW fsync").fetchone()[0]
            sync_commit = conn.execute("SHOW synchronous_commit").fetchone()[0]
        return f"PostgreSQL {version} (fsync={fsync}, synchronous_commit={sync_commit})"

    def _create(self, name: str, template: str | None = None) -> None:
        with self._admin() as conn:
            if template:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            else:
                conn.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
        self.created.append(name)

    def prepare(self) -> Fixture:
        self._create(self.template_name)
        data_dir = self.root / "template"
        data_dir.mkdir()
        env = clean_env(data_dir, self.url_for(self.template_name))
        regie(["migrate", "--noinput", "-v", "0"], env, data_dir)
        fixture = regie_json(SETUP, env, data_dir)
        token = regie(["api-token", PARTNER_USERNAME, "--name", "benchmark", "--days", "1"], env, data_dir).strip()
        return Fixture(fixture["gemeente"], token)

    def fresh(self, tag: str) -> tuple[Path, str | None]:
        name = f"{self.prefix}_{tag}"
        self._create(name, self.template_name)
        data_dir = self.root / tag
        data_dir.mkdir()
        return data_dir, self.url_for(name)

    def _drop_db(self, name: str) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.created:
            self.created.remove(name)

    def drop(self, tag: str) -> None:
        self._drop_db(f"{self.prefix}_{tag}")
        shutil.rmtree(self.root / tag, ignore_errors=True)

    def close(self) -> None:
        for name in list(reversed(self.created)):
            try:
                self._drop_db(name)
            except (OSError, self.psycopg.Error) as exc:  # report, keep cleaning
                print(f"  could not drop {name}: {exc}", file=sys.stderr)


# --------------------------------------------------------------------------------------------
# the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of ``root`` and its descendants (gunicorn master and workers)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(times.get(pid, 0.0) for pid in tree)


def postgres_cpu_seconds(postmaster: int) -> float:
    """CPU seconds of a PostgreSQL server: the postmaster with its reaped children (ended
    connections) and its live children (connections and background processes)."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        fields = Path(f"/proc/{postmaster}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    own = sum(int(x) for x in fields[11:15]) / tick  # utime, stime, cutime, cstime
    return own + tree_cpu_seconds(postmaster) - tree_cpu_seconds_of(postmaster)


def tree_cpu_seconds_of(pid: int) -> float:
    """utime + stime of one process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    def __init__(self, data_dir: Path, env: dict[str, str], workers: int, threads: int):
        self.port = free_port()
        self.log_path = data_dir / "gunicorn.log"
        self.workers, self.threads = workers, threads
        cmd = [
            *GUNICORN, "regie.wsgi:application",
            "--bind", f"{HOST}:{self.port}",
            "--workers", str(workers),
            "--threads", str(threads),
            "--worker-class", "gthread" if threads > 1 else "sync",
            "--keep-alive", "5",
            "--timeout", "120",
            "--log-level", "warning",
            "--error-logfile", "-",
        ]
        self.log = open(self.log_path, "w")  # noqa: SIM115 - open while the server runs, closed in stop()
        self.proc = subprocess.Popen(
            cmd, env=env, cwd=data_dir, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn stopped during start-up:\n{self.log_path.read_text()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
                conn.request("GET", "/inloggen/")
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # graceful: workers finish their requests
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # our own session, started above
                self.proc.wait()
        self.log.close()

    def problems(self) -> list[str]:
        text = self.log_path.read_text(errors="replace")
        return [line for line in text.splitlines() if re.search(r"Traceback|Error|locked|CRITICAL|WORKER TIMEOUT", line)]


# --------------------------------------------------------------------------------------------
# payloads

DESCRIPTIONS = [
    "Sterke hennepgeur bij de achterdeur van een bedrijfspand, ramen zijn afgeplakt en er draait dag en nacht een ventilator.",
    "Veel wisselende bezoekers die kort blijven, vaak 's avonds laat, en dure auto's met buitenlands kenteken voor de deur.",
    "Een nagelstudio die nauwelijks klanten heeft maar wel contant betaalt voor een grote verbouwing.",
    "In een woning staan volgens de buren acht matrassen; er wonen steeds andere mensen die vroeg worden opgehaald.",
    "Autohandel zonder zichtbare voorraad betaalt de huur contant en vooruit voor een jaar.",
    "Bij de loods worden 's nachts vaten en jerrycans uitgeladen, er hangt een chemische lucht.",
    "Een pand wordt via een stichting gekocht ver boven de marktwaarde, de koper is niet in beeld bij de gemeente.",
    "Jongeren uit de buurt worden benaderd om pakketjes rond te brengen tegen betaling.",
    "Horecazaak is vrijwel altijd leeg maar meldt een hoge omzet; eigenaar wisselt elk jaar.",
    "Verhuurder vraagt contante betaling voor kamers en weigert een huurcontract; veel arbeidsmigranten op een adres.",
    "Zorgaanbieder declareert veel uren voor cliënten die volgens de wijkverpleging geen zorg krijgen.",
    (
        "Op het bedrijventerrein staat een container met een stroomkabel naar een lantaarnpaal, "
        "warmte zichtbaar op de warmtecamera."
    ),
]
FIRST_NAMES = ["Jan", "Piet", "Kees", "Anna", "Fatima", "Mohamed", "Sanne", "Daan", "Lotte", "Ahmet", "Eva", "Sem",
               "Noah", "Julia"]
SURNAMES = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
            "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Yilmaz", "El Amrani", "Kaya", "van der Linden", "Dekker"]
COMPANIES = ["Autohandel De Brug B.V.", "Nagelstudio Glamour", "Holding Noord B.V.", "Transport Oost V.O.F.",
             "Stichting Woongenot", "Cafetaria De Hoek", "Bouwbedrijf Zuid B.V.", "Car Wash Centrum"]
THEMES = ["drugs-productie", "drugs-handel", "witwassen", "mensenhandel", "arbeidsuitbuiting", "vastgoed",
          "autobranche", "horeca", "zorgfraude", "bedrijventerreinen", "jonge-aanwas", "overig"]
STREETS = ["Kerkstraat", "Molenweg", "Industrieweg", "Dorpsstraat", "Stationsplein", "Havenkade", "Schoolstraat", "Nieuwe Gracht"]


def valid_test_bsns() -> list[str]:
    """Every 99999xxxx number that passes the elfproef: test BSNs, never issued to people."""
    found = []
    for n in range(999_990_000, 1_000_000_000):
        digits = [int(c) for c in str(n)]
        total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
        if total % 11 == 0:
            found.append(str(n))
    return found


BSNS = valid_test_bsns()


def postcodes(rng: random.Random, n: int) -> list[str]:
    """``n`` postcodes in the municipality's four-digit areas."""
    letters = "ABCEGHJKLMNPRTVWXZ"  # avoids SA, SD, SS
    return [f"{rng.choice(PC4_AREAS)} {rng.choice(letters)}{rng.choice(letters)}" for _ in range(n)]


class Payloads:
    """Realistic partner deliveries; a seeded generator per client thread."""

    def __init__(self, seed: int, gemeente: int):
        self.rng = random.Random(seed)
        self.gemeente = gemeente
        self.postcodes = postcodes(random.Random(4242), 150)  # shared: addresses recur across signals
        self.today = date.today()

    def person(self) -> dict:
        rng = self.rng
        mention = {"soort": "persoon", "naam": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}", "bsn": rng.choice(BSNS)}
        if rng.random() < 0.4:
            mention["geboortedatum"] = (date(1960, 1, 1) + timedelta(days=rng.randrange(15000))).isoformat()
        return mention

    def mention(self) -> dict:
        roll = self.rng.random()
        if roll < 0.75:
            return self.person()
        if roll < 0.9:
            return {"soort": "bedrijf", "naam": self.rng.choice(COMPANIES), "kvk_nummer": str(self.rng.randrange(10**7, 10**8))}
        letters = "".join(self.rng.choices("BDFGHJKLNPRSTXZ", k=3))
        return {"soort": "voertuig", "kenteken": f"{self.rng.randrange(10, 99)}-{letters}-{self.rng.randrange(1, 9)}"}

    def api_body(self) -> bytes:
        return json.dumps(self.signal()).encode()

    def bundle_body(self, size: int) -> bytes:
        return json.dumps({"signalen": [self.signal() for _ in range(size)]}).encode()

    def signal(self) -> dict:
        rng = self.rng
        mentions = [self.person()] + [self.mention() for _ in range(rng.randrange(0, 3))]  # 1-3, at least one person with BSN
        body = {
            "gemeente": self.gemeente,
            "omschrijving": rng.choice(DESCRIPTIONS),
            "datum_waarneming": (self.today - timedelta(days=rng.randrange(0, 60))).isoformat(),
            "adres": {"postcode": rng.choice(self.postcodes), "huisnummer": rng.randrange(1, 80), "straat": rng.choice(STREETS)},
            "themas": rng.sample(THEMES, rng.randrange(1, 3)),
            "hardheid": rng.choice(["indicatie", "indicatie", "feit"]),
            "zwaarte": rng.choice(["laag", "midden", "midden", "hoog"]),
            "subjecten": mentions,
        }
        return body


# --------------------------------------------------------------------------------------------
# the load


@dataclass
class Sample:
    start: float
    end: float
    status: int  # 0: no HTTP answer (connection error, timeout)
    references: list[str] = field(default_factory=list)  # one per stored signal (a bundle: several)
    error: str = ""


@dataclass
class Window:
    start: float
    end: float


def api_client(port: int, token: str, payloads: Payloads, batch: int, window: Window, out: list[Sample]) -> None:
    """One partner system: a signal per request (``batch`` 1) or bundles of ``batch`` signals."""
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json", "Accept": "application/json"}
    path = API_PATH if batch == 1 else BUNDLE_PATH
    conn = None
    while time.perf_counter() < window.end:
        body = payloads.api_body() if batch == 1 else payloads.bundle_body(batch)
        if conn is None:
            conn = http.client.HTTPConnection(HOST, port, timeout=120)
        started = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            ended = time.perf_counter()
            if response.status == 201:
                answer = json.loads(data)
                receipts = [answer] if batch == 1 else answer["signalen"]
                out.append(Sample(started, ended, 201, references=[r["kenmerk"] for r in receipts]))
            else:
                out.append(Sample(started, ended, response.status, error=data[:300].decode(errors="replace")))
            if response.will_close:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException, ValueError, KeyError) as exc:
            out.append(Sample(started, time.perf_counter(), 0, error=repr(exc)[:300]))
            conn.close()
            conn = None
    if conn is not None:
        conn.close()


PUBLIC_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PUBLIC_REFERENCE = re.compile(r"\bM-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\b")


def public_path() -> str:
    return f"/melden/{MUNICIPALITY_CODE}/"


def public_form_data(payloads: Payloads, page: str) -> dict:
    """What a resident fills in: a description, mostly a location, sometimes a date and, for
    some, contact details for feedback. Only fields the page offers; never the honeypot."""
    rng = payloads.rng
    names = set(re.findall(r'name="([^"]+)"', page))
    data = {"text": rng.choice(DESCRIPTIONS)}
    if {"postcode", "house_number"} <= names and rng.random() < 0.8:
        data["postcode"] = rng.choice(payloads.postcodes)
        data["house_number"] = str(rng.randrange(1, 80))
    if "reported_on" in names and rng.random() < 0.5:
        data["reported_on"] = (payloads.today - timedelta(days=rng.randrange(0, 30))).isoformat()
    if {"wants_feedback", "email"} <= names and rng.random() < 0.3:
        data.update(wants_feedback="on", name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                    email=f"bewoner{rng.randrange(10**6)}@example.nl")
    return {k: v for k, v in data.items() if k in names}


def public_client(base: str, payloads: Payloads, window: Window, out: list[Sample]) -> None:
    import requests

    path = public_path()
    while time.perf_counter() < window.end:
        started = time.perf_counter()
        session = requests.Session()  # a new resident each time: own cookies, own CSRF token
        try:
            page = session.get(base + path, timeout=120)
            if page.status_code != 200:
                out.append(Sample(started, time.perf_counter(), page.status_code, error=f"GET: {page.text[:300]}"))
                continue
            token = PUBLIC_CSRF.search(page.text)
            data = public_form_data(payloads, page.text)
            data["csrfmiddlewaretoken"] = token.group(1) if token else ""
            posted = session.post(base + path, data=data, headers={"Referer": base + path}, timeout=120)
            ended = time.perf_counter()
            found = PUBLIC_REFERENCE.search(posted.text) if posted.status_code == 200 else None
            if found:
                out.append(Sample(started, ended, 201, references=[found.group(0)]))
            else:
                error = f"POST: {posted.status_code} {posted.text[:300]}"
                out.append(Sample(started, ended, posted.status_code or 1, error=error))
        except requests.RequestException as exc:
            out.append(Sample(started, time.perf_counter(), 0, error=repr(exc)[:300]))
        finally:
            session.close()


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU jiffies of the whole machine since boot, all cores (/proc/stat)."""
    fields = [float(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def drive(target, concurrency: int, warmup: float, duration: float, seed: int, make_args,
          server_pid: int, db_pid: int | None = None) -> tuple[list[Sample], Window, float, float, float]:
    """Run the clients; return the samples, the measured window, the CPU seconds of the server
    and of the PostgreSQL server (NaN without one) in the window, and the share of the whole
    machine's CPU that was busy in it (everything on it, other users included)."""
    began = time.perf_counter()
    window = Window(began + warmup, began + warmup + duration)
    cpu: list[float] = []
    db_cpu: list[float] = []
    busy: list[tuple[float, float]] = []

    def sample_cpu():
        for moment in (window.start, window.end):
            time.sleep(max(0.0, moment - time.perf_counter()))
            cpu.append(tree_cpu_seconds(server_pid))
            db_cpu.append(postgres_cpu_seconds(db_pid) if db_pid else float("nan"))
            busy.append(machine_cpu())

    sampler = threading.Thread(target=sample_cpu, daemon=True)
    sampler.start()
    outs: list[list[Sample]] = [[] for _ in range(concurrency)]
    threads = [
        threading.Thread(target=target, args=(*make_args(seed * 1000 + i), window, outs[i]), daemon=True)
        for i in range(concurrency)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=warmup + duration + 300)
    if any(t.is_alive() for t in threads):
        raise RuntimeError("a load thread did not finish within 300 s after the window")
    sampler.join(timeout=10)
    server_cpu = cpu[1] - cpu[0] if len(cpu) == 2 else float("nan")
    database_cpu = db_cpu[1] - db_cpu[0] if len(db_cpu) == 2 else float("nan")
    machine_busy = (busy[1][0] - busy[0][0]) / (busy[1][1] - busy[0][1]) if len(busy) == 2 else float("nan")
    return [s for out in outs for s in out], window, server_cpu, database_cpu, machine_busy


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))  # nearest rank
    return ordered[index]


@dataclass
class RunResult:
    throughput: float  # signals stored per second (201 answers in the window, a bundle counts its signals)
    deliveries: float  # requests answered 201 per second
    ok_in_window: int  # signals
    errors_in_window: int
    errors_total: int
    requests_total: int
    created_total: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cpu_ms_per_signal: float  # CPU of the gunicorn processes in the window / signals in the window
    db_cpu_ms_per_signal: float  # CPU of the PostgreSQL server likewise (NaN on SQLite: in the server's)
    load_average: float  # 1-minute load average of the machine when the run started
    machine_busy: float  # share of the machine's CPU (all cores, all processes) busy in the window
    stored: int
    exactly_once: bool
    audit_ok: bool
    duplicate_persons: int
    server_problems: int
    notes: list[str] = field(default_factory=list)


def summarise(samples: list[Sample], window: Window, duration: float) -> dict:
    inside = [s for s in samples if window.start <= s.end < window.end]
    ok = [s for s in inside if s.status == 201]
    latencies = [(s.end - s.start) * 1000 for s in inside]
    errors = [s for s in samples if s.status != 201]
    signals = sum(len(s.references) for s in ok)
    return {
        "throughput": signals / duration,
        "deliveries": len(ok) / duration,
        "ok_in_window": signals,
        "errors_in_window": sum(1 for s in inside if s.status != 201),
        "errors_total": len(errors),
        "requests_total": len(samples),
        "created_total": sum(len(s.references) for s in samples if s.status == 201),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "error_samples": sorted({f"{s.status}: {s.error}" for s in errors})[:5],
    }


@dataclass
class Checked:
    stored: int
    exactly_once: bool
    audit_ok: bool
    duplicate_persons: int
    notes: list[str]


def check_database(samples: list[Sample], env: dict[str, str], cwd: Path, channel: str) -> Checked:
    """Every 201 is exactly one stored signal, nothing else was stored, every signal is audited."""
    facts = regie_json(VERIFY, env, cwd)
    created = [ref for s in samples if s.status == 201 for ref in s.references]
    stored = facts["references"]
    notes = []
    if len(created) != len(set(created)):
        notes.append(f"{len(created) - len(set(created))} references were answered twice")
    if set(created) != set(stored) or len(stored) != len(created):
        notes.append(
            f"stored {len(stored)} signals for {len(created)} answers 201: "
            f"{len(set(stored) - set(created))} stored without a 201, {len(set(created) - set(stored))} answered but not stored"
        )
    if facts["channels"] != ({channel: len(created)} if created else {}):
        notes.append(f"unexpected channels in the database: {facts['channels']}")
    exactly_once = not notes
    if facts["audited_signals"] != len(stored):
        notes.append(f"{facts['audited_signals']} signals have a create entry in the audit log, {len(stored)} exist")
    if facts["audit_problem"]:
        notes.append(f"audit chain broken: {facts['audit_problem']}")
    audit_ok = facts["audit_problem"] is None and facts["audited_signals"] == len(stored)
    return Checked(len(stored), exactly_once, audit_ok, facts["duplicate_bsn_extra"], notes)


# --------------------------------------------------------------------------------------------
# one run


def one_run(db, fixture: Fixture, tag: str, kind: str, concurrency: int, batch: int, args, workers: int,
            threads: int) -> RunResult | None:
    data_dir, url = db.fresh(tag)
    load_before = os.getloadavg()[0]
    extra = {}
    if args.conn_max_age is not None:
        extra["DATABASE_CONN_MAX_AGE"] = str(args.conn_max_age)
    if kind == "public":
        cache = data_dir / "cache"
        cache.mkdir()
        extra.update({"REGIE_PUBLIC_RATE_LIMIT": "1000000", "REGIE_CACHE_DIR": str(cache)})
    env = clean_env(data_dir, url, extra)
    db_pid = db.server_pid() if isinstance(db, PostgresDatabase) else None
    server = Server(data_dir, env, workers, threads)
    try:
        if kind == "public":
            probe = http.client.HTTPConnection(HOST, server.port, timeout=30)
            probe.request("GET", public_path())
            status = probe.getresponse().status
            probe.close()
            if status != 200:
                print(f"    skipped: no public form yet (GET {public_path()} answered {status})")
                return None
            base = f"http://{HOST}:{server.port}"
            samples, window, server_cpu, database_cpu, machine_busy = drive(
                public_client, concurrency, args.warmup, args.duration, args.seed,
                lambda seed: (base, Payloads(seed, fixture.gemeente)), server.proc.pid, db_pid,
            )
        else:
            samples, window, server_cpu, database_cpu, machine_busy = drive(
                api_client, concurrency, args.warmup, args.duration, args.seed,
                lambda seed: (server.port, fixture.token, Payloads(seed, fixture.gemeente), batch), server.proc.pid, db_pid,
            )
    finally:
        server.stop()
    summary = summarise(samples, window, args.duration)
    checked = check_database(samples, env, data_dir, "public" if kind == "public" else "partner")
    notes = checked.notes
    problems = server.problems()
    if problems:
        notes.append(f"server log: {len(problems)} problem line(s), first: {problems[0][:200]}")
    if summary["error_samples"]:
        notes.append("errors: " + " | ".join(summary["error_samples"]))
    if checked.duplicate_persons:
        notes.append(
            f"{checked.duplicate_persons} extra person row(s) for a BSN already registered (concurrent first sighting)"
        )
    result = RunResult(
        throughput=summary["throughput"], deliveries=summary["deliveries"], ok_in_window=summary["ok_in_window"],
        errors_in_window=summary["errors_in_window"],
        errors_total=summary["errors_total"], requests_total=summary["requests_total"], created_total=summary["created_total"],
        p50_ms=summary["p50_ms"], p95_ms=summary["p95_ms"], p99_ms=summary["p99_ms"],
        cpu_ms_per_signal=server_cpu * 1000 / summary["ok_in_window"] if summary["ok_in_window"] else float("nan"),
        db_cpu_ms_per_signal=database_cpu * 1000 / summary["ok_in_window"] if summary["ok_in_window"] else float("nan"),
        load_average=load_before, machine_busy=machine_busy, stored=checked.stored, exactly_once=checked.exactly_once, audit_ok=checked.audit_ok,
        duplicate_persons=checked.duplicate_persons, server_problems=len(problems), notes=notes,
    )
    if not args.keep:
        db.drop(tag)
    return result


def describe_run(r: RunResult) -> str:
    return (
        f"{r.throughput:7.1f} signals/s ({r.deliveries:6.1f} requests/s)  errors {r.errors_total:>3}  "
        f"p50 {r.p50_ms:6.1f} ms  p95 {r.p95_ms:6.1f} ms  "
        f"p99 {r.p99_ms:6.1f} ms  server CPU {r.cpu_ms_per_signal:5.1f} ms/signal  "
        f"database CPU {r.db_cpu_ms_per_signal:5.1f} ms/signal  load {r.load_average:4.1f}  "
        f"machine busy {r.machine_busy:4.0%}  "
        f"stored {r.stored} = 201s {r.created_total}: {'yes' if r.exactly_once else 'NO'}  "
        f"audit {'ok' if r.audit_ok else 'BROKEN'}"
    )


@dataclass
class Config:
    database: str
    kind: str  # "api" or "public"
    concurrency: int
    batch: int  # signals per request
    server: str
    runs: list[RunResult]

    def medians(self) -> dict:
        return {
            "throughput": statistics.median(r.throughput for r in self.runs),
            "deliveries": statistics.median(r.deliveries for r in self.runs),
            "machine_busy": statistics.median(r.machine_busy for r in self.runs),
            "p50_ms": statistics.median(r.p50_ms for r in self.runs),
            "p95_ms": statistics.median(r.p95_ms for r in self.runs),
            "cpu_ms_per_signal": statistics.median(r.cpu_ms_per_signal for r in self.runs),
            "db_cpu_ms_per_signal": statistics.median(r.db_cpu_ms_per_signal for r in self.runs),
            "load_average": statistics.median(r.load_average for r in self.runs),
            "errors": sum(r.errors_total for r in self.runs),
            "requests": sum(r.requests_total for r in self.runs),
            "exactly_once": all(r.exactly_once for r in self.runs),
            "duplicate_persons": sum(r.duplicate_persons for r in self.runs),
            "audit_ok": all(r.audit_ok for r in self.runs),
        }


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgresql"],
                        help="default: sqlite, and postgresql when --database-url is given")
    parser.add_argument("--database-url", help="PostgreSQL server and a role with CREATEDB, e.g. postgres://u:p@127.0.0.1:5432/postgres")
    parser.add_argument("--concurrency", nargs="+", type=int, default=[8, 32], help="partner API clients (default 8 32)")
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=[1, 100],
                        help="signals per API request: 1 posts to /api/v1/signalen/, more to /api/v1/signalen/bundel/ "
                        "(default 1 100)")
    parser.add_argument("--public-concurrency", type=int, default=50, help="public form submitters (default 50; 0 skips)")
    parser.add_argument("--duration", type=float, default=30, help="measured seconds per run (default 30)")
    parser.add_argument("--warmup", type=float, default=5, help="seconds of load before measuring (default 5)")
    parser.add_argument("--runs", type=int, default=3, help="runs per configuration; medians are reported (default 3)")
    parser.add_argument("--sqlite-server", default="1x4", help="gunicorn WORKERSxTHREADS on SQLite (default 1x4)")
    parser.add_argument("--postgresql-server", default="2x4", help="gunicorn WORKERSxTHREADS on PostgreSQL (default 2x4)")
    parser.add_argument("--conn-max-age", type=int, default=None,
                        help="set DATABASE_CONN_MAX_AGE for the server (default: unset, as shipped: 0)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write every run and the medians to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and databases (debugging)")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.duration <= 0 or args.warmup < 0 or min(args.concurrency) < 1:
        parser.error("runs, duration and concurrency must be positive")
    if args.duration + args.warmup > 600:
        parser.error("warm-up plus duration is limited to 600 s per run")
    if max(args.concurrency + [args.public_concurrency]) > 200:
        parser.error("concurrency is limited to 200")
    if not all(1 <= b <= 100 for b in args.batch_sizes):
        parser.error("a bundle holds 1 to 100 signals")
    databases = args.databases or (["sqlite", "postgresql"] if args.database_url else ["sqlite"])
    if "postgresql" in databases and not args.database_url:
        parser.error("postgresql needs --database-url")
    servers = {}
    for name in databases:
        spec = getattr(args, f"{name}_server")
        match = re.fullmatch(r"(\d+)x(\d+)", spec)
        if not match:
            parser.error(f"--{name}-server must look like 2x4 (workers x threads)")
        servers[name] = (int(match.group(1)), int(match.group(2)))

    info = machine()
    print(f"Machine: {info['cores']} cores, {info['cpu']}, {info['memory_gb']} GB, Python {info['python']}, {info['os']}")
    print(f"Load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"Runs: {args.runs} x ({args.warmup:g} s warm-up + {args.duration:g} s measured) per configuration\n")
    configs: list[Config] = []
    root = Path(tempfile.mkdtemp(prefix="regie-bench-intake-"))
    failures = 0
    try:
        for name in databases:
            db = SqliteDatabase(root / name) if name == "sqlite" else PostgresDatabase(root / name, args.database_url)
            (root / name).mkdir(exist_ok=True)
            workers, threads = servers[name]
            try:
                print(f"== {db.label}: {db.version()}; gunicorn {workers} worker(s) x {threads} thread(s)")
                started = time.perf_counter()
                fixture = db.prepare()
                print(f"   template migrated with fixture in {time.perf_counter() - started:.1f} s")
                plan = [("api", c, b) for b in args.batch_sizes for c in args.concurrency]
                if args.public_concurrency:
                    plan.append(("public", args.public_concurrency, 1))
                for kind, concurrency, batch in plan:
                    what = "partner API" if kind == "api" else "public form"
                    if kind == "api":
                        what += " (one signal per request)" if batch == 1 else f" (bundles of {batch} signals)"
                    print(f"-- {what}, {concurrency} concurrent {'clients' if kind == 'api' else 'submitters'}")
                    runs = []
                    for n in range(1, args.runs + 1):
                        tag = f"{kind}{concurrency}b{batch}r{n}"
                        result = one_run(db, fixture, tag, kind, concurrency, batch, args, workers, threads)
                        if result is None:
                            break
                        runs.append(result)
                        print(f"   run {n}: {describe_run(result)}")
                        for note in result.notes:
                            print(f"          {note}")
                    if runs:
                        configs.append(Config(db.label, kind, concurrency, batch, f"{workers}x{threads}", runs))
            finally:
                if not args.keep:
                    db.close()
    finally:
        if args.keep:
            print(f"\nkept: {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

    print(f"\nLoad average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\nMedians (errors: total over all runs, warm-up included)\n")
    print("| database | load | signals per request | concurrency | gunicorn | signals/s | requests/s | errors "
          "| p50 ms | p95 ms | server CPU ms/signal | database CPU ms/signal | load avg | machine busy | exactly once "
          "| audit chain | runs (signals/s) |")
    print("| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for c in configs:
        m = c.medians()
        load = "partner API" if c.kind == "api" else "public form"
        db_cpu = "—" if math.isnan(m["db_cpu_ms_per_signal"]) else f"{m['db_cpu_ms_per_signal']:.1f}"
        print(
            f"| {c.database} | {load} | {c.batch} | {c.concurrency} | {c.server} | {m['throughput']:.0f} | "
            f"{m['deliveries']:.1f} | {m['errors']} | {m['p50_ms']:,.0f} | {m['p95_ms']:,.0f} | "
            f"{m['cpu_ms_per_signal']:.1f} | {db_cpu} | "
            f"{m['load_average']:.1f} | {m['machine_busy']:.0%} | "
            f"{'yes' if m['exactly_once'] else 'NO'} | {'ok' if m['audit_ok'] else 'BROKEN'} | "
            f"{', '.join(f'{r.throughput:.1f}' for r in c.runs)} |"
        )
        if m["duplicate_persons"]:
            print(f"  ({c.database}: {m['duplicate_persons']} person(s) registered twice for one BSN)")
        if m["errors"] or not m["exactly_once"] or not m["audit_ok"] or m["duplicate_persons"]:
            failures += 1
        if c.kind == "api" and m["throughput"] < 200:
            print(f"  ({c.database}, {c.concurrency} clients, {c.batch} per request: below the target of 200 signals/s)")
    if args.public_concurrency and not any(c.kind == "public" for c in configs):
        print("\npublic form: skipped: no public form yet")
    if args.json:
        args.json.write_text(json.dumps({
            "machine": info,
            "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "database_url"},
            "configurations": [
                {"database": c.database, "kind": c.kind, "concurrency": c.concurrency, "batch": c.batch, "server": c.server,
                 "medians": c.medians(), "runs": [r.__dict__ for r in c.runs]}
                for c in configs
            ],
        }, indent=2, default=str))
    return 1 if failures else 0


if __name__ == "__main__":
    os.chdir(REPO)
    sys.exit(main())
