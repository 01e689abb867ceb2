"""Drill: the PostgreSQL replica (ckan.datastore.read_url) is stopped while clients read
from the DataStore through the web proxy, and started again. DataStore reads fail cleanly
(409 with a message, never a 500), the footfall series falls back to the primary, and
both resume by themselves when the replica is back (ckanext/retailarea/replica.py)."""
from __future__ import annotations

import time

from tests.cluster.cluster import Probe, get, wait_for

OUTAGE_SECONDS = 10


def _loaded_footfall(cluster) -> tuple[str, str] | None:
    """A DataStore search and the footfall series of a demo footfall dataset whose counts
    the job worker has loaded, if one is loaded yet."""
    _, found = get(f"{cluster.web}/api/3/action/package_search?rows=10&fq=type:footfall")
    assert found["result"]["count"], "the demo catalog has no footfall dataset"
    for dataset in found["result"]["results"]:
        resource = next((r["id"] for r in dataset["resources"] if r.get("datastore_active")),
                        None)
        series = (f"{cluster.web}/api/3/action/retailarea_footfall_series?"
                  f"id={dataset['name']}&period=year")
        if resource and get(series)[0] == 200:
            search = f"{cluster.web}/api/3/action/datastore_search?resource_id={resource}&limit=5"
            return search, series
    return None


def _footfall(cluster) -> tuple[str, str]:
    """See _loaded_footfall; on a fresh cluster the job worker is still loading the counts."""
    wait_for("the demo's footfall counts in the DataStore",
             lambda: _loaded_footfall(cluster), 240, every=2)
    loaded = _loaded_footfall(cluster)
    assert loaded
    return loaded


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
