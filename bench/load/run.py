"""Load: 50 concurrent users doing a realistic mix against gunicorn, on SQLite and PostgreSQL.

Issue 13, point 6: coördinators browsing signals, meetings and cases, analysts searching,
partner systems delivering signals through the API and residents using the public form (the mix
is in ``bench/load/locustfile.py``), for a fixed time, with zero errors; p50/p95 per page.

    .venv/bin/python bench/load/run.py                                   # SQLite, 50 users, 5 minutes
    .venv/bin/python bench/load/run.py --database-url postgres://u:p@127.0.0.1:5432/postgres
    .venv/bin/python bench/load/run.py --databases postgresql --database-url ... --duration 120

For every database: a fresh database (SQLite: a file in a temporary directory; PostgreSQL: a
throw-away ``regie_bench_*`` database on the server of ``--database-url``, whose role needs
CREATEDB), migrated, filled with ``regie demo-data --seed 1`` (``--scale``), and signed-in sessions
for the demo coördinator and analyst (both factors passed, as after a login) plus an API token
for the demo partner (the demo's partners share the RIEC region with the municipality, so the
partner API accepts their deliveries). Then ``gunicorn regie.wsgi:application`` with the shipped defaults (the
launcher of ``bench/intake/run.py``; the public form's per-client rate limit raised, since all
load comes from 127.0.0.1) and ``locust --headless`` with ``--users`` users for ``--duration``
seconds. Afterwards the server is stopped and ``regie audit-verify`` must pass.

Printed per page: requests, failures, p50 and p95 (ms, locust's own percentiles), and the totals.
The exit status is 1 when any request failed or the audit chain does not verify.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.intake.run import (
    HOST,
    PostgresDatabase,
    Server,
    clean_env,
    machine,
    regie,
    regie_json,
)

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
MUNICIPALITY_CODE = "GM9901"  # the demo municipality (regie.demo.builder)

SESSIONS = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from regie.accounts.models import User
from regie.organisations.models import Organisation

store = import_module(settings.SESSION_ENGINE).SessionStore
sessions = {}
for username in ("coordinator", "analist"):
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    keys = []
    for _ in range(%(per_role)d):
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        keys.append(session.session_key)
    sessions[username] = keys
print("BENCH-JSON:" + json.dumps({
    "sessions": sessions,
    "session_cookie": settings.SESSION_COOKIE_NAME,
    "gemeente": Organisation.objects.get(code="%(code)s").pk,
}))
"""


def prepare(db_name: str, root: Path, pg: PostgresDatabase | None, scale: float, users: int) -> tuple[Path, dict, dict]:
    """A fresh database with the demo and the load fixture: (data dir, server env, fixture)."""
    data_dir = root / db_name
    data_dir.mkdir()
    url = None
    if pg is not None:
        name = f"{pg.prefix}_load"
        pg._create(name)
        url = pg.url_for(name)
    cache = data_dir / "cache"
    cache.mkdir()
    env = clean_env(data_dir, url, {"REGIE_PUBLIC_RATE_LIMIT": "1000000", "REGIE_CACHE_DIR": str(cache)})
    started = time.monotonic()
    regie(["migrate", "--noinput", "-v", "0"], env, data_dir)
    regie(["demo-data", "--seed", "1", "--scale", str(scale)], env, data_dir)
    fixture = regie_json(SESSIONS % {"per_role": users, "code": MUNICIPALITY_CODE}, env, data_dir)
    fixture["token"] = regie(["api-token", "partner", "--name", "load", "--days", "1"], env, data_dir).strip()
    fixture["public_path"] = f"/melden/{MUNICIPALITY_CODE}/"
    print(f"  prepared in {time.monotonic() - started:.0f} s (migrate, demo-data --scale {scale}, sessions, token)")
    return data_dir, env, fixture


def run_locust(port: int, fixture_path: Path, out_prefix: Path, users: int, spawn_rate: float, duration: int) -> int:
    cmd = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "--host", f"http://{HOST}:{port}", "--users", str(users), "--spawn-rate", str(spawn_rate),
        "--run-time", f"{duration}s", "--stop-timeout", "30", "--csv", str(out_prefix), "--only-summary",
        "--loglevel", "WARNING",
    ]
    env = {**os.environ, "REGIE_LOAD_FIXTURE": str(fixture_path), "PYTHONPATH": str(REPO)}
    return subprocess.run(cmd, env=env, cwd=REPO, check=False).returncode


def read_stats(out_prefix: Path) -> list[dict]:
    with open(f"{out_prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def read_failures(out_prefix: Path) -> list[dict]:
    path = Path(f"{out_prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def report(label: str, rows: list[dict], duration: int) -> int:
    print(f"\n{label}")
    print(f"  {'page':<34} {'requests':>9} {'failures':>9} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7}")
    failures = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all requests"
        if row["Type"] and row["Name"] != "Aggregated" and not name.startswith(("GET ", "POST ")):
            name = f"{row['Type']} {name}"
        print(f"  {name:<34} {int(row['Request Count']):>9} {int(row['Failure Count']):>9} "
              f"{row['50%']:>8} {row['95%']:>8} {float(row['Requests/s']):>7.1f}")
        if row["Name"] == "Aggregated":
            failures = int(row["Failure Count"])
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgresql"],
                        help="default: sqlite, and postgresql when --database-url is given")
    parser.add_argument("--database-url", help="PostgreSQL server for throw-away databases (role with CREATEDB)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second")
    parser.add_argument("--duration", type=int, default=300, help="seconds of load, ramp-up included")
    parser.add_argument("--scale", type=float, default=1, help="regie demo-data --scale")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (locust CSVs, server log)")
    args = parser.parse_args(argv)
    databases = args.databases or (["sqlite", "postgresql"] if args.database_url else ["sqlite"])
    if "postgresql" in databases and not args.database_url:
        parser.error("--database-url is needed for PostgreSQL")

    info = machine()
    print(f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory_gb']} GB, Python {info['python']}")
    root = Path(tempfile.mkdtemp(prefix="regie-load-"))
    pg = PostgresDatabase(root, args.database_url) if "postgresql" in databases else None
    failed = False
    try:
        for db_name in databases:
            layout = (1, 4) if db_name == "sqlite" else (2, 4)  # as in the intake benchmark
            label = "SQLite" if db_name == "sqlite" else pg.version()
            print(f"\n== {label}: {args.users} users for {args.duration} s, gunicorn {layout[0]} worker(s) x {layout[1]} threads")
            data_dir, env, fixture = prepare(db_name, root, pg if db_name == "postgresql" else None, args.scale, args.users)
            fixture_path = data_dir / "fixture.json"
            fixture_path.write_text(json.dumps(fixture))
            server = Server(data_dir, env, *layout)
            load_before = os.getloadavg()[0]
            try:
                status = run_locust(server.port, fixture_path, data_dir / "locust", args.users, args.spawn_rate, args.duration)
            finally:
                load_after = os.getloadavg()
                server.stop()
            failures = report(f"{label} (load average before {load_before:.1f}, after {load_after[0]:.1f}/"
                              f"{load_after[1]:.1f}/{load_after[2]:.1f} over 1/5/15 min)",
                              read_stats(data_dir / "locust"), args.duration)
            for row in read_failures(data_dir / "locust")[:10]:
                print(f"  failure: {row.get('Method')} {row.get('Name')}: {row.get('Error')} ({row.get('Occurrences')}x)")
            verified = subprocess.run(
                [sys.executable, "-m", "regie.manage", "audit-verify"], env=env, cwd=data_dir, capture_output=True, text=True, check=False,
            )
            print(f"  audit-verify: {(verified.stdout or verified.stderr).strip().splitlines()[0]}")
            problems = server.problems()
            if problems:
                print(f"  server log: {len(problems)} problem line(s), first: {problems[0][:200]}")
            failed |= status != 0 or failures > 0 or verified.returncode != 0 or bool(problems)
    finally:
        if pg is not None:
            pg.close()
        if args.keep:
            print(f"\nkept: {root}")
        else:
            import shutil

            shutil.rmtree(root, ignore_errors=True)
    print("\nresult: " + ("FAILED (errors, or the audit chain does not verify)" if failed else "no errors; audit chain verifies"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
