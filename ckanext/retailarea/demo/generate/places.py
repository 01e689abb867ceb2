"""The two demo retail areas: their outlines, streets and points inside them.

Street names are those of the real centres so the demo reads naturally; every number
attached to them (positions, postcodes, shops, counts) is synthetic.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from shapely.geometry import Point, Polygon, shape

from ckanext.retailarea.demo import catalog

# Keep generated points ~20 m from the outline so that rounding to 6 decimals (~0.1 m)
# can never push one outside.
EDGE_MARGIN_DEG = 0.0002


@dataclass(frozen=True)
class City:
    name: str
    area: str  # name of the retail-area group in catalog.RETAIL_AREAS
    municipality: str  # 4-digit CBS/BAG municipality code
    prefix: str  # short code used in ids


@dataclass(frozen=True)
class Street:
    city: City
    name: str
    start: tuple[float, float]  # (lon, lat) where house number 1 is
    end: tuple[float, float]
    postcode: str  # 4 digits of the postcode area the street lies in
    letters: tuple[str, ...]  # postcode letter pairs, in house-number order
    weight: int  # relative number of shops on the street


GOUDA = City("Gouda", "gouda-binnenstad", "0513", "GOU")
ARNHEM = City("Arnhem", "arnhem-centrum", "0202", "ARN")
CITIES = (GOUDA, ARNHEM)

STREETS: tuple[Street, ...] = (
    Street(GOUDA, "Markt", (4.7094, 52.0112), (4.7123, 52.0125), "2801", ("JG", "JH", "JJ"), 7),
    Street(GOUDA, "Lange Tiendeweg", (4.7126, 52.0122), (4.7165, 52.0129), "2801",
           ("CB", "CC", "CD"), 6),
    Street(GOUDA, "Korte Tiendeweg", (4.7118, 52.0126), (4.7127, 52.0134), "2801", ("CK",), 2),
    Street(GOUDA, "Hoogstraat", (4.7104, 52.0109), (4.7097, 52.0093), "2801", ("JW", "JX"), 4),
    Street(GOUDA, "Kleiweg", (4.7097, 52.0126), (4.7074, 52.0143), "2801", ("GA", "GB", "GC"), 5),
    Street(GOUDA, "Lange Groenendaal", (4.7114, 52.0128), (4.7119, 52.0150), "2801",
           ("LH", "LJ"), 3),
    Street(GOUDA, "Wijdstraat", (4.7118, 52.0112), (4.7127, 52.0096), "2801", ("JB", "JC"), 3),
    Street(GOUDA, "Zeugstraat", (4.7090, 52.0107), (4.7064, 52.0100), "2801", ("JM",), 2),
    Street(GOUDA, "Gouwe", (4.7139, 52.0148), (4.7134, 52.0106), "2801", ("CN", "CP"), 2),
    Street(GOUDA, "Peperstraat", (4.7130, 52.0106), (4.7160, 52.0099), "2801", ("EE", "EG"), 2),
    Street(ARNHEM, "Ketelstraat", (5.9078, 51.9818), (5.9090, 51.9795), "6811",
           ("AA", "AB", "AC"), 7),
    Street(ARNHEM, "Vijzelstraat", (5.9094, 51.9826), (5.9111, 51.9811), "6811",
           ("DE", "DG", "DH"), 6),
    Street(ARNHEM, "Bakkerstraat", (5.9064, 51.9822), (5.9074, 51.9800), "6811",
           ("CJ", "CK", "CL"), 5),
    Street(ARNHEM, "Roggestraat", (5.9099, 51.9836), (5.9120, 51.9828), "6811", ("EB", "EC"), 4),
    Street(ARNHEM, "Jansstraat", (5.9054, 51.9831), (5.9076, 51.9829), "6811", ("EL", "EM"), 3),
    Street(ARNHEM, "Korenmarkt", (5.9046, 51.9822), (5.9062, 51.9812), "6811", ("CE", "CG"), 3),
    Street(ARNHEM, "Rijnstraat", (5.9080, 51.9794), (5.9106, 51.9789), "6811",
           ("AN", "AP", "AR"), 4),
    Street(ARNHEM, "Land van de Markt", (5.9114, 51.9812), (5.9131, 51.9805), "6811",
           ("EW", "EX"), 2),
    Street(ARNHEM, "Walburgstraat", (5.9131, 51.9805), (5.9151, 51.9796), "6811",
           ("GJ", "GK"), 2),
    Street(ARNHEM, "Jansplaats", (5.9069, 51.9836), (5.9083, 51.9839), "6811", ("EP",), 1),
)


def streets(city: City) -> list[Street]:
    return [s for s in STREETS if s.city == city]


def street(city: City, name: str) -> Street:
    return next(s for s in streets(city) if s.name == name)


@cache
def outline(area: str) -> Polygon:
    group = next(a for a in catalog.RETAIL_AREAS if a["name"] == area)
    geometry = shape(json.loads(group["geometry"]))
    if not isinstance(geometry, Polygon):
        raise TypeError(f"the outline of {area} is a {geometry.geom_type}, not a Polygon")
    return geometry


def degrees(value: float) -> Decimal:
    """A coordinate as written to the CSV: 6 decimals (~0.1 m), exact and stable."""
    return Decimal(f"{value:.6f}")


def inside(city: City, lon: Decimal, lat: Decimal) -> bool:
    """True when the (already rounded) point lies well inside the city's retail area."""
    polygon = outline(city.area)
    point = Point(float(lon), float(lat))
    return polygon.contains(point) and polygon.exterior.distance(point) >= EDGE_MARGIN_DEG


def along(street: Street, fraction: float, side: float = 0.0) -> tuple[Decimal, Decimal]:
    """The point ``fraction`` of the way along ``street``, moved ``side`` degrees to the
    right of it (negative: left), rounded as in the CSV. Only + - * / and sqrt are used:
    IEEE 754 rounds those exactly, so the result is bit-identical on every platform."""
    (x0, y0), (x1, y1) = street.start, street.end
    dx, dy = x1 - x0, y1 - y0
    length = math.sqrt(dx * dx + dy * dy)
    lon = x0 + dx * fraction + side * dy / length
    lat = y0 + dy * fraction - side * dx / length
    lon_d, lat_d = degrees(lon), degrees(lat)
    if not inside(street.city, lon_d, lat_d):
        raise ValueError(f"{street.name} point {lon_d}, {lat_d} lies outside {street.city.area}")
    return lon_d, lat_d
