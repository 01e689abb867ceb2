"""When a resource is created or updated: decide whether its CSV needs (re)validation."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.retailarea.model import TableReport
from ckanext.retailarea.tables import schemas as table_schemas
from ckanext.retailarea.tables import spreadsheet
from ckanext.retailarea.tables.pipeline import validate_resource

JOB_TITLE = "retailarea: validate table {}"


def source_key(resource: dict[str, Any]) -> str:
    """What identifies this upload: a new file or another schema means a new check, while
    CKAN's own updates (e.g. datastore_active) do not."""
    parts = (resource.get("url"), resource.get("last_modified"), resource.get("size"),
             resource.get("table_schema"))
    if resource.get("table_sheet"):
        parts += (resource["table_sheet"],)
    return "|".join(str(p or "") for p in parts)


def is_table(resource: dict[str, Any], dataset_type: str) -> bool:
    fmt = (resource.get("format") or "").strip().lower()
    url = (resource.get("url") or "").lower()
    readable = fmt == "csv" or url.endswith(".csv") or spreadsheet.kind_of(url, fmt)
    return (
        resource.get("url_type") == "upload"
        and bool(readable)
        and bool(table_schemas.for_dataset_type(dataset_type))
    )


def resource_changed(resource: dict[str, Any]) -> None:
    package = model.Package.get(resource.get("package_id"))
    if package is None or not is_table(resource, package.type):
        return
    key = source_key(resource)
    report = TableReport.get(resource["id"])
    if report is not None and report.source_key == key:
        return
    enqueue(resource["id"], package.id, key)


def enqueue(resource_id: str, package_id: str, key: str | None = None) -> TableReport:
    report = TableReport.get(resource_id) or TableReport(resource_id=resource_id)
    report.set(package_id=package_id, status="pending", source_key=key, rows_checked=0,
               rows_loaded=0, error_count=0, report=None, message=None)
    tk.enqueue_job(
        validate_resource, [resource_id],
        title=JOB_TITLE.format(resource_id), rq_kwargs={"timeout": 3600},
    )
    return report


def resource_deleted(resource_id: str) -> None:
    report = TableReport.get(resource_id)
    if report is not None:
        model.Session.delete(report)
        model.Session.commit()
