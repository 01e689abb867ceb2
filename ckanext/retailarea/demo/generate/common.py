"""What every table generator shares: randomness, local time and CSV values."""
from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SEED = "ckanext-retailarea demo 2026"

Row = dict[str, Any]


def rng(table: str) -> random.Random:
    """The random source of one table. A string seed goes through SHA-512, so it neither
    depends on PYTHONHASHSEED nor shifts when another table draws more numbers."""
    return random.Random(f"{SEED}/{table}")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def local_steps(start: datetime, end: datetime, step: timedelta) -> Iterator[datetime]:
    """Local times from ``start`` up to, not including, ``end``, ``step`` apart in real
    time. Stepping in UTC is what makes the spring-forward day 23 hours long and repeats
    the 02:00 hour (first +02:00, then +01:00) on the fall-back day."""
    instant = start.astimezone(UTC)
    stop = end.astimezone(UTC)
    while instant < stop:
        yield instant.astimezone(AMSTERDAM)
        instant += step


def utc_stamp(moment: datetime) -> str:
    """RFC 5545 UTC date-time (``20260827T080000Z``), as RRULE's UNTIL requires."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def csv_value(value: Any) -> str:
    """How a row value is written: booleans as true/false, datetimes as ISO 8601 with
    their UTC offset, None as an empty cell, everything else via str()."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def money(amount: float) -> Decimal:
    """An amount in euros with exactly two decimals, as written to the CSV."""
    return Decimal(f"{amount:.2f}")
