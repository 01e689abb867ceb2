"""A gather that outlasts the scheduler's interval. `ckan harvester run` resends every
WAITING harvest object missing from the fetch queue; had the gather's objects been
WAITING from their page's commit, the resend and ckanext-harvest's own queueing after the
gather would deliver them twice, and a copy handled after the job is marked finished would
be set to ERROR. Our gather keeps them out of WAITING until it ends (`GATHERED`): each
record reaches the two fetch consumers once and is read and imported once."""
from __future__ import annotations

import pytest

from tests.deploy.conftest import active_datasets_of, harvest_source, objects_of

pytestmark = pytest.mark.slow
RECORDS = 10


def test_a_gather_longer_than_the_scheduler_interval_queues_each_record_once(
        deployment, portal):
    api = deployment.web[0]
    # five pages of two, 2 s each: the gather spans at least one scheduler run (every 5 s)
    catalog = portal("long", RECORDS, delay=0.0, page_delay=2.0)
    source = harvest_source(api, "src-long", catalog.url, page_size=2)
    mark = deployment.honcho.mark()
    job = api.call("harvest_job_create", source_id=source["id"], run=True)
    deployment.wait_for("the gather to end", lambda: api.call(
        "harvest_job_show", id=job["id"])["gather_finished"])
    runs = [line for line in deployment.honcho.since(mark)
            if line[9:].startswith("scheduler.1") and "Using configuration file" in line]
    assert runs, "`ckan harvester run` did not run during the gather: nothing tested"

    finished = deployment.wait_for("the job to finish", lambda: _finished(api, job["id"]))

    assert {k: n for k, n in finished["stats"].items() if n} == {"added": RECORDS}
    objects = objects_of(job["id"])
    assert {(o.state, o.report_status, o.current, o.retry_times) for o in objects} == {
        ("COMPLETE", "added", True, 1)}
    assert catalog.view_hits == {i: 1 for i in catalog.ids}
    assert len(active_datasets_of(source["owner_org"])) == RECORDS


def _finished(api, job_id: str) -> dict | None:
    job = api.call("harvest_job_show", id=job_id)
    return job if job["status"] == "Finished" else None
