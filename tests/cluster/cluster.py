"""The running `make cluster` as the drills see it: its ports (bin/cluster's defaults and
overrides), its PID files, bin/cluster to restart a part, wrk (bench/load.lua) as the load
and a one-client probe that timestamps every failed request, for the failover window."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# bin/cluster drills says which cluster (each CKAN line has its own); .data/cluster otherwise
DATA = Path(os.environ.get("RETAILAREA_CLUSTER_DATA")
            or Path(os.environ.get("RETAILAREA_DATA", ROOT / ".data")) / "cluster")
# the ckan command of the virtualenv the drills run in (.venv, or .venv-2.11)
CKAN = Path(sys.executable).parent / "ckan"
LOAD_SCRIPT = ROOT / "bench" / "load.lua"


def _ports(var: str, default: str) -> list[int]:
    return [int(p) for p in os.environ.get(var, default).split()]


def zk_session_seconds() -> float:
    """The Solr nodes' ZooKeeper session timeout (zkClientTimeout in config/cluster/solr.xml):
    how long ZooKeeper keeps a killed node listed as live, and how long it may be away
    without the nodes losing their sessions."""
    solr_xml = (ROOT / "config" / "cluster" / "solr.xml").read_text()
    found = re.search(r"solr\.zkclienttimeout:(\d+)", solr_xml)
    assert found, "config/cluster/solr.xml sets no zkClientTimeout"
    return int(found.group(1)) / 1000


def wait_for(what: str, check: Callable[[], Any], timeout: float, every: float = 0.5) -> float:
    """Poll ``check`` until truthy; return the seconds it took (exceptions are "not yet")."""
    start = time.monotonic()
    last: Exception | None = None
    while time.monotonic() - start < timeout:
        try:
            if check():
                return time.monotonic() - start
        except Exception as error:  # noqa: BLE001 (a part that is not back yet)
            last = error
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} "
                         f"(last error: {last!r})")


def get(url: str, timeout: float = 10) -> tuple[int, dict[str, Any]]:
    """GET a JSON URL: (status, body); an HTTP error's body is read too."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 - loopback
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            return error.code, json.loads(body)
        except ValueError:
            return error.code, {"raw": body.decode(errors="replace")[:500]}


def post(url: str, data: dict[str, Any], token: str,
         timeout: float = 30) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=json.dumps(data).encode(), method="POST",  # noqa: S310 - loopback
                                     headers={"Content-Type": "application/json",
                                              "Authorization": token})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - loopback
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@dataclass
class Probe:
    """One client GETting ``url`` back to back in a thread; every answer is kept as
    (monotonic time, status), a refused or dropped connection as status 0."""

    url: str
    answers: list[tuple[float, int]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> Probe:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join(30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                status, _ = get(self.url, timeout=10)
            except (OSError, ValueError):
                status = 0
            self.answers.append((time.monotonic(), status))
            time.sleep(0.05)

    def failures_after(self, moment: float) -> list[tuple[float, int]]:
        return [(t - moment, s) for t, s in self.answers if t >= moment and not 200 <= s < 300]


@dataclass
class Cluster:
    web: str
    solr: str
    solr_nodes: list[int]
    zk_port: int

    @classmethod
    def running(cls) -> Cluster:
        web = _ports("RETAILAREA_CLUSTER_WEB_PORT", "7500")[0]
        solr = _ports("RETAILAREA_CLUSTER_SOLR_LB_PORT", "7980")[0]
        return cls(web=f"http://127.0.0.1:{web}", solr=f"http://127.0.0.1:{solr}/solr",
                   solr_nodes=_ports("RETAILAREA_CLUSTER_SOLR_PORTS", "7983 7984 7985"),
                   zk_port=_ports("RETAILAREA_CLUSTER_ZK_PORT", "7181")[0])

    def healthy(self) -> bool:
        try:
            return get(f"{self.web}/api/3/action/status_show")[0] == 200
        except OSError:
            return False

    # --- processes ---------------------------------------------------------------------
    def pid(self, name: str) -> int:
        return int((DATA / "run" / f"{name}.pid").read_text())

    def kill(self, name: str) -> None:
        """SIGKILL to the process group of ``name`` (bin/cluster starts each in its own)."""
        os.killpg(self.pid(name), signal.SIGKILL)

    def bin(self, *args: str, timeout: float = 240) -> None:
        done = subprocess.run([str(ROOT / "bin" / "cluster"), *args], capture_output=True,
                              text=True, timeout=timeout, check=False)
        assert done.returncode == 0, f"bin/cluster {' '.join(args)}:\n{done.stdout}{done.stderr}"

    def ckan(self, *args: str) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}  # see bin/cluster
        done = subprocess.run([str(CKAN), "-c", str(DATA / "ckan.ini"),
                               *args], capture_output=True, text=True, timeout=180, check=False,
                              env=env)
        assert done.returncode == 0, f"ckan {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done.stdout

    def token(self) -> str:
        out = self.ckan("user", "token", "add", "admin", f"drill-{time.time():.0f}")
        return out.strip().splitlines()[-1].strip()

    # --- Solr ----------------------------------------------------------------------------
    def replicas(self) -> list[tuple[str, str, str]]:
        """(shard, node, state) of every replica of collection ckan, as ZooKeeper has it;
        a replica on a node that is not live counts as down."""
        _, body = get(f"{self.solr}/admin/collections?action=CLUSTERSTATUS&collection=ckan&wt=json")
        live = set(body["cluster"]["live_nodes"])
        shards = body["cluster"]["collections"]["ckan"]["shards"]
        return [(shard, r["node_name"], r["state"] if r["node_name"] in live else "down")
                for shard, info in shards.items() for r in info["replicas"].values()]

    def all_active(self) -> bool:
        states = self.replicas()
        return len(states) == 4 and all(state == "active" for _, _, state in states)

    # --- load ----------------------------------------------------------------------------
    def wrk(self, paths: list[str], seconds: int, clients: int = 8) -> dict[str, Any]:
        """wrk against the web proxy with bench/load.lua: requests, latency percentiles,
        4xx/5xx and socket error counts."""
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as path_file:
            path_file.write("\n".join(paths) + "\n")
            path_file.flush()
            command = ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s",
                       "-s", str(LOAD_SCRIPT), self.web, "--", path_file.name]
            done = subprocess.run(command, capture_output=True, text=True,
                                  timeout=seconds + 60, check=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        figures["failed"] = figures["status_5xx"] + figures["status_4xx"] + figures["socket_errors"]
        return figures

    def under_load(self, paths: list[str], seconds: int, clients: int = 8) -> Load:
        return Load(self, paths, seconds, clients)


class Load:
    """wrk in a thread for the length of a ``with`` block (it runs ``seconds`` in all)."""

    def __init__(self, cluster: Cluster, paths: list[str], seconds: int, clients: int) -> None:
        self.figures: dict[str, Any] = {}
        self._thread = threading.Thread(
            target=lambda: self.figures.update(cluster.wrk(paths, seconds, clients)), daemon=True)

    def __enter__(self) -> Load:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._thread.join(300)


def query(params: dict[str, str]) -> str:
    return urllib.parse.urlencode(params)
