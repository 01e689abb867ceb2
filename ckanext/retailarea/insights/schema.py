"""Input of the insights action as a navl schema (``@validate``)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Schema

MAX_NAME = 200
MAX_AREAS = 6
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def short_text(value: Any) -> Any:
    if not isinstance(value, str):
        raise tk.Invalid(tk._("Must be a text"))
    if len(value) > MAX_NAME:
        raise tk.Invalid(tk._("At most {limit} characters").format(limit=MAX_NAME))
    return value


def day(value: Any) -> Any:
    """A local day ``YYYY-MM-DD`` between 1900 and 2100, as a ``datetime.date``."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _DAY.match(value):
        raise tk.Invalid(tk._("Not a date: use an ISO date such as 2025-01-31"))
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise tk.Invalid(tk._("No such date: {value}").format(value=value)) from None
    if not 1900 <= parsed.year <= 2100:
        raise tk.Invalid(tk._("Choose a date between 1900 and 2100"))
    return parsed


def area_insights() -> Schema:
    v = tk.get_validator
    return {"area": [v("not_empty"), short_text], "as_of": [v("ignore_empty"), day]}


def area_names(value: Any) -> list[str]:
    """``a,b`` of the compare page: two to six area names."""
    names = [name.strip() for name in str(value or "").split(",") if name.strip()]
    if not 2 <= len(names) <= MAX_AREAS or any(len(n) > MAX_NAME for n in names):
        raise tk.Invalid(tk._("Name two to {limit} retail areas, separated by commas").format(
            limit=MAX_AREAS))
    return list(dict.fromkeys(names))
