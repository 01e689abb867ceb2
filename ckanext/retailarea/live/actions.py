"""The app API: read-only actions for apps, with the access rules of every other path.

Each reads the area's typed datasets the caller may read in full (public ones, a member's,
a grant holder's; a grant holder's reads are logged); the others are named in
``excluded`` with the reason, as in the insights. ``shape`` chooses the answer's form:
``plain`` JSON (default), ``schema.org`` JSON-LD, or for parking ``smart-data-models``
(NGSI-LD key-values of ``OffStreetParking``). See docs/api.md.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic import validate
from ckan.types import Context, DataDict

from ckanext.retailarea.access import log as access_log
from ckanext.retailarea.footfall import calendar, query
from ckanext.retailarea.insights import disclosure
from ckanext.retailarea.insights import parking as insights_parking
from ckanext.retailarea.insights.actions import _area  # the same lookup and error
from ckanext.retailarea.live import hours, read, schema, shapes, state

STALE_AFTER = dt.timedelta(minutes=30)  # for occupancy tables no poller watches
NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)
PARKING = {"parking": ["parking_facilities", "parking_occupancy", "parking_tariffs"]}


def _check(data_dict: DataDict) -> None:
    errors = schema.cross_field_errors(data_dict)
    if errors:
        raise tk.ValidationError(errors)


def _readable(context: Context, group: model.Group, tables_of: dict[str, list[str]],
              action: str) -> tuple[list[disclosure.Reading], list[dict[str, Any]]]:
    """The readings of single rows (full access only) and what was left out, and why;
    a grant holder's reads are logged."""
    data = disclosure.area_data(context, group, tables_of)
    full = [r for r in data.readings if r.mode == disclosure.FULL]
    excluded = data.excluded + [
        {"dataset": r.package.name, "title": r.package.title, "type": r.package.type,
         "reason": "aggregates_only"} for r in data.readings if r.mode != disclosure.FULL]
    for reading in full:
        if reading.grant is not None:
            for resource_id in (rid for ids in reading.tables.values() for rid in ids):
                access_log.record(reading.grant, action, resource_id, access_log.remote_ip())
    return full, excluded


def _tables(readings: list[disclosure.Reading], name: str) -> list[str]:
    return [rid for r in readings for rid in r.tables.get(name, [])]


@tk.side_effect_free
@validate(schema.parking_now)
def retailarea_parking_now(context: Context, data_dict: DataDict) -> Any:
    """Where to park now: the area's facilities with their last observation.

    :param area: name of a retail area
    :param lat, lon: optional, with ``radius`` (metres, default 1000, at most 50000):
        only facilities within it, nearest first
    :param shape: ``plain`` (default), ``schema.org`` or ``smart-data-models``
    :returns: ``{"area", "at", "facilities": [{uuid, name, operator, lat, lon, capacity,
        vacant_spaces, full, open, observed_at, stale, tariff_now, opening: {state,
        next_change}, distance_m, dataset}], "excluded"}``
    """
    tk.check_access("retailarea_parking_now", context, data_dict)
    _check(data_dict)
    group = _area(data_dict["area"])
    now = dt.datetime.now(calendar.ZONE)
    readings, excluded = _readable(context, group, PARKING, "retailarea_parking_now")
    facilities = _facilities(readings, now)
    if "lat" in data_dict:
        facilities = _nearby(facilities, data_dict["lat"], data_dict["lon"],
                             data_dict.get("radius", 1000.0))
    answer = {"area": group.name, "at": now.isoformat(timespec="seconds"),
              "facilities": facilities, "excluded": excluded}
    shape = data_dict.get("shape", "plain")
    if shape == "schema.org":
        return shapes.parking_schema_org(answer)
    if shape == "smart-data-models":
        return shapes.parking_smart_data_models(answer)
    return answer


def _facilities(readings: list[disclosure.Reading], now: dt.datetime) -> list[dict[str, Any]]:
    by_dataset = {rid: r.package.name for r in readings
                  for rid in r.tables.get("parking_facilities", [])}
    spdp_status = state.by_package([r.package.id for r in readings])
    out = []
    with query.reading() as connection:
        for resource_id, dataset in by_dataset.items():
            rows = read.facilities(connection, [resource_id])
            reading = next(r for r in readings if r.package.name == dataset)
            occupancy = read.latest(connection, reading.tables.get("parking_occupancy", []),
                                    [row.uuid for row in rows])
            tariffs = insights_parking.tariffs_now(
                connection, reading.tables.get("parking_tariffs", []), {}, now)
            tariff_of = {t["facility"]: t for t in tariffs}
            for row in rows:
                out.append(_facility(row, occupancy.get(row.uuid), tariff_of.get(row.uuid),
                                     spdp_status.get(row.uuid), dataset, now,
                                     bool(reading.tables.get("parking_tariffs"))))
    return _newest_per_facility(out)


def _newest_per_facility(facilities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per facility: a garage in an uploaded table and in an SPDP source's (or
    in two sources) is listed once, from the dataset with its newest observation."""
    best: dict[str, dict[str, Any]] = {}
    for facility in facilities:
        known = best.get(facility["uuid"])
        if known is None or _observed(facility) > _observed(known):
            best[facility["uuid"]] = facility
    return [f for f in facilities if best[f["uuid"]] is f]


def _observed(facility: dict[str, Any]) -> dt.datetime:
    observed = facility["observed_at"]
    return dt.datetime.fromisoformat(observed) if observed else NEVER


def _facility(row: Any, seen: Any, tariff: dict[str, Any] | None, polled: Any,
              dataset: str, now: dt.datetime, tariffs_known: bool) -> dict[str, Any]:
    observed = seen.observed_at if seen is not None else None
    stale = polled["stale"] if polled else (observed is None or now - observed > STALE_AFTER)
    return {
        "uuid": row.uuid, "name": row.name, "operator": row.operator,
        "lat": _float(row.lat), "lon": _float(row.lon), "capacity": row.capacity,
        "vacant_spaces": seen.vacant_spaces if seen is not None else None,
        "full": seen.full if seen is not None else None,
        "open": seen.open if seen is not None else None,
        "observed_at": observed.astimezone(calendar.ZONE).isoformat() if observed else None,
        "stale": bool(stale),
        "tariff_now": {"charge_eur": tariff["charge_eur"],
                       "charge_period_min": tariff["charge_period_min"]} if tariff else None,
        "tariffs_known": tariffs_known,
        "opening_times": row.opening_times, "min_height_m": _float(row.min_height_m),
        "opening": hours.state_at(row.opening_times, now),
        "distance_m": None, "dataset": dataset,
    }


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def _nearby(facilities: list[dict[str, Any]], lat: float, lon: float, radius: float
            ) -> list[dict[str, Any]]:
    for f in facilities:
        if f["lat"] is not None and f["lon"] is not None:
            f["distance_m"] = round(_metres(lat, lon, f["lat"], f["lon"]), 1)
    near = [f for f in facilities if f["distance_m"] is not None and f["distance_m"] <= radius]
    return sorted(near, key=lambda f: f["distance_m"])


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(a))


@tk.side_effect_free
@validate(schema.events_between)
def retailarea_events_between(context: Context, data_dict: DataDict) -> Any:
    """What is on: the area's events that overlap [start, end), recurring ones expanded.

    :param area: name of a retail area
    :param start, end: ISO 8601 times (local Europe/Amsterdam without an offset), at most
        366 days apart
    :param shape: ``plain`` (default) or ``schema.org``
    :returns: ``{"area", "start", "end", "events": [{event_id, title, description, lang,
        category, start, end (Europe/Amsterdam), status, venue, address, lat, lon,
        price_from_eur, is_free, url, booking_url, organizer, dataset}], "excluded"}``
    """
    tk.check_access("retailarea_events_between", context, data_dict)
    _check(data_dict)
    group = _area(data_dict["area"])
    start, end = data_dict["start"], data_dict["end"]
    readings, excluded = _readable(context, group, {"events": ["events"]},
                                   "retailarea_events_between")
    found = []
    with query.reading() as connection:
        for reading in readings:
            for row in read.events(connection, reading.tables.get("events", []), start, end):
                found += hours.occurrences(row, start, end, reading.package.name)
    found.sort(key=lambda e: (e["start"], e["title"] or ""))
    answer = {"area": group.name, "start": start.isoformat(), "end": end.isoformat(),
              "events": found[:read.MAX_ROWS], "excluded": excluded}
    if data_dict.get("shape") == "schema.org":
        return shapes.events_schema_org(answer)
    return answer


@tk.side_effect_free
@validate(schema.open_at)
def retailarea_open_at(context: Context, data_dict: DataDict) -> Any:
    """What is open: the area's shops open at ``time`` by their OSM ``opening_hours``.

    :param area: name of a retail area
    :param time: ISO 8601 time (default now; local Europe/Amsterdam without an offset)
    :param branch_group: optional Locatus branch group (two digits, ``22`` fashion)
    :param shape: ``plain`` (default) or ``schema.org`` (``Store`` with
        ``openingHoursSpecification`` of the week from ``time``)
    :returns: ``{"area", "time", "shops": [{shop_id, name, branch_code, street,
        house_number, postcode, city, lat, lon, opening_hours, next_change, dataset}],
        "unknown_hours": N, "excluded"}``
    """
    tk.check_access("retailarea_open_at", context, data_dict)
    group = _area(data_dict["area"])
    moment = data_dict.get("time") or dt.datetime.now(calendar.ZONE)
    readings, excluded = _readable(context, group, {"shop-register": ["shops"]},
                                   "retailarea_open_at")
    local = moment.astimezone(calendar.ZONE)
    shops, unknown = [], 0
    with query.reading() as connection:
        for reading in readings:
            for row in read.shops(connection, reading.tables.get("shops", []), local.date(),
                                  data_dict.get("branch_group")):
                opening = hours.state_at(row.opening_hours, local)
                if opening["state"] == "unknown":
                    unknown += 1
                elif opening["state"] == "open":
                    shops.append(_shop(row, opening, reading.package.name, local))
    answer = {"area": group.name, "time": local.isoformat(timespec="seconds"),
              "shops": shops, "unknown_hours": unknown, "excluded": excluded}
    if data_dict.get("shape") == "schema.org":
        return shapes.shops_schema_org(answer)
    return answer


def _shop(row: Any, opening: dict[str, Any], dataset: str, local: dt.datetime
          ) -> dict[str, Any]:
    return {"shop_id": row.shop_id, "name": row.name, "branch_code": row.locatus_branch_code,
            "street": row.street, "house_number": row.house_number, "postcode": row.postcode,
            "city": row.city, "lat": _float(row.lat), "lon": _float(row.lon),
            "opening_hours": row.opening_hours, "next_change": opening["next_change"],
            "week": hours.week(row.opening_hours, local), "dataset": dataset}


__all__ = ["retailarea_parking_now", "retailarea_events_between", "retailarea_open_at"]


def get_actions() -> dict[str, Any]:
    return {name: globals()[name] for name in __all__}
