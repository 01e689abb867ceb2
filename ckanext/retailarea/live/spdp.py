"""Reading SPDP 2.0 documents (Standaard voor Publicatie Dynamische Parkeerdata): the
index of facilities, a facility's static data and its dynamic status.

Pure functions from parsed JSON to rows of our parking tables (schemas/tables/parking_*.json)
or a :class:`SpdpError` whose message says what is wrong, so one bad facility never stops
the others. Real documents differ from the standard: the 2018 national index spells
``dynamicDataUrl`` three ways and names the id ``uuid`` where today's says ``identifier``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
DYNAMIC_KEYS = ("dynamicDataUrl", "dynamiceDataUrl", "dynamicDataURL")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# An observation more than this far ahead of our clock is refused (clock skew).
MAX_AHEAD = dt.timedelta(minutes=5)


class SpdpError(ValueError):
    """A document or value that cannot be used; the message is for the steward."""


@dataclass(frozen=True)
class Entry:
    """One facility of the index."""

    uuid: str
    name: str
    static_url: str | None
    dynamic_url: str | None
    problem: str | None  # why its dynamic data cannot be polled, if so
    lat: float | None
    lon: float | None
    limited_access: bool


def index_entries(document: Any) -> list[Entry]:
    """The facilities of an SPDP index (``{"ParkingFacilities": [...]}``); entries without
    a usable id are left out, entries with a bad dynamic URL carry the ``problem``."""
    if not isinstance(document, dict) or not isinstance(document.get("ParkingFacilities"),
                                                        list):
        raise SpdpError("not an SPDP index: no ParkingFacilities list")
    entries = []
    for item in document["ParkingFacilities"]:
        if not isinstance(item, dict):
            continue
        uuid = str(item.get("identifier") or item.get("uuid") or "")
        if not UUID.match(uuid):
            continue
        dynamic, problem = _dynamic_url(item)
        lat, lon = _geo(item.get("geoLocation"))
        entries.append(Entry(uuid=uuid.lower(), name=str(item.get("name") or uuid),
                             static_url=_url(item.get("staticDataUrl")), dynamic_url=dynamic,
                             problem=problem, lat=lat, lon=lon,
                             limited_access=item.get("limitedAccess") is True))
    return entries


def _url(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _dynamic_url(item: dict[str, Any]) -> tuple[str | None, str | None]:
    raw = next((item[key] for key in DYNAMIC_KEYS if key in item), None)
    if raw is None:
        return None, "no dynamicDataUrl in the index"
    url = _url(raw)
    if url is None:
        return None, f"dynamicDataUrl is no http(s) URL: {str(raw)[:80]!r}"
    return url, None


def _geo(value: Any) -> tuple[float | None, float | None]:
    if not isinstance(value, dict):
        return None, None
    lat, lon = _number(value.get("latitude")), _number(value.get("longitude"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lat, lon


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 \
        else None


# --- static data ------------------------------------------------------------------------

def facility_row(entry: Entry, document: Any, area_manager_id: str | None) -> dict[str, Any]:
    """The parking_facilities row of a facility from its static document (or from the
    index alone when ``document`` is None)."""
    info = _static(document) if document is not None else {}
    specs = [s for s in info.get("specifications") or [] if isinstance(s, dict)]
    spec = specs[0] if specs else {}
    lat, lon = _location(info)
    return {
        "uuid": entry.uuid,
        "area_manager_id": area_manager_id,
        "area_id": None,
        "name": str(info.get("name") or entry.name)[:200],
        "operator": _operator(info),
        "usage": spec.get("usage") if isinstance(spec.get("usage"), str) else None,
        "capacity": _count(spec.get("capacity")),
        "charging_points": _count(spec.get("chargingPointCapacity")),
        "disabled_spaces": _count(spec.get("disabledAccess")),
        "min_height_m": _number(spec.get("minimumHeightInMeters")),
        "lat": lat if lat is not None else entry.lat,
        "lon": lon if lon is not None else entry.lon,
        "opening_times": opening_times(info.get("openingTimes")),
    }


def _static(document: Any) -> dict[str, Any]:
    info = document.get("parkingFacilityInformation") if isinstance(document, dict) else None
    if not isinstance(info, dict):
        raise SpdpError("static data: no parkingFacilityInformation object")
    return info


def _operator(info: dict[str, Any]) -> str | None:
    operator = info.get("operator")
    name = operator.get("name") if isinstance(operator, dict) else None
    return str(name)[:200] if name else None


def _location(info: dict[str, Any]) -> tuple[float | None, float | None]:
    for point in info.get("accessPoints") or []:
        if not isinstance(point, dict):
            continue
        for location in point.get("accessPointLocation") or []:
            lat, lon = _geo(location)
            if lat is not None:
                return lat, lon
    return None, None


def _clock(value: Any) -> str | None:
    """``{"h": 8, "m": 30}`` -> ``08:30``."""
    if not isinstance(value, dict):
        return None
    hours, minutes = value.get("h"), value.get("m", 0)
    if not (isinstance(hours, int) and isinstance(minutes, int)
            and 0 <= hours <= 24 and 0 <= minutes < 60):
        return None
    return f"{hours:02d}:{minutes:02d}"


def opening_times(value: Any) -> str | None:
    """SPDP ``openingTimes`` as an OSM ``opening_hours`` string (``Mo-Sa 07:00-24:00``),
    ``24/7`` when open all day every day; None when not given."""
    if not isinstance(value, list) or not value:
        return None
    rules = []
    for opening in value:
        if not isinstance(opening, dict):
            continue
        for entry in opening.get("entryTimes") or []:
            if not isinstance(entry, dict):
                continue
            start, end = _clock(entry.get("enterFrom")), _clock(entry.get("enterUntil"))
            days = [d[:2] for d in entry.get("dayNames") or [] if d in DAYS]
            if start and end and days:
                rules.append(f"{','.join(days)} {start}-{end}")
    if rules == [f"{','.join(d[:2] for d in DAYS)} 00:00-24:00"]:
        return "24/7"
    return "; ".join(rules) or None


def tariff_rows(uuid: str, document: Any) -> list[dict[str, Any]]:
    """The parking_tariffs rows of a facility's static document (one per interval rate)."""
    rows = []
    for tariff in _static(document).get("tariffs") or []:
        if not isinstance(tariff, dict):
            continue
        days = ",".join(d[:2].lower() for d in tariff.get("validityDays") or []
                        if d in DAYS) or None
        start = _clock(tariff.get("validityFromTime"))
        until = _clock(tariff.get("validityUntilTime"))
        for rate in tariff.get("intervalRates") or []:
            charge = _number(rate.get("charge")) if isinstance(rate, dict) else None
            if charge is None or charge < 0:
                continue
            rows.append({
                "uuid": uuid, "days": days,
                "from_time": f"{start}:00" if start else None,
                # 24:00 is midnight at the end of the day, as the demo's tables write it
                "until_time": None if until is None else
                ("00:00:00" if until == "24:00" else f"{until}:00"),
                "charge_eur": charge,
                "charge_period_min": _count(rate.get("chargePeriod")),
                "duration_from_min": _count(rate.get("durationFrom")),
                "duration_until_min": _count(rate.get("durationUntil")),
            })
    return rows


# --- dynamic data -----------------------------------------------------------------------

def occupancy_row(uuid: str, document: Any, now: dt.datetime) -> dict[str, Any]:
    """The parking_occupancy row of a dynamic document
    (``parkingFacilityDynamicInformation.facilityActualStatus``); SpdpError when its
    counts or time cannot be true."""
    info = document.get("parkingFacilityDynamicInformation") \
        if isinstance(document, dict) else None
    status = info.get("facilityActualStatus") if isinstance(info, dict) else None
    if not isinstance(status, dict):
        raise SpdpError("no parkingFacilityDynamicInformation.facilityActualStatus object")
    vacant, capacity = status.get("vacantSpaces"), status.get("parkingCapacity")
    for name, value in (("vacantSpaces", vacant), ("parkingCapacity", capacity)):
        if value is not None and _count(value) is None:
            raise SpdpError(f"{name} must be a whole number of at least 0, not {value!r}")
    if vacant is not None and capacity is not None and vacant > capacity:
        raise SpdpError(f"vacantSpaces {vacant} is more than parkingCapacity {capacity}")
    observed = _observed_at(status.get("lastUpdated"), now)
    return {
        "uuid": uuid, "observed_at": observed.isoformat(),
        "vacant_spaces": vacant, "capacity": capacity,
        "full": _flag(status, "full"), "open": _flag(status, "open"),
    }


def _flag(status: dict[str, Any], key: str) -> bool | None:
    value = status.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise SpdpError(f"{key} must be true or false, not {value!r}")


def _observed_at(value: Any, now: dt.datetime) -> dt.datetime:
    """``lastUpdated`` (epoch seconds) as an aware UTC time; refused when it is no number,
    looks like milliseconds or lies ahead of ``now`` by more than MAX_AHEAD."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpdpError(f"lastUpdated must be epoch seconds, not {value!r}")
    if value > 10_000_000_000:
        raise SpdpError(f"lastUpdated {value} is not epoch seconds (milliseconds?)")
    moment = dt.datetime.fromtimestamp(int(value), dt.UTC)
    if moment - now > MAX_AHEAD:
        ahead = int((moment - now).total_seconds())
        raise SpdpError(f"lastUpdated lies {ahead} s ahead of our clock (clock skew)")
    return moment
