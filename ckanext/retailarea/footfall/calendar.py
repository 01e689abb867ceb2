"""The calendar of the series: local days in Europe/Amsterdam, ISO weeks, periods.

Everything here works on local dates. A local day is not always 24 hours long: the day
daylight saving starts (last Sunday of March) has 23, the day it ends (last Sunday of
October) 25, so a day's length is measured between its two local midnights in UTC.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TIMEZONE = "Europe/Amsterdam"
ZONE = ZoneInfo(TIMEZONE)
PERIODS = ("day", "week", "month", "quarter", "year")


def midnight(day: dt.date) -> dt.datetime:
    """The instant (UTC) local ``day`` begins."""
    return dt.datetime.combine(day, dt.time(), ZONE).astimezone(dt.UTC)


def day_seconds(day: dt.date) -> int:
    """Length of a local day: 82,800 (23 h), 86,400 or 90,000 (25 h) seconds."""
    return int((midnight(day + dt.timedelta(days=1)) - midnight(day)).total_seconds())


def period_start(day: dt.date, period: str) -> dt.date:
    """The first day of the period ``day`` falls in; weeks start on Monday (ISO 8601)."""
    if period == "day":
        return day
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def next_start(start: dt.date, period: str) -> dt.date:
    """The first day of the period after the one starting on ``start``."""
    if period == "day":
        return start + dt.timedelta(days=1)
    if period == "week":
        return start + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_end(day: dt.date, period: str) -> dt.date:
    """The last day of the period ``day`` falls in."""
    return next_start(period_start(day, period), period) - dt.timedelta(days=1)


def starts(first: dt.date, last: dt.date, period: str) -> list[dt.date]:
    """First days of every period from the one holding ``first`` to the one holding
    ``last``."""
    found = []
    start = period_start(first, period)
    while start <= last:
        found.append(start)
        start = next_start(start, period)
    return found


def label(start: dt.date, period: str) -> str:
    """How a period is named: 2025-03-30, 2025-W01, 2025-03, 2025-Q1, 2025."""
    if period == "day":
        return start.isoformat()
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{start.year}-{start.month:02d}"
    if period == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def previous_year(start: dt.date, period: str) -> dt.date | None:
    """The same period one year earlier: the same date (29 February: the 28th), the
    same ISO week number of the previous ISO year (None when that year has no week 53),
    the same month, quarter or year."""
    if period == "week":
        year, week, _ = start.isocalendar()
        if week > weeks_in(year - 1):
            return None
        return dt.date.fromisocalendar(year - 1, week, 1)
    if start.month == 2 and start.day == 29:
        return dt.date(start.year - 1, 2, 28)
    return start.replace(year=start.year - 1)


def weeks_in(iso_year: int) -> int:
    """52 or 53: 28 December always lies in the last ISO week of its year."""
    return dt.date(iso_year, 12, 28).isocalendar()[1]


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every day from ``first`` to ``last``, both included."""
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
