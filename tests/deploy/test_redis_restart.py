"""Redis restarted while harvest objects wait on the fetch queue and background jobs wait
on the job queue: nothing is lost. bin/redis.sh runs Redis with an append-only file, and a
stop (SIGTERM) writes everything out; the consumers and the worker carry on with their
queues, a consumer whose blocking read broke is started again by bin/respawn, and the web
processes reach Redis again without a restart."""
from __future__ import annotations

import threading
import time

import ckan.plugins.toolkit as tk
import pytest
import redis
from rq import Queue
from rq.job import Job

from tests.deploy.conftest import active_datasets_of, harvest_source, objects_of
from tests.harvesters.server import CatalogServer, Reply

pytestmark = pytest.mark.slow


@pytest.fixture
def job_gate():
    """A local URL the first background job blocks on (keeping the worker busy while the
    others stay queued), and URLs the other jobs call once each."""
    server = CatalogServer().start()
    server.reached, server.release = threading.Event(), threading.Event()

    def gate(_query):
        server.reached.set()
        server.release.wait(timeout=300)
        return Reply(b"ok", content_type="text/plain")

    server.route("/gate", gate)
    for n in range(3):
        server.route(f"/job/{n}", Reply(b"ok", content_type="text/plain"))
    yield server
    server.release.set()
    server.stop()


def test_queued_harvest_objects_and_jobs_survive_a_redis_restart(deployment, portal, job_gate):
    api, other = deployment.web
    conn = redis.Redis(port=deployment.redis.port, decode_responses=True)
    site = tk.config["ckan.site_id"]
    fetch_queue = f"ckanext-harvest:{site}:harvest_object_id"
    jobs = Queue(f"ckan:{site}:default", connection=redis.Redis(port=deployment.redis.port))

    # first the worker, then both fetch consumers block; the rest of both queues waits in
    # Redis (within the harvest fetcher's 30 s read timeout, which would end a held
    # request). Our jobs go to the front, ahead of the DCAT checks earlier datasets queued.
    background = [_curl_job(jobs, job_gate.url("/gate"))]
    deployment.wait_for("the worker to block on the first job", job_gate.reached.is_set)
    background += [_curl_job(jobs, job_gate.url(f"/job/{n}")) for n in range(3)]
    catalog = portal("redis", 8, delay=0.2, hold=(2, 3))
    source = harvest_source(api, "src-redis", catalog.url)
    harvest_job = api.call("harvest_job_create", source_id=source["id"], run=True)
    deployment.wait_for("both fetch consumers to block", catalog.held.is_set, 25)
    mine = {j.id for j in background[1:]}
    assert conn.llen(fetch_queue) == 4 and mine <= set(jobs.job_ids)

    started = time.monotonic()
    deployment.redis.stop()
    deployment.redis.start()
    restart_seconds = time.monotonic() - started
    assert conn.llen(fetch_queue) == 4 and mine <= set(jobs.job_ids)
    catalog.release.set()
    job_gate.release.set()
    # a web process publishes to Redis again: a new job through the other master
    after = portal("after", 3, delay=0.0)
    late_source = harvest_source(other, "src-after-redis", after.url)
    late_job = other.call("harvest_job_create", source_id=late_source["id"], run=True)

    released = time.monotonic()
    for job_id, count in ((harvest_job["id"], 8), (late_job["id"], 3)):
        finished = deployment.wait_for(f"harvest job {job_id}", lambda j=job_id: _finished(api, j))
        print(f"harvest job of {count} finished {time.monotonic() - released:.1f} s after "
              "the restart")
        assert {k: n for k, n in finished["stats"].items() if n} == {"added": count}
        assert {(o.state, o.report_status) for o in objects_of(job_id)} == {
            ("COMPLETE", "added")}
    assert catalog.view_hits == {i: 1 for i in catalog.ids}
    assert len(active_datasets_of(source["owner_org"])) == 8
    deployment.wait_for("the background jobs", lambda: all(
        Job.fetch(j.id, connection=jobs.connection).get_status() == "finished"
        for j in background), 120)
    assert sorted(job_gate.requests) == ["/gate", "/job/0", "/job/1", "/job/2"]
    print(f"Redis stop and start took {restart_seconds:.1f} s")


def _curl_job(queue: Queue, url: str) -> Job:
    """A background job the Procfile's worker runs: one request to a local URL."""
    return queue.enqueue("subprocess.check_call", ["curl", "-fsS", "-o", "/dev/null", url],
                         job_timeout=300, at_front=True)


def _finished(api, job_id: str) -> dict | None:
    job = api.call("harvest_job_show", id=job_id)
    return job if job["status"] == "Finished" else None
