"""Parking occupancy per period and facility, aggregated in the DataStore database.

Occupancy of an observation is (capacity - vacant_spaces) / capacity x 100, clamped to
0..100 (a count of vacant spaces above the capacity is a sensor error, not a negative
occupancy); an observation without a capacity (0 or empty) or without vacant_spaces has
no occupancy and is left out of mean and peak (``observations`` counts the others).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model
import sqlalchemy as sa

from ckanext.retailarea.footfall import calendar, sources
from ckanext.retailarea.footfall.params import Range
from ckanext.retailarea.footfall.query import as_json
from ckanext.retailarea.footfall.sql import identifier

FACILITIES = "parking_facilities"


def present(connection, resource_ids: list[str]) -> list[str]:
    """The resource ids that have a table in the DataStore."""
    if not resource_ids:
        return []
    rows = connection.execute(sa.text(
        "SELECT r.id FROM unnest(CAST(:ids AS text[])) WITH ORDINALITY AS r(id, n) "
        "WHERE to_regclass(quote_ident(r.id)) IS NOT NULL ORDER BY r.n"),
        {"ids": resource_ids})
    return [row.id for row in rows]


def _facility(facility: str | None) -> str:
    return " AND uuid = :facility" if facility else ""


def data_range(connection, tables: list[str], facility: str | None = None
               ) -> tuple[dt.date, dt.date] | None:
    tz = calendar.TIMEZONE
    parts = " UNION ALL ".join(
        f"SELECT min(observed_at) AS first, max(observed_at) AS last "  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound
        f"FROM {identifier(table)} WHERE true{_facility(facility)}" for table in tables)
    row = connection.execute(sa.text(
        f"SELECT (min(first) AT TIME ZONE '{tz}')::date, (max(last) AT TIME ZONE '{tz}')::date "  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound
        f"FROM ({parts}) AS ranges"), {"facility": facility}).one()
    return (row[0], row[1]) if row[0] is not None else None


def _series_sql(tables: list[str], facility: str | None) -> str:
    tz = calendar.TIMEZONE
    rows = " UNION ALL ".join(
        f"""SELECT uuid, observed_at, CASE WHEN capacity > 0 AND vacant_spaces IS NOT NULL
                THEN greatest(0, least(100, 100.0 * (capacity - vacant_spaces) / capacity))
              END AS occupancy
            FROM {identifier(table)}
            WHERE uuid IS NOT NULL AND observed_at >= :lo AND observed_at < :hi
              {_facility(facility)}""" for table in tables)  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound
    return f"""
    SELECT coalesce(json_agg(json_build_array(start, uuid, mean, peak, observations)
                             ORDER BY uuid, start), '[]')
    FROM (SELECT date_trunc(:unit, observed_at AT TIME ZONE '{tz}')::date AS start, uuid,
                 round(avg(occupancy), 1) AS mean, round(max(occupancy), 1) AS peak,
                 count(occupancy) AS observations
          FROM ({rows}) AS observations GROUP BY 1, 2) AS periods"""  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound


def series(connection, tables: list[str], date_range: Range, facility: str | None
           ) -> dict[str, list[dict[str, Any]]]:
    rows = as_json(connection.execute(sa.text(_series_sql(tables, facility)), {
        "unit": date_range.period, "facility": facility,
        "lo": calendar.midnight(date_range.first),
        "hi": calendar.midnight(date_range.last + dt.timedelta(days=1)),
    }).scalar())
    found: dict[str, dict[str, list[Any]]] = {}
    for start, uuid, mean, peak, observations in rows:
        found.setdefault(uuid, {})[start] = [mean, peak, observations]
    return {uuid: [_entry(start, date_range.period, by_start.get(start.isoformat()))
                   for start in date_range.starts()]
            for uuid, by_start in sorted(found.items())}


def _entry(start: dt.date, period: str, found: list[Any] | None) -> dict[str, Any]:
    mean, peak, observations = found or (None, None, 0)
    return {"start": start.isoformat(), "label": calendar.label(start, period),
            "mean_occupancy_pct": None if mean is None else float(mean),
            "peak_occupancy_pct": None if peak is None else float(peak),
            "observations": observations}


def names(connection, package: model.Package) -> dict[str, str]:
    """Facility names from the dataset's facilities table, when it has one."""
    tables = present(connection, sources.loaded_tables(package, FACILITIES))
    if not tables:
        return {}
    parts = " UNION ALL ".join(f"SELECT uuid, name FROM {identifier(table)}"  # noqa: S608 - tables pass through identifier() (quote_ident); values are bound
                               for table in tables)
    rows = connection.execute(sa.text(parts))
    return {row.uuid: row.name for row in rows if row.uuid}
