"""The range of the series actions, checked across fields (each field's own checks are in
footfall/schema.py).

Ranges are local dates (Europe/Amsterdam), ``start`` and ``end`` both included, widened to
whole periods: ``start=2025-03-15&period=month`` starts on 1 March. A range may hold at
most ``MAX_PERIODS[period]`` periods, so a request can neither ask for decades of days nor
build an answer of megabytes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.retailarea.footfall import calendar

MAX_PERIODS = {"day": 2200, "week": 1200, "month": 600, "quarter": 200, "year": 100}


@dataclass(frozen=True)
class Range:
    """The local days a series covers: whole periods, ``first`` and ``last`` included."""

    period: str
    first: dt.date
    last: dt.date

    def starts(self) -> list[dt.date]:
        return calendar.starts(self.first, self.last, self.period)


def requested(data_dict: dict[str, Any]) -> tuple[str, dt.date | None, dt.date | None]:
    """Period, start and end as asked for (validated by footfall/schema.py); end not
    before start."""
    chosen, start, end = data_dict["period"], data_dict.get("start"), data_dict.get("end")
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
