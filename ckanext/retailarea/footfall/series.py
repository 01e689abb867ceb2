"""From the aggregates of ``query.py`` to the answer of ``retailarea_footfall_series``.

Every period of the range gets an entry, per location and for the total, also when
nothing was counted (``visitors`` is then null, not 0). Each entry says how complete it
is: ``intervals`` reported against ``expected_intervals`` (the period's local days, 23 or
25 hours long on daylight-saving days, divided by the location's finest interval),
``gaps`` (missing intervals), ``complete``, and how much was ``imputed``. Year-over-year:
``previous_year`` (the same period a year earlier, see ``calendar.previous_year``) and
``change_pct``.

A daily series of five years and twelve locations has some 24,000 entries, so what all
entries of a period share (its label, the period a year earlier, the expected number of
intervals) is worked out once per period, not once per entry.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
from typing import Any

import isodate

from ckanext.retailarea.footfall import calendar
from ckanext.retailarea.footfall.params import Range

DAY = 86400

# visitors, intervals, imputed, imputed_intervals of one location (or the total) and period
Found = tuple[Any, int, int, int]
NOTHING: Found = (None, 0, 0, 0)


def first_needed(date_range: Range) -> dt.date:
    """The first day to aggregate: the range plus the periods a year earlier."""
    earlier = [calendar.previous_year(start, date_range.period)
               for start in date_range.starts()]
    return min([date_range.first, *[day for day in earlier if day is not None]])


def resolution_seconds(codes: list[str]) -> int | None:
    """The finest interval a location reported, in seconds; None when unknown or longer
    than a day (weekly counts have no gaps within a day to find)."""
    seconds = []
    for code in codes:
        try:
            duration = isodate.parse_duration(code)
        except (isodate.ISO8601Error, ValueError, TypeError):
            continue
        if isinstance(duration, dt.timedelta) and duration.total_seconds() > 0:
            seconds.append(int(duration.total_seconds()))
    best = min(seconds, default=None)
    return best if best is not None and best <= DAY else None


@functools.lru_cache(maxsize=8192)
def _day_seconds(day: dt.date) -> int:
    return calendar.day_seconds(day)


def expected_intervals(start: dt.date, period: str, seconds: int | None) -> int | None:
    if seconds is None:
        return None
    days = calendar.days(start, calendar.period_end(start, period))
    if seconds == DAY:
        return len(days)
    return sum(math.ceil(_day_seconds(day) / seconds) for day in days)


def change_pct(current: int | None, previous: int | None) -> float | None:
    if current is None or not previous:
        return None
    return round((current - previous) / previous * 100, 1)


class Periods:
    """What the entries of each period share."""

    def __init__(self, date_range: Range) -> None:
        self.range = date_range
        self.starts = date_range.starts()
        self.keys = [start.isoformat() for start in self.starts]
        self.labels = [calendar.label(start, date_range.period) for start in self.starts]
        earlier = [calendar.previous_year(start, date_range.period) for start in self.starts]
        self.earlier = [day.isoformat() if day else None for day in earlier]
        self._expected: dict[int | None, list[int | None]] = {}

    def expected(self, seconds: int | None) -> list[int | None]:
        if seconds not in self._expected:
            self._expected[seconds] = [
                expected_intervals(start, self.range.period, seconds) for start in self.starts]
        return self._expected[seconds]

    def entries(self, found: dict[str, Found], expected: list[int | None]
                ) -> list[dict[str, Any]]:
        entries = []
        for key, label, earlier, wanted in zip(self.keys, self.labels, self.earlier,
                                               expected, strict=True):
            visitors, intervals, imputed, imputed_intervals = found.get(key, NOTHING)
            previous = found.get(earlier, NOTHING)[0] if earlier else None
            gaps = None if wanted is None else max(wanted - intervals, 0)
            entries.append({
                "start": key, "label": label, "visitors": visitors,
                "previous_year": previous, "change_pct": change_pct(visitors, previous),
                "intervals": intervals, "expected_intervals": wanted, "gaps": gaps,
                "complete": None if gaps is None else gaps == 0,
                "imputed": imputed, "imputed_intervals": imputed_intervals,
            })
        return entries


def _found(columns: dict[str, list[Any]] | None) -> dict[str | None, dict[str, Found]]:
    """Per location (None: the total) and period start: the aggregates of query.py."""
    found: dict[str | None, dict[str, Found]] = {}
    if not columns or not columns.get("start"):  # no counts in the range: SQL nulls
        return found
    for start, location, visitors, intervals, imputed, imputed_intervals in zip(
            columns["start"], columns["location_id"], columns["visitors"],
            columns["intervals"], columns["imputed"], columns["imputed_intervals"],
            strict=True):
        found.setdefault(location, {})[start] = (visitors, intervals, imputed,
                                                 imputed_intervals)
    return found


def _total_expected(locations: list[list[int | None]], count: int) -> list[int | None]:
    if not locations:
        return [None] * count
    return [None if None in values else sum(values) for values in zip(*locations, strict=True)]


def build(aggregates: dict[str, Any], date_range: Range) -> dict[str, Any]:
    """The ``total``, ``locations`` and ``profiles`` of an answer."""
    periods = Periods(date_range)
    found = _found(aggregates["periods"])
    total = found.pop(None, {})
    first = periods.keys[0]
    current = sorted(location for location, by_start in found.items()
                     if location is not None and any(start >= first for start in by_start))
    resolutions = aggregates["resolutions"] or {}
    expected = {location: periods.expected(resolution_seconds(resolutions.get(location, [])))
                for location in current}
    return {
        "total": periods.entries(total, _total_expected(list(expected.values()),
                                                        len(periods.keys))),
        "locations": {location: periods.entries(found[location], expected[location])
                      for location in current},
        "profiles": profiles(aggregates["weekday"] or [], aggregates["hour"]),
    }


def _mean(visitors: Any, days: int) -> float | None:
    return round(visitors / days, 1) if days else None


def profiles(weekdays: list[list[Any]], hours: list[Any] | None) -> dict[str, list]:
    """Mean visitors per ISO weekday (1 = Monday) over the days with counts, and per
    local hour over the days with counts in that hour."""
    hours = hours or [None, 0] * 24
    return {
        "weekday": [{"isodow": isodow, "visitors": _mean(visitors, days), "days": days}
                    for isodow, visitors, days in weekdays],
        "hour": [{"hour": hour, "visitors": _mean(hours[2 * hour], hours[2 * hour + 1]),
                  "days": hours[2 * hour + 1]} for hour in range(24)],
    }
