"""Footfall aggregation in the DataStore database, through its read-only engine.

One statement per series: the day totals of the chosen counts tables (stored, or computed
from the table when it has no current summary) are rolled up to periods per location and
to the day-of-week and hour-of-day profiles, and come back as one JSON document. Only
aggregates cross into Python, never rows.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ckanext.retailarea import replica
from ckanext.retailarea.footfall import calendar, sql
from ckanext.retailarea.footfall.sql import identifier

PERIOD_COLUMNS = ("start", "location_id", "visitors", "intervals", "imputed",
                  "imputed_intervals")


@dataclass
class Tables:
    """Counts tables by how they are read: from their summary, from the table itself,
    or not at all (no such table in the DataStore)."""

    summarized: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def present(self) -> list[str]:
        return self.summarized + self.raw


@contextmanager
def reading() -> Iterator[Any]:
    """A read-only transaction; no JIT, whose compile time would cost more than it saves
    on these short aggregates, and memory enough to aggregate without temporary files.
    From the read database, or the primary while it is away (replica.py)."""
    with replica.connect() as connection:
        with connection.begin():
            connection.execute(sa.text("SET LOCAL jit = off"))
            connection.execute(sa.text("SET LOCAL work_mem = '64MB'"))
            yield connection


def classify(connection, resource_ids: list[str]) -> Tables:
    tables = Tables()
    if not resource_ids:
        return tables
    has_summaries = connection.execute(
        sa.text("SELECT to_regclass(:name) IS NOT NULL"), {"name": sql.SUMMARIES}).scalar()
    current = (f"""EXISTS (SELECT 1 FROM {sql.SUMMARIES} AS s WHERE s.resource_id = r.id
                   AND s.version = :version AND s.table_oid = to_regclass(quote_ident(r.id)))"""  # noqa: S608 - only our constant names (schema, tables, columns, time zone); values are bound
               if has_summaries else "false")
    rows = connection.execute(sa.text(f"""
        SELECT r.id, to_regclass(quote_ident(r.id)) IS NOT NULL AS present, {current}
        FROM unnest(CAST(:ids AS text[])) AS r(id)"""),  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound
        {"ids": list(resource_ids), "version": sql.VERSION})
    for resource_id, present, summarized in rows:
        if not present:
            tables.missing.append(resource_id)
        elif summarized:
            tables.summarized.append(resource_id)
        else:
            tables.raw.append(resource_id)
    return tables


def _location(location: str | None) -> str:
    return " AND location_id = :location" if location else ""


def data_range(connection, tables: Tables, location: str | None = None
               ) -> tuple[dt.date, dt.date] | None:
    """First and last local day with counts (of ``location``), or None."""
    parts = []
    if tables.summarized:
        parts.append(f"""SELECT min(day) AS first, max(day) AS last FROM {sql.DAY_TOTALS}
            WHERE resource_id = ANY(CAST(:summarized AS text[])){_location(location)}""")  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound
    tz = calendar.TIMEZONE
    for resource_id in tables.raw:
        parts.append(f"""SELECT (min(interval_start) AT TIME ZONE '{tz}')::date AS first,
            (max(interval_start) AT TIME ZONE '{tz}')::date AS last
            FROM {identifier(resource_id)}
            WHERE true{_location(location)}""")  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound
    if not parts:
        return None
    row = connection.execute(sa.text(
        "SELECT min(first), max(last) FROM (" + " UNION ALL ".join(parts) + ") AS ranges"),  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound
        {"summarized": tables.summarized, "location": location}).one()
    return (row[0], row[1]) if row[0] is not None else None


def _source(tables: Tables, location: str | None) -> str:
    parts = []
    if tables.summarized:
        parts.append(f"""SELECT {", ".join(sql.COLUMNS)} FROM {sql.DAY_TOTALS}
            WHERE resource_id = ANY(CAST(:summarized AS text[]))
              AND day BETWEEN :first AND :last{_location(location)}""")  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound
    where = "AND interval_start >= :lo AND interval_start < :hi" + _location(location)
    parts += [sql.day_totals_select(identifier(resource_id), where)
              for resource_id in tables.raw]
    return "\nUNION ALL\n".join(parts)


def _series_sql(source: str, materialized: bool) -> str:
    """Per period: one row per location and one for the total (location_id null), as
    columns (compact JSON); resolutions per location; for the profiles, visitors and days
    with counts per weekday and per local hour. A computed source is materialized once;
    the stored one is cheaper to read again than to copy."""
    day_hours = ", ".join(f"sum({name}) AS {name}" for name in sql.HOURS)
    hour_sums = ", ".join(f"sum({name}), count({name})" for name in sql.HOURS)
    # one scan feeds every json_agg, so the columns line up row by row
    columns = ", ".join(f"'{name}', json_agg({name})" for name in PERIOD_COLUMNS)
    return f"""
    WITH src AS {"" if materialized else "NOT "}MATERIALIZED ({source}),
    per AS (
      SELECT start, location_id, sum(visitors) AS visitors, sum(intervals) AS intervals,
             sum(imputed) AS imputed, sum(imputed_intervals) AS imputed_intervals
      FROM (SELECT date_trunc(:unit, day::timestamp)::date AS start, location_id, visitors,
                   intervals, imputed, imputed_intervals FROM src) AS days
      GROUP BY GROUPING SETS ((start, location_id), (start))),
    daily AS (
      SELECT day, sum(visitors) AS visitors, {day_hours}
      FROM src WHERE day >= :current GROUP BY day)
    SELECT json_build_object(
      'periods', (SELECT json_build_object({columns}) FROM per),
      'resolutions', (SELECT coalesce(json_object_agg(location_id, resolutions), '{{}}')
                      FROM (SELECT location_id, array_agg(DISTINCT resolution) AS resolutions
                            FROM src WHERE day >= :current AND resolution IS NOT NULL
                            GROUP BY location_id) AS r),
      'weekday', (SELECT coalesce(json_agg(json_build_array(isodow, visitors, days)
                                           ORDER BY isodow), '[]')
                  FROM (SELECT extract(isodow FROM day)::int AS isodow,
                               sum(visitors) AS visitors, count(*) AS days
                        FROM daily GROUP BY 1) AS w),
      'hour', (SELECT json_build_array({hour_sums}) FROM daily))"""  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound


def series(connection, tables: Tables, period: str, first: dt.date, current: dt.date,
           last: dt.date, location: str | None = None) -> dict[str, Any]:
    """Per period and location: visitors, intervals present, imputed visitors and
    intervals, over the days ``first`` .. ``last``; the resolutions each location
    reported and the profiles over ``current`` .. ``last``."""
    statement = sa.text(_series_sql(_source(tables, location), materialized=bool(tables.raw)))
    return as_json(connection.execute(statement, {
        "unit": period, "first": first, "last": last, "current": current,
        "lo": calendar.midnight(first),
        "hi": calendar.midnight(last + dt.timedelta(days=1)),
        "summarized": tables.summarized, "location": location,
    }).scalar())


def as_json(value: Any) -> Any:
    """The DataStore's engine hands json columns over as text."""
    return json.loads(value) if isinstance(value, str) else value
