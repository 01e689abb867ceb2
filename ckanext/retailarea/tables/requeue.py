"""Checks that were queued but can no longer run: rq keeps a job as the dotted path of
its function, so a job queued by an earlier version whose job function has since moved
(``validation.pipeline`` became ``tables.pipeline``) fails on import and leaves its table
pending for good. After an upgrade (``bin/stack``'s ``upgrade_site``), those jobs are
dropped and their tables queued again; a job that can still run is left alone."""
from __future__ import annotations

import ckan.lib.jobs as jobs
import ckan.model as model
from rq.job import Job
from rq.utils import import_attribute

from ckanext.retailarea.model import TableReport
from ckanext.retailarea.tables import hooks

# the statuses of a check that has not ended (pipeline.validate_resource sets the others)
OPEN = ("pending", "validating", "loading")


def _runnable(job: Job) -> bool:
    if not job.func_name:
        return False
    try:
        import_attribute(job.func_name)
    except (AttributeError, ImportError, ValueError):
        return False
    return True


def _live_titles() -> set[str]:
    """The titles of the default queue's jobs that can run, queued or started; jobs
    that cannot are deleted."""
    queue = jobs.get_queue()
    started = Job.fetch_many(queue.started_job_registry.get_job_ids(),
                             connection=queue.connection)
    titles: set[str] = set()
    for job in [*queue.jobs, *(job for job in started if job is not None)]:
        if _runnable(job):
            titles.add(str(job.meta.get("title")))
        else:
            job.delete()
    return titles


def requeue() -> int:
    """Queues the check of every table with an open status and no job that can run;
    answers how many."""
    live = _live_titles()
    stranded = [report for report in model.Session.query(TableReport)
                .filter(TableReport.status.in_(OPEN))
                if hooks.JOB_TITLE.format(report.resource_id) not in live]
    for report in stranded:
        hooks.enqueue(report.resource_id, report.package_id, report.source_key)
    return len(stranded)
