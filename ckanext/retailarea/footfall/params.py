"""The parameters of the series actions, checked with a reason per field.

Ranges are local dates (Europe/Amsterdam), ``start`` and ``end`` both included, widened to
whole periods: ``start=2025-03-15&period=month`` starts on 1 March. A range may hold at
most ``MAX_PERIODS[period]`` periods, so a request can neither ask for decades of days nor
build an answer of megabytes.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.retailarea.footfall import calendar

MAX_PERIODS = {"day": 2200, "week": 1200, "month": 600, "quarter": 200, "year": 100}
FIRST_YEAR, LAST_YEAR = 1900, 2100
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_NAME = 200


@dataclass(frozen=True)
class Range:
    """The local days a series covers: whole periods, ``first`` and ``last`` included."""

    period: str
    first: dt.date
    last: dt.date

    def starts(self) -> list[dt.date]:
        return calendar.starts(self.first, self.last, self.period)


def period(data_dict: dict[str, Any]) -> str:
    value = data_dict.get("period")
    if value in (None, ""):
        raise tk.ValidationError({"period": [tk._("Missing value: one of {periods}").format(
            periods=", ".join(calendar.PERIODS))]})
    if value not in calendar.PERIODS:
        raise tk.ValidationError({"period": [tk._(
            "Unknown period {value!r}: use one of {periods}").format(
            value=str(value)[:MAX_NAME], periods=", ".join(calendar.PERIODS))]})
    return value


def date_param(data_dict: dict[str, Any], field: str) -> dt.date | None:
    """An optional ISO date (YYYY-MM-DD) between FIRST_YEAR and LAST_YEAR."""
    value = data_dict.get(field)
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise tk.ValidationError({field: [tk._(
            "Not a date: use an ISO date such as 2025-01-31")]})
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise tk.ValidationError({field: [tk._("No such date: {value}").format(
            value=value)]}) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise tk.ValidationError({field: [tk._(
            "Choose a date between {first} and {last}").format(
            first=FIRST_YEAR, last=LAST_YEAR)]})
    return day


def text_param(data_dict: dict[str, Any], field: str) -> str | None:
    value = data_dict.get(field)
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > MAX_NAME:
        raise tk.ValidationError({field: [tk._("Expected a short text")]})
    return value


def requested(data_dict: dict[str, Any]) -> tuple[str, dt.date | None, dt.date | None]:
    """Period, start and end as asked for; end not before start."""
    chosen = period(data_dict)
    start, end = date_param(data_dict, "start"), date_param(data_dict, "end")
    if start and end and end < start:
        raise tk.ValidationError({"end": [tk._(
            "The range is reversed: end {end} lies before start {start}").format(
            end=end.isoformat(), start=start.isoformat())]})
    return chosen, start, end


def date_range(chosen: str, start: dt.date, end: dt.date) -> Range:
    """Whole periods from ``start`` to ``end``, at most MAX_PERIODS of them."""
    first = calendar.period_start(start, chosen)
    last = calendar.period_end(end, chosen)
    count = len(calendar.starts(first, last, chosen))
    if count > MAX_PERIODS[chosen]:
        raise tk.ValidationError({"start": [tk._(
            "The range {start} to {end} holds {count} periods of a {period}; at most "
            "{limit} are allowed: choose a shorter range or a longer period").format(
            start=first.isoformat(), end=last.isoformat(), count=count, period=chosen,
            limit=MAX_PERIODS[chosen])]})
    return Range(chosen, first, last)
