"""The scripts behind `make run` and `make stop`: idempotent, clear about ports, able to
resume a half-started stack. These start real processes."""
from __future__ import annotations

import os
import pathlib
import re
import socket
import subprocess
import time

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without the test run's CKAN_* overrides (they point at the test
    databases), so scripts act like a user's shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    env.update(extra)
    return env


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=ROOT, env=clean_env(**env), capture_output=True, text=True, timeout=600,
        check=False,
    )


@pytest.fixture
def occupied_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


@pytest.mark.parametrize("script, variable", [
    (["bin/redis.sh", "start"], "RETAILAREA_REDIS_PORT"),
    (["bin/stack", "web-start"], "RETAILAREA_WEB_PORT"),
    (["config/solr/solr.sh", "start"], "RETAILAREA_SOLR_PORT"),
    (["bin/postgres.sh", "start"], "RETAILAREA_PG_PORT"),
    (["bin/stack", "spdp-fake-start"], "RETAILAREA_SPDP_PORT"),
])
def test_a_port_in_use_gives_a_clear_message(tmp_path, occupied_port, script, variable):
    result = run(script, RETAILAREA_DATA=str(tmp_path), **{variable: str(occupied_port)})

    assert result.returncode == 1
    assert f"port {occupied_port}" in result.stderr
    assert variable in result.stderr
    assert "Traceback" not in result.stderr


def test_a_stale_pid_file_is_resumed_not_trusted(tmp_path):
    port = free_port()
    env = {"RETAILAREA_DATA": str(tmp_path), "RETAILAREA_REDIS_PORT": str(port)}
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "redis.pid").write_text("999999\n")  # a crash left this behind

    started = run(["bin/redis.sh", "start"], **env)
    try:
        assert started.returncode == 0, started.stderr
        assert "answers" in started.stdout
        pid = int((tmp_path / "run" / "redis.pid").read_text())
        assert pid != 999999
        again = run(["bin/redis.sh", "start"], **env)
        assert again.returncode == 0
        assert int((tmp_path / "run" / "redis.pid").read_text()) == pid
    finally:
        stopped = run(["bin/redis.sh", "stop"], **env)
    assert stopped.returncode == 0
    assert not (tmp_path / "run" / "redis.pid").exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1)


def shell_function(name: str) -> str:
    """The body of a function of bin/stack."""
    text = (ROOT / "bin" / "stack").read_text()
    found = re.search(rf"^{name}\(\) \{{\n(.*?)^\}}", text, re.M | re.S)
    assert found is not None, name
    return found.group(1)


def test_make_run_starts_the_spdp_fake_and_make_stop_stops_it():
    run_steps = shell_function("run").split()
    assert run_steps.index("spdp_fake_start") < run_steps.index("site")  # the demo reads it
    assert "live_start" in shell_function("web_start")  # the poller and retention
    assert "stop_service spdp-fake" in shell_function("stop")
    stopped = shell_function("web_stop")
    assert "stop_service parking" in stopped and "stop_service retention" in stopped


def test_the_spdp_fake_runs_by_pid_file(tmp_path):
    port = free_port()
    env = {"RETAILAREA_DATA": str(tmp_path), "RETAILAREA_SPDP_PORT": str(port)}
    started = run(["bin/stack", "spdp-fake-start"], **env)
    try:
        assert started.returncode == 0, started.stderr
        pid = int((tmp_path / "run" / "spdp-fake.pid").read_text())
        index = requests.get(f"http://127.0.0.1:{port}/parkingdata/v2/", timeout=10).json()
        assert len(index["ParkingFacilities"]) == 4
        dynamic = requests.get(index["ParkingFacilities"][0]["dynamicDataUrl"], timeout=10)
        assert "facilityActualStatus" in dynamic.json()["parkingFacilityDynamicInformation"]
        again = run(["bin/stack", "spdp-fake-start"], **env)
        assert "already runs" in again.stdout
        assert int((tmp_path / "run" / "spdp-fake.pid").read_text()) == pid
    finally:
        stopped = run(["bin/stack", "spdp-fake-stop"], **env)
    assert stopped.returncode == 0
    assert not (tmp_path / "run" / "spdp-fake.pid").exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1)


def catalog_state(base: str) -> dict[str, str]:
    """Each dataset's metadata_modified; for live datasets (tables the SPDP poller writes,
    url_type datastore) only that they are there: on CKAN 2.12 every write to such a
    table sets its resource's last_modified, so they change while the poller runs."""
    names = requests.get(f"{base}/api/3/action/package_list", timeout=30).json()["result"]
    shown = [requests.get(f"{base}/api/3/action/package_show", params={"id": name},
                          timeout=30).json()["result"] for name in names]
    return {dataset["name"]: "live" if any(
        resource.get("url_type") == "datastore" for resource in dataset["resources"])
        else dataset["metadata_modified"] for dataset in shown}


def wait_for_jobs(seconds: float = 240) -> None:
    """Until the site's workers have run every queued job (the demo's table checks and
    loads): loading a table into the DataStore updates its dataset (on CKAN 2.12
    datastore_create patches the resource)."""
    import redis
    from rq import Queue
    from rq.registry import StartedJobRegistry

    connection = redis.Redis(port=int(os.environ.get("RETAILAREA_REDIS_PORT", "6380")))
    queues = [Queue(f"ckan:retailarea:{name}", connection=connection)
              for name in ("default", "bulk")]
    deadline, idle = time.monotonic() + seconds, 0
    while idle < 2:  # twice in a row: a job moves from its queue to the started registry
        busy = {queue.name: queue.count + StartedJobRegistry(queue=queue).count
                for queue in queues}
        idle = idle + 1 if not any(busy.values()) else 0
        assert time.monotonic() < deadline, f"jobs still queued or running: {busy}"
        time.sleep(1)


@pytest.mark.slow
def test_make_run_twice_serves_the_same_catalog():
    base = f"http://127.0.0.1:{os.environ.get('RETAILAREA_WEB_PORT', '5000')}"
    was_running = run(["bin/stack", "status"]).stdout.count("web running") == 1
    first = run(["make", "run"])
    try:
        assert first.returncode == 0, first.stdout + first.stderr
        assert f"{base}" in first.stdout and "'admin'" in first.stdout
        wait_for_jobs()
        state = catalog_state(base)
        assert {"passantentellingen-gouda", "parkeren-arnhem"} <= set(state)
        assert "leegstandssignalen-gouda" not in state  # non-public
        assert state["parkeren-gouda-centrum-live"] == "live" != state["parkeren-gouda"]
        search = requests.get(f"{base}/api/3/action/package_search",
                              params={"fq": "dataset_type:parking"}, timeout=30).json()
        assert {d["name"] for d in search["result"]["results"]} == {
            "parkeren-arnhem", "parkeren-gouda",  # uploaded CSVs
            "parkeren-arnhem-centrum-live", "parkeren-gouda-centrum-live"}  # SPDP fake

        started = time.monotonic()
        second = run(["make", "run"])
        seconds = time.monotonic() - started

        assert second.returncode == 0, second.stdout + second.stderr
        assert "already runs" in second.stdout
        assert " created " not in second.stdout and " updated " not in second.stdout
        assert catalog_state(base) == state
        assert seconds < 60
    finally:
        if not was_running:
            run(["bin/stack", "web-stop"])


def test_a_missing_program_is_named_with_the_fix(tmp_path):
    """A machine without redis-server is told what to install, not left with a trace."""
    import shutil

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "dirname", "mkdir", "cat", "rm", "sleep", "seq", "kill"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    result = subprocess.run(
        ["bash", "bin/redis.sh", "start"], cwd=ROOT, capture_output=True, text=True,
        env={"PATH": str(bin_dir), "RETAILAREA_DATA": str(tmp_path / "data"),
             "RETAILAREA_REDIS_PORT": str(free_port())},
        timeout=60, check=False,
    )
    assert result.returncode == 1
    assert "redis-server not found" in result.stderr
    assert "apt-get install redis-server" in result.stderr
