"""A fetch consumer (one of two) killed with SIGKILL in the middle of a harvest job, while
it reads a record: bin/respawn starts it again, the job finishes, and every record is
imported exactly once.

ckanext-harvest's Redis queue marks a message it hands out with a key
``ckanext-harvest:<site>:harvest_object_id:<id>`` holding the time; the ack deletes it.
A consumer killed before its ack leaves the key, and ``ckan harvester run`` (the
scheduler) puts the message back on the queue once the key is older than 180 s. The test
ages that one key instead of waiting three minutes."""
from __future__ import annotations

import datetime as dt
import os
import signal
import time

import pytest
import redis

from tests.deploy.conftest import active_datasets_of, harvest_source, objects_of
from tests.deploy.processes import connected_to

pytestmark = pytest.mark.slow
RECORDS = 12


def test_killed_fetch_consumer_is_restarted_and_the_job_finishes_without_duplicates(
        deployment, portal):
    api = deployment.web[0]
    catalog = portal("kill", RECORDS, delay=0.2, hold=(4,))
    source = harvest_source(api, "src-kill", catalog.url)
    job = api.call("harvest_job_create", source_id=source["id"], run=True)
    [held] = catalog.hold_ids

    deployment.wait_for("the fetch of the held record", catalog.held.is_set)
    consumers = deployment.consumer_pids("fetch-consumer")
    [victim] = connected_to(consumers, catalog.held_clients[held])
    os.kill(victim, signal.SIGKILL)
    killed = time.monotonic()
    catalog.release.set()
    deployment.wait_for("bin/respawn to start the killed consumer again", lambda: len(
        set(deployment.consumer_pids("fetch-consumer")) - set(consumers)) == 1)
    respawned = time.monotonic() - killed
    _age_in_flight_marker(deployment, job["id"], held)

    finished = deployment.wait_for("the job to finish", lambda: _finished(api, job["id"]))
    print(f"consumer respawned {respawned:.1f} s after the kill; job finished "
          f"{time.monotonic() - killed:.1f} s after it (marker aged)")

    assert {k: n for k, n in finished["stats"].items() if n} == {"added": RECORDS}
    objects = objects_of(job["id"])
    assert sorted(o.guid for o in objects) == catalog.ids
    assert {(o.state, o.report_status, o.current) for o in objects} == {
        ("COMPLETE", "added", True)}
    assert [o.retry_times for o in objects if o.guid == held] == [2]
    # every view read once, the killed one twice; one dataset per record
    assert catalog.view_hits == {i: 2 if i == held else 1 for i in catalog.ids}
    names = active_datasets_of(source["owner_org"])
    assert len(names) == RECORDS
    found = deployment.web[1].call("package_search", fq=f"owner_org:{source['owner_org']}",
                                   rows=100)
    assert sorted(d["name"] for d in found["results"]) == sorted(names)


def _age_in_flight_marker(deployment, job_id: str, guid: str) -> None:
    """Move the killed message's in-flight time back past ckanext-harvest's 180 s."""
    [obj] = [o for o in objects_of(job_id) if o.guid == guid]
    conn = redis.Redis(port=deployment.redis.port, decode_responses=True)
    [key] = conn.keys(f"ckanext-harvest:*:harvest_object_id:{obj.id}")
    conn.set(key, str(dt.datetime.now() - dt.timedelta(seconds=200)))
    conn.close()


def _finished(api, job_id: str) -> dict | None:
    job = api.call("harvest_job_show", id=job_id)
    return job if job["status"] == "Finished" else None
