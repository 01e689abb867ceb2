"""Footfall sensors and a year (2025) of their hourly counts per direction.

A count is the sensor's peak hour scaled by tabulated factors for the hour, the kind of
day and the month, times a little noise. Only tables and + - * / are used (no exp or
sin): libm differs between platforms in the last bit, and a count rounded across that
bit would make the CSV differ between machines.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .common import Row, local, local_steps, rng
from .places import ARNHEM, GOUDA, City, along, street

LOCATION_COLUMNS = (
    "location_id", "name", "geometry", "direction_in_label", "direction_out_label", "status",
)
COUNT_COLUMNS = (
    "location_id", "interval_start", "interval", "direction", "mode", "count", "imputed",
)

YEAR = 2025
NOISE = 0.3  # counts vary +-15 % around the expected value
OUTAGES = 3  # short sensor outages per location, filled in with imputed counts


@dataclass(frozen=True)
class Sensor:
    location_id: str
    city: City
    street: str
    fraction: float  # where along the street it hangs
    name: str
    label_in: str
    label_out: str
    peak: int  # passers-by (both directions) in a busy weekday hour
    status: str = "active"
    at_market: bool = False  # draws the cheese market crowd on Thursday mornings


SENSORS = (
    Sensor("GOU-01", GOUDA, "Markt", 0.55, "Markt, bij het Stadhuis", "richting Lange Tiendeweg",
           "richting Kleiweg", 1900, at_market=True),
    Sensor("GOU-02", GOUDA, "Lange Tiendeweg", 0.4, "Lange Tiendeweg", "richting Markt",
           "richting Turfmarkt", 1500),
    Sensor("GOU-03", GOUDA, "Hoogstraat", 0.5, "Hoogstraat", "richting Markt",
           "richting Sint-Janskerk", 900),
    Sensor("GOU-04", GOUDA, "Kleiweg", 0.5, "Kleiweg", "richting Markt", "richting station", 1300),
    Sensor("GOU-05", GOUDA, "Lange Groenendaal", 0.5, "Lange Groenendaal", "richting Markt",
           "richting Turfmarkt", 700),
    Sensor("GOU-06", GOUDA, "Wijdstraat", 0.5, "Wijdstraat", "richting Markt",
           "richting Oosthaven", 600),
    Sensor("ARN-01", ARNHEM, "Ketelstraat", 0.5, "Ketelstraat", "richting Korenmarkt",
           "richting Rijn", 3200),
    Sensor("ARN-02", ARNHEM, "Vijzelstraat", 0.5, "Vijzelstraat", "richting Roggestraat",
           "richting Ketelstraat", 2600),
    Sensor("ARN-03", ARNHEM, "Bakkerstraat", 0.5, "Bakkerstraat", "richting Korenmarkt",
           "richting Rijnstraat", 2000),
    Sensor("ARN-04", ARNHEM, "Roggestraat", 0.5, "Roggestraat", "richting station",
           "richting Vijzelstraat", 1500, status="maintenance"),
    Sensor("ARN-05", ARNHEM, "Jansstraat", 0.5, "Jansstraat", "richting Jansplaats",
           "richting Korenmarkt", 1100),
    Sensor("ARN-06", ARNHEM, "Rijnstraat", 0.5, "Rijnstraat", "richting Eusebiuskerk",
           "richting Ketelstraat", 1700),
)
# The sensor in maintenance stopped counting here; its later hours are absent, not zero.
MAINTENANCE_SINCE = local(YEAR, 12, 9, 9)

# Share of the day's peak per local hour (0..23).
WEEKDAY = (0.012, 0.006, 0.004, 0.003, 0.003, 0.006, 0.02, 0.06, 0.15, 0.33, 0.56, 0.76,
           0.90, 0.98, 1.00, 0.95, 0.82, 0.56, 0.30, 0.19, 0.14, 0.10, 0.06, 0.03)
# Many shops open only at noon on Monday.
MONDAY = WEEKDAY[:9] + (0.17, 0.28, 0.45) + WEEKDAY[12:]
THURSDAY = WEEKDAY[:17] + (0.62, 0.58, 0.52, 0.42, 0.20, 0.10, 0.05)  # shopping evening
FRIDAY = WEEKDAY[:19] + (0.24, 0.22, 0.20, 0.15, 0.09)  # horeca evening
SATURDAY = (0.05, 0.03, 0.015, 0.008, 0.005, 0.006, 0.015, 0.04, 0.12, 0.32, 0.58, 0.80,
            0.93, 1.00, 1.00, 0.96, 0.84, 0.58, 0.30, 0.22, 0.20, 0.18, 0.14, 0.09)
SUNDAY = (0.05, 0.03, 0.015, 0.008, 0.005, 0.004, 0.006, 0.012, 0.03, 0.06, 0.12, 0.30,
          0.62, 0.90, 1.00, 0.98, 0.82, 0.45, 0.20, 0.12, 0.08, 0.05, 0.03, 0.015)
KINGS_DAY = (0.10, 0.06, 0.03, 0.01, 0.01, 0.02, 0.10, 0.35, 0.60, 0.80, 0.92, 0.98,
             1.00, 1.00, 1.00, 0.98, 0.92, 0.80, 0.62, 0.50, 0.40, 0.30, 0.22, 0.14)
# Day level relative to a weekday peak, Monday first.
WEEK = ((MONDAY, 0.70), (WEEKDAY, 0.80), (WEEKDAY, 0.88), (THURSDAY, 0.92),
        (FRIDAY, 1.05), (SATURDAY, 1.50))
# Sunday: Arnhem's shops open every week, Gouda's only on koopzondagen.
SUNDAY_LEVEL = {ARNHEM: 0.75, GOUDA: 0.35}
KOOPZONDAG_LEVEL = 0.90
# January is quiet and December busy; in July and August tourists fill Gouda while
# Arnhem's own shoppers are away.
MONTH = {
    GOUDA: (0.78, 0.82, 0.92, 1.00, 1.02, 1.00, 1.10, 1.12, 0.98, 1.00, 1.06, 1.28),
    ARNHEM: (0.78, 0.82, 0.92, 1.00, 1.02, 1.00, 0.90, 0.93, 0.98, 1.00, 1.06, 1.28),
}
CLOSED = {date(YEAR, 1, 1), date(YEAR, 12, 25)}
# Public holidays on which the shops open on Sunday hours.
HOLIDAYS = {date(YEAR, 4, 21), date(YEAR, 5, 29), date(YEAR, 6, 9), date(YEAR, 12, 26)}
KINGS_DAY_DATE = date(YEAR, 4, 26)  # 27 April was a Sunday
BLACK_FRIDAY = date(YEAR, 11, 28)
EARLY_CLOSING = {date(YEAR, 12, 24), date(YEAR, 12, 31)}
CHRISTMAS_SUNDAYS = {date(YEAR, 12, 14), date(YEAR, 12, 21)}
# The Goudse Kaasmarkt: Thursday mornings, April to August.
CHEESE_MARKET = (date(YEAR, 4, 3), date(YEAR, 8, 28))
CHEESE_HOURS = {9: 1.3, 10: 2.2, 11: 2.4, 12: 1.6}
# Share of an hour's passers-by walking "in": into town in the morning, out at night.
IN_SHARE = (0.45, 0.42, 0.42, 0.45, 0.50, 0.58, 0.62, 0.64, 0.62, 0.60, 0.58, 0.55,
            0.52, 0.50, 0.48, 0.46, 0.44, 0.42, 0.42, 0.44, 0.46, 0.45, 0.44, 0.44)


def footfall_locations() -> Iterator[Row]:
    for sensor in SENSORS:
        lon, lat = along(street(sensor.city, sensor.street), sensor.fraction)
        yield {
            "location_id": sensor.location_id,
            "name": sensor.name,
            # compact GeoJSON with the same 6 decimals as every other coordinate
            "geometry": f'{{"type":"Point","coordinates":[{lon},{lat}]}}',
            "direction_in_label": sensor.label_in,
            "direction_out_label": sensor.label_out,
            "status": sensor.status,
        }


def footfall_counts() -> Iterator[Row]:
    """Hourly counts per location and direction, location by location."""
    r = rng("footfall_counts")
    hours = list(local_steps(local(YEAR, 1, 1), local(YEAR + 1, 1, 1), timedelta(hours=1)))
    levels = {city: [_level(city, moment) for moment in hours] for city in (GOUDA, ARNHEM)}
    for sensor in SENSORS:
        yield from _counts(r, sensor, hours, levels[sensor.city])


def _counts(r: random.Random, sensor: Sensor, hours: list[datetime],
            levels: list[tuple[float, float]]) -> Iterator[Row]:
    imputed = _outages(r, len(hours))
    for index, moment in enumerate(hours):
        if sensor.status == "maintenance" and moment >= MAINTENANCE_SINCE:
            return
        level, market = levels[index]
        expected = sensor.peak * level * (market if sensor.at_market else 1.0)
        filled = index in imputed
        for direction, share in (("in", IN_SHARE[moment.hour]),
                                 ("out", 1.0 - IN_SHARE[moment.hour])):
            # an imputed hour is the model's expectation: no noise was measured
            factor = 1.0 if filled else 1.0 - NOISE / 2 + NOISE * r.random()
            yield {
                "location_id": sensor.location_id,
                "interval_start": moment,
                "interval": "PT1H",
                "direction": direction,
                "mode": "pedestrian",
                "count": round(expected * share * factor),
                "imputed": filled,
            }


def _outages(r: random.Random, hours: int) -> set[int]:
    """Hours of a few short outages (1 to 4 hours each) that were filled in."""
    missing: set[int] = set()
    for _ in range(OUTAGES):
        start = r.randrange(hours - 4)
        missing.update(range(start, start + r.randint(1, 4)))
    return missing


def _level(city: City, moment: datetime) -> tuple[float, float]:
    """Expected share of a sensor's peak in this local hour, and the extra factor for a
    sensor on the Markt during the cheese market."""
    day = moment.date()
    profile, level = _day(city, day)
    level *= profile[moment.hour] * MONTH[city][day.month - 1]
    if day in EARLY_CLOSING and moment.hour >= 17:
        level *= 0.25
    market = 1.0
    if city is GOUDA and day.weekday() == 3 and CHEESE_MARKET[0] <= day <= CHEESE_MARKET[1]:
        market = CHEESE_HOURS.get(moment.hour, 1.0)
        if moment.hour in CHEESE_HOURS:
            level *= 1.1  # the visitors spill into the rest of the centre
    return level, market


def _day(city: City, day: date) -> tuple[tuple[float, ...], float]:
    """The hour profile and level of a calendar day."""
    if day in CLOSED:
        return SUNDAY, 0.15
    if day == KINGS_DAY_DATE:
        return KINGS_DAY, 1.5
    if day in HOLIDAYS:
        return SUNDAY, 0.85
    if day == BLACK_FRIDAY:
        return FRIDAY, 1.05 * 1.35
    if day.weekday() == 6:
        return SUNDAY, _sunday_level(city, day)
    return WEEK[day.weekday()]


def _sunday_level(city: City, day: date) -> float:
    if city is GOUDA and (day.day <= 7 or day in CHRISTMAS_SUNDAYS):
        return KOOPZONDAG_LEVEL  # the first Sunday of the month, and before Christmas
    return SUNDAY_LEVEL[city]
