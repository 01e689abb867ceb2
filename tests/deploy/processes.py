"""Real processes for the deployment tests: a private Redis and a private Solr (started
with our own bin/redis.sh and config/solr/solr.sh under a temporary RETAILAREA_DATA, so
the shared services other engineers test against are never restarted), and the Procfile
under honcho. Every wait polls with a deadline and fails with the process's log."""
from __future__ import annotations

import configparser
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent  # the CKAN line this run tests (.venv or .venv-2.11)
SHARED_DATA = Path(os.environ.get("RETAILAREA_DATA", ROOT / ".data"))


# Ports for our servers: below Linux's default range for outgoing connections
# (32768-60999), so no client socket takes one between our check and the server's bind.
PORTS = (20000, 32000)


def free_port() -> int:
    for _ in range(200):
        port = random.randrange(*PORTS)
        if bindable(port):
            return port
    raise AssertionError(f"no free port in {PORTS}")


def wait_for(what: str, check: Callable[[], Any], timeout: float,
             logs: Callable[[], str] | None = None, every: float = 0.25) -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds
    with ``what`` and the tail of the logs (exceptions count as "not yet")."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception as error:  # noqa: BLE001 (a service that is not up yet)
            last_error = error
        time.sleep(every)
    detail = f"\nlast error: {last_error!r}" if last_error else ""
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{detail}"
                         f"\n--- log ---\n{logs() if logs else ''}")


def tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return f"({path} does not exist)"


class ScriptService:
    """A service of bin/ (``start``/``stop``) on its own port with its own data folder."""

    def __init__(self, script: str, name: str, port_var: str, data: Path) -> None:
        self.script, self.name, self.data = ROOT / script, name, data
        self.port = free_port()
        self.env = {**os.environ, "RETAILAREA_DATA": str(data), port_var: str(self.port)}

    def _run(self, action: str, timeout: float) -> None:
        done = subprocess.run([str(self.script), action], env=self.env, capture_output=True,
                              text=True, timeout=timeout, check=False)
        if done.returncode:
            raise AssertionError(f"{self.script.name} {action} failed:\n{done.stdout}"
                                 f"{done.stderr}\n--- log ---\n{self.log()}")

    def start(self) -> None:
        self._run("start", 240)

    def stop(self) -> None:
        self._run("stop", 60)

    def log(self) -> str:
        return tail(self.data / "logs" / f"{self.name}.log")

    def kill(self) -> None:
        """Last resort in finalizers: SIGKILL whatever the PID file names."""
        pid_file = self.data / "run" / f"{self.name}.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text().strip()), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass


def private_redis(data: Path) -> ScriptService:
    """bin/redis.sh: append-only file plus RDB snapshots, as the site's Redis."""
    return ScriptService("bin/redis.sh", "redis", "RETAILAREA_REDIS_PORT", data)


def private_solr(data: Path) -> ScriptService:
    """config/solr/solr.sh with its own solr home (cores ``ckan`` and ``ckan_test``); the
    jars are the shared ones (a link to .data/solr-lib), so nothing is downloaded."""
    data.mkdir(parents=True, exist_ok=True)
    lib = data / "solr-lib"
    if not lib.exists():
        lib.symlink_to(SHARED_DATA / "solr-lib")
    return ScriptService("config/solr/solr.sh", "solr", "RETAILAREA_SOLR_PORT", data)


def deployment_ini(base_ini: str, target: Path, web_port: int, redis_port: int,
                   solr_port: int, storage: Path) -> Path:
    """The slot's test config (its databases) pointed at the private Redis and Solr."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keep the case of keys
    if not parser.read(Path(base_ini).resolve()):
        raise AssertionError(f"cannot read the test config {base_ini}")
    parser["app:main"].update({
        "ckan.site_url": f"http://127.0.0.1:{web_port}",
        "solr_url": f"http://127.0.0.1:{solr_port}/solr/ckan",
        "ckan.redis.url": f"redis://127.0.0.1:{redis_port}/0",
        "ckan.harvest.mq.hostname": "127.0.0.1",
        "ckan.harvest.mq.port": str(redis_port),
        "ckan.harvest.mq.redis_db": "0",
        "ckanext.retailarea.harvest.allow_private_addresses": "true",
        "ckan.storage_path": str(storage),
    })
    with target.open("w") as out:
        parser.write(out)
    return target


def process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        table[int(entry.name)] = (ppid, cmdline)
    return table


class Honcho:
    """``honcho start`` of the repository's Procfile; its output goes to a log file."""

    def __init__(self, workdir: Path, env: dict[str, str], port: int, concurrency: str):
        self.log_path = workdir / "honcho.log"
        self.env, self.port, self.concurrency = env, port, concurrency
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [str(VENV_BIN / "honcho"), "start", "-f", str(ROOT / "Procfile"),
                 "-d", str(ROOT), "-e", "/dev/null", "-p", str(self.port),
                 "-c", self.concurrency, "--no-colour"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    def log(self, lines: int = 80) -> str:
        return tail(self.log_path, lines)

    def mark(self) -> int:
        """A position in the log, for :meth:`since`."""
        return self.log_path.stat().st_size

    def since(self, mark: int) -> list[str]:
        with self.log_path.open("rb") as log:
            log.seek(mark)
            return log.read().decode(errors="replace").splitlines()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def descendants(self) -> dict[int, str]:
        """pid -> command line of every process below honcho."""
        table = process_table()
        found: dict[int, str] = {}
        frontier = {self.proc.pid} if self.proc else set()
        while frontier:
            children = {pid for pid, (ppid, _) in table.items()
                        if ppid in frontier and pid not in found}
            found.update({pid: table[pid][1] for pid in children})
            frontier = children
        return found

    def pids_of(self, command: str) -> list[int]:
        """The processes running ``command`` itself (not the bin/respawn loop around it)."""
        return sorted(pid for pid, cmd in self.descendants().items()
                      if command in cmd and "respawn" not in cmd and "sh -c" not in cmd)

    def stop(self) -> None:
        """SIGTERM to honcho (which stops each process group), then SIGKILL leftovers."""
        if self.proc is None:
            return
        children = self.descendants()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def connected_to(pids: list[int], client_port: int) -> list[int]:
    """Those of ``pids`` owning the TCP socket with local port ``client_port`` on
    127.0.0.1 (its inode in /proc/net/tcp, the same inode among a process's fds)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_host, local_port = fields[1].split(":")
        if local_host == "0100007F" and int(local_port, 16) == client_port:
            inodes.add(fields[9])
    found = []
    for pid in pids:
        try:
            links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
        except OSError:
            continue
        if any(link.startswith("socket:[") and link[8:-1] in inodes for link in links):
            found.append(pid)
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
