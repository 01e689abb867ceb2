"""Footfall figures of one dataset, in one statement over its day totals.

Visitors are summed from *cells*, one per local day and hour, holding the visitors of the
counting locations that reported in that hour. In aggregate mode only cells with at least
``min_group_size`` locations count, so every visitor figure, and the difference of any two,
is a sum of whole cells. The imputed share is day-level, so aggregate mode leaves it out.
"""
# ruff: noqa: S608 - SQL is built from our own text and quoted identifiers; values are bound
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from ckanext.retailarea.footfall import calendar, query, sql
from ckanext.retailarea.footfall.sql import identifier
from ckanext.retailarea.insights.window import Window

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _source(tables: query.Tables) -> str:
    parts = []
    if tables.summarized:
        parts.append(f"""SELECT {", ".join(sql.COLUMNS)} FROM {sql.DAY_TOTALS}
            WHERE resource_id = ANY(CAST(:summarized AS text[]))
              AND day BETWEEN :first AND :last""")
    where = "AND interval_start >= :lo AND interval_start < :hi"
    parts += [sql.day_totals_select(identifier(rid), where) for rid in tables.raw]
    return "\nUNION ALL\n".join(parts)


def _statement(tables: query.Tables) -> str:
    hours = ", ".join(f"({hour}, {name})" for hour, name in enumerate(sql.HOURS))
    return f"""
    WITH src AS MATERIALIZED ({_source(tables)}),
    cells AS (
      SELECT day, h.hour, sum(h.v) AS visitors
      FROM src CROSS JOIN LATERAL (VALUES {hours}) AS h(hour, v)
      WHERE h.v IS NOT NULL GROUP BY day, h.hour
      HAVING count(DISTINCT location_id) >= :k),
    days AS (SELECT day, sum(visitors) AS visitors FROM cells GROUP BY day),
    quality AS (
      SELECT day, sum(imputed) AS imputed, sum(visitors) AS visitors FROM src
      WHERE day >= :current GROUP BY day HAVING count(DISTINCT location_id) >= :k)
    SELECT json_build_object(
      'months', (SELECT coalesce(json_agg(json_build_array(m, v) ORDER BY m), '[]') FROM
                 (SELECT date_trunc('month', day)::date AS m, sum(visitors) AS v
                  FROM days GROUP BY 1) AS x),
      'weekday', (SELECT coalesce(json_agg(json_build_array(d, v, n) ORDER BY d), '[]') FROM
                  (SELECT extract(isodow FROM day)::int AS d, sum(visitors) AS v,
                          count(*) AS n FROM days WHERE day >= :current GROUP BY 1) AS w),
      'hour', (SELECT coalesce(json_agg(json_build_array(hour, v) ORDER BY hour), '[]') FROM
               (SELECT hour, sum(visitors) AS v FROM cells WHERE day >= :current
                GROUP BY 1) AS h),
      'locations', (SELECT count(DISTINCT location_id) FROM src WHERE day >= :current),
      'location_days', (SELECT count(*) FROM
                        (SELECT DISTINCT location_id, day FROM src WHERE day >= :current) AS l),
      'imputed', (SELECT sum(imputed) FROM quality),
      'quality_visitors', (SELECT sum(visitors) FROM quality))"""


def day_visitors_sql(tables: query.Tables) -> str:
    """Visitors per local day from the cells (``:k`` units each), for the event effect."""
    hours = ", ".join(f"({hour}, {name})" for hour, name in enumerate(sql.HOURS))
    return f"""
    SELECT day, sum(v) AS visitors FROM (
      SELECT day, h.hour, sum(h.v) AS v
      FROM ({_source(tables)}) AS src CROSS JOIN LATERAL (VALUES {hours}) AS h(hour, v)
      WHERE h.v IS NOT NULL GROUP BY day, h.hour
      HAVING count(DISTINCT location_id) >= :k) AS cells
    GROUP BY day"""


def bounds(first: dt.date, last: dt.date, tables: query.Tables, k: int) -> dict[str, Any]:
    return {"first": first, "last": last, "lo": calendar.midnight(first),
            "hi": calendar.midnight(last + dt.timedelta(days=1)),
            "summarized": tables.summarized, "k": k}


def figures(connection, tables: query.Tables, window: Window, k: int) -> dict[str, Any]:
    params = {**bounds(window.previous_first, window.last, tables, k),
              "current": window.current_first}
    found = query.as_json(connection.execute(sa.text(_statement(tables)), params).scalar())
    return _shape(found, window)


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
    hour = [{"hour": h, "visitors": int(v)} for h, v in found["hour"]]
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
