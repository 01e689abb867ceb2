"""Footfall figures of one dataset, in one statement over its day totals.

Visitors are summed from *cells*, one per local day and hour, holding the visitors of the
counting locations that reported in that hour. In aggregate mode only cells with at least
``min_group_size`` locations count, so every visitor figure, and the difference of any two,
is a sum of whole cells. The imputed share is day-level, so aggregate mode leaves it out.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from ckanext.retailarea.footfall import calendar, query, sql
from ckanext.retailarea.footfall.sql import identifier
from ckanext.retailarea.insights.window import Window

EFFECT_WEEKS = 4  # the event effect compares with the same weekday in the weeks before
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _source(tables: query.Tables) -> str:
    parts = []
    if tables.summarized:
        parts.append(f"""SELECT {", ".join(sql.COLUMNS)} FROM {sql.DAY_TOTALS}
            WHERE resource_id = ANY(CAST(:summarized AS text[]))
              AND day BETWEEN :first AND :last""")  # noqa: S608 - only our constant names (schema, tables, columns, time zone); values are bound
    where = "AND interval_start >= :lo AND interval_start < :hi"
    parts += [sql.day_totals_select(identifier(rid), where) for rid in tables.raw]
    return "\nUNION ALL\n".join(parts)


def _sum(column: str) -> str:
    # float8 adds up far faster than bigint (whose sum is numeric) and is exact for integers
    # below 2**53
    return f"sum({column}::float8)::bigint"


def _located(tables: query.Tables) -> str:
    """One row per location and day: the day totals of one table already are; those of
    several tables (which may overlap) are added up."""
    if len(tables.present) == 1:
        return _source(tables)
    hour_sums = ", ".join(f"{_sum(name)} AS {name}" for name in sql.HOURS)
    return f"""SELECT location_id, day, {_sum("visitors")} AS visitors,
        {_sum("imputed")} AS imputed, {hour_sums}
        FROM ({_source(tables)}) AS src GROUP BY location_id, day"""  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound


def _statement(tables: query.Tables) -> str:
    # a cell (day x hour) counts when at least :k locations reported in it
    safe = ", ".join(f"CASE WHEN count({name}) >= :k THEN {_sum(name)} END AS {name}"
                     for name in sql.HOURS)
    day_sum = " + ".join(f"coalesce({name}, 0)" for name in sql.HOURS)
    any_cell = ", ".join(sql.HOURS)
    hour_profile = ", ".join(_sum(name) for name in sql.HOURS)
    return f"""
    WITH located AS MATERIALIZED ({_located(tables)}),
    cells AS MATERIALIZED (SELECT day, {safe} FROM located GROUP BY day),
    days AS (SELECT day, {day_sum} AS visitors FROM cells
             WHERE num_nonnulls({any_cell}) > 0),
    quality AS (
      SELECT day, {_sum("imputed")} AS imputed, {_sum("visitors")} AS visitors FROM located
      WHERE day >= :current GROUP BY day HAVING count(*) >= :k)
    SELECT json_build_object(
      'months', (SELECT coalesce(json_agg(json_build_array(m, v) ORDER BY m), '[]') FROM
                 (SELECT date_trunc('month', day)::date AS m, {_sum("visitors")} AS v
                  FROM days GROUP BY 1) AS x),
      'days', (SELECT coalesce(json_agg(json_build_array(day, visitors)), '[]') FROM days
               WHERE day >= :effects),
      'weekday', (SELECT coalesce(json_agg(json_build_array(d, v, n) ORDER BY d), '[]') FROM
                  (SELECT extract(isodow FROM day)::int AS d, {_sum("visitors")} AS v,
                          count(*) AS n FROM days WHERE day >= :current GROUP BY 1) AS w),
      'hour', (SELECT json_build_array({hour_profile}) FROM cells WHERE day >= :current),
      'locations', (SELECT count(DISTINCT location_id) FROM located WHERE day >= :current),
      'location_days', (SELECT count(*) FROM located WHERE day >= :current),
      'imputed', (SELECT sum(imputed) FROM quality),
      'quality_visitors', (SELECT sum(visitors) FROM quality))"""  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound


def figures(connection, tables: query.Tables, window: Window, k: int
            ) -> tuple[dict[str, Any], dict[dt.date, int]]:
    """The figures, and the visitors per day (from the same cells) from four weeks before
    the window on, for the effect of events."""
    first, last = window.previous_first, window.last
    params = {"first": first, "last": last, "lo": calendar.midnight(first),
              "hi": calendar.midnight(last + dt.timedelta(days=1)),
              "summarized": tables.summarized, "k": k, "current": window.current_first,
              "effects": window.current_first - dt.timedelta(weeks=EFFECT_WEEKS)}
    found = query.as_json(connection.execute(sa.text(_statement(tables)), params).scalar())
    days = {dt.date.fromisoformat(day): int(v) for day, v in found["days"]}
    return _shape(found, window), days


def _change(now: int | None, before: int | None) -> float | None:
    if not now or not before:
        return None
    return round(100.0 * (now - before) / before, 1)


def _shape(found: dict[str, Any], window: Window) -> dict[str, Any]:
    months = {dt.date.fromisoformat(m): int(v) for m, v in found["months"]}
    current = {m: v for m, v in months.items() if m >= window.current_first}
    previous = {m: v for m, v in months.items() if m < window.current_first}
    visitors = sum(current.values()) if current else None
    before = sum(previous.values()) if previous else None
    weekday = [{"weekday": DAYS[d - 1], "mean_visitors": round(v / n)}
               for d, v, n in found["weekday"]]
    hour = [{"hour": h, "visitors": int(v)} for h, v in enumerate(found["hour"])
            if v is not None]
    days = (window.last - window.current_first).days + 1
    locations = found["locations"] or 0
    return {
        "visitors_12m": visitors, "visitors_previous_12m": before,
        "change_pct": _change(visitors, before),
        "busiest_weekday": max(weekday, key=lambda w: w["mean_visitors"])["weekday"]
        if weekday else None,
        "busiest_hour": max(hour, key=lambda h: h["visitors"])["hour"] if hour else None,
        "weekday": weekday, "hour": hour,
        "months": [{"month": m.isoformat(), "visitors": v,
                    "previous_year": months.get(m.replace(year=m.year - 1))}
                   for m, v in sorted(current.items())],
        "locations": locations,
        "gap_share_pct": round(100.0 * (1 - found["location_days"] / (locations * days)), 1)
        if locations else None,
        "imputed_share_pct": round(100.0 * found["imputed"] / found["quality_visitors"], 1)
        if found["quality_visitors"] else None,
    }
