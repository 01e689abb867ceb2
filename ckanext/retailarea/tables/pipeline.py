"""The background job: validate one CSV resource, load it into the DataStore if valid.

Progress (rows checked, rows loaded) is committed to retailarea_table_report as the job
runs, so the resource page and `retailarea_table_report_show` show it live."""
from __future__ import annotations

import csv
import logging
import os
import tempfile

import ckan.lib.uploader as uploader
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.types import Context

from ckanext.retailarea import config
from ckanext.retailarea.model import TableReport
from ckanext.retailarea.tables import datastore as table_datastore
from ckanext.retailarea.tables import schemas as table_schemas
from ckanext.retailarea.tables import spreadsheet
from ckanext.retailarea.tables.csvfile import CsvProblem
from ckanext.retailarea.tables.interfaces import IRetailAreaTables
from ckanext.retailarea.tables.validate import validate_csv, validate_sheet

log = logging.getLogger(__name__)
PROGRESS_EVERY = 5000


def _context() -> Context:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def validate_resource(resource_id: str) -> str:
    """Job entry point; returns the final status."""
    report = TableReport.get(resource_id)
    if report is None:
        return "gone"
    try:
        return _run(report)
    except Exception as error:  # noqa: BLE001 - any failure must end as a visible status
        log.exception("table validation of %s failed", resource_id)
        report.set(status="error", message=f"{type(error).__name__}: {error}")
        return "error"


def _run(report: TableReport) -> str:
    context = _context()
    resource = tk.get_action("resource_show")(context, {"id": report.resource_id})
    dataset = tk.get_action("package_show")(context, {"id": resource["package_id"]})
    path = uploader.get_resource_uploader(resource).get_path(resource["id"])
    kind = spreadsheet.kind_of(resource.get("url"), resource.get("format"))
    sheet = resource.get("table_sheet") or None
    try:
        name = resource.get("table_schema") or _detect(path, dataset["type"], kind, sheet)
    except CsvProblem as problem:
        report.set(status="invalid", table_schema=None, message=problem.message)
        return "invalid"
    if not name:
        report.set(status="skipped", table_schema=None,
                   message=_unmatched(dataset["type"]))
        return "skipped"
    report.set(status="validating", table_schema=name, rows_checked=0, message=None)
    with tempfile.TemporaryDirectory(prefix="retailarea-sheet-") as folder:
        table = os.path.join(folder, "sheet.csv") if kind else path
        options = {"max_bytes": config.table_max_bytes(),
                   "on_progress": lambda rows: report.set(rows_checked=rows)}
        result = (validate_sheet(path, kind, name, table, sheet=sheet, **options) if kind
                  else validate_csv(path, name, **options))
        report.set(rows_checked=result["rows"], error_count=result["error_count"],
                   report=result)
        if not result["valid"]:
            _drop_datastore_table(context, resource["id"])
            report.set(status="invalid", message="Not loaded: fix the errors and upload again.")
            return "invalid"
        _load(context, resource["id"], table, name, report)
    return "loaded"


def _unmatched(dataset_type: str) -> str:
    expected = "; ".join(
        f"{name}: {', '.join(table_schemas.field_names(name))}"
        for name in table_schemas.for_dataset_type(dataset_type)
    )
    return f"The header matches none of the table schemas ({expected})."


def _detect(path: str, dataset_type: str, kind: str | None, sheet: str | None) -> str | None:
    if kind:
        return table_schemas.detect(spreadsheet.header(path, kind, sheet), dataset_type)
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            sample = handle.readline()
    except OSError:
        return None
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    header = next(csv.reader([sample], delimiter=delimiter), [])
    return table_schemas.detect([h.strip() for h in header], dataset_type)


def _drop_datastore_table(context: Context, resource_id: str) -> None:
    try:
        tk.get_action("datastore_delete")(
            {**context}, {"resource_id": resource_id, "force": True}
        )
    except tk.ObjectNotFound:
        pass


def _load(context: Context, resource_id: str, path: str, name: str,
          report: TableReport) -> None:
    schema = table_schemas.load(name)
    report.set(status="loading", rows_loaded=0)
    _drop_datastore_table(context, resource_id)
    create = {"resource_id": resource_id, "force": True,
              "fields": table_datastore.datastore_fields(schema)}
    if schema.get("primaryKey"):
        keys = schema["primaryKey"]
        create["primary_key"] = [keys] if isinstance(keys, str) else keys
    tk.get_action("datastore_create")({**context}, create)
    loaded = 0
    for records in table_datastore.iter_records(path, schema, batch_size=PROGRESS_EVERY):
        tk.get_action("datastore_upsert")({**context}, {
            "resource_id": resource_id, "force": True, "method": "insert",
            "records": records,
        })
        loaded += len(records)
        report.set(rows_loaded=loaded)
    for plugin in p.PluginImplementations(IRetailAreaTables):
        plugin.retailarea_after_table_load(resource_id, name)
    report.set(status="loaded", rows_loaded=loaded,
               message=f"{loaded} rows loaded into the DataStore.")
