"""Drill: one SolrCloud node is killed (SIGKILL) while wrk searches through the web proxy.
Searches keep answering: HAProxy resends a refused request to another node and takes the
dead one out after two failed health checks; a shard whose replica was on it is served by
its other replica. The node then comes back and recovers its replicas."""
from __future__ import annotations

import time

from tests.cluster.cluster import Probe, query, wait_for

FAILOVER_SECONDS = 5
SEARCHES = [f"/api/3/action/package_search?{query({'q': q, 'rows': '5'})}"
            for q in ("*:*", "winkel", "parkeren", "footfall", "centrum", "amsterdam")]


def test_killing_a_solr_node_loses_no_search(cluster, record_property):
    assert wait_for("all replicas active", cluster.all_active, 120) >= 0
    victim = cluster.solr_nodes[-1]
    probe_url = f"{cluster.solr}/ckan/select?q=*:*&rows=0&wt=json"
    with Probe(probe_url) as probe, cluster.under_load(SEARCHES, seconds=25) as load:
        time.sleep(6)
        killed_at = time.monotonic()
        cluster.kill(f"solr-{victim}")
        time.sleep(15)
    failures = probe.failures_after(killed_at)
    figures = load.figures
    record_property("wrk", figures)
    record_property("probe_failures", failures)
    print(f"\nSolr node {victim} killed: wrk {figures}; direct Solr probe failures {failures}")
    late = [f for f in failures if f[0] > FAILOVER_SECONDS]
    assert not late, f"searches still failed {FAILOVER_SECONDS} s after the kill: {late}"
    assert figures["requests"] > 0
    assert figures["failed"] == 0, f"searches through the web proxy failed: {figures}"

    down = [r for r in cluster.replicas() if r[2] != "active"]
    assert down and all(node.startswith(f"127.0.0.1:{victim}_") for _, node, _ in down)

    cluster.bin("start-service", f"solr-{victim}")
    recovered = wait_for("the node's replicas active again", cluster.all_active, 180)
    print(f"node {victim} back; its replicas active {recovered:.1f} s after it answered")
