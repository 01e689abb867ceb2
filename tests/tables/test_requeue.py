"""A table whose check was queued by an earlier version (its job function has since
moved, so rq cannot import it) is checked again after an upgrade, not left pending."""
from __future__ import annotations

import ckan.lib.jobs as jobs

from ckanext.retailarea.cli import retailarea
from ckanext.retailarea.tables import hooks
from tests.tables.test_pipeline import COUNTS, report_of, steward, upload  # noqa: F401

OLD_PATH = "ckanext.retailarea.validation.pipeline.validate_resource"  # before issue 18


def _queue_as_an_earlier_version(resource_id: str) -> None:
    """The upload's job as the release before the move queued it."""
    queue = jobs.get_queue()
    queue.empty()
    queue.enqueue_call(func=OLD_PATH, args=[resource_id],
                       meta={"title": hooks.JOB_TITLE.format(resource_id)})


def test_a_check_queued_under_a_moved_job_path_is_queued_again(
        steward, create_with_upload, run_jobs, cli):  # noqa: F811
    resource = upload(create_with_upload, steward, COUNTS)
    _queue_as_an_earlier_version(resource["id"])

    result = cli.invoke(retailarea, ["tables", "requeue"])

    assert result.exit_code == 0, result.output
    assert "1 table" in result.output
    assert [job.func_name for job in jobs.get_queue().jobs] == [
        f"{hooks.validate_resource.__module__}.validate_resource"]
    run_jobs()
    assert report_of(steward, resource)["status"] == "loaded"


def test_a_check_that_can_still_run_is_left_alone(
        steward, create_with_upload, run_jobs, cli):  # noqa: F811
    resource = upload(create_with_upload, steward, COUNTS)
    queued = [job.id for job in jobs.get_queue().jobs]

    result = cli.invoke(retailarea, ["tables", "requeue"])

    assert result.exit_code == 0, result.output
    assert "0 tables" in result.output
    assert [job.id for job in jobs.get_queue().jobs] == queued
    run_jobs()
    assert report_of(steward, resource)["status"] == "loaded"
