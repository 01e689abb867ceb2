"""Input of the app API actions as navl schemas (``@validate``)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import ErrorDict, Schema

from ckanext.retailarea.footfall import calendar
from ckanext.retailarea.insights.schema import short_text

SHAPES = ("plain", "schema.org", "smart-data-models")
MAX_RADIUS_M = 50_000
MAX_SPAN_DAYS = 366
_BRANCH_GROUP = re.compile(r"^\d{2}$")


def _number(value: Any, low: float, high: float, what: str) -> float:
    try:
        number = float(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise tk.Invalid(tk._("{what} between {low} and {high}").format(
            what=what, low=low, high=high))
    return number


def latitude(value: Any) -> float:
    return _number(value, -90, 90, tk._("A latitude"))


def longitude(value: Any) -> float:
    return _number(value, -180, 180, tk._("A longitude"))


def radius(value: Any) -> float:
    return _number(value, 1, MAX_RADIUS_M, tk._("A radius in metres"))


def moment(value: Any) -> dt.datetime:
    """An ISO 8601 date-time; without an offset it is local time in Europe/Amsterdam."""
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        raise tk.Invalid(tk._("Not a time: use ISO 8601 such as 2026-06-13T14:00:00+02:00"))
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise tk.Invalid(tk._(
            "Not a time: use ISO 8601 such as 2026-06-13T14:00:00+02:00")) from None
    if not 1900 <= parsed.year <= 2100:
        raise tk.Invalid(tk._("Choose a time between 1900 and 2100"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=calendar.ZONE)


def shape(value: Any) -> str:
    if value not in SHAPES:
        raise tk.Invalid(tk._("One of: {shapes}").format(shapes=", ".join(SHAPES)))
    return value


def branch_group(value: Any) -> str:
    if not isinstance(value, str) or not _BRANCH_GROUP.match(value):
        raise tk.Invalid(tk._("A Locatus branch group of two digits, such as 22"))
    return value


def cross_field_errors(data: dict[str, Any]) -> ErrorDict:
    """What a field alone cannot say: lat and lon come together, a radius needs them,
    end lies after start and at most MAX_SPAN_DAYS later."""
    errors: ErrorDict = {}
    if ("lat" in data) != ("lon" in data):
        errors["lon" if "lat" in data else "lat"] = [tk._("Give lat and lon together")]
    if "radius" in data and "lat" not in data:
        errors["radius"] = [tk._("A radius needs lat and lon")]
    start, end = data.get("start"), data.get("end")
    if start is not None and end is not None:
        if end <= start:
            errors["end"] = [tk._("end must be after start")]
        elif end - start > dt.timedelta(days=MAX_SPAN_DAYS):
            errors["end"] = [tk._("At most {days} days after start").format(
                days=MAX_SPAN_DAYS)]
    return errors


def parking_now() -> Schema:
    v = tk.get_validator
    return {"area": [v("not_empty"), short_text], "lat": [v("ignore_empty"), latitude],
            "lon": [v("ignore_empty"), longitude],
            "radius": [v("ignore_empty"), radius], "shape": [v("ignore_empty"), shape]}


def events_between() -> Schema:
    v = tk.get_validator
    return {"area": [v("not_empty"), short_text], "start": [v("not_empty"), moment],
            "end": [v("not_empty"), moment], "shape": [v("ignore_empty"), shape]}


def open_at() -> Schema:
    v = tk.get_validator
    return {"area": [v("not_empty"), short_text], "time": [v("ignore_empty"), moment],
            "branch_group": [v("ignore_empty"), branch_group],
            "shape": [v("ignore_empty"), shape]}
