"""Events: those of the next 30 days, and the footfall on past event days against the
same weekday in the four weeks before.

An event's list is data of single events, so it is shown only with full access; the
effect is a footfall figure and follows the footfall dataset's mode (its day visitors
come from the same cells as the other footfall figures).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from ckanext.retailarea.footfall import calendar
from ckanext.retailarea.footfall.sql import identifier
from ckanext.retailarea.insights import footfall
from ckanext.retailarea.insights.window import Window

AHEAD = 30
COLUMNS = "event_id, title, category, start, \"end\", event_status, venue_name"


def _rows(connection, tables: list[str], lo: dt.datetime, hi: dt.datetime) -> list[Any]:
    union = " UNION ALL ".join(
        f"SELECT {COLUMNS} FROM {identifier(t)} WHERE start >= :lo AND start < :hi "  # noqa: S608 - tables pass through identifier() (quote_ident); values are bound
        f"AND coalesce(event_status, 'scheduled') <> 'cancelled'" for t in tables)
    return list(connection.execute(sa.text(f"SELECT * FROM ({union}) AS e ORDER BY start, title"),  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound
                                   {"lo": lo, "hi": hi}))


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(calendar.ZONE).date()


def upcoming(connection, tables: list[str], as_of: dt.date) -> list[dict[str, Any]]:
    rows = _rows(connection, tables, calendar.midnight(as_of),
                 calendar.midnight(as_of + dt.timedelta(days=AHEAD)))
    return [{"event_id": r.event_id, "title": r.title, "category": r.category,
             "start": r.start.isoformat(), "end": r.end.isoformat() if r.end else None,
             "venue": r.venue_name} for r in rows]


def effects(connection, tables: list[str], visitors: dict[dt.date, int], window: Window
            ) -> list[dict[str, Any]]:
    """Per past event of the last 12 full months: visitors on its (first) day against the
    mean of the same weekday in the four weeks before, with those days."""
    rows = _rows(connection, tables, calendar.midnight(window.current_first),
                 calendar.midnight(window.last + dt.timedelta(days=1)))
    event_days = {_local_day(r.start) for r in rows}
    return [_effect(r, visitors, event_days) for r in rows]


def _effect(row: Any, visitors: dict[dt.date, int], event_days: set[dt.date]
            ) -> dict[str, Any]:
    day = _local_day(row.start)
    before = [day - dt.timedelta(weeks=w) for w in range(1, footfall.EFFECT_WEEKS + 1)]
    compared = [d for d in before if d in visitors and d not in event_days]
    baseline = sum(visitors[d] for d in compared) / len(compared) if compared else None
    on_day = visitors.get(day)
    return {"event_id": row.event_id, "title": row.title, "day": day.isoformat(),
            "visitors": on_day, "baseline_visitors": round(baseline) if baseline else None,
            "effect_pct": round(100.0 * (on_day - baseline) / baseline, 1)
            if on_day is not None and baseline else None,
            "comparison_days": [d.isoformat() for d in compared]}
