"""Indexing rate: CKAN's own indexer (``ckan.lib.search.rebuild``, as `ckan search-index
rebuild` runs it) over the first ``--datasets`` of the bench catalog, in each of the
``--workers`` process counts one after the other; datasets/s, and the 1-minute load
average at the start and end of each run (the machine is shared). Used to compare the
one-machine stack with `make cluster` (docs/scaling.md).
Usage: python bench/index.py --config CONFIG [--datasets 10000] [--workers 2,4]
       [--name index]
"""
from __future__ import annotations

import argparse
import os
import time
from typing import Any

import clone
from benchlib import ckan_app, markdown_table, progress, write_result


def bench_ids(config: str, count: int) -> list[str]:
    """The ids of the first ``count`` bench datasets, by name."""
    import ckan.model as model

    with ckan_app(config).test_request_context():
        query = (model.Session.query(model.Package.id)
                 .filter(model.Package.name.like("bench-%"), model.Package.state == "active")
                 .order_by(model.Package.name).limit(count))
        return [package_id for (package_id,) in query]


def run(config: str, ids: list[str], workers: int) -> dict[str, Any]:
    load = round(os.getloadavg()[0], 2)
    progress(f"  index: {len(ids)} datasets in {workers} processes")
    started = time.perf_counter()
    clone.index(config, ids, workers)
    seconds = time.perf_counter() - started
    return {"workers": workers, "datasets": len(ids), "seconds": round(seconds, 1),
            "per_second": round(len(ids) / seconds, 1),
            "load": [load, round(os.getloadavg()[0], 2)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--workers", default="2,4")
    parser.add_argument("--name", default="index", help="bench/results/NAME.json")
    args = parser.parse_args()
    ids = bench_ids(args.config, args.datasets)
    runs = [run(args.config, ids, int(w)) for w in args.workers.split(",")]
    write_result(args.name, {"runs": runs})
    print(markdown_table(["processes", "datasets", "seconds", "datasets/s", "load (start-end)"],
                         [[r["workers"], r["datasets"], r["seconds"], r["per_second"],
                           f"{r['load'][0]}-{r['load'][1]}"] for r in runs]))


if __name__ == "__main__":
    main()
