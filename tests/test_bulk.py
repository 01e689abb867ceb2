"""Bulk work (DCAT conformance checks) waits on its own queue, coalesced and batched: one
pending check per dataset, many datasets per job, nothing on the default queue."""
from __future__ import annotations

import ckan.lib.jobs as jobs
import pytest
from ckan import model
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.retailarea import bulk
from ckanext.retailarea.dcat import conformance
from ckanext.retailarea.model.dcat import DatasetConformance
from tests import factories


@pytest.fixture
def org(clean_db, clean_queues):
    bulk.take(conformance.TASK, 100_000)  # what earlier tests left waiting
    return ckan_factories.Organization()


def queued(name: str) -> list[str]:
    return [job.meta.get("title") for job in jobs.get_queue(name).jobs]


def test_saves_wait_as_one_job_with_one_check_per_dataset(org):
    datasets = [factories.Dataset(owner_org=org["id"]) for _ in range(5)]
    admin = ckan_factories.Sysadmin()
    for _ in range(3):
        helpers.call_action("package_patch", {"user": admin["name"]},
                            id=datasets[0]["id"], notes="changed")

    assert queued(jobs.DEFAULT_QUEUE_NAME) == []
    assert queued(bulk.QUEUE) == [conformance.JOB_TITLE]
    assert bulk.pending(conformance.TASK) == 5


def test_one_job_checks_every_waiting_dataset(org):
    datasets = [factories.Dataset(owner_org=org["id"]) for _ in range(5)]
    job = jobs.get_queue(bulk.QUEUE).jobs[0]

    jobs.Worker([bulk.QUEUE]).work(burst=True)

    job.refresh()
    assert job.get_status() == "finished" and job.result == 5
    assert bulk.pending(conformance.TASK) == 0
    checked = model.Session.query(DatasetConformance.package_id).all()
    assert sorted(p for (p,) in checked) == sorted(d["id"] for d in datasets)


def test_a_job_leaves_the_rest_to_its_successor(org, monkeypatch):
    monkeypatch.setattr(bulk, "PER_JOB", 2)
    for _ in range(5):
        factories.Dataset(owner_org=org["id"])

    done = conformance.run_pending()

    assert done == 2 and bulk.pending(conformance.TASK) == 3
    assert queued(bulk.QUEUE) == [conformance.JOB_TITLE]


def test_a_dataset_gone_meanwhile_does_not_stop_the_batch(org):
    dataset = factories.Dataset(owner_org=org["id"])
    bulk.schedule(conformance.TASK, ["no-such-dataset"], conformance.run_pending,
                  conformance.JOB_TITLE)

    assert conformance.run_pending() == 2
    assert model.Session.get(DatasetConformance, dataset["id"]).conforms


def test_saving_twice_through_the_api_schedules_without_error(app, org):
    """The second save finds the first one's job waiting; that check runs after the commit,
    where an action may not touch the database (it once answered 500)."""
    user = ckan_factories.User()
    helpers.call_action("organization_member_create", id=org["id"],
                        username=user["name"], role="editor")
    token = ckan_factories.APIToken(user=user["name"])["token"]
    dataset = factories.Dataset(owner_org=org["id"])
    for title in ("Eerste", "Tweede"):
        response = app.post("/api/action/package_patch", headers={"Authorization": token},
                            json={"id": dataset["id"], "title": title})
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert queued(bulk.QUEUE) == [conformance.JOB_TITLE]
    assert bulk.pending(conformance.TASK) == 1

