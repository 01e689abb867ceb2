"""The rows the app API reads from an area's DataStore tables (read-only connection)."""
# ruff: noqa: S608 - SQL is built from our own text and quoted identifiers; values are bound
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from ckanext.retailarea.footfall.sql import identifier

FACILITY_COLUMNS = ("uuid, name, operator, usage, capacity, charging_points, "
                    "disabled_spaces, min_height_m, lat, lon, opening_times")
EVENT_COLUMNS = ('event_id, title, description, lang, category, start, "end", rrule, '
                 "event_status, venue_name, address, lat, lon, price_from_eur, is_free, "
                 "url, booking_url, organizer")
SHOP_COLUMNS = ("shop_id, name, locatus_branch_code, street, house_number, postcode, city, "
                "lat, lon, opening_hours")
MAX_ROWS = 5000  # an area's facilities, events of a year or shops; more is not an area


def _union(tables: list[str], columns: str, where: str = "true") -> str:
    return " UNION ALL ".join(f"SELECT {columns} FROM {identifier(t)} WHERE {where}"
                              for t in tables)


def facilities(connection, tables: list[str]) -> list[Any]:
    if not tables:
        return []
    return list(connection.execute(sa.text(
        f"SELECT * FROM ({_union(tables, FACILITY_COLUMNS)}) AS f ORDER BY name, uuid "
        f"LIMIT {MAX_ROWS}")))


def latest(connection, tables: list[str], uuids: list[str]) -> dict[str, Any]:
    """The newest observation of each facility, by index lookups on (uuid, observed_at)."""
    newest: dict[str, Any] = {}
    for table in tables:
        rows = connection.execute(sa.text(
            f"SELECT o.* FROM unnest(CAST(:uuids AS text[])) AS f(uuid) CROSS JOIN LATERAL "
            f"(SELECT uuid, observed_at, vacant_spaces, capacity, \"full\", \"open\" "
            f"FROM {identifier(table)} WHERE uuid = f.uuid "
            f"ORDER BY observed_at DESC LIMIT 1) AS o"), {"uuids": uuids})
        for row in rows:
            if row.uuid not in newest or row.observed_at > newest[row.uuid].observed_at:
                newest[row.uuid] = row
    return newest


def events(connection, tables: list[str], start: dt.datetime, end: dt.datetime
           ) -> list[Any]:
    """Events that overlap [start, end), and every recurring series that began before
    ``end`` (its occurrences are expanded by the caller)."""
    if not tables:
        return []
    where = ('start < :end AND (rrule IS NOT NULL AND rrule <> \'\' '
             'OR coalesce("end", start) >= :start)')
    return list(connection.execute(sa.text(
        f"SELECT * FROM ({_union(tables, EVENT_COLUMNS, where)}) AS e "
        f"ORDER BY start, title LIMIT {MAX_ROWS}"), {"start": start, "end": end}))


def shops(connection, tables: list[str], day: dt.date, branch_group: str | None
          ) -> list[Any]:
    """The shops of the register on ``day`` (not vacant), of one branch group if given."""
    if not tables:
        return []
    where = ("(valid_from IS NULL OR valid_from <= :day) AND (valid_to IS NULL OR "
             "valid_to > :day) AND NOT coalesce(is_vacant, false) AND "
             "coalesce(locatus_branch_code, '') NOT LIKE '00%' AND "
             "(CAST(:group AS text) IS NULL OR locatus_branch_code LIKE :group || '.%')")
    return list(connection.execute(sa.text(
        f"SELECT * FROM ({_union(tables, SHOP_COLUMNS, where)}) AS s "
        f"ORDER BY name, shop_id LIMIT {MAX_ROWS}"), {"day": day, "group": branch_group}))
