"""A harvest never starves interactive work: its thousand DCAT conformance checks wait,
coalesced, on the bulk queue, and a steward's CSV uploaded right after it is validated and
loaded by the default queue's worker within a minute, while the bulk worker works through
the checks (both workers run as `make run` and the Procfile start them)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import ckan.lib.jobs as jobs
import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.retailarea import bulk
from ckanext.retailarea.dcat import conformance
from ckanext.retailarea.model import RUNNING
from tests import factories
from tests.harvesters.server import json_reply
from tests.harvesters.test_parallel_import import data_json
from tests.tables.test_pipeline import COUNTS

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context", "clean_datastore", "clean_queues"),
]
RECORDS = 1000
READY_WITHIN_SECONDS = 60


@pytest.fixture
def start_workers(request, tmp_path) -> Iterator:
    """Starts the two job workers as processes of their own, on this test's databases and
    upload storage; stops them (and the work horses they forked) at the end."""
    started: list[subprocess.Popen] = []
    ckan = Path(sys.executable).with_name("ckan")
    ini = request.config.getoption("--ckan-ini")

    def start() -> None:
        env = {**os.environ, "CKAN_STORAGE_PATH": tk.config["ckan.storage_path"]}
        for queues in ([], [bulk.QUEUE]):
            log = tmp_path / f"worker-{'-'.join(queues) or 'default'}.log"
            started.append(subprocess.Popen(
                [str(ckan), "-c", ini, "jobs", "worker", *queues], env=env,
                stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True))

    yield start
    for process in started:
        with_horse = os.getpgid(process.pid)
        os.killpg(with_horse, signal.SIGKILL)
        process.wait()
    for log in sorted(tmp_path.glob("worker-*.log")):
        print(log.name, log.read_text()[-3000:])


def test_an_upload_after_a_big_harvest_is_validated_within_a_minute(
        org, catalog_server, make_source, run_harvest, create_with_upload, start_workers):
    bulk.take(conformance.TASK, 100_000)  # what earlier tests left waiting
    source = make_source("dcat_json", catalog_server.route(
        "/data.json", json_reply(data_json(RECORDS))))
    assert run_harvest(source).statuses() == {"added": RECORDS}
    steward = ckan_factories.User()
    helpers.call_action("organization_member_create", id=org["id"],
                        username=steward["name"], role="editor")
    dataset = factories.Footfall(owner_org=org["id"], user=steward)

    uploaded = time.monotonic()
    resource = create_with_upload(COUNTS, "counts.csv", package_id=dataset["id"],
                                  format="CSV", context={"user": steward["name"]})

    # the harvest's checks: one per dataset, in one job on the bulk queue
    assert bulk.pending(conformance.TASK) == RECORDS + 1
    assert [j.meta["title"] for j in jobs.get_queue(bulk.QUEUE).jobs] == [
        conformance.JOB_TITLE]
    assert len(jobs.get_queue(jobs.DEFAULT_QUEUE_NAME).jobs) == 1  # the upload's
    start_workers()
    report = _wait_for_report(resource["id"], steward["name"], uploaded)
    waited = time.monotonic() - uploaded
    print(f"upload validated {waited:.1f} s after it was saved; "
          f"{RECORDS + 1 - bulk.pending(conformance.TASK)} conformance checks done by then")
    assert report["status"] == "loaded", report
    assert report["rows_loaded"] == 3


def _wait_for_report(resource_id: str, user: str, since: float) -> dict:
    while True:
        model.Session.expire_all()  # the workers write it
        report = helpers.call_action("retailarea_table_report_show", {"user": user},
                                     resource_id=resource_id)
        if report["status"] not in RUNNING:
            return report
        assert time.monotonic() - since < READY_WITHIN_SECONDS, report
        time.sleep(0.5)
