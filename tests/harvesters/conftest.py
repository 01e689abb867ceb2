"""Fixtures for harvester tests: a local catalog server, harvest sources, and harvest
runs through ckanext-harvest's own stage functions in this process (as `ckan harvester
run-test` does), against the real database, Solr and Redis."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

from tests.harvesters.server import CatalogServer


@pytest.fixture
def catalog_server():
    server = CatalogServer().start()
    yield server
    server.stop()


@pytest.fixture
def org(clean_db, clean_index):
    return factories.Organization(name="gemeente-test")


@dataclass
class Run:
    job: dict[str, Any]
    report: dict[str, Any]
    objects: list[HarvestObject]

    @property
    def gather_errors(self) -> list[str]:
        return [e["message"] for e in self.report["gather_errors"]]

    @property
    def object_errors(self) -> list[str]:
        return [e["message"] for o in self.report["object_errors"].values()
                for e in o["errors"]]

    @property
    def notes(self) -> list[str]:
        """The distinct mapping notes of the job's records (values left unmapped)."""
        return sorted({e.value for o in self.objects for e in o.extras if e.key == "note"})

    def statuses(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for obj in self.objects:
            counts[obj.report_status] = counts.get(obj.report_status, 0) + 1
        return counts


@pytest.fixture
def make_source(org):
    def make(source_type: str, url: str, config: dict | None = None,
             name: str | None = None, owner_org: str | None = None) -> dict[str, Any]:
        return tk.get_action("harvest_source_create")(
            {"user": _site_user(), "ignore_auth": True},
            {"name": name or f"src-{source_type.replace('_', '-')}", "url": url,
             "source_type": source_type, "owner_org": owner_org or org["id"],
             "config": json.dumps(config) if config is not None else ""},
        )

    return make


@pytest.fixture
def run_harvest():
    def run(source: dict[str, Any]) -> Run:
        context = {"user": _site_user(), "ignore_auth": True}
        job_dict = tk.get_action("harvest_job_create")(
            context, {"source_id": source["id"], "run": False})
        job = HarvestJob.get(job_dict["id"])
        job.status = "Running"
        job.save()
        harvester = queue.get_harvester(source["source_type"])
        ids = queue.gather_stage(harvester, job) or []
        for object_id in ids:
            queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
        tk.get_action("harvest_jobs_run")(context, {"source_id": source["id"]})
        model.Session.remove()
        report = tk.get_action("harvest_job_report")(context, {"id": job_dict["id"]})
        objects = model.Session.query(HarvestObject).filter_by(
            harvest_job_id=job_dict["id"]).all()
        return Run(tk.get_action("harvest_job_show")(context, {"id": job_dict["id"]}),
                   report, objects)

    return run


def _site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def datasets_of(source: dict[str, Any], include_private: bool = True) -> dict[str, dict]:
    """The active datasets a source harvested, by original id, as package_show gives."""
    rows = model.Session.query(HarvestObject.package_id, HarvestObject.guid).filter(
        HarvestObject.harvest_source_id == source["id"], HarvestObject.current.is_(True))
    out = {}
    for package_id, guid in rows:
        package = model.Package.get(package_id)
        if package is not None and package.state == "active":
            out[guid] = tk.get_action("package_show")(
                {"ignore_auth": True, "user": _site_user()}, {"id": package_id})
    return out
