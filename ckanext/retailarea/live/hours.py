"""Times for apps: OSM ``opening_hours`` read with opening-hours-py (the Rust parser of the
OSM wiki's specification), and the occurrences of recurring events (RFC 5545 RRULE, read
with dateutil). All in Europe/Amsterdam local time."""
from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import opening_hours
from dateutil.rrule import rrulestr

from ckanext.retailarea.footfall import calendar

MAX_OCCURRENCES = 1000  # of one series within the asked span
WEEK = dt.timedelta(days=7)


@functools.lru_cache(maxsize=4096)
def _parsed(expression: str) -> Any:
    try:
        return opening_hours.OpeningHours(expression)
    # the package's stubs leave out its exception classes
    except (SyntaxError, ValueError,
            opening_hours.ParserError):  # pyright: ignore[reportAttributeAccessIssue]
        return None


def _local_naive(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(calendar.ZONE).replace(tzinfo=None)


def _aware(moment: dt.datetime | None) -> str | None:
    return moment.replace(tzinfo=calendar.ZONE).isoformat() if moment else None


def state_at(expression: str | None, moment: dt.datetime) -> dict[str, Any]:
    """``{"state": open|closed|unknown, "next_change": ISO time or None}``; ``unknown``
    for no or unreadable hours (and for an expression that says so)."""
    hours = _parsed(expression.strip()) if isinstance(expression, str) and \
        expression.strip() else None
    if hours is None:
        return {"state": "unknown", "next_change": None}
    local = _local_naive(moment)
    state = "open" if hours.is_open(local) else "closed" if hours.is_closed(local) \
        else "unknown"
    return {"state": state, "next_change": _aware(hours.next_change(local))}


def week(expression: str | None, moment: dt.datetime) -> list[tuple[int, str, str]]:
    """The open intervals of the seven days from ``moment``'s day, as ``(weekday,
    "HH:MM:SS", "HH:MM:SS")`` for schema.org's OpeningHoursSpecification (its Time; the
    end of the day as 23:59:59)."""
    hours = _parsed(expression.strip()) if isinstance(expression, str) and \
        expression.strip() else None
    if hours is None:
        return []
    first = _local_naive(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    out = []
    for start, end, state, _comment in hours.intervals(first, first + WEEK):
        if state != opening_hours.State.OPEN:
            continue
        day = start
        while day < end:  # split at midnight: OpeningHoursSpecification is per day
            midnight = day.replace(hour=0, minute=0) + dt.timedelta(days=1)
            until = min(end, midnight)
            closes = "23:59:59" if until == midnight else until.strftime("%H:%M:%S")
            out.append((day.weekday(), day.strftime("%H:%M:%S"), closes))
            day = until
    return out


def occurrences(row: Any, start: dt.datetime, end: dt.datetime, dataset: str
                ) -> list[dict[str, Any]]:
    """The occurrences of an event row in [start, end): itself, or those of its RRULE."""
    first, last = row.start, row.end or row.start
    length = last - first
    starts = [first]
    if row.rrule:
        local = first.astimezone(calendar.ZONE)
        try:
            rule = rrulestr(row.rrule, dtstart=local)
            starts = rule.between(start - length, end, inc=True)[:MAX_OCCURRENCES]
        except (ValueError, TypeError):
            starts = [first]  # an unreadable rule: the first occurrence as given
    return [_event(row, s, s + length, dataset) for s in starts
            if s < end and s + length >= start]


def _event(row: Any, begin: dt.datetime, finish: dt.datetime, dataset: str
           ) -> dict[str, Any]:
    return {
        "event_id": row.event_id, "title": row.title, "description": row.description,
        "lang": row.lang, "category": row.category,
        "start": begin.astimezone(calendar.ZONE).isoformat(),
        "end": finish.astimezone(calendar.ZONE).isoformat() if row.end else None,
        "status": row.event_status or "scheduled", "venue": row.venue_name,
        "address": row.address,
        "lat": float(row.lat) if row.lat is not None else None,
        "lon": float(row.lon) if row.lon is not None else None,
        "price_from_eur": float(row.price_from_eur) if row.price_from_eur is not None
        else None,
        "is_free": row.is_free, "url": row.url, "booking_url": row.booking_url,
        "organizer": row.organizer, "dataset": dataset,
    }
