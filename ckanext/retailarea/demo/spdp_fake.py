"""A local SPDP 2.0 server for the demo garages, so that the demo's parking moves.

``python -m ckanext.retailarea.demo.spdp_fake --port 8766`` (``make run`` starts it) serves,
in the shapes of the national register (``../shared/reference/standards/spdp-2.0/``):

- ``/parkingdata/v2/``: the index, ``{"ParkingFacilities": [{name, uuid, staticDataUrl,
  dynamicDataUrl, limitedAccess, geoLocation}]}``, of the demo's garages
  (``demo/generate/parking.py``, the same UUIDs as the demo's parking CSVs);
- ``/parkingdata/v2/static/<uuid>``: ``parkingFacilityInformation`` (operator,
  specifications, access point, opening times, tariffs);
- ``/parkingdata/v2/dynamic/<uuid>``: ``parkingFacilityDynamicInformation.
  facilityActualStatus`` at the fake's clock, to the minute: the demo's daily curve (busy on
  Saturday afternoon, nearly empty at night) plus a little noise that is the same for the
  same facility and minute.

The clock is injectable (``SpdpFake(clock=...)``) so tests can move time. It needs no CKAN.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ckanext.retailarea.demo.generate import parking
from ckanext.retailarea.demo.generate.common import AMSTERDAM

PREFIX = "/parkingdata/v2/"
NOISE = 0.03  # at most this share of the capacity up or down
VALID_FROM = 1767225600  # 2026-01-01T00:00:00Z, epoch seconds as SPDP writes times
SPDP_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
Clock = Callable[[], dt.datetime]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _by_uuid() -> dict[str, parking.Facility]:
    return {f.uuid: f for f in parking.FACILITIES}


def _time(hours_minutes: str) -> dict[str, int]:
    """``07:00:00`` -> ``{"h": 7, "m": 0}``."""
    hours, minutes = (int(part) for part in hours_minutes.split(":")[:2])
    return {"h": hours, "m": minutes}


def index(base: str) -> dict[str, Any]:
    return {"ParkingFacilities": [{
        "name": f.name, "uuid": f.uuid, "limitedAccess": False,
        "staticDataUrl": f"{base}{PREFIX}static/{f.uuid}",
        "dynamicDataUrl": f"{base}{PREFIX}dynamic/{f.uuid}",
        "geoLocation": {"coordinatesType": "WGS84", "latitude": f.lat, "longitude": f.lon},
    } for f in parking.FACILITIES]}


def _opening_times(facility: parking.Facility) -> list[dict[str, Any]]:
    """Days with the same hours together, as SPDP ``entryTimes``."""
    groups: dict[tuple[int, int], list[str]] = {}
    for day, hours in zip(SPDP_DAYS, facility.week, strict=True):
        if hours is not None:
            groups.setdefault(hours, []).append(day)
    return [{"entryTimes": [
        {"enterFrom": {"h": start // 60, "m": start % 60},
         "enterUntil": {"h": end // 60, "m": end % 60}, "dayNames": days}
        for (start, end), days in groups.items()], "exitPossibleAllDay": True}]


def _tariffs(facility: parking.Facility) -> list[dict[str, Any]]:
    tariffs = []
    for days, start, until, charge, period, longer_than, up_to in facility.tariffs:
        names = [d for d in SPDP_DAYS if d[:2].lower() in days.split(",")]
        rate: dict[str, Any] = {"charge": charge, "chargePeriod": period,
                                "durationFrom": longer_than}
        if up_to is not None:
            rate["durationUntil"] = up_to
        tariffs.append({
            "tariffDescription": f"{charge:.2f} EUR per {period} min",
            "validityDays": names, "validityFromTime": _time(start),
            # a rate that runs to midnight ends at 24:00 in SPDP
            "validityUntilTime": {"h": 24, "m": 0} if until == "00:00:00" else _time(until),
            "intervalRates": [rate]})
    return tariffs


def static(facility: parking.Facility) -> dict[str, Any]:
    location = {"coordinatesType": "WGS84", "latitude": facility.lat,
                "longitude": facility.lon}
    specification: dict[str, Any] = {
        "usage": facility.usage, "capacity": facility.capacity,
        "chargingPointCapacity": facility.charging_points,
        "disabledAccess": facility.disabled_spaces, "validityStartOfPeriod": VALID_FROM}
    if facility.min_height_m:
        specification["minimumHeightInMeters"] = float(facility.min_height_m)
    return {"parkingFacilityInformation": {
        "identifier": facility.uuid, "name": facility.name, "description": facility.name,
        "limitedAccess": False, "validityStartOfPeriod": VALID_FROM,
        "validityEndOfPeriod": None,
        "operator": {"name": facility.operator, "validityStartOfPeriod": VALID_FROM,
                     "validityEndOfPeriod": None, "administrativeAddresses": [], "url": ""},
        "specifications": [specification],
        "accessPoints": [{"isVehicleEntrance": True, "accessPointLocation": [location]}],
        "openingTimes": _opening_times(facility),
        "tariffs": _tariffs(facility),
        "contactPersons": [], "paymentMethods": [], "parkingExtensions": [],
        "specialDays": [], "parkingRestrictions": [],
    }}


def status(facility: parking.Facility, moment: dt.datetime) -> dict[str, Any]:
    """The facility's state at ``moment`` (aware), to the minute."""
    minute = moment.astimezone(dt.UTC).replace(second=0, microsecond=0)
    local = minute.astimezone(AMSTERDAM)
    seed = f"{facility.uuid}/{minute.isoformat()}"
    noise = random.Random(seed).uniform(-NOISE, NOISE)  # noqa: S311 - demo noise, no secret
    share = parking.demand(facility, local.weekday(), local.hour, local.minute) + noise
    parked = min(facility.capacity, max(0, round(facility.capacity * share)))
    vacant = facility.capacity - parked
    open_now = parking.is_open(facility.week[local.weekday()], local.hour * 60 + local.minute)
    return {"parkingFacilityDynamicInformation": {
        "identifier": facility.uuid, "name": facility.name, "description": facility.name,
        "facilityActualStatus": {
            "vacantSpaces": vacant, "parkingCapacity": facility.capacity,
            "full": vacant == 0, "open": open_now,
            "lastUpdated": int(minute.timestamp())}}}


class SpdpFake:
    """The server; ``clock`` says what time it is for the dynamic data."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, clock: Clock = _utc_now):
        self.clock = clock
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                code, document = fake.answer(self.path.split("?")[0])
                body = json.dumps(document).encode("utf-8")
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return  # the poller's minute-by-minute requests are no news

        self.server = ThreadingHTTPServer((host, port), _Handler)
        self.thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def index_url(self) -> str:
        return f"{self.base}{PREFIX}"

    def answer(self, path: str) -> tuple[int, Any]:
        if path in (PREFIX, PREFIX.rstrip("/")):
            return 200, index(self.base)
        kind, _, uuid = path.removeprefix(PREFIX).partition("/")
        facility = _by_uuid().get(uuid)
        if facility is not None and kind == "static":
            return 200, static(facility)
        if facility is not None and kind == "dynamic":
            return 200, status(facility, self.clock())
        return 404, {"error": f"not found: {path}"}

    def start(self) -> SpdpFake:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args(argv)
    fake = SpdpFake(args.host, args.port)
    print(f"SPDP fake: index at {fake.index_url}", flush=True)
    fake.server.serve_forever()


if __name__ == "__main__":
    main()
