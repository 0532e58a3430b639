"""Profile one request path of the intake: a partner delivering a signal (POST /api/v1/signalen/).

    .venv/bin/python bench/intake/profile_request.py               # 200 requests, cProfile, top 40
    .venv/bin/python bench/intake/profile_request.py -n 500 --top 60
    .venv/bin/python bench/intake/profile_request.py -n 20 --batch 100 --no-cprofile   # bundles
    .venv/bin/python bench/intake/profile_request.py --database-url postgres://u:p@127.0.0.1:5432/postgres
    .venv/bin/py-spy record -o /tmp/intake.svg -- .venv/bin/python bench/intake/profile_request.py --no-cprofile

Builds the same fixture as ``run.py`` on a fresh SQLite database in a temporary directory (or a
throw-away PostgreSQL database), then sends the same kind of payloads through Django's test
client in this one process (no HTTP, no gunicorn), so the numbers are the application's own: CPU
milliseconds and SQL queries per signal (and the PostgreSQL server's CPU when it runs on this
machine), and, with cProfile, the functions of Regie, DRF and the middleware sorted by
cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _bench():
    """The fixture and the payloads of the throughput benchmark (run.py next to this file)."""
    sys.path.insert(0, str(HERE))
    import run

    return run


bench = _bench()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200, help="profiled requests (default 200)")
    parser.add_argument("--warmup", type=int, default=30, help="requests before measuring (default 30)")
    parser.add_argument("--top", type=int, default=40, help="rows of the profile (default 40)")
    parser.add_argument("--no-cprofile", action="store_true", help="only time and count (for py-spy)")
    parser.add_argument("--batch", type=int, default=1,
                        help="signals per request: 1 posts to /api/v1/signalen/, more to /api/v1/signalen/bundel/ (default 1)")
    parser.add_argument("--database-url",
                        help="profile on PostgreSQL: a server and a role with CREATEDB, as for run.py (default: SQLite)")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="regie-profile-intake-"))
    db = bench.PostgresDatabase(root, args.database_url) if args.database_url else bench.SqliteDatabase(root)
    try:
        return profile(args, db)
    finally:
        db.close()
        shutil.rmtree(root, ignore_errors=True)


def profile(args, db) -> int:
    fixture = db.prepare()
    data_dir, url = db.fresh("profile")
    env = bench.clean_env(data_dir, url)
    os.environ.clear()
    os.environ.update(env)
    os.environ.setdefault("LOG_LEVEL", "ERROR")

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {fixture.token}")
    payloads = bench.Payloads(7, fixture.gemeente)
    path = bench.API_PATH if args.batch == 1 else bench.BUNDLE_PATH

    def body() -> bytes:
        return payloads.api_body() if args.batch == 1 else payloads.bundle_body(args.batch)

    bodies = [body() for _ in range(args.warmup + args.n)]

    def post(data: bytes) -> None:
        response = client.post(path, data, content_type="application/json")
        if response.status_code != 201:
            raise SystemExit(f"HTTP {response.status_code}: {response.content[:300]!r}")

    for data in bodies[: args.warmup]:
        post(data)
    measured = bodies[args.warmup:]
    db_pid = db.server_pid() if isinstance(db, bench.PostgresDatabase) else None
    db_cpu = bench.postgres_cpu_seconds(db_pid) if db_pid else 0.0
    started, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        for data in measured:
            post(data)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    db_cpu = bench.postgres_cpu_seconds(db_pid) - db_cpu if db_pid else None
    signals = args.n * args.batch
    print(
        f"{args.n} requests of {args.batch} signal(s): per signal {wall / signals * 1000:.2f} ms wall, "
        f"{cpu / signals * 1000:.2f} ms CPU, {len(queries.captured_queries) / signals:.1f} SQL queries "
        f"({db.label}, one process)"
        + (f"; PostgreSQL server {db_cpu / signals * 1000:.2f} ms CPU" if db_cpu is not None else "")
    )
    if args.no_cprofile:
        return 0
    profile = cProfile.Profile()
    profile.enable()
    for data in [body() for _ in range(args.n)]:
        post(data)
    profile.disable()
    stats = pstats.Stats(profile)
    print(f"\ncProfile: {stats.total_calls / signals:.0f} function calls per signal\n")
    stats.sort_stats("cumulative").print_stats(
        r"regie/|rest_framework/(views|serializers|request)\.py|middleware", args.top
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
