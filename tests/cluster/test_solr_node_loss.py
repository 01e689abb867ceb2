"""Drill: one SolrCloud node is killed (SIGKILL) while wrk searches through the web proxy.
Searches keep answering: HAProxy resends a refused request to another node and takes the
dead one out after two failed health checks; a shard whose replica was on it is served by
its other replica. ZooKeeper drops the node from the live nodes when its session expires
(``zkClientTimeout``, config/cluster/solr.xml); the load and the probe run until then, so
the whole window in which the other nodes still route to it is counted. The node then
comes back and recovers its replicas; it is restarted even when an assert fails, so the
drills after this one find a whole cluster."""
from __future__ import annotations

import time
from typing import Any

from tests.cluster.cluster import Cluster, Probe, query, wait_for, zk_session_seconds

FAILOVER_SECONDS = 5
WARM_UP_SECONDS = 6
SEARCHES = [f"/api/3/action/package_search?{query({'q': q, 'rows': '5'})}"
            for q in ("*:*", "winkel", "parkeren", "footfall", "centrum", "amsterdam")]


def _kill_under_load(cluster: Cluster, victim: int) -> dict[str, Any]:
    """Kill ``victim`` under load; wait until ZooKeeper no longer lists it as live."""
    probe_url = f"{cluster.solr}/ckan/select?q=*:*&rows=0&wt=json"
    limit = zk_session_seconds() + 15
    load = cluster.under_load(SEARCHES, seconds=int(WARM_UP_SECONDS + limit + 3))
    with Probe(probe_url) as probe, load:
        time.sleep(WARM_UP_SECONDS)
        killed_at = time.monotonic()
        cluster.kill(f"solr-{victim}")
        dropped = wait_for("ZooKeeper to drop the killed node",
                           lambda: any(state == "down" for _, _, state in cluster.replicas()),
                           limit)
        down = [r for r in cluster.replicas() if r[2] != "active"]
    return {"wrk": load.figures, "probe_failures": probe.failures_after(killed_at),
            "probe_answers": len(probe.answers), "dropped_after_s": round(dropped, 1),
            "down": down}


def test_killing_a_solr_node_loses_no_search(cluster, record_property):
    assert wait_for("all replicas active", cluster.all_active, 120) >= 0
    victim = cluster.solr_nodes[-1]
    try:
        report = _kill_under_load(cluster, victim)
    finally:
        cluster.bin("start-service", f"solr-{victim}")
    record_property("solr_node", report)
    print(f"\nSolr node {victim} killed: {report}")
    late = [f for f in report["probe_failures"] if f[0] > FAILOVER_SECONDS]
    assert not late, f"searches still failed {FAILOVER_SECONDS} s after the kill: {report}"
    assert report["wrk"]["requests"] > 0
    assert report["wrk"]["failed"] == 0, f"searches through the web proxy failed: {report}"
    down = report["down"]
    assert down and all(node.startswith(f"127.0.0.1:{victim}_") for _, node, _ in down), report

    recovered = wait_for("the node's replicas active again", cluster.all_active, 180)
    print(f"node {victim} back; its replicas active {recovered:.1f} s after it answered")
