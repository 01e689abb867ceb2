"""Crafted footfall counts and the sums they should give, computed here in plain Python.

Two locations over a few windows that hold the hard cases: the 23-hour day of
2025-03-30 and the 25-hour day of 2025-10-26, ISO week 1 of 2025 (which starts on
2024-12-30), and the same periods a year earlier for the year-over-year comparison.
``A`` counts every 15 minutes in one direction, ``B`` every hour in two. A few intervals
are missing (gaps) and a few were imputed.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC
COLUMNS = ["location_id", "interval_start", "interval", "direction", "mode", "count",
           "imputed"]
WINDOWS = [  # first and last local day, both included
    (dt.date(2024, 1, 1), dt.date(2024, 1, 7)),
    (dt.date(2024, 3, 29), dt.date(2024, 3, 31)),
    (dt.date(2024, 12, 29), dt.date(2025, 1, 6)),
    (dt.date(2025, 3, 29), dt.date(2025, 3, 31)),
    (dt.date(2025, 10, 25), dt.date(2025, 10, 27)),
]
LOCATIONS = {"A": (15, ["both"]), "B": (60, ["in", "out"])}
# Missing: A on 2 January 2025 from 09:00 to 10:00 local (4 quarters), B all of 5 January.
GAP_A = (dt.datetime(2025, 1, 2, 9, tzinfo=AMSTERDAM), dt.datetime(2025, 1, 2, 10,
                                                                  tzinfo=AMSTERDAM))
GAP_B_DAY = dt.date(2025, 1, 5)
# Imputed: A's counts on 31 March 2025 from 12:00 to 13:00 local.
IMPUTED_A = (dt.datetime(2025, 3, 31, 12, tzinfo=AMSTERDAM),
             dt.datetime(2025, 3, 31, 13, tzinfo=AMSTERDAM))


def _instants(first: dt.date, last: dt.date, minutes: int):
    """Local instants from ``first`` 00:00 up to ``last`` + 1 day, stepping in UTC."""
    start = dt.datetime.combine(first, dt.time(), AMSTERDAM).astimezone(UTC)
    stop = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(),
                               AMSTERDAM).astimezone(UTC)
    while start < stop:
        yield start.astimezone(AMSTERDAM)
        start += dt.timedelta(minutes=minutes)


def rows() -> list[dict]:
    out = []
    for location, (minutes, directions) in LOCATIONS.items():
        for first, last in WINDOWS:
            for moment in _instants(first, last, minutes):
                if location == "A" and GAP_A[0] <= moment < GAP_A[1]:
                    continue
                if location == "B" and moment.date() == GAP_B_DAY:
                    continue
                for number, direction in enumerate(directions):
                    count = (moment.day * 7 + moment.hour * 3 + moment.minute // 15
                             + moment.month + number * 5) % 41 + (11 if location == "B" else 0)
                    imputed = location == "A" and IMPUTED_A[0] <= moment < IMPUTED_A[1]
                    out.append({
                        "location_id": location, "interval_start": moment,
                        "interval": f"PT{minutes}M" if minutes < 60 else "PT1H",
                        "direction": direction, "mode": "pedestrian", "count": count,
                        "imputed": imputed,
                    })
    return out


def as_csv(records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in records:
        writer.writerow([
            row["location_id"], row["interval_start"].isoformat(), row["interval"],
            row["direction"], row["mode"], row["count"], "true" if row["imputed"] else "false",
        ])
    return out.getvalue()


def key(day: dt.date, period: str) -> str:
    """The start of the period of a local day, written out independently of the code
    under test."""
    if period == "day":
        return day.isoformat()
    if period == "week":
        return (day - dt.timedelta(days=day.isoweekday() - 1)).isoformat()
    if period == "month":
        return f"{day.year}-{day.month:02d}-01"
    if period == "quarter":
        return f"{day.year}-{(day.month - 1) // 3 * 3 + 1:02d}-01"
    return f"{day.year}-01-01"


def sums(records: list[dict], period: str) -> dict[str | None, dict[str, int]]:
    """Visitors per location (and None: all) and period start."""
    found: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in records:
        day = row["interval_start"].astimezone(AMSTERDAM).date()
        found[row["location_id"]][key(day, period)] += row["count"]
        found[None][key(day, period)] += row["count"]
    return found


def intervals(records: list[dict], location: str, day: dt.date) -> int:
    """Distinct interval starts of a location on a local day (in UTC: two local times
    02:00 of 26 October 2025 compare equal in Python, whatever their offset)."""
    return len({row["interval_start"].astimezone(UTC) for row in records
                if row["location_id"] == location
                and row["interval_start"].astimezone(AMSTERDAM).date() == day})
