"""Validators registered with CKAN (blanket.validators); every name is prefixed.

Field validators live here; the cross-field rules of a dataset are in metadata/rules.py and
registered from here too, so scheming YAML can name them."""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
import isodate
from shapely.geometry import shape
from shapely.validation import explain_validity

from ckanext.retailarea.metadata.areas import retailarea_retail_areas
from ckanext.retailarea.metadata.rules import (
    retailarea_area_defaults,
    retailarea_dataset_rules,
)
from ckanext.retailarea.metadata.series import retailarea_in_series
from ckanext.retailarea.metadata.urls import retailarea_web_url

__all__ = [
    "retailarea_municipality_code",
    "retailarea_iso8601_duration",
    "retailarea_geojson",
    "retailarea_uri_list",
    "retailarea_digits",
    "retailarea_max_length",
    "retailarea_boolean",
    "retailarea_string",
    "retailarea_at_most",
    "retailarea_iso_day",
    "retailarea_expiry",
    "retailarea_dataset_rules",
    "retailarea_area_defaults",
    "retailarea_retail_areas",
    "retailarea_web_url",
    "retailarea_in_series",
]

_MUNICIPALITY_CODE = re.compile(r"^GM[0-9]{4}$")
_DIGITS = re.compile(r"^[0-9]{1,12}$")
_GEOMETRY_TYPES = {"Polygon", "MultiPolygon", "Point", "MultiPoint", "LineString",
                   "MultiLineString"}
_MAX_GEOJSON_BYTES = 1_000_000


def _empty(value: Any) -> bool:
    return value is None or value == "" or value is tk.missing


def retailarea_municipality_code(value: Any) -> Any:
    """A CBS municipality code: ``GM`` followed by four digits, e.g. ``GM0513`` (Gouda)."""
    if _empty(value):
        return value
    if not isinstance(value, str) or not _MUNICIPALITY_CODE.match(value.strip()):
        raise tk.Invalid(
            tk._("Use a CBS municipality code: GM followed by four digits, e.g. GM0513")
        )
    return value.strip()


def retailarea_iso8601_duration(value: Any) -> Any:
    """An ISO 8601 duration such as ``PT15M``, ``P1W`` or ``P1Y``; stored as given."""
    if _empty(value):
        return value
    text = value.strip() if isinstance(value, str) else ""
    try:
        duration = isodate.parse_duration(text)
    except (isodate.ISO8601Error, ValueError, TypeError):
        duration = None
    if duration is None or not text.startswith("P") or _is_zero(duration):
        raise tk.Invalid(
            tk._("Use an ISO 8601 duration such as PT15M, PT1H, P1D, P1W or P1Y")
        )
    return text


def _is_zero(duration: Any) -> bool:
    parts = ("years", "months", "days", "seconds", "microseconds")
    return all(not getattr(duration, p, 0) for p in parts) and not getattr(
        duration, "tdelta", None
    )


def retailarea_geojson(value: Any) -> Any:
    """A valid GeoJSON geometry in WGS 84; returned as compact JSON."""
    if _empty(value):
        return value
    geometry = _parse_geojson(value)
    try:
        shaped = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as error:
        raise tk.Invalid(tk._("Not a valid GeoJSON geometry: {}").format(error)) from None
    if shaped.is_empty or not shaped.is_valid:
        reason = explain_validity(shaped) if not shaped.is_empty else "empty"
        raise tk.Invalid(tk._("Not a valid GeoJSON geometry: {}").format(reason))
    minx, miny, maxx, maxy = shaped.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise tk.Invalid(
            tk._("Coordinates must be WGS 84 longitude, latitude (lon -180..180, lat -90..90)")
        )
    return json.dumps(geometry, separators=(",", ":"))


def _parse_geojson(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        geometry = value
    else:
        if len(str(value)) > _MAX_GEOJSON_BYTES:
            raise tk.Invalid(tk._("GeoJSON is larger than 1 MB; simplify the outline"))
        try:
            geometry = json.loads(value)
        except (TypeError, ValueError):
            raise tk.Invalid(tk._("Not valid JSON; expected a GeoJSON geometry")) from None
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in _GEOMETRY_TYPES:
        raise tk.Invalid(
            tk._("Expected a GeoJSON geometry of type Polygon, MultiPolygon or Point")
        )
    return geometry


def retailarea_uri_list(value: Any) -> Any:
    """Every item of a (JSON) list is an absolute http(s) or urn URI."""
    if _empty(value):
        return value
    items = json.loads(value) if isinstance(value, str) else value
    for item in items or []:
        parsed = urlparse(str(item))
        if not (parsed.scheme in {"http", "https"} and parsed.netloc) and parsed.scheme != "urn":
            raise tk.Invalid(tk._("Not an absolute URI: {}").format(item))
    return value


def retailarea_digits(value: Any) -> Any:
    """A numeric identifier kept as text (leading zeros matter)."""
    if _empty(value):
        return value
    if not isinstance(value, str | int) or not _DIGITS.match(str(value).strip()):
        raise tk.Invalid(tk._("Use digits only, e.g. 513"))
    return str(value).strip()


_TRUE = {"true", "yes", "1", "on", "t", "y"}
_FALSE = {"false", "no", "0", "off", "f", "n"}


def retailarea_boolean(value: Any) -> Any:
    """true/false (also yes/no, 1/0, on/off); anything else is an error, not False."""
    if isinstance(value, bool) or _empty(value):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise tk.Invalid(tk._("Use true or false"))


def retailarea_max_length(length: str):
    """``retailarea_max_length(4000)``: refuse longer text instead of cutting it."""
    limit = int(length)

    def validator(value: Any) -> Any:
        if isinstance(value, str) and len(value) > limit:
            raise tk.Invalid(
                tk._("At most {limit} characters, got {count}").format(
                    limit=limit, count=len(value)
                )
            )
        return value

    return validator


_JSON_KINDS = {"int": "a number", "float": "a number", "bool": "a boolean",
               "list": "a list", "dict": "an object"}


def retailarea_string(key: Any, data: dict, errors: dict, context: Any) -> None:
    """A text value, or an error that stops the field's other validators (CKAN's
    unicode_only lets them run on a number or list, where most of them fail)."""
    value = data.get(key)
    if isinstance(value, str) or value is tk.missing or value is None:
        return
    kind = _JSON_KINDS.get(type(value).__name__, type(value).__name__)
    errors[key].append(tk._("Must be a string, not {kind}").format(kind=kind))
    raise tk.StopOnError


def retailarea_at_most(limit: str):
    """``retailarea_at_most(100000)``, after an int validator: refuse larger numbers
    (PostgreSQL's integers end at 2**63)."""
    top = int(limit)

    def validator(value: Any) -> Any:
        if isinstance(value, int) and value > top:
            raise tk.Invalid(tk._("At most {limit}").format(limit=top))
        return value

    return validator


FIRST_YEAR, LAST_YEAR = 1900, 2100
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _within_years(moment: dt.date) -> None:
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise tk.Invalid(tk._("Choose a date between {first} and {last}").format(
            first=FIRST_YEAR, last=LAST_YEAR))


def retailarea_iso_day(value: Any) -> Any:
    """A day as ``YYYY-MM-DD`` between 1900 and 2100, as a ``datetime.date``."""
    if _empty(value) or isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DAY.match(value):
        raise tk.Invalid(tk._("Not a date: use an ISO date such as 2025-01-31"))
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise tk.Invalid(tk._("No such date: {value}").format(value=value)) from None
    _within_years(day)
    return day


def retailarea_expiry(value: Any) -> Any:
    """An ISO date or date and time in the future, as a naive UTC ``datetime``; a date
    counts through that whole day."""
    if _empty(value) or isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise tk.Invalid(tk._("Use an ISO date such as 2027-06-30"))
    text = value.strip()
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise tk.Invalid(tk._("Use an ISO date such as 2027-06-30")) from None
    _within_years(moment)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    elif _ISO_DAY.match(text):
        moment += dt.timedelta(days=1)
    if moment <= dt.datetime.now(dt.UTC).replace(tzinfo=None):
        raise tk.Invalid(tk._("The expiry must lie in the future"))
    return moment
