"""Parking in SPDP 2.0 style: facilities, their tariffs and a week of occupancy."""
from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from .common import Row, local, local_steps, money, rng
from .places import ARNHEM, GOUDA, City, degrees, inside

FACILITY_COLUMNS = (
    "uuid", "area_manager_id", "area_id", "name", "operator", "usage", "capacity",
    "charging_points", "disabled_spaces", "min_height_m", "lat", "lon", "opening_times",
)
TARIFF_COLUMNS = (
    "uuid", "days", "from_time", "until_time", "charge_eur", "charge_period_min",
    "duration_from_min", "duration_until_min",
)
OCCUPANCY_COLUMNS = ("uuid", "observed_at", "vacant_spaces", "capacity", "full", "open")

# uuid5 under a namespace of our own: the same facility gets the same id on every run.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://example.org/ckanext-retailarea/demo/parking")
OPERATOR = "Parkeerbedrijf Centrum (demo)"
# RDW area manager ids are the municipality code without leading zeros.
AREA_MANAGER = {GOUDA: "513", ARNHEM: "202"}
WEEK_START = local(2026, 3, 2)  # a Monday, before DST starts on 29 March
WEEK_END = local(2026, 3, 9)
DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
ALL_DAYS = "mo,tu,we,th,fr,sa,su"
MON_SAT = "mo,tu,we,th,fr,sa"

Hours = tuple[int, int] | None  # open and close as minutes after midnight; None: closed
Tariff = tuple[str, str, str, float, int, int, int | None]


@dataclass(frozen=True)
class Facility:
    city: City
    code: str
    name: str
    operator: str
    usage: str
    capacity: int
    charging_points: int
    disabled_spaces: int
    min_height_m: str | None
    lon: float
    lat: float
    week: tuple[Hours, ...]  # Monday first
    demand: float  # peak occupancy relative to capacity; above 1 the facility fills up
    tariffs: tuple[Tariff, ...]  # days, from, until, charge, period, duration from, until

    @property
    def area_id(self) -> str:
        return f"{AREA_MANAGER[self.city]}_{self.code}"

    @property
    def uuid(self) -> str:
        return str(uuid.uuid5(NAMESPACE, self.area_id))


def _hours(weekdays: tuple[int, int], sunday: tuple[int, int] | None) -> tuple[Hours, ...]:
    return (weekdays,) * 6 + (sunday,)


ALWAYS = _hours((0, 1440), (0, 1440))

FACILITIES = (
    Facility(GOUDA, "GARAGE_NOORD", "Parkeergarage Binnenstad Noord", OPERATOR, "garage", 520,
             24, 10, "2.10", 4.7100, 52.0148, _hours((420, 1440), (600, 1440)), 0.95, (
                 (MON_SAT, "07:00:00", "18:00:00", 0.65, 15, 0, 180),
                 (MON_SAT, "07:00:00", "18:00:00", 0.50, 15, 180, None),
                 ("su", "10:00:00", "18:00:00", 2.00, 60, 0, None),
                 (ALL_DAYS, "18:00:00", "00:00:00", 3.50, 360, 0, None),
                 (ALL_DAYS, "00:00:00", "00:00:00", 18.00, 1440, 0, 1440),
             )),
    Facility(GOUDA, "TERREIN_ZUID", "Parkeerterrein Centrum Zuid", "Gemeente Gouda", "carpark",
             180, 6, 4, None, 4.7120, 52.0085, ALWAYS, 0.85, (
                 (MON_SAT, "09:00:00", "21:00:00", 2.60, 60, 0, None),
                 ("su,ph", "12:00:00", "18:00:00", 1.50, 60, 0, None),
             )),
    Facility(ARNHEM, "GARAGE_RIJNKADE", "Parkeergarage Rijnkade Centrum", OPERATOR, "garage",
             760, 40, 14, "1.95", 5.9120, 51.9778, ALWAYS, 1.06, (
                 (ALL_DAYS, "07:00:00", "19:00:00", 0.80, 15, 0, None),
                 (ALL_DAYS, "19:00:00", "00:00:00", 1.00, 60, 0, None),
                 (ALL_DAYS, "00:00:00", "07:00:00", 1.00, 60, 0, None),
                 (ALL_DAYS, "00:00:00", "00:00:00", 24.00, 1440, 0, 1440),
             )),
    Facility(ARNHEM, "TERREIN_NOORD", "Parkeerterrein Centrum Noord", "Gemeente Arnhem",
             "carpark", 240, 8, 5, None, 5.9130, 51.9840, _hours((480, 1320), (720, 1080)), 0.9, (
                 (MON_SAT, "09:00:00", "21:00:00", 3.40, 60, 0, 180),
                 ("su", "12:00:00", "18:00:00", 3.40, 60, 0, 180),
             )),
)

# Share of the peak demand that is parked at each local hour (interpolated per quarter).
# Thursday has the shopping evening, Friday the horeca evening, Saturday the peak.
WEEKDAY = (0.10, 0.08, 0.07, 0.07, 0.07, 0.08, 0.12, 0.20, 0.32, 0.45, 0.58, 0.66,
           0.70, 0.72, 0.72, 0.68, 0.60, 0.48, 0.36, 0.30, 0.26, 0.20, 0.15, 0.12)
THURSDAY = WEEKDAY[:17] + (0.62, 0.62, 0.60, 0.56, 0.36, 0.22, 0.15)
FRIDAY = WEEKDAY[:17] + (0.56, 0.52, 0.52, 0.50, 0.44, 0.34, 0.24)
SATURDAY = (0.16, 0.13, 0.10, 0.09, 0.08, 0.08, 0.10, 0.16, 0.30, 0.52, 0.76, 0.90,
            0.97, 1.00, 1.00, 0.96, 0.86, 0.68, 0.50, 0.44, 0.40, 0.34, 0.26, 0.18)
SUNDAY = (0.14, 0.12, 0.10, 0.08, 0.07, 0.07, 0.07, 0.07, 0.08, 0.10, 0.16, 0.28,
          0.46, 0.58, 0.62, 0.60, 0.50, 0.32, 0.22, 0.17, 0.14, 0.12, 0.10, 0.10)
PROFILE = (WEEKDAY, WEEKDAY, WEEKDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY)
# Arnhem's shops open every Sunday, Gouda's only on koopzondagen (not in this week).
SUNDAY_DEMAND = {GOUDA: 0.7, ARNHEM: 1.0}


def parking_facilities() -> Iterator[Row]:
    for facility in FACILITIES:
        lon, lat = degrees(facility.lon), degrees(facility.lat)
        if not inside(facility.city, lon, lat):
            raise ValueError(f"{facility.name} lies outside {facility.city.area}")
        yield {
            "uuid": facility.uuid,
            "area_manager_id": AREA_MANAGER[facility.city],
            "area_id": facility.area_id,
            "name": facility.name,
            "operator": facility.operator,
            "usage": facility.usage,
            "capacity": facility.capacity,
            "charging_points": facility.charging_points,
            "disabled_spaces": facility.disabled_spaces,
            "min_height_m": Decimal(facility.min_height_m) if facility.min_height_m else None,
            "lat": lat,
            "lon": lon,
            "opening_times": opening_times(facility.week),
        }


def parking_tariffs() -> Iterator[Row]:
    for facility in FACILITIES:
        for days, start, until, charge, period, longer_than, up_to in facility.tariffs:
            yield {
                "uuid": facility.uuid,
                "days": days,
                "from_time": start,
                "until_time": until,
                "charge_eur": money(charge),
                "charge_period_min": period,
                "duration_from_min": longer_than,
                "duration_until_min": up_to,
            }


def parking_occupancy() -> Iterator[Row]:
    """One week of quarter-hour observations per facility."""
    r = rng("parking_occupancy")
    for facility in FACILITIES:
        yield from _occupancy(r, facility)


def _occupancy(r: random.Random, facility: Facility) -> Iterator[Row]:
    noise = 0.0
    for moment in local_steps(WEEK_START, WEEK_END, timedelta(minutes=15)):
        # slowly wandering noise: occupancy does not jump between quarters
        noise = 0.8 * noise + 0.2 * (r.random() - 0.5) * 0.1
        share = demand(facility, moment.weekday(), moment.hour, moment.minute) + noise
        parked = min(facility.capacity, max(0, round(facility.capacity * share)))
        vacant = facility.capacity - parked
        yield {
            "uuid": facility.uuid,
            "observed_at": moment,
            "vacant_spaces": vacant,
            "capacity": facility.capacity,
            "full": vacant == 0,
            "open": is_open(facility.week[moment.weekday()], moment.hour * 60 + moment.minute),
        }


def demand(facility: Facility, weekday: int, hour: int, minute: int) -> float:
    profile = PROFILE[weekday]
    now, later = profile[hour], profile[(hour + 1) % 24]
    share = now + (later - now) * minute / 60
    if weekday == 6:
        share *= SUNDAY_DEMAND[facility.city]
    return share * facility.demand


def is_open(hours: Hours, minute_of_day: int) -> bool:
    return hours is not None and hours[0] <= minute_of_day < hours[1]


def opening_times(week: tuple[Hours, ...]) -> str:
    """The week in OSM opening_hours syntax, consecutive days with equal hours merged."""
    if all(hours == (0, 1440) for hours in week):
        return "24/7"
    rules = []
    first = 0
    for day in range(1, 8):
        if day < 7 and week[day] == week[first]:
            continue
        hours = week[first]
        if hours is not None:
            days = DAYS[first] if day - 1 == first else f"{DAYS[first]}-{DAYS[day - 1]}"
            rules.append(f"{days} {_clock(hours[0])}-{_clock(hours[1])}")
        first = day
    return "; ".join(rules)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
