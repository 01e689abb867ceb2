"""`make bench`: every benchmark of bench/, one after the other, on the bench databases.

Quick by default; BENCH_FULL=1 for the full sizes. Each benchmark writes
bench/results/<name>.json and prints its table; this writes bench/results/summary.md.
Usage: python bench/run.py --config CONFIG
       [--only catalog,search,load,dcat,footfall,insights,harvest]
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
FULL = os.environ.get("BENCH_FULL") == "1"
DATASETS = "100000" if FULL else "10000"
# Quick mode keeps the 10,000-dataset catalog and makes the slow stock side smaller:
# the first 20 catalog pages for the DCAT export (full: 100 pages), 300 harvested
# datasets (full: 10,000), one year of footfall counts (full: five).
BENCHMARKS = {
    "catalog": ["--datasets", DATASETS],
    "search": ["--datasets", DATASETS, "--requests", "500" if FULL else "200"],
    "load": ["--seconds", "60" if FULL else "20"],
    "dcat": ["--datasets", DATASETS, "--pages", "100" if FULL else "20"]
            + ([] if FULL else ["--scale", "20000"]),
    "footfall": ["--runs", "15", "--years", "5" if FULL else "1"],
    "insights": ["--runs", "15", "--years", "5" if FULL else "1"],
    "harvest": ["--datasets", "10000" if FULL else "300"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--only", default=",".join(BENCHMARKS))
    args = parser.parse_args()
    failed = []
    tables = []
    for name in args.only.split(","):
        started = time.perf_counter()
        print(f"\n== {name} ==", flush=True)
        command = [sys.executable, str(HERE / f"{name}.py"), "--config", args.config,
                   *BENCHMARKS[name]]
        done = subprocess.run(command, check=False, stdout=subprocess.PIPE, text=True)
        print(done.stdout, flush=True)
        if done.returncode:
            failed.append(name)
        mode = "full" if FULL else "quick"
        tables.append(f"## {name} ({mode}, {time.perf_counter() - started:.0f} s, "
                      f"{time.strftime('%Y-%m-%d')})\n\n" + _table(done.stdout))
    _write_summary(tables)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def _write_summary(tables: list[str]) -> None:
    """summary.md with this run's sections replacing the same benchmarks' earlier ones."""
    path = HERE / "results" / "summary.md"
    path.parent.mkdir(exist_ok=True)
    sections = {}
    if path.exists():
        for section in path.read_text().split("\n## ")[1:]:
            sections[section.split(" ", 1)[0]] = "## " + section.strip()
    sections.update({table.split(" ", 2)[1]: table.strip() for table in tables})
    ordered = [sections[name] for name in BENCHMARKS if name in sections]
    path.write_text("# make bench: latest results\n\n" + "\n\n".join(ordered) + "\n")


def _table(output: str) -> str:
    """The markdown table lines a benchmark printed."""
    lines = [line for line in output.splitlines() if line.startswith("|")]
    return "\n".join(lines) if lines else json.dumps(output[-500:])


if __name__ == "__main__":
    raise SystemExit(main())
