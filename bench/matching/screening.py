"""Issue 8 point 8: screening speed — one query against a generated registry of 1,000,000 persons.

    .venv/bin/python bench/matching/screening.py                        # 1,000,000 persons, 2,000 queries
    .venv/bin/python bench/matching/screening.py --size 100000 --queries 500

The registry is fictitious and generated from one seed: Faker's Dutch first names and surnames,
birth dates 1930-2008, a street, house number (sometimes with a letter) and postcode, and a valid
BSN for seven in ten persons. Half of the queries are a registry person written differently (a
typo in the surname, initials only, first and last name swapped, day and month transposed, "12-a"
for "12A", no BSN); the other half are new persons. Each query is prepared, looked up in the
blocking index and scored against its candidates in one process on one core; latency is measured
per query (wall clock and CPU time of the process). Results go to bench/matching/screening.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from faker.providers.person.nl_NL import Provider as Names

from regie.matching import AddressRecord, PersonRecord, Screener

HERE = Path(__file__).resolve().parent
GIVEN = sorted(set(Names.first_names_male) | set(Names.first_names_female))
SURNAMES = sorted(s for s in set(Names.last_names) if "'" not in s and "-" not in s)
STREET_ENDS = ("straat", "laan", "weg", "plein", "gracht", "dijk", "singel", "hof")


def _bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11  # the eleven-test: total - last digit must be divisible by 11
        if last < 10:
            return "".join(map(str, digits)) + str(last)


def person(rng: random.Random) -> PersonRecord:
    born = date(1930, 1, 1) + timedelta(days=rng.randrange(79 * 365))
    number = str(rng.randint(1, 250)) + (rng.choice("ABC") if rng.random() < 0.1 else "")
    letters = rng.choice("ABCEFGHJKLMNPRTVWXZ") + rng.choice("ABCEFGHJKLMNPRTVWXZ")
    return PersonRecord(
        given_names=rng.choice(GIVEN), surname=rng.choice(SURNAMES), birth_date=born,
        bsn=_bsn(rng) if rng.random() < 0.7 else "",
        address=AddressRecord(street=rng.choice(SURNAMES) + rng.choice(STREET_ENDS), house_number=number,
                              postcode=f"{rng.randint(1000, 9999)}{letters}"),
    )


def variant(rng: random.Random, source: PersonRecord) -> PersonRecord:
    given, surname, born, address = source.given_names, source.surname, source.birth_date, source.address
    change = rng.choice(("typo", "initials", "swap", "transpose", "letter", "plain"))
    if change == "typo" and len(surname) > 4:
        i = rng.randrange(1, len(surname) - 1)
        surname = surname[:i] + surname[i + 1] + surname[i] + surname[i + 2:]
    elif change == "initials":
        given = given[0] + "."
    elif change == "swap":
        given, surname = surname, given
    elif change == "transpose" and born.day <= 12 and born.day != born.month:
        born = date(born.year, born.day, born.month)
    elif change == "letter" and address.house_number[-1:].isalpha():
        address = AddressRecord(street=address.street, house_number=address.house_number[:-1] + "-" + address.house_number[-1].lower(),
                                postcode=address.postcode)
    return PersonRecord(given_names=given, surname=surname, birth_date=born.strftime("%d-%m-%Y"), address=address)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=HERE / "screening.json")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start = time.perf_counter()
    registry = [person(rng) for _ in range(args.size)]
    generated = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    screener = Screener(registry)
    build, build_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"registry of {args.size:,}: generated in {generated:.0f}s, indexed in {build:.0f}s "
          f"(CPU {build_cpu:.0f}s), {len(screener.index.blocks):,} keys, {len(screener.index.skipped):,} skipped", flush=True)

    queries = []
    for q in range(args.queries):
        if q % 2 == 0:
            source = rng.randrange(args.size)
            queries.append((source, variant(rng, registry[source])))
        else:
            queries.append((None, person(rng)))
    wall, cpu_times, found_source, false_hits, candidates = [], [], 0, 0, []
    for source, record in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        hits = screener.query(record)
        wall.append(time.perf_counter() - t0)
        cpu_times.append(time.process_time() - c0)
        if source is not None:
            found_source += bool(hits) and hits[0].index == source
        elif hits:
            false_hits += 1
    for _, record in queries[:200]:
        from regie.matching import prepare

        candidates.append(len(screener.index.candidates(prepare(record))))

    def pct(values, p):
        return sorted(values)[min(len(values) - 1, round(p / 100 * len(values)) - 1)] * 1000

    variants = sum(1 for s, _ in queries if s is not None)
    result = {
        "command": "python bench/matching/screening.py " + " ".join(sys.argv[1:]),
        "size": args.size, "queries": args.queries, "seed": args.seed,
        "build_seconds": build, "build_cpu_seconds": build_cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "latency_ms": {"p50": pct(wall, 50), "p95": pct(wall, 95), "p99": pct(wall, 99), "max": max(wall) * 1000},
        "cpu_ms": {"p50": pct(cpu_times, 50), "p95": pct(cpu_times, 95), "p99": pct(cpu_times, 99)},
        "queries_per_second_one_core": len(wall) / sum(wall),
        "queries_per_cpu_second": len(cpu_times) / sum(cpu_times),
        "median_candidates": statistics.median(candidates),
        "variants_found_as_top_hit": found_source / variants,
        "new_persons_with_a_hit": false_hits / (len(queries) - variants),
        "python": platform.python_version(),
    }
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
