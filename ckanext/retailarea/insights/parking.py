"""Parking figures of one dataset: facilities, capacity, occupancy by weekday and hour,
the tariffs that apply now.

Occupancy is combined per *cell*, one hour: the occupied spaces of all observations in it
over their capacity (stored per hour beside the table, see occupancy.py). Mean and peak
per weekday and hour are taken over the cells of the last 12 full months; in aggregate
mode only cells with at least ``min_group_size`` facilities count, and capacity and tariffs
(values of single facilities) need that many facilities too or are left out.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from ckanext.retailarea.footfall import calendar
from ckanext.retailarea.footfall.query import as_json
from ckanext.retailarea.footfall.sql import identifier
from ckanext.retailarea.insights import occupancy as occupancy_store
from ckanext.retailarea.insights.window import Window

DAY_CODES = ("mo", "tu", "we", "th", "fr", "sa", "su")


def _union(tables: list[str], columns: str, where: str = "true") -> str:
    return " UNION ALL ".join(f"SELECT {columns} FROM {identifier(t)} WHERE {where}"  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound
                              for t in tables)


def facilities(connection, tables: list[str], k: int) -> dict[str, Any]:
    if not tables:
        return {"facilities": None, "capacity": None}
    row = connection.execute(sa.text(
        f"SELECT count(DISTINCT uuid), sum(capacity) FROM ({_union(tables, 'uuid, capacity')})"  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound
        " AS f")).one()
    count, capacity = row[0], row[1]
    return {"facilities": count, "capacity": int(capacity) if capacity is not None and
            count >= k else None}


def _hours(connection, tables: list[str]) -> str:
    """The hours of the tables: stored when there is one table with a current summary."""
    if len(tables) == 1 and occupancy_store.current(connection, tables[0]):
        return (f"SELECT hour, occupied, capacity, facilities FROM {occupancy_store.HOURS} "  # noqa: S608 - only our constant names (schema, tables, columns, time zone); values are bound
                "WHERE resource_id = :table AND hour >= :lo AND hour < :hi")
    rows = _union(tables, "uuid, observed_at, capacity, vacant_spaces")
    return occupancy_store.hours_select(f"({rows})", "AND observed_at >= :lo AND observed_at < :hi")


def occupancy(connection, tables: list[str], window: Window, k: int) -> list[dict[str, Any]]:
    """Mean and peak occupancy (%) per ISO weekday and local hour."""
    if not tables:
        return []
    tz = calendar.TIMEZONE
    statement = f"""
    SELECT coalesce(json_agg(json_build_array(d, h, mean, peak) ORDER BY d, h), '[]') FROM (
      SELECT extract(isodow FROM hour AT TIME ZONE '{tz}')::int AS d,
             extract(hour FROM hour AT TIME ZONE '{tz}')::int AS h,
             round(avg(100.0 * occupied / capacity), 1) AS mean,
             round(max(100.0 * occupied / capacity), 1) AS peak
      FROM ({_hours(connection, tables)}) AS cells
      WHERE facilities >= :k AND capacity > 0
      GROUP BY 1, 2) AS profile"""  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound
    found = as_json(connection.execute(sa.text(statement), {
        "lo": calendar.midnight(window.current_first), "table": tables[0],
        "hi": calendar.midnight(window.last + dt.timedelta(days=1)), "k": k}).scalar())
    return [{"weekday": d, "hour": h, "mean_pct": float(mean), "peak_pct": float(peak)}
            for d, h, mean, peak in found]


def tariffs_now(connection, tables: list[str], names: dict[str, str],
                moment: dt.datetime) -> list[dict[str, Any]]:
    """The first rate of each facility that applies at ``moment`` (local time)."""
    if not tables:
        return []
    local = moment.astimezone(calendar.ZONE)
    rows = connection.execute(sa.text(f"""
        SELECT DISTINCT ON (uuid) uuid, charge_eur, charge_period_min FROM
          ({_union(tables, 'uuid, days, from_time, until_time, charge_eur, '
                           'charge_period_min, duration_from_min')}) AS t
        WHERE (',' || lower(days) || ',') LIKE :day
          AND (from_time IS NULL OR from_time <= :time)
          AND (until_time IS NULL OR until_time > :time OR until_time = '00:00')
        ORDER BY uuid, coalesce(duration_from_min, 0), charge_eur"""),  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound
        {"day": f"%,{DAY_CODES[local.weekday()]},%", "time": local.time().replace(tzinfo=None)})
    return [{"facility": r.uuid, "name": names.get(r.uuid),
             "charge_eur": float(r.charge_eur) if r.charge_eur is not None else None,
             "charge_period_min": r.charge_period_min} for r in rows]


def names(connection, tables: list[str]) -> dict[str, str]:
    if not tables:
        return {}
    rows = connection.execute(sa.text(_union(tables, "uuid, name")))
    return {r.uuid: r.name for r in rows if r.uuid}
