"""Retention that enforces itself: a dataset's ``retention_period`` (ISO 8601 duration)
applied to its time series in the DataStore.

``ckan retailarea retention apply`` (the Procfile's ``retention`` line runs it hourly)
deletes from each loaded ``parking_occupancy`` and ``footfall_counts`` table of a dataset
with a ``retention_period`` the rows older than that period (by ``observed_at`` and
``interval_start``). The footfall day totals and the occupancy hours follow by their
triggers. Every deletion is logged, and noted on the table's report (the resource page).
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.model as model
import isodate
import sqlalchemy as sa

from ckanext.retailarea.footfall import sources
from ckanext.retailarea.footfall import store as footfall_store
from ckanext.retailarea.footfall.sql import identifier
from ckanext.retailarea.model import TableReport, extras

log = logging.getLogger(__name__)


def _datasets() -> list[tuple[model.Package, str]]:
    """Active datasets with a retention period, by name (extras read where the installed
    CKAN keeps them: model/extras.py)."""
    period = extras.value("p", "retention_period")
    rows = model.Session.execute(sa.text(
        f"SELECT p.id, {period} FROM package p "  # noqa: S608 - our constants, no input
        f"WHERE p.state = 'active' AND {period} <> ''"))
    periods: dict[str, str] = {package_id: value for package_id, value in rows}
    packages = model.Session.query(model.Package).filter(
        model.Package.id.in_(periods)).order_by(model.Package.name)
    return [(package, periods[package.id]) for package in packages]


def cutoff(period: str, now: dt.datetime) -> dt.datetime | None:
    """The moment before which rows go; None for a value that is no positive duration."""
    try:
        duration = isodate.parse_duration(period.strip())
        moment = now - duration
    except (isodate.ISO8601Error, ValueError, TypeError, OverflowError):
        return None
    if not isinstance(moment, dt.datetime):
        return None
    return moment if moment < now else None


def apply(now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Delete what each dataset's retention period says is too old; one entry per table
    that lost rows: ``{dataset, resource_id, table_schema, retention_period, before,
    deleted}``."""
    now = now or dt.datetime.now(dt.UTC)
    done = []
    for package, period in _datasets():
        before = cutoff(period, now)
        if before is None:
            log.warning("retention of %s: %r is no ISO 8601 duration; nothing deleted",
                        package.name, period)
            continue
        for table_schema, column in footfall_store.TIME_COLUMN.items():
            for resource_id in sources.loaded_tables(package, table_schema):
                deleted = _delete(resource_id, column, before)
                if deleted:
                    entry = {"dataset": package.name, "resource_id": resource_id,
                             "table_schema": table_schema, "retention_period": period,
                             "before": before.isoformat(), "deleted": deleted}
                    _note(entry)
                    done.append(entry)
    return done


def _delete(resource_id: str, column: str, before: dt.datetime) -> int:
    import ckanext.datastore.backend.postgres as datastore_db

    with datastore_db.get_write_engine().begin() as connection:
        delete = (f"DELETE FROM {identifier(resource_id)} "  # noqa: S608 - quoted identifiers
                  f"WHERE {identifier(column)} < :before")
        result = connection.execute(sa.text(delete), {"before": before})
        return result.rowcount or 0


def _note(entry: dict[str, Any]) -> None:
    log.info("retention %s of %s: %d rows before %s deleted from %s", entry["retention_period"],
             entry["dataset"], entry["deleted"], entry["before"], entry["resource_id"])
    report = TableReport.get(entry["resource_id"])
    if report is not None:
        report.set(rows_loaded=max((report.rows_loaded or 0) - entry["deleted"], 0),
                   message=f"Retention {entry['retention_period']}: {entry['deleted']} rows "
                           f"from before {entry['before'][:19]} deleted on "
                           f"{dt.datetime.now(dt.UTC).isoformat()[:19]} UTC.")
