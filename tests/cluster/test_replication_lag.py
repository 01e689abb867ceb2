"""Drill: replication lag under load. Rows written through the API go to the primary
(ckan.datastore.write_url); the same rows read back through the API come from the replica
(ckan.datastore.read_url). Each write is timed until the read sees it, while wrk keeps the
web processes busy with searches."""
from __future__ import annotations

import json
import time

from tests.cluster.cluster import get, post, query, wait_for

VISIBLE_WITHIN_SECONDS = 5
WRITES = 10
SEARCHES = [f"/api/3/action/package_search?{query({'q': q, 'rows': '5'})}"
            for q in ("*:*", "winkel", "centrum")]

PUBLIC_DATASET = query({"rows": "1", "fq": "access_level:public", "sort": "name asc"})


def _table(cluster, token: str) -> str:
    _, found = get(f"{cluster.web}/api/3/action/package_search?{PUBLIC_DATASET}")
    package = found["result"]["results"][0]["id"]
    status, body = post(f"{cluster.web}/api/3/action/resource_create", {
        "package_id": package, "name": "replication drill", "format": "CSV",
        "url": "https://example.org/replication-drill.csv"}, token)
    assert status == 200, body
    status, body = post(f"{cluster.web}/api/3/action/datastore_create", {
        "resource_id": body["result"]["id"],
        "fields": [{"id": "n", "type": "int"}, {"id": "visitors", "type": "int"}],
        "primary_key": ["n"], "force": True}, token)
    assert status == 200, body
    return body["result"]["resource_id"]


def _rows(url: str) -> list:
    status, body = get(url)
    assert status == 200, body
    return body["result"]["records"]


def test_a_write_is_visible_on_the_replica(cluster, record_property):
    token = cluster.token()
    resource = _table(cluster, token)
    lags = []
    with cluster.under_load(SEARCHES, seconds=WRITES * 2 + 5) as load:
        for n in range(WRITES):
            status, body = post(f"{cluster.web}/api/3/action/datastore_upsert", {
                "resource_id": resource, "method": "insert", "force": True,
                "records": [{"n": n, "visitors": 100 + n}]}, token)
            assert status == 200, body
            params = {"resource_id": resource, "filters": json.dumps({"n": n})}
            url = f"{cluster.web}/api/3/action/datastore_search?{query(params)}"
            lags.append(wait_for(f"row {n} on the replica", lambda url=url: _rows(url), 30,
                                 every=0.05))
            time.sleep(1)
    report = {"lag_s": [round(lag, 3) for lag in lags], "max_s": round(max(lags), 3),
              "wrk": load.figures}
    record_property("replication", report)
    print(f"\nreplication lag, write on the primary to read on the replica: {report}")
    assert max(lags) <= VISIBLE_WITHIN_SECONDS, report
