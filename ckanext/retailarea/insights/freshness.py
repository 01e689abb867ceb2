"""Data freshness: per dataset, the last day its data covers and whether that is late
against its declared frequency (EU frequency vocabulary)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from ckanext.retailarea.footfall import calendar
from ckanext.retailarea.footfall.sql import identifier

# The column that dates a row, per table schema.
TIME_COLUMNS = {"footfall_counts": "interval_start", "parking_occupancy": "observed_at",
                "events": "start", "shops": "valid_from"}
# Days a dataset may lag behind as_of before it is late.
ALLOWED_DAYS = {"CONT": 1, "UPDATE_CONT": 1, "HOURLY": 1, "DAILY": 1, "DAILY_2": 1,
                "WEEKLY": 7, "WEEKLY_2": 4, "BIWEEKLY": 14, "MONTHLY": 31, "MONTHLY_2": 16,
                "BIMONTHLY": 62, "QUARTERLY": 92, "ANNUAL_2": 183, "ANNUAL": 366,
                "BIENNIAL": 731, "TRIENNIAL": 1096}


def last_day(connection, table_schema: str, tables: list[str]) -> dt.date | None:
    column = TIME_COLUMNS.get(table_schema)
    if column is None or not tables:
        return None
    # max() of the bare column reads the end of its index; the local day comes after
    union = " UNION ALL ".join(f"SELECT max({identifier(column)}) AS last FROM {identifier(t)}"  # noqa: S608 - tables pass through identifier() (quote_ident); values are bound
                               for t in tables)
    local = (f"(max(last) AT TIME ZONE '{calendar.TIMEZONE}')::date"
             if table_schema != "shops" else "max(last)")
    return connection.execute(sa.text(f"SELECT {local} FROM ({union}) AS l")).scalar()  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound


def entry(frequency: str | None, last: dt.date | None, as_of: dt.date) -> dict[str, Any]:
    allowed = ALLOWED_DAYS.get((frequency or "").upper())
    late = None if allowed is None or last is None else (as_of - last).days > allowed
    return {"frequency": frequency, "last_day": last.isoformat() if last else None,
            "late": late}
