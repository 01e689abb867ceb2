"""GeoJSON <-> the WKT literals DCAT uses (geometry, bounding box), with geomet."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import shapely.geometry
from geomet import InvalidGeoJSONException, wkt
from shapely.errors import GEOSException

# Centimetre precision in WGS 84: enough for shop fronts, short enough to read.
WKT_DECIMALS = 7


def as_text(value: Any) -> str | None:
    """The GeoJSON of a ``spatial`` field as stored (str) or given (dict), or None when it
    is empty or not a GeoJSON object."""
    if isinstance(value, dict):
        value = json.dumps(value)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        shape = json.loads(value)
    except ValueError:
        return None
    return value.strip() if isinstance(shape, dict) and "type" in shape else None


def _geometry(shape: dict[str, Any]) -> dict[str, Any] | None:
    """The geometry of a Feature or FeatureCollection, or the geometry itself."""
    if shape.get("type") == "Feature":
        return shape.get("geometry")
    if shape.get("type") == "FeatureCollection":
        parts = [f.get("geometry") for f in shape.get("features") or [] if f.get("geometry")]
        return {"type": "GeometryCollection", "geometries": parts} if parts else None
    return shape


def to_wkt(shape: dict[str, Any]) -> str | None:
    geom = _geometry(shape)
    if not geom:
        return None
    try:
        return wkt.dumps(geom, decimals=WKT_DECIMALS)
    except (InvalidGeoJSONException, KeyError, TypeError, ValueError):
        return None


def from_wkt(text: str) -> str | None:
    """GeoJSON text for a WKT literal (an optional ``<crs> `` prefix is dropped)."""
    text = text.strip()
    if text.startswith("<"):
        text = text.split(">", 1)[-1].strip()
    try:
        return json.dumps(wkt.loads(text))
    except (ValueError, TypeError, AttributeError):
        return None


def _positions(coordinates: Any) -> Iterator[tuple[float, float]]:
    if isinstance(coordinates, (list, tuple)) and coordinates:
        if isinstance(coordinates[0], (int, float)):
            if len(coordinates) >= 2:
                yield float(coordinates[0]), float(coordinates[1])
        else:
            for item in coordinates:
                yield from _positions(item)


def _all_positions(geom: dict[str, Any]) -> Iterator[tuple[float, float]]:
    if geom.get("type") == "GeometryCollection":
        for part in geom.get("geometries") or []:
            yield from _all_positions(part)
    else:
        yield from _positions(geom.get("coordinates"))


def bbox_ring(shape: dict[str, Any]) -> list[tuple[float, float]] | None:
    """The bounding box as a closed ring, or None for a point or an empty geometry."""
    geom = _geometry(shape)
    points = list(_all_positions(geom)) if geom else []
    if not points:
        return None
    xs, ys = [x for x, _ in points], [y for _, y in points]
    west, south, east, north = min(xs), min(ys), max(xs), max(ys)
    if west == east or south == north:
        return None
    return [(west, south), (east, south), (east, north), (west, north), (west, south)]


def bbox_wkt(shape: dict[str, Any]) -> str | None:
    """The bounding box as a WKT polygon, or None for a point or an empty geometry."""
    ring = bbox_ring(shape)
    return "POLYGON((" + ", ".join(f"{x} {y}" for x, y in ring) + "))" if ring else None


def centroid(shape: dict[str, Any]) -> tuple[float, float] | None:
    """The geometric centre (shapely), rounded like the WKT; None when unreadable."""
    geom = _geometry(shape)
    try:
        point = shapely.geometry.shape(geom).centroid if geom else None
    except (GEOSException, AttributeError, KeyError, TypeError, ValueError):
        return None
    if point is None or point.is_empty:
        return None
    return round(point.x, WKT_DECIMALS), round(point.y, WKT_DECIMALS)
