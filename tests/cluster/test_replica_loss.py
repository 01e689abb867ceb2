"""Drill: the PostgreSQL replica (ckan.datastore.read_url) is stopped while clients read
from the DataStore through the web proxy, and started again. DataStore reads fail cleanly
(409 with a message, never a 500), the footfall series falls back to the primary, and
both resume by themselves when the replica is back (ckanext/retailarea/replica.py)."""
from __future__ import annotations

import time

from tests.cluster.cluster import Probe, get, wait_for

OUTAGE_SECONDS = 10


def _loaded_footfall(cluster) -> tuple[str, str] | None:
    """(dataset name, resource id) of a demo footfall table in the DataStore, if any yet."""
    _, found = get(f"{cluster.web}/api/3/action/package_search?rows=10&fq=type:footfall")
    assert found["result"]["count"], "the demo catalog has no footfall dataset"
    return next(((dataset["name"], resource["id"]) for dataset in found["result"]["results"]
                 for resource in dataset["resources"] if resource.get("datastore_active")),
                None)


def _footfall(cluster) -> tuple[str, str]:
    """A DataStore search and the footfall series of a demo footfall dataset, once the job
    worker has loaded its counts (on a fresh cluster it is still validating them)."""
    wait_for("the demo's footfall counts in the DataStore",
             lambda: _loaded_footfall(cluster), 240, every=2)
    loaded = _loaded_footfall(cluster)
    assert loaded
    name, resource = loaded
    search = f"{cluster.web}/api/3/action/datastore_search?resource_id={resource}&limit=5"
    series = f"{cluster.web}/api/3/action/retailarea_footfall_series?id={name}&period=year"
    wait_for("the demo's footfall series", lambda: get(series)[0] == 200, 240, every=2)
    return search, series


def test_losing_the_replica(cluster, record_property):
    search, series = _footfall(cluster)
    assert get(search)[0] == 200
    load = cluster.under_load([search.removeprefix(cluster.web)], seconds=OUTAGE_SECONDS + 8)
    with Probe(search) as probe, load:
        time.sleep(2)
        stopped_at = time.monotonic()
        cluster.bin("stop-replica")
        time.sleep(2)
        outage_search = get(search)
        outage_series = get(series)
        time.sleep(OUTAGE_SECONDS)
        cluster.bin("start-service", "pg-replica")
        started_at = time.monotonic()
        resumed = wait_for("DataStore reads from the replica again",
                           lambda: get(search)[0] == 200, 60)
        time.sleep(1)
    statuses = sorted({status for moment, status in probe.answers if moment >= stopped_at})
    report = {"statuses_during": statuses, "wrk": load.figures, "search_during": outage_search,
              "series_during_status": outage_series[0], "resumed_after_start_s": round(resumed, 1),
              "replica_start_s": round(started_at - stopped_at - OUTAGE_SECONDS - 2, 1)}
    record_property("replica", report)
    print(f"\nreplica stopped for {OUTAGE_SECONDS} s: {report}")
    assert 500 not in statuses and 0 not in statuses, report
    assert load.figures["status_5xx"] == 0 and load.figures["socket_errors"] == 0, report
    status, body = outage_search
    assert status == 409, report
    assert "read database is unavailable" in body["error"]["datastore"][0], report
    assert outage_series[0] == 200, f"the footfall series did not fall back: {outage_series}"
