"""Input of the series actions, declared as navl schemas (``@validate``). Ranges are
local dates (Europe/Amsterdam) between 1900 and 2100; a name or id is a short string."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Schema, Validator

from ckanext.retailarea.footfall import calendar
from ckanext.retailarea.logic.schema import factory

MAX_NAME = "200"


def period(value: Any) -> Any:
    """One of calendar.PERIODS, named in the message when it is not."""
    if value not in calendar.PERIODS:
        raise tk.Invalid(tk._("Unknown period {value!r}: use one of {periods}").format(
            value=str(value)[:int(MAX_NAME)], periods=", ".join(calendar.PERIODS)))
    return value


def _name() -> list[Validator]:
    v = tk.get_validator
    return [v("ignore_empty"), v("retailarea_string"), factory("retailarea_max_length")(MAX_NAME)]


def _range() -> Schema:
    v = tk.get_validator
    return {
        "period": [v("not_empty"), v("retailarea_string"), period],
        "start": [v("ignore_empty"), v("retailarea_iso_day")],
        "end": [v("ignore_empty"), v("retailarea_iso_day")],
    }


def footfall_series() -> Schema:
    return {"id": _name(), "area": _name(), "location_id": _name(), **_range()}


def parking_occupancy_series() -> Schema:
    return {"id": _name(), "facility": _name(), **_range()}
