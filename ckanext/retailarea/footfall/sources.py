"""Which DataStore tables a series reads, and whether the caller may read them.

A dataset's tables are its resources whose CSV the table pipeline validated and loaded
with the wanted table schema (``retailarea_table_report``). The dataset's access rules
apply as on every other path (access/enforce.py): CKAN's read rule for non-public
datasets, an active grant for restricted ones; a grant holder's reads are logged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context

from ckanext.retailarea.access import enforce, policy
from ckanext.retailarea.access import log as access_log
from ckanext.retailarea.model import TableReport
from ckanext.retailarea.model.access import AccessGrant

AREA_TYPE = "retail-area"


@dataclass
class Source:
    """A readable dataset and its loaded tables of one table schema."""

    package: model.Package
    resource_ids: list[str]
    grant: AccessGrant | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.package.id, "name": self.package.name,
                "title": self.package.title, "resources": self.resource_ids}


@dataclass
class Selection:
    sources: list[Source] = field(default_factory=list)
    excluded: list[dict[str, Any]] = field(default_factory=list)

    @property
    def resource_ids(self) -> list[str]:
        return [rid for source in self.sources for rid in source.resource_ids]


def _user(context: Context) -> str | None:
    return context.get("user") or None


def may_read(context: Context, package: model.Package) -> bool:
    """CKAN's own read rule: non-public (private) datasets for their organization."""
    if context.get("ignore_auth"):
        return True
    try:
        tk.check_access("package_show", {"user": _user(context) or ""}, {"id": package.id})
    except tk.NotAuthorized:
        return False
    return True


def reach(context: Context, package: model.Package) -> policy.Reach:
    if context.get("ignore_auth"):
        return policy.Reach(True)
    return policy.reach(_user(context), package)


def loaded_tables(package: model.Package, table_schema: str) -> list[str]:
    """Ids of the dataset's active resources loaded with ``table_schema``, oldest first."""
    rows = (
        model.Session.query(TableReport.resource_id)
        .join(model.Resource, model.Resource.id == TableReport.resource_id)
        .filter(TableReport.package_id == package.id, TableReport.status == "loaded",
                TableReport.table_schema == table_schema, model.Resource.state == "active")
        .order_by(model.Resource.position)
    )
    return [row.resource_id for row in rows]


def dataset(context: Context, name_or_id: str, dataset_type: str,
            table_schema: str) -> Selection:
    """The one dataset ``name_or_id``: NotFound, NotAuthorized or a ValidationError
    naming what is wrong with it."""
    package = model.Package.get(name_or_id)
    if package is None or package.state != "active":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    if not may_read(context, package):
        raise tk.NotAuthorized(tk._("Not authorized to read this dataset"))
    allowed = reach(context, package)
    if not allowed.allowed:
        raise tk.NotAuthorized(tk._(enforce.DENIED))
    if package.type != dataset_type:
        raise tk.ValidationError({"id": [tk._(
            "{name} is a dataset of type {actual}, not {expected}").format(
            name=package.name, actual=package.type, expected=dataset_type)]})
    tables = loaded_tables(package, table_schema)
    if not tables:
        raise tk.ValidationError({"id": [tk._(
            "{name} has no {table} table in the DataStore yet: upload a CSV with the "
            "columns of the {table} table schema and wait until it is loaded").format(
            name=package.name, table=table_schema)]})
    return Selection([Source(package, tables, allowed.grant)])


def area(context: Context, name: str, dataset_type: str,
         table_schema: str) -> Selection:
    """The datasets of a retail area the caller may read and that have loaded tables.
    Restricted ones without a grant are named in ``excluded``; non-public ones the
    caller cannot see are left out without a word, as on the area's page."""
    group = model.Group.get(name)
    if group is None or group.state != "active" or group.type != AREA_TYPE:
        raise tk.ValidationError({"area": [tk._("No retail area named {name!r}").format(
            name=name)]})
    selection = Selection()
    for package in _area_datasets(group, dataset_type):
        if not may_read(context, package):
            continue
        allowed = reach(context, package)
        if not allowed.allowed:
            selection.excluded.append(_excluded(package, "restricted"))
            continue
        tables = loaded_tables(package, table_schema)
        if not tables:
            selection.excluded.append(_excluded(package, "not_loaded"))
            continue
        selection.sources.append(Source(package, tables, allowed.grant))
    return selection


def _area_datasets(group: model.Group, dataset_type: str) -> list[model.Package]:
    return (
        model.Session.query(model.Package)
        .join(model.Member, model.Member.table_id == model.Package.id)
        .filter(model.Member.group_id == group.id, model.Member.table_name == "package",
                model.Member.state == "active", model.Package.state == "active",
                model.Package.type == dataset_type)
        .order_by(model.Package.name)
        .all()
    )


def _excluded(package: model.Package, reason: str) -> dict[str, Any]:
    return {"id": package.id, "name": package.name, "title": package.title, "reason": reason}


def log_reads(selection: Selection, action: str) -> None:
    """One access-log entry per table a grant holder read, as for DataStore queries."""
    for source in selection.sources:
        if source.grant is None:
            continue
        for resource_id in source.resource_ids:
            access_log.record(source.grant, action, resource_id, access_log.remote_ip())
