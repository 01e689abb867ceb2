"""The demo's live parking: an `spdp` harvest source per demo area, reading the SPDP index
of ``ckanext.retailarea.demo.spdp_url`` (the local fake, ``demo/spdp_fake.py``), harvested
once here; the poller (``ckan retailarea spdp poll``) keeps the occupancy moving."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context
from ckanext.harvest import queue
from ckanext.harvest.logic import HarvestJobExists
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource


def source_differs(desired: dict[str, Any], source_id: str) -> bool:
    """Whether the stored source (ckanext-harvest's table: its show action leaves
    ``source_type`` and ``config`` out on CKAN 2.12) differs from ``desired``."""
    stored: Any = HarvestSource.get(source_id)  # ckanext-harvest's classic mapping: untyped
    return stored is None or (stored.title, stored.url, stored.type, stored.config) != (
        desired["title"], desired["url"], desired["source_type"], desired["config"])


def harvest(source_id: str, user: str) -> list[str]:
    """One harvest job of the source, run in this process as ``ckan harvester run-test``
    does; the job's gather errors (empty: the dataset and its tables are there)."""
    context: Context = {"user": user, "ignore_auth": True}
    try:
        job_dict = tk.get_action("harvest_job_create")(
            context, {"source_id": source_id, "run": False})
    except HarvestJobExists:
        return ["a harvest job of this source is already waiting; it runs in its turn"]
    job: Any = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    harvester = queue.get_harvester("spdp")
    for object_id in queue.gather_stage(harvester, job) or []:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
    tk.get_action("harvest_jobs_run")(context, {"source_id": source_id})
    report = tk.get_action("harvest_job_report")(context, {"id": job_dict["id"]})
    return [error["message"] for error in report["gather_errors"]]
