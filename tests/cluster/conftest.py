"""The fault drills of `make cluster-drills`, against the cluster of `make cluster`
(bin/cluster): they kill and restart its parts while wrk loads the web proxy. They are
collected only when RETAILAREA_CLUSTER_DRILLS=1 (set by the make target), so `make test`
never touches the cluster; they need no CKAN test database (run with `-p no:ckan`)."""
from __future__ import annotations

import os

import pytest

from tests.cluster.cluster import Cluster

if os.environ.get("RETAILAREA_CLUSTER_DRILLS") != "1":
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def cluster() -> Cluster:
    found = Cluster.running()
    assert found.healthy(), "the cluster is not up: run `make cluster` (make cluster-drills does)"
    return found
