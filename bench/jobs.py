"""Job throughput of DCAT conformance checks: one job per dataset (as before issue 17)
against the bulk queue's batched jobs (``ckanext/retailarea/bulk.py``), same datasets,
same run, each drained by a real ``ckan jobs worker --burst`` process.

    # after `make bench` (or any run that left datasets in the bench database)
    .venv/bin/python bench/jobs.py --config .data/test_bench_c.ini --datasets 200

Prints checks per minute for both and writes ``bench/results/jobs.json``.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PER_DATASET_QUEUE = "bench-per-dataset"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="CKAN ini file")
    parser.add_argument("--datasets", type=int, default=200)
    parser.add_argument("--output", default=str(ROOT / "results" / "jobs.json"))
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.config))
    import ckan.lib.jobs as jobs
    import ckan.model as model
    import ckan.plugins.toolkit as tk

    from ckanext.retailarea import bulk
    from ckanext.retailarea.dcat import conformance

    with app._wsgi_app.test_request_context():
        ids = [i for (i,) in model.Session.query(model.Package.id).filter(
            model.Package.state == "active", model.Package.type != "harvest",
            model.Package.private.is_(False)).limit(args.datasets)]
        jobs.get_queue(PER_DATASET_QUEUE).empty()
        jobs.get_queue(bulk.QUEUE).empty()
        bulk.take(conformance.TASK, 1_000_000)
        for package_id in ids:
            tk.enqueue_job(conformance.run, [package_id], queue=PER_DATASET_QUEUE,
                           title=f"DCAT conformance check of {package_id}")
        before = _drain(args.config, PER_DATASET_QUEUE)
        bulk.schedule(conformance.TASK, ids, conformance.run_pending, conformance.JOB_TITLE)
        after = _drain(args.config, bulk.QUEUE)
    report = {"datasets": len(ids), "load": _load(),
              "per_dataset_jobs": {"seconds": before, "jobs": len(ids),
                                   "checks_per_minute": round(len(ids) * 60 / before)},
              "bulk_queue": {"seconds": after,
                             "jobs": -(-len(ids) // bulk.PER_JOB),
                             "checks_per_minute": round(len(ids) * 60 / after)}}
    Path(args.output).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


def _drain(config: str, queue: str) -> float:
    """Seconds a burst worker of ``queue`` takes to run every job on it."""
    ckan = Path(sys.executable).with_name("ckan")
    started = time.monotonic()
    subprocess.run([str(ckan), "-c", config, "jobs", "worker", "--burst", queue],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return round(time.monotonic() - started, 1)


def _load() -> list[float]:
    import os

    return [round(x, 2) for x in os.getloadavg()[:2]]


if __name__ == "__main__":
    sys.exit(main())
