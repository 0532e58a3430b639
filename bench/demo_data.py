"""Time `regie demo-data` on a fresh embedded SQLite database.

    .venv/bin/python bench/demo_data.py                 # scales 1 and 10, 3 runs each
    .venv/bin/python bench/demo_data.py --scales 1 10 100 --runs 3

Each run gets a new temporary data directory holding a copy of a freshly migrated database,
so migrating is not timed; the time is the wall-clock time of the whole `regie demo-data`
process (start-up included), next to the CPU time it used (less sensitive to a busy machine).
Prints the medians per scale as a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REGIE = [sys.executable, "-m", "regie.manage"]
SUMMARY = re.compile(r"Demogemeente aangemaakt: (.*)")


def clean_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REGIE_", "DJANGO_")) and k not in {"DATABASE_URL", "DEBUG"}}
    env.update({"REGIE_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "regie.settings"})
    return env


def migrated_template(root: Path) -> Path:
    template = root / "template"
    template.mkdir()
    subprocess.run([*REGIE, "migrate", "--noinput", "-v", "0"], env=clean_env(template), cwd=template, check=True)
    return template / "regie.sqlite3"


def rows_in(output: str) -> int:
    match = SUMMARY.search(output)
    if match is None:
        raise RuntimeError(f"no summary in the output of demo-data:\n{output}")
    return sum(int(part.split()[0]) for part in match.group(1).split(", "))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run(root: Path, template: Path, scale: float, seed: int, n: int) -> tuple[float, float, int]:
    data_dir = root / f"run-{scale}-{n}"
    data_dir.mkdir()
    for suffix in ("", "-wal", "-shm"):
        source = template.with_name(template.name + suffix)
        if source.exists():
            shutil.copy(source, data_dir / source.name)
    started, cpu_started = time.perf_counter(), _children_cpu()
    result = subprocess.run(
        [*REGIE, "demo-data", "--seed", str(seed), "--scale", str(scale)],
        env=clean_env(data_dir), cwd=data_dir, capture_output=True, text=True,
    )
    seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu_started
    if result.returncode != 0:
        sys.exit(f"demo-data --scale {scale:g} failed:\n{result.stderr[-3000:]}")
    shutil.rmtree(data_dir)
    return seconds, cpu, rows_in(result.stdout)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    print(f"# regie demo-data on SQLite, {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, {args.runs} runs each")
    print()
    print("| scale | rows | median seconds | rows/second | median CPU seconds | all runs (s) |")
    print("| ---: | ---: | ---: | ---: | ---: | --- |")
    with tempfile.TemporaryDirectory(prefix="regie-bench-") as tmp:
        root = Path(tmp)
        template = migrated_template(root)
        for scale in args.scales:
            timings, cpus, rows = [], [], 0
            for n in range(args.runs):
                seconds, cpu, rows = one_run(root, template, scale, args.seed, n)
                timings.append(seconds)
                cpus.append(cpu)
            median = statistics.median(timings)
            runs = ", ".join(f"{t:.1f}" for t in timings)
            print(
                f"| {scale:g} | {rows:,} | {median:.1f} | {rows / median:,.0f} | {statistics.median(cpus):.1f} | {runs} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
