"""Area picture and map layer timings (issue 10, point 6).

A fictitious municipality with 500,000 signals and 100,000 measures (plus cases, integral controls
and Bibob files) is bulk-inserted into a fresh database; then the area picture page
(``/gebieden/gebiedsbeeld/``, rendered through the whole Django stack as a coordinator) and the
map's aggregate layer (``/gebieden/kaart/gebieden.json`` as a raadslid: counts per buurt, small
numbers suppressed) are requested ``--runs`` times after one warm-up. Targets: picture ≤ 1 s and
map layer ≤ 300 ms at p95.

    .venv/bin/python bench/areas/run.py                                     # SQLite (temporary file)
    .venv/bin/python bench/areas/run.py --database-url postgres://postgres@127.0.0.1:55433/postgres

The PostgreSQL run creates and drops the database ``regie_bench_areas`` on that server. The script
prints one JSON line with the medians and p95 per request.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

BATCH = 10000


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def prepare_database(url: str | None, tmp: Path) -> str:
    if not url:
        return f"sqlite:///{tmp / 'bench.sqlite3'}"
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS regie_bench_areas")
        conn.execute("CREATE DATABASE regie_bench_areas")
    return urlunsplit(parts._replace(path="/regie_bench_areas"))


def square(lon, lat, size):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def build(n_signals: int, n_measures: int, rng: random.Random) -> dict:
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from regie.accounts.models import User
    from regie.accounts.roles import Role
    from regie.areas.models import Buurt, Wijk
    from regie.bibob.models import BibobDomain, BibobFile
    from regie.cases.models import Case, CaseSubject
    from regie.controls.models import Control, ControlAddress, YearPlan
    from regie.intake.models import Signal, Theme
    from regie.measures.catalogue import install_default_catalogue
    from regie.measures.models import Measure, MeasureDomain, MeasureKind
    from regie.organisations.models import Organisation
    from regie.subjects.models import Address

    started = time.perf_counter()
    town = Organisation.objects.create(name="Gemeente Benchstad", kind=Organisation.Kind.GEMEENTE, code="GM9990")
    buurten = []
    for w in range(10):
        wijk = Wijk.objects.create(owner=town, code=f"WK9990{w:02d}", name=f"Wijk {w + 1}", confidentiality=1,
                                   geometry=square(5 + w * 0.1, 52, 0.1), min_lon=5 + w * 0.1, min_lat=52,
                                   max_lon=5.1 + w * 0.1, max_lat=52.1)
        for b in range(10):
            lon, lat = 5 + w * 0.1, 52 + b * 0.01
            buurten.append(Buurt(owner=town, wijk=wijk, code=f"BU9990{w:02d}{b:02d}", name=f"Buurt {w + 1}.{b + 1}",
                                 confidentiality=1, geometry=square(lon, lat, 0.01), min_lon=lon, min_lat=lat,
                                 max_lon=lon + 0.1, max_lat=lat + 0.01))
    Buurt.objects.bulk_create(buurten)
    buurt_ids = list(Buurt.objects.filter().values_list("pk", flat=True)) or [b.pk for b in buurten]
    print(f"{time.perf_counter() - started:7.1f}s addresses = [Address(", file=sys.stderr, flush=True)
    addresses = [Address(owner=town, street=f"Benchstraat {i // 100}", house_number=i % 100 + 1, postcode="9990AA",
                         city="Benchstad", buurt_id=rng.choice(buurt_ids), confidentiality=4) for i in range(20_000)]
    Address.objects.bulk_create(addresses, batch_size=BATCH)
    address_ids = [a.pk for a in addresses]
    print(f"{time.perf_counter() - started:7.1f}s themes = list(", file=sys.stderr, flush=True)
    themes = list(Theme.objects.filter(organisation__isnull=True).values_list("pk", flat=True))
    now = timezone.now()
    start = now - timedelta(days=3 * 365)
    span = int((now - start).total_seconds())
    through = Signal.themes.through
    for offset in range(0, n_signals, BATCH):
        rows = [Signal(owner=town, reference=f"SIG-B-{offset + i}", channel="internal", text="Fictief signaal",
                       buurt_id=rng.choice(buurt_ids) if rng.random() < 0.9 else None, confidentiality=4,
                       received_at=start + timedelta(seconds=rng.randrange(span)))
                for i in range(min(BATCH, n_signals - offset))]
        Signal.objects.bulk_create(rows)
        if offset % 100_000 == 0:
            print(f"{time.perf_counter() - started:7.1f}s signals {offset}", file=sys.stderr, flush=True)
        through.objects.bulk_create([through(signal_id=s.pk, theme_id=rng.choice(themes)) for s in rows])
    print(f"{time.perf_counter() - started:7.1f}s cases = [Case(", file=sys.stderr, flush=True)
    cases = [Case(owner=town, reference=f"CAS-B-{i}", title="Fictieve casus", confidentiality=4,
                  opened_at=start + timedelta(seconds=rng.randrange(span))) for i in range(10_000)]
    Case.objects.bulk_create(cases, batch_size=BATCH)
    CaseSubject.objects.bulk_create([CaseSubject(case=c, address_id=rng.choice(address_ids)) for c in cases], batch_size=BATCH)
    Case.themes.through.objects.bulk_create([Case.themes.through(case_id=c.pk, theme_id=rng.choice(themes)) for c in cases], batch_size=BATCH)
    print(f"{time.perf_counter() - started:7.1f}s install_default_catalogu", file=sys.stderr, flush=True)
    install_default_catalogue(town)
    kinds = list(MeasureKind.objects.filter(organisation=town).values_list("pk", flat=True))
    domains = list(MeasureDomain.objects.filter(organisation=town).values_list("pk", flat=True))
    case_ids = [c.pk for c in cases]
    for offset in range(0, n_measures, BATCH):
        Measure.objects.bulk_create([
            Measure(owner=town, reference=f"MTR-B-{offset + i}", kind_id=rng.choice(kinds), domain_id=rng.choice(domains),
                    description="Fictieve maatregel", address_id=rng.choice(address_ids), confidentiality=4,
                    case_id=rng.choice(case_ids) if rng.random() < 0.5 else None)
            for i in range(min(BATCH, n_measures - offset))])
    print(f"{time.perf_counter() - started:7.1f}s # created_at is auto_now", file=sys.stderr, flush=True)
    # created_at is auto_now_add: spread the measures over the three years afterwards (a third in
    # each; unscoped, since the build runs without an access context)
    measure_ids = list(Measure.unscoped.filter(owner=town).order_by("pk").values_list("pk", flat=True))
    for year_back in (1, 2):
        chosen = measure_ids[year_back::3]
        for offset in range(0, len(chosen), BATCH):
            Measure.unscoped.filter(pk__in=chosen[offset:offset + BATCH]).update(
                created_at=now - timedelta(days=365 * year_back + 1))
    print(f"{time.perf_counter() - started:7.1f}s controls = []", file=sys.stderr, flush=True)
    controls = []
    for year in range(now.year - 2, now.year + 1):
        plan = YearPlan.objects.create(owner=town, year=year)
        for i in range(150):
            controls.append(Control(owner=town, plan=plan, reference=f"CTL-B-{year}-{i}", planned_on=datetime(year, 1, 1).date() + timedelta(days=i * 2),
                                    kind="horeca", title="Fictieve controle", confidentiality=4))
    Control.objects.bulk_create(controls)
    ControlAddress.objects.bulk_create([ControlAddress(control=c, address_id=a) for c in controls
                                        for a in rng.sample(address_ids, 5)], batch_size=BATCH)
    bibob_domain = BibobDomain.objects.create(organisation=town, code="horeca", name="Horeca", group="Horeca")
    BibobFile.objects.bulk_create([BibobFile(owner=town, reference=f"BIB-B-{i}", domain=bibob_domain, description="Fictief dossier",
                                             address_id=rng.choice(address_ids), confidentiality=4,
                                             received_on=(start + timedelta(seconds=rng.randrange(span))).date())
                                   for i in range(5_000)], batch_size=BATCH)
    print(f"{time.perf_counter() - started:7.1f}s users", file=sys.stderr, flush=True)
    users = {}
    for role in (Role.COORDINATOR, Role.RAADSLID):
        user = User.objects.create(username=f"bench-{role}", role=role, organisation=town)
        TOTPDevice.objects.create(user=user, name="bench", key=os.urandom(20).hex(), confirmed=True)
        users[role] = user
    return {"users": users, "seconds": round(time.perf_counter() - started, 1)}


def client_for(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def timed(client, url: str, runs: int) -> dict:
    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    return {"url": url, "median_ms": round(statistics.median(times), 1), "p95_ms": round(p95(times), 1), "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--signals", type=int, default=500_000)
    parser.add_argument("--measures", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", default="",
                        help="keep the fixture for later runs: a directory for SQLite's file (PostgreSQL keeps its database)")
    parser.add_argument("--reuse", action="store_true", help="time against the fixture a --keep run left")
    parser.add_argument("--build-only", action="store_true", help="with --keep: build the fixture, time nothing")
    args = parser.parse_args()
    if args.reuse and not (args.keep or args.database_url):
        parser.error("--reuse on SQLite needs --keep DIR: the directory a --keep run left its database in")
    if args.build_only and not args.keep:
        parser.error("--build-only needs --keep: otherwise the fixture is thrown away unused")
    with tempfile.TemporaryDirectory(prefix="regie-bench-areas-") as tmp:
        tmp = Path(args.keep) if args.keep else Path(tmp)
        tmp.mkdir(parents=True, exist_ok=True)
        if args.reuse:
            url = (urlunsplit(urlsplit(args.database_url)._replace(path="/regie_bench_areas")) if args.database_url
                   else f"sqlite:///{tmp / 'bench.sqlite3'}")
        else:
            url = prepare_database(args.database_url or None, tmp)
        os.environ.update({"DATABASE_URL": url, "REGIE_DATA_DIR": str(tmp), "DJANGO_SETTINGS_MODULE": "regie.settings",
                           "ALLOWED_HOSTS": "testserver", "REGIE_MAP_TILE_URL": ""})
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        from django.db import connection

        from regie.accounts.roles import Role

        if args.reuse:
            from regie.accounts.models import User

            fixture = {"users": {role: User.objects.get(username=f"bench-{role}") for role in (Role.COORDINATOR, Role.RAADSLID)},
                       "seconds": None}
        else:
            fixture = build(args.signals, args.measures, random.Random(1010))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # as autovacuum would have: index-only scans need the visibility map
        if args.build_only:
            print(json.dumps({"database": connection.vendor, "build_seconds": fixture["seconds"]}))
            return
        coordinator, council = client_for(fixture["users"][Role.COORDINATOR]), client_for(fixture["users"][Role.RAADSLID])
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            coordinator.get("/gebieden/gebiedsbeeld/")
            with cProfile.Profile() as prof:
                coordinator.get("/gebieden/gebiedsbeeld/")
            pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
            return
        result = {
            "database": connection.vendor, "signals": args.signals, "measures": args.measures, "build_seconds": fixture["seconds"],
            "picture_wijk_coordinator": timed(coordinator, "/gebieden/gebiedsbeeld/", args.runs),
            "picture_buurt_coordinator": timed(coordinator, "/gebieden/gebiedsbeeld/?niveau=buurt", args.runs),
            "picture_buurt_raadslid": timed(council, "/gebieden/gebiedsbeeld/?niveau=buurt", args.runs),
            "map_layer_raadslid": timed(council, "/gebieden/kaart/gebieden.json", args.runs),
            "map_layer_coordinator": timed(coordinator, "/gebieden/kaart/gebieden.json", args.runs),
        }
        connection.close()
        print(json.dumps(result))
    if args.database_url and not (args.keep or args.reuse):
        import psycopg

        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS regie_bench_areas")


if __name__ == "__main__":
    main()
