"""Profile one request path of the intake: a partner delivering a signal (POST /api/v1/signalen/).

    .venv/bin/python bench/intake/profile_request.py               # 200 requests, cProfile, top 40
    .venv/bin/python bench/intake/profile_request.py -n 500 --top 60
    .venv/bin/py-spy record -o /tmp/intake.svg -- .venv/bin/python bench/intake/profile_request.py --no-cprofile

Builds the same fixture as ``run.py`` on a fresh SQLite database in a temporary directory, then
sends the same kind of payloads through Django's test client in this one process (no HTTP, no
gunicorn), so the numbers are the application's own: CPU milliseconds and SQL queries per request,
and, with cProfile, the functions of Regie, DRF and the middleware sorted by cumulative time.
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
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="regie-profile-intake-"))
    try:
        return profile(args, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def profile(args, root: Path) -> int:
    db = bench.SqliteDatabase(root)
    fixture = db.prepare()
    env = bench.clean_env(db.template, None)
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
    bodies = [payloads.api_body() for _ in range(args.warmup + args.n)]

    def post(body: bytes) -> None:
        response = client.post(bench.API_PATH, body, content_type="application/json")
        if response.status_code != 201:
            raise SystemExit(f"HTTP {response.status_code}: {response.content[:300]!r}")

    for body in bodies[: args.warmup]:
        post(body)
    measured = bodies[args.warmup:]
    started, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        for body in measured:
            post(body)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{args.n} requests: {wall / args.n * 1000:.1f} ms wall, {cpu / args.n * 1000:.1f} ms CPU, "
        f"{len(queries.captured_queries) / args.n:.1f} SQL queries per request (SQLite, one process)"
    )
    if args.no_cprofile:
        return 0
    profile = cProfile.Profile()
    profile.enable()
    for body in [payloads.api_body() for _ in range(args.n)]:
        post(body)
    profile.disable()
    stats = pstats.Stats(profile)
    print(f"\ncProfile: {stats.total_calls / args.n:.0f} function calls per request\n")
    stats.sort_stats("cumulative").print_stats(
        r"regie/|rest_framework/(views|serializers|request)\.py|middleware", args.top
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
