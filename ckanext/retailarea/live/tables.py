"""The parking dataset of an SPDP source and its three DataStore tables.

The tables are the same as an uploaded parking CSV gets (schemas/tables/parking_*.json,
typed columns, primary keys), registered as loaded in ``retailarea_table_report`` so the
series, the insights and the app API find them like any other parking table, and the
load hooks (``IRetailAreaTables``) run once when a table is made.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.types import Context

from ckanext.retailarea.model import TableReport
from ckanext.retailarea.tables import datastore as table_datastore
from ckanext.retailarea.tables import schemas as table_schemas
from ckanext.retailarea.tables.interfaces import IRetailAreaTables

TABLES = {
    "parking_facilities": "Facilities (SPDP static data)",
    "parking_tariffs": "Tariffs (SPDP static data)",
    "parking_occupancy": "Occupancy (SPDP dynamic data, polled)",
}


def _context(user: str) -> Context:
    return {"user": user, "ignore_auth": True}


def ensure_tables(package_id: str, user: str) -> dict[str, str]:
    """``{table schema: resource id}`` of the dataset's SPDP tables, made when missing."""
    package = tk.get_action("package_show")(_context(user), {"id": package_id})
    found = {r.get("table_schema"): r["id"] for r in package.get("resources") or []
             if r.get("table_schema") in TABLES and r.get("url_type") == "datastore"}
    for name, title in TABLES.items():
        if name not in found:
            found[name] = _create(package_id, name, title, user)
    return found


def _create(package_id: str, name: str, title: str, user: str) -> str:
    schema = table_schemas.load(name)
    # made here rather than by datastore_create, which saves it first without url_type
    # (so with a URL that is no web address, which the URL check refuses)
    resource = tk.get_action("resource_create")(_context(user), {
        "package_id": package_id, "name": title, "format": "JSON", "table_schema": name,
        "url": "_datastore_only_resource", "url_type": "datastore"})
    create: dict[str, Any] = {
        "resource_id": resource["id"],
        "fields": table_datastore.datastore_fields(schema), "force": True,
    }
    if schema.get("primaryKey"):
        create["primary_key"] = schema["primaryKey"]
    result = tk.get_action("datastore_create")(_context(user), create)
    resource_id = result["resource_id"]
    for plugin in p.PluginImplementations(IRetailAreaTables):
        plugin.retailarea_after_table_load(resource_id, name)
    report = TableReport.get(resource_id) or TableReport(resource_id=resource_id)
    report.set(package_id=package_id, status="loaded", table_schema=name,
               source_key="spdp", message="Kept up to date from SPDP 2.0.")
    return resource_id


def upsert(resource_id: str, rows: list[dict[str, Any]], user: str) -> None:
    """Insert or replace rows by the table's primary key (an observation polled twice
    stays one row)."""
    if rows:
        tk.get_action("datastore_upsert")(_context(user), {
            "resource_id": resource_id, "force": True, "method": "upsert", "records": rows})


def replace(resource_id: str, uuids: list[str], rows: list[dict[str, Any]],
            user: str) -> None:
    """The rows of these facilities (a table without a primary key: tariffs) replaced."""
    if uuids:
        tk.get_action("datastore_delete")(_context(user), {
            "resource_id": resource_id, "force": True, "filters": {"uuid": uuids}})
    if rows:
        tk.get_action("datastore_upsert")(_context(user), {
            "resource_id": resource_id, "force": True, "method": "insert", "records": rows})
    recount(resource_id)


def recount(resource_id: str) -> None:
    """The table's row count on its report (the resource page shows it)."""
    report = TableReport.get(resource_id)
    if report is not None:
        total = tk.get_action("datastore_search")(
            {"ignore_auth": True}, {"resource_id": resource_id, "limit": 0})["total"]
        report.set(rows_loaded=total, rows_checked=total)


def package_of(resource_id: str) -> str | None:
    resource = model.Resource.get(resource_id)
    return resource.package_id if resource is not None else None
