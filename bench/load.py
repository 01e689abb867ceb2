"""API load: 50 concurrent clients against gunicorn with 4 workers, measured with wrk.

Starts gunicorn the way the deployment does (``config/gunicorn.conf.py``,
``ckanext.retailarea.wsgi``) on a free loopback port with the bench config, warms it up,
then lets wrk (Debian package ``wrk``; ``make bench`` installs it) drive two mixes of
anonymous API calls for ``--seconds`` each:
  package_show    a random public bench dataset per request
  package_search  the searches of bench/search.py (rows=20, our facets)
and reports requests/s, p50/p95/p99 latency and the 4xx/5xx/socket error counts. wrk and
the server share the machine's cores, as they would on a one-machine deployment.
Usage: python bench/load.py --config CONFIG [--clients 50] [--workers 4] [--seconds 20]
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any
from urllib.parse import urlencode

import requests
from benchlib import markdown_table, progress, write_result
from search import OUR_FACETS, QUERIES, search_params

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPT = pathlib.Path(__file__).resolve().parent / "load.lua"
WARM_UP_SECONDS = 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(config: str, port: int, workers: int, log: pathlib.Path) -> Any:
    env = {**os.environ, "CKAN_INI": str(pathlib.Path(config).resolve()),
           "RETAILAREA_WEB_WORKERS": str(workers)}
    command = [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "config/gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}", "--access-logfile", str(log) + ".access",
               "ckanext.retailarea.wsgi:application"]
    with log.open("w") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  cwd=ROOT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped, see {log}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/3/action/status_show",
                            timeout=5).ok:
                return server
        except requests.RequestException:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer within 180 s, see {log}")


def paths(base: str) -> dict[str, list[str]]:
    """Request paths per mix."""
    found = requests.get(f"{base}/api/3/action/package_search", timeout=60, params={
        "q": "name:bench-*", "fq": "-access_level:restricted", "rows": "1000", "fl": "name"})
    names = [row["name"] for row in found.json()["result"]["results"]]
    if not names:
        raise SystemExit("no public bench datasets found: load the catalog first")
    return {
        "package_show": [f"/api/3/action/package_show?id={name}" for name in names],
        "package_search": ["/api/3/action/package_search?"
                           + urlencode(search_params(query, OUR_FACETS)) for query in QUERIES],
    }


def wrk(url: str, path_file: str, clients: int, seconds: int) -> dict[str, Any]:
    command = ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(SCRIPT), url, "--", path_file]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["requests_per_second"] = round(figures["requests"] / figures["seconds"], 1)
    return figures


def measure(config: str, clients: int, workers: int, seconds: int) -> dict[str, Any]:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench installs it)")
    port = free_port()
    log = ROOT / ".data/logs/bench-gunicorn.log"
    progress(f"  load: gunicorn with {workers} workers on port {port}")
    server = start_gunicorn(config, port, workers, log)
    base = f"http://127.0.0.1:{port}"
    runs = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for mix, lines in paths(base).items():
                path_file = pathlib.Path(tmp, mix)
                path_file.write_text("\n".join(lines) + "\n")
                wrk(base, str(path_file), clients, WARM_UP_SECONDS)
                progress(f"  load: {mix}, {clients} clients, {seconds} s")
                runs[mix] = wrk(base, str(path_file), clients, seconds)
                progress(f"    {runs[mix]}")
    finally:
        server.terminate()
        server.wait(timeout=60)
    tracebacks = log.read_text(errors="replace").count("Traceback")
    return {"clients": clients, "workers": workers, "seconds": seconds, "runs": runs,
            "server_tracebacks": tracebacks}


def report(config: str, clients: int, workers: int, seconds: int) -> dict[str, Any]:
    result = measure(config, clients, workers, seconds)
    write_result("load", result)
    print(markdown_table(
        ["mix", "clients", "gunicorn workers", "requests", "req/s", "p50 ms", "p95 ms",
         "p99 ms", "4xx", "5xx", "socket errors"],
        [[mix, clients, workers, r["requests"], r["requests_per_second"], r["p50_ms"],
          r["p95_ms"], r["p99_ms"], r["status_4xx"], r["status_5xx"], r["socket_errors"]]
         for mix, r in result["runs"].items()]))
    bad = sum(r["status_5xx"] + r["socket_errors"] for r in result["runs"].values())
    if bad or result["server_tracebacks"]:
        print(f"\n{bad} failed requests, {result['server_tracebacks']} tracebacks in the "
              "server log", file=sys.stderr)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    report(args.config, args.clients, args.workers, args.seconds)


if __name__ == "__main__":
    main()
