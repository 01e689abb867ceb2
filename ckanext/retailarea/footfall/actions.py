"""Series actions: retailarea_footfall_series, retailarea_parking_occupancy_series."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate
from ckan.types import Context, DataDict

from ckanext.retailarea.footfall import (
    calendar,
    params,
    parking,
    query,
    schema,
    series,
    sources,
)
from ckanext.retailarea.footfall.store import COUNTS, OCCUPANCY

FOOTFALL, PARKING = "footfall", "parking"


@tk.side_effect_free
@validate(schema.footfall_series)
def retailarea_footfall_series(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Visitors per period, per location and in total, from the footfall counts in the
    DataStore; calendar in Europe/Amsterdam, ISO weeks. See docs/footfall.md.

    :param id: id or name of a footfall dataset, or
    :param area: name of a retail area (all its footfall datasets the caller may read)
    :param period: ``day``, ``week``, ``month``, ``quarter`` or ``year``
    :param location_id: only this counting location (optional)
    :param start: first local day, ``YYYY-MM-DD`` (optional; default the first counted)
    :param end: last local day, included (optional; default the last counted)
    :returns: ``{"period", "start", "end", "timezone", "total": [{"start", "label",
        "visitors", "previous_year", "change_pct", "intervals", "expected_intervals",
        "gaps", "complete", "imputed", "imputed_intervals"}], "locations": {location_id:
        [...]}, "profiles": {"weekday": [...], "hour": [...]}, "datasets": [...],
        "excluded": [...]}``; ``start`` and ``end`` are widened to whole periods
    """
    tk.check_access("retailarea_footfall_series", context, data_dict)
    period, start, end = params.requested(data_dict)
    location = data_dict.get("location_id")
    selection = _footfall_selection(context, data_dict)
    answer: dict[str, Any] = {
        "period": period, "timezone": calendar.TIMEZONE, "start": None, "end": None,
        "total": [], "locations": {}, "profiles": {"weekday": [], "hour": []},
        "datasets": [source.as_dict() for source in selection.sources],
    }
    if data_dict.get("area"):
        answer["excluded"] = selection.excluded
    with query.reading() as connection:
        tables = query.classify(connection, selection.resource_ids)
        if data_dict.get("id") and not tables.present:
            raise tk.ValidationError({"id": [tk._(
                "The footfall counts of this dataset are not in the DataStore")]})
        answer.update(_footfall_figures(connection, tables, period, start, end, location))
    sources.log_reads(selection, "retailarea_footfall_series")
    return answer


def _footfall_figures(connection: Any, tables: query.Tables, period: str,
                      start: dt.date | None, end: dt.date | None,
                      location: str | None) -> dict[str, Any]:
    """Range, entries and profiles; nothing when there is nothing to count."""
    known = query.data_range(connection, tables, location) if tables.present else None
    if location and known is None:
        raise tk.ValidationError({"location_id": [tk._(
            "Unknown location {location!r}: no counts carry this location_id").format(
            location=location)]})
    date_range = _range(period, start, end, known)
    if date_range is None or not tables.present:
        return {}
    aggregates = query.series(connection, tables, period, series.first_needed(date_range),
                              date_range.first, date_range.last, location)
    return {**series.build(aggregates, date_range), "start": date_range.first.isoformat(),
            "end": date_range.last.isoformat()}


def _footfall_selection(context: Context, data_dict: DataDict) -> sources.Selection:
    name = data_dict.get("id")
    area = data_dict.get("area")
    if name and area:
        raise tk.ValidationError({"area": [tk._("Give either id or area, not both")]})
    if area:
        return sources.area(context, area, FOOTFALL, COUNTS)
    if not name:
        raise tk.ValidationError({"id": [tk._(
            "Missing value: the id of a footfall dataset, or an area")]})
    return sources.dataset(context, name, FOOTFALL, COUNTS)


def _range(period: str, start: dt.date | None, end: dt.date | None,
           known: tuple[dt.date, dt.date] | None) -> params.Range | None:
    """The asked range, completed with the first and last counted day; None when
    neither says anything."""
    if known is None:
        if start is None:
            if end is None:
                return None
            start = end
        if end is None:
            end = start
    else:
        if start is None:
            start = known[0] if end is None else min(known[0], end)
        if end is None:
            end = max(known[1], start)
    return params.date_range(period, start, end)


@tk.side_effect_free
@validate(schema.parking_occupancy_series)
def retailarea_parking_occupancy_series(context: Context, data_dict: DataDict
                                        ) -> dict[str, Any]:
    """Mean and peak occupancy (%) per period and parking facility, from the occupancy
    table in the DataStore; occupancy = (capacity - vacant_spaces) / capacity x 100.

    :param id: id or name of a parking dataset
    :param period: ``day``, ``week``, ``month``, ``quarter`` or ``year``
    :param facility: only this facility (its uuid; optional)
    :param start: first local day, ``YYYY-MM-DD`` (optional), :param end: last, included
    :returns: ``{"period", "start", "end", "timezone", "facilities": {uuid: [{"start",
        "label", "mean_occupancy_pct", "peak_occupancy_pct", "observations"}]},
        "names": {uuid: name}, "datasets": [...]}``
    """
    tk.check_access("retailarea_parking_occupancy_series", context, data_dict)
    period, start, end = params.requested(data_dict)
    facility = data_dict.get("facility")
    name = data_dict.get("id")
    if not name:
        raise tk.ValidationError({"id": [tk._("Missing value: the id of a parking dataset")]})
    selection = sources.dataset(context, name, PARKING, OCCUPANCY)
    answer: dict[str, Any] = {
        "period": period, "timezone": calendar.TIMEZONE, "start": None, "end": None,
        "facilities": {}, "names": {},
        "datasets": [source.as_dict() for source in selection.sources],
    }
    with query.reading() as connection:
        tables = parking.present(connection, selection.resource_ids)
        if not tables:
            raise tk.ValidationError({"id": [tk._(
                "The occupancy of this dataset is not in the DataStore")]})
        known = parking.data_range(connection, tables, facility)
        if facility and known is None:
            raise tk.ValidationError({"facility": [tk._(
                "Unknown facility {facility!r}: no occupancy rows carry this uuid").format(
                facility=facility)]})
        date_range = _range(period, start, end, known)
        if date_range is not None:
            answer.update(
                facilities=parking.series(connection, tables, date_range, facility),
                names=parking.names(connection, selection.sources[0].package),
                start=date_range.first.isoformat(), end=date_range.last.isoformat())
    sources.log_reads(selection, "retailarea_parking_occupancy_series")
    return answer


__all__ = ["retailarea_footfall_series", "retailarea_parking_occupancy_series"]


def get_actions() -> dict[str, Any]:
    return {name: globals()[name] for name in __all__}
