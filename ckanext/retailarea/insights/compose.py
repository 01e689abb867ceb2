"""From the area's readings to the sections of the answer, one per dataset."""
from __future__ import annotations

import datetime as dt
from typing import Any

from ckanext.retailarea.footfall import calendar, query
from ckanext.retailarea.footfall.parking import present
from ckanext.retailarea.insights import events, footfall, freshness, parking, shops
from ckanext.retailarea.insights.disclosure import AGGREGATE, AreaData, Reading
from ckanext.retailarea.insights.window import Window


def answer(connection, data: AreaData, window: Window) -> dict[str, Any]:
    footfall_entries, days = [], None
    for reading in data.of_type("footfall"):
        entry, visitors = _footfall(connection, reading, window)
        footfall_entries.append(entry)
        if days is None and visitors is not None:
            days = (reading, visitors)
    return {
        "footfall": footfall_entries,
        "shops": [_shops(connection, r, window) for r in data.of_type("shop-register")],
        "parking": [_parking(connection, r, window) for r in data.of_type("parking")],
        "events": [_events(connection, r, days, window) for r in data.of_type("events")],
        "freshness": [_freshness(connection, r, window) for r in data.readings],
    }


def _footfall(connection, reading: Reading, window: Window
              ) -> tuple[dict[str, Any], dict[dt.date, int] | None]:
    entry = {"source": reading.source("footfall_counts")}
    tables = query.classify(connection, reading.tables["footfall_counts"])
    if not tables.present:
        return {**entry, "visitors_12m": None}, None
    found, days = footfall.figures(connection, tables, window, reading.min_units)
    if reading.mode == AGGREGATE:
        # day-level imputed counts also hold hours that fewer locations reported
        found["imputed_share_pct"] = None
        found["suppressed"] = [{"figure": "imputed_share_pct", "reason": "not_cell_based"}]
    return {**entry, **found, **_cells(reading, "locations")}, days


def _cells(reading: Reading, units: str) -> dict[str, Any]:
    if reading.mode != AGGREGATE:
        return {}
    return {"min_group_size": reading.min_units, "group_units": units}


def _shops(connection, reading: Reading, window: Window) -> dict[str, Any]:
    tables = present(connection, reading.tables["shops"])
    entry = {"source": reading.source("shops")}
    if not tables:
        return entry
    return {**entry, **shops.figures(connection, tables, window.as_of, reading.min_units),
            **_cells(reading, "shops")}


def _parking(connection, reading: Reading, window: Window) -> dict[str, Any]:
    facilities = present(connection, reading.tables["parking_facilities"])
    occupancy = present(connection, reading.tables["parking_occupancy"])
    tariffs = present(connection, reading.tables["parking_tariffs"])
    k = reading.min_units
    found = parking.facilities(connection, facilities, k)
    entry: dict[str, Any] = {
        "source": reading.source("parking_occupancy"),
        "facilities_source": reading.source("parking_facilities"), **found,
        "occupancy": parking.occupancy(connection, occupancy, window, k),
        **_cells(reading, "facilities"),
    }
    if reading.mode == AGGREGATE:
        entry["tariffs_now"] = []
        entry["suppressed"] = [{"figure": "tariffs_now", "reason": "single_facility_values"}]
        if found["capacity"] is None and found["facilities"]:
            entry["suppressed"].append({"figure": "capacity", "reason": "group_too_small"})
        return entry
    moment = dt.datetime.combine(window.as_of, dt.datetime.now(calendar.ZONE).timetz())
    entry["tariffs_now"] = parking.tariffs_now(connection, tariffs,
                                               parking.names(connection, facilities), moment)
    entry["tariffs_source"] = reading.source("parking_tariffs")
    return entry


def _events(connection, reading: Reading, days: tuple[Reading, dict] | None,
            window: Window) -> dict[str, Any]:
    entry: dict[str, Any] = {"source": reading.source("events")}
    if reading.mode == AGGREGATE:
        return {**entry, "upcoming": [], "effects": [],
                "suppressed": [{"figure": "events", "reason": "not_an_aggregate"}]}
    tables = present(connection, reading.tables["events"])
    entry["upcoming"] = events.upcoming(connection, tables, window.as_of)
    entry["effects"] = []
    if days is not None:
        footfall_reading, visitors = days
        entry["effects"] = events.effects(connection, tables, visitors, window)
        entry["footfall_source"] = footfall_reading.source("footfall_counts")
    return entry


def _freshness(connection, reading: Reading, window: Window) -> dict[str, Any]:
    frequency = reading.package.extras.get("frequency")
    days = [freshness.last_day(connection, name, present(connection, ids))
            for name, ids in reading.tables.items()]
    known = [d for d in days if d is not None]
    return {"source": {"dataset": reading.package.name, "title": reading.package.title,
                       "type": reading.package.type},
            **freshness.entry(frequency, max(known) if known else None, window.as_of)}

