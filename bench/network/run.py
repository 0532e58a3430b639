"""Network benchmark (network issue, point 5).

A fictitious registry of ``--subjects`` subjects (60% persons, 25% companies, 15% addresses) and
``--relations`` dated relations (employment, occupancy, family, associate; one director per
company) plus ``--signals`` signals naming one or two subjects is bulk-loaded into a fresh
database (COPY on PostgreSQL). Then, in one run:

* in the database: two-hop expansion (``network.graph.expand``: scoped queries, labels and sources,
  node cap 150) from ``--starts`` random persons -> median and p95; every saved pattern over the
  whole registry (``patterns.PATTERNS[code].run``) once after a warm-up;
* networkx on the same graph: loading all relations into an ``nx.Graph``, two-hop expansion
  (``nx.ego_graph`` radius 2) from the same starts, and the two count patterns (same director,
  several companies at one address) by walking the in-memory graph.

Targets: two-hop p95 <= 100 ms, each pattern <= 5 s on PostgreSQL at 1,000,000 subjects and
5,000,000 relations:

    .venv/bin/python bench/network/run.py --database-url postgres://postgres@127.0.0.1:55434/postgres \
        --subjects 1000000 --relations 5000000

The PostgreSQL run creates and drops the database ``regie_bench_network``. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))
DB = "regie_bench_network"


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def prepare_database(url, tmp: Path) -> str:
    if not url:
        return f"sqlite:///{tmp / 'bench.sqlite3'}"
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB}")
        conn.execute(f"CREATE DATABASE {DB}")
    return urlunsplit(urlsplit(url)._replace(path=f"/{DB}"))


def load(model, rows, columns):
    """Bulk load ``rows`` (tuples in ``columns`` order, the rest defaults); COPY on PostgreSQL."""
    from django.db import connection
    from psycopg.types.json import Jsonb

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = dt.datetime.now(dt.timezone.utc)
    defaults = {}
    for f in fields:
        value = now if f.attname in ("created_at", "updated_at") else (f.get_default() if f.has_default() else (None if f.null else ""))
        if f.get_internal_type() == "JSONField":
            value = Jsonb(value) if connection.vendor == "postgresql" else json.dumps(value)
        defaults[f.attname] = value
    rest = [f.column for f in fields if f.attname not in columns]
    rest_values = tuple(defaults[f.attname] for f in fields if f.attname not in columns)
    cols = [model._meta.get_field(c).column for c in columns] + rest
    table = model._meta.db_table
    n = 0
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + rest_values)
                    n += 1
        return n
    batch = []
    with connection.cursor() as cursor:
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
        for row in rows:
            batch.append(row + rest_values)
            if len(batch) >= 20000:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            n += len(batch)
    return n


def build(n_subjects: int, n_relations: int, n_signals: int, rng: random.Random) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from regie.accounts.models import User
    from regie.accounts.roles import Role
    from regie.intake.models import Signal, SignalSubject
    from regie.organisations.models import Organisation
    from regie.subjects.models import Address, Company, Person, Relation

    started = time.perf_counter()
    town = Organisation.objects.create(name="Gemeente Netstad", kind=Organisation.Kind.GEMEENTE, code="GM9980")
    analyst = User.objects.create(username="bench-analist", role=Role.ANALIST, organisation=town)
    n_persons, n_companies = int(n_subjects * 0.60), int(n_subjects * 0.25)
    n_addresses = n_subjects - n_persons - n_companies

    def ids(model):
        return list(model.unscoped.filter(owner=town).order_by("pk").values_list("pk", flat=True))

    load(Address, ((town.pk, "Benchstraat", i % 500 + 1, f"{1000 + i % 9000}AB", "Netstad") for i in range(n_addresses)),
         ["owner_id", "street", "house_number", "postcode", "city"])
    addresses = ids(Address)
    load(Person, ((town.pk, "Test", f"Persoon{i}") for i in range(n_persons)), ["owner_id", "first_names", "surname"])
    persons = ids(Person)
    # 40% of the companies have an address: a few addresses hold several
    load(Company, ((town.pk, f"Bedrijf {i}", "bv", "86101" if i % 10 == 0 else "47111",
                    rng.choice(addresses) if rng.random() < 0.4 else None) for i in range(n_companies)),
         ["owner_id", "name", "legal_form", "sbi_code", "address_id"])
    companies = ids(Company)
    ct = {m: ContentType.objects.get_for_model(m).pk for m in (Person, Company, Address)}
    epoch = dt.date(2000, 1, 1)

    def day():
        return epoch + dt.timedelta(days=rng.randrange(9500))

    def relations():
        # one director per company, the rest split over the other kinds
        for c in companies:
            yield (town.pk, "directorship", ct[Person], rng.choice(persons), ct[Company], c, "bestuurder", day(), None)
        rest = n_relations - len(companies)
        kinds = [("employment", 0.32), ("occupancy", 0.26), ("family", 0.24), ("associate", 0.18)]
        for kind, share in kinds:
            for _ in range(int(rest * share)):
                source = rng.choice(persons)
                if kind == "employment":
                    yield (town.pk, kind, ct[Person], source, ct[Company], rng.choice(companies), "", day(), None)
                elif kind == "occupancy":
                    yield (town.pk, kind, ct[Person], source, ct[Address], rng.choice(addresses), "", day(), None)
                else:
                    target = rng.choice(persons)
                    if target != source:
                        yield (town.pk, kind, ct[Person], source, ct[Person], target, "", None, None)

    note(f"subjects loaded ({time.perf_counter() - started:.0f} s)")
    n_rel = load(Relation, relations(), ["owner_id", "kind", "source_type_id", "source_id", "target_type_id", "target_id",
                                          "role", "start_date", "end_date"])
    channels = ["mma", "boa", "partner", "internal", "email"]
    now = dt.datetime.now(dt.timezone.utc)
    load(Signal, ((town.pk, f"BN-{i}", channels[i % 5], "Benchmelding", now - dt.timedelta(days=rng.randrange(700)))
                  for i in range(n_signals)), ["owner_id", "reference", "channel", "text", "received_at"])
    signals = list(Signal.unscoped.filter(owner=town).values_list("pk", flat=True))

    def mentions():
        for s in signals:
            yield (s, rng.choice(persons), "naam")
            if rng.random() < 0.5:
                yield (s, rng.choice(persons[:5000]), "naam")

    load(SignalSubject, mentions(), ["signal_id", "person_id", "method"])
    note(f"relations and signals loaded ({time.perf_counter() - started:.0f} s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have: index-only scans need the visibility map
    return {"analyst": analyst, "persons": persons, "relations": n_rel, "seconds": round(time.perf_counter() - started, 1),
            "ct": ct}


def reused_fixture() -> dict:
    """The analyst, persons and counts of the database a ``--keep`` run left."""
    from django.contrib.contenttypes.models import ContentType

    from regie.accounts.models import User
    from regie.subjects.models import Address, Company, Person, Relation

    analyst = User.objects.get(username="bench-analist")
    persons = list(Person.unscoped.filter(owner_id=analyst.organisation_id).order_by("pk").values_list("pk", flat=True))
    return {"analyst": analyst, "persons": persons, "relations": Relation.unscoped.count(), "seconds": None,
            "ct": {m: ContentType.objects.get_for_model(m).pk for m in (Person, Company, Address)}}


def prewarm(connection) -> None:
    """Read the registry's tables and indexes into memory first, as on a server whose memory holds
    the registry (``pg_prewarm`` when the role may create that extension, else sequential reads)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.oid::regclass::text, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i') AND (c.relname LIKE 'subjects\\_%%' "
                       "OR c.relname LIKE 'intake\\_signal%%')")
        found = cursor.fetchall()
        names = [name for name, _ in found]
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            for name in names:
                cursor.execute("SELECT pg_prewarm(%s::regclass, 'read')", [name])
            note(f"prewarmed {len(names)} tables and indexes")
        except Exception as exc:  # no right to create the extension: read the tables instead
            note(f"pg_prewarm unavailable ({exc.__class__.__name__}); reading the tables")
            for name, kind in found:
                if kind == "r":
                    cursor.execute(f"SELECT count(*) FROM {name}")  # noqa: S608 - names from pg_class


def note(text):
    print(f"{time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def timed_ms(fn):
    t = time.perf_counter()
    result = fn()
    return (time.perf_counter() - t) * 1000, result


def bench_database(access, starts, runs_patterns: bool) -> dict:
    from regie.network import graph as g
    from regie.network import patterns

    g.expand(access, starts[0], hops=2)  # warm-up
    times, sizes = [], []
    for start in starts:
        ms, found = timed_ms(lambda: g.expand(access, start, hops=2, max_nodes=g.DEFAULT_NODES))
        times.append(ms)
        sizes.append(len(found.nodes))
    note(f"two-hop p95 {p95(times):.1f} ms")
    result = {"two_hop_ms": {"median": round(statistics.median(times), 1), "p95": round(p95(times), 1),
                             "max": round(max(times), 1)}, "two_hop_nodes_median": statistics.median(sizes),
              "two_hop_truncated_share": None}
    if runs_patterns:
        result["patterns_s"] = {}
        for code, pattern in patterns.PATTERNS.items():
            ms, hits = timed_ms(lambda: pattern.run(access, {}))
            result["patterns_s"][code] = {"seconds": round(ms / 1000, 2), "hits": len(hits)}
            note(f"pattern {code}: {ms / 1000:.2f} s, {len(hits)} hits")
    return result


def bench_networkx(starts, ct) -> dict:
    import networkx as nx

    from regie.subjects.models import Company, Relation

    label = {ct_id: name for name, ct_id in (("persoon", ct[next(k for k in ct if k.__name__ == "Person")]),
                                             ("bedrijf", ct[next(k for k in ct if k.__name__ == "Company")]),
                                             ("adres", ct[next(k for k in ct if k.__name__ == "Address")]))}
    t = time.perf_counter()
    graph = nx.Graph()
    for kind, st, s, tt, tid in Relation.unscoped.values_list("kind", "source_type_id", "source_id", "target_type_id",
                                                              "target_id").iterator(chunk_size=50000):
        graph.add_edge(f"{label[st]}:{s}", f"{label[tt]}:{tid}", kind=kind)
    for pk, address in Company.unscoped.exclude(address=None).values_list("pk", "address_id").iterator(chunk_size=50000):
        graph.add_edge(f"bedrijf:{pk}", f"adres:{address}", kind="vestiging")
    load_s = time.perf_counter() - t
    times = []
    for start in starts:
        ms, _ = timed_ms(lambda: nx.ego_graph(graph, start, radius=2) if start in graph else None)
        times.append(ms)

    def same_director():
        count = {}
        for a, b, kind in graph.edges(data="kind"):
            if kind == "directorship":
                person = a if a.startswith("persoon") else b
                count[person] = count.get(person, 0) + 1
        return [p for p, n in count.items() if n >= 3]

    def shared_address():
        return [n for n in graph if n.startswith("adres:")
                and sum(1 for _, _, k in graph.edges(n, data="kind") if k == "vestiging") >= 3]

    pattern_s = {}
    for name, fn in (("zelfde_bestuurder", same_director), ("gedeeld_adres", shared_address)):
        ms, hits = timed_ms(fn)
        pattern_s[name] = {"seconds": round(ms / 1000, 2), "hits": len(hits)}
    return {"load_seconds": round(load_s, 1), "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
            "two_hop_ms": {"median": round(statistics.median(times), 1), "p95": round(p95(times), 1),
                           "max": round(max(times), 1)},
            "patterns_s": pattern_s}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--relations", type=int, default=5_000_000)
    parser.add_argument("--signals", type=int, default=50_000)
    parser.add_argument("--starts", type=int, default=200)
    parser.add_argument("--no-networkx", action="store_true")
    parser.add_argument("--no-patterns", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database for --reuse")
    parser.add_argument("--reuse", action="store_true", help="time against the database a --keep run left")
    parser.add_argument("--cold", action="store_true", help="do not read the registry's tables into memory first")
    parser.add_argument("--build-only", action="store_true", help="with --keep: load the database, time nothing")
    args = parser.parse_args()
    if (args.reuse or args.keep) and not args.database_url:
        parser.error("--keep and --reuse need --database-url (PostgreSQL keeps the database between runs)")
    if args.build_only and not args.keep:
        parser.error("--build-only needs --keep: otherwise the database is dropped unused")
    with tempfile.TemporaryDirectory(prefix="regie-bench-network-") as tmp:
        tmp = Path(tmp)
        if args.reuse:
            url = urlunsplit(urlsplit(args.database_url)._replace(path=f"/{DB}"))
        else:
            url = prepare_database(args.database_url or None, tmp)
        os.environ.update({"DATABASE_URL": url, "REGIE_DATA_DIR": str(tmp), "DJANGO_SETTINGS_MODULE": "regie.settings",
                           "ALLOWED_HOSTS": "testserver"})
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        from django.db import connection

        from regie.accounts.access import access_for_user

        rng = random.Random(909)
        if args.reuse:
            fixture = reused_fixture()
        else:
            fixture = build(args.subjects, args.relations, args.signals, rng)
        if connection.vendor == "postgresql" and not args.cold:
            prewarm(connection)
        access = access_for_user(fixture["analyst"])
        starts = [f"persoon:{pk}" for pk in rng.sample(fixture["persons"], args.starts)]
        if args.build_only:
            print(json.dumps({"build_seconds": fixture["seconds"]}))
            return
        result = {"database": connection.vendor, "subjects": args.subjects, "relations": fixture["relations"],
                  "signals": args.signals, "build_seconds": fixture["seconds"], "starts": args.starts,
                  "in_database": bench_database(access, starts, not args.no_patterns)}
        if not args.no_networkx:
            from regie.subjects.models import Address, Company, Person

            result["networkx"] = bench_networkx(starts, {Person: fixture["ct"][Person], Company: fixture["ct"][Company],
                                                         Address: fixture["ct"][Address]})
        connection.close()
        print(json.dumps(result))
    if args.database_url and not (args.keep or args.reuse):
        import psycopg

        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
