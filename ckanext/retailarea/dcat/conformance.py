"""Each dataset's DCAT conformance status (SHACL, DCAT-AP 3.0.1 + DCAT-AP-NL 3.0), shown
on its page.

A check costs ~0.15 s (seconds for the first one in a process, which loads the shapes):
too slow for the request that saves a dataset. Saving schedules a check for after the
transaction commits (so the check sees what was saved); the page shows the last result,
and says when a newer one is on its way. Checks are bulk work (``bulk.py``): one pending
check per dataset, many datasets per job, on the ``bulk`` queue and its own worker, so a
harvest's thousand checks never hold up a steward's upload on the default queue.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from sqlalchemy import event

from ckanext.retailarea import bulk
from ckanext.retailarea.dcat import check
from ckanext.retailarea.dcat.profiles import serialize
from ckanext.retailarea.model.access import now
from ckanext.retailarea.model.dcat import DatasetConformance

SCHEDULED = "retailarea_dcat_checks"
TASK = "dcat-conformance"
JOB_TITLE = "DCAT conformance checks"
MAX_FINDINGS = 50


def schedule(package_id: str) -> None:
    """Check ``package_id`` once the current transaction commits."""
    model.Session.info.setdefault(SCHEDULED, set()).add(package_id)


def install() -> None:
    if not event.contains(model.Session, "after_commit", _after_commit):
        event.listen(model.Session, "after_commit", _after_commit)
        event.listen(model.Session, "after_rollback", _after_rollback)


def _after_commit(session: Any) -> None:
    bulk.schedule(TASK, sorted(session.info.pop(SCHEDULED, ())), run_pending, JOB_TITLE)


def _after_rollback(session: Any) -> None:
    session.info.pop(SCHEDULED, None)


def run_pending() -> int:
    """The background job (bulk queue): check the datasets waiting for a check."""
    return bulk.drain(TASK, run, run_pending, JOB_TITLE)


def run(package_id: str) -> DatasetConformance | None:
    """Check one dataset and keep the result."""
    try:
        dataset, report = check.dataset_report(package_id)
    except tk.ObjectNotFound:
        dataset, report = None, None
    row = model.Session.get(DatasetConformance, package_id)
    if dataset is None or not _exported(dataset):
        if row is not None:
            model.Session.delete(row)
            model.Session.commit()
        return None
    row = keep(dataset, report, check.stored_value_problems(dataset), row)
    model.Session.commit()
    return row


def keep(dataset: dict[str, Any], report: Any, problems: list[str],
         row: DatasetConformance | None = None) -> DatasetConformance:
    """Store a check's outcome (also used by `ckan retailarea dcat validate`)."""
    row = row or model.Session.get(DatasetConformance, dataset["id"]) or \
        DatasetConformance(package_id=dataset["id"])
    findings = problems + [str(f) for f in report.violations + report.warnings]
    row.conforms = report.conforms and not problems
    row.violations = len(report.violations) + len(problems)
    row.warnings = len(report.warnings)
    row.findings = json.dumps(findings[:MAX_FINDINGS], ensure_ascii=False)
    row.checked_at = now()
    model.Session.add(row)
    return row


def _exported(dataset: dict[str, Any]) -> bool:
    return not dataset.get("private") and serialize.exportable(dataset)


def status(dataset: dict[str, Any]) -> dict[str, Any]:
    """What the dataset page says: ``state`` is one of not_exported, pending, conforms,
    problems; ``outdated`` when the dataset changed after the last check; ``findings``
    only for those who may edit the dataset."""
    if not _exported(dataset):
        return {"state": "not_exported"}
    row = model.Session.get(DatasetConformance, dataset["id"])
    if row is None:
        return {"state": "pending"}
    modified = _parse(dataset.get("metadata_modified"))
    may_edit = tk.h.check_access("package_update", {"id": dataset["id"]})
    return {
        "state": "conforms" if row.conforms else "problems",
        "violations": row.violations, "warnings": row.warnings,
        "checked_at": row.checked_at.isoformat(timespec="seconds"),
        "outdated": bool(modified and modified > row.checked_at),
        "findings": json.loads(row.findings) if may_edit else [],
    }


def _parse(value: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
