"""Shared by the benchmarks: a CKAN app from a config file, timing, memory, output."""
from __future__ import annotations

import json
import os
import pathlib
import resource
import sys
import time
from contextlib import contextmanager
from typing import Any

RESULTS = pathlib.Path(__file__).resolve().parent / "results"


def ckan_app(config_path: str) -> Any:
    """The Flask app of CKAN for ``config_path`` (plugins loaded, as `ckan run` does)."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(config_path))._wsgi_app


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def stopwatch() -> Any:
    timing = {"seconds": 0.0}
    started = time.perf_counter()
    try:
        yield timing
    finally:
        timing["seconds"] = time.perf_counter() - started


def write_result(name: str, result: dict[str, Any]) -> pathlib.Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    result = {"benchmark": name, "machine": machine(), **result}
    path.write_text(json.dumps(result, indent=2) + "\n")
    return path


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": sys.version.split()[0],
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def markdown_table(headers: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
