"""retailarea_area_insights: what an area manager asks first, from the area's typed
datasets in the DataStore. See docs/insights.md."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic import validate
from ckan.types import Context, DataDict

from ckanext.retailarea.access import log as access_log
from ckanext.retailarea.footfall import calendar, query
from ckanext.retailarea.insights import compose, disclosure, schema
from ckanext.retailarea.insights.window import Window

AREA_TYPE = "retail-area"
TABLES = {
    "footfall": ["footfall_counts"],
    "shop-register": ["shops"],
    "parking": ["parking_facilities", "parking_occupancy", "parking_tariffs"],
    "events": ["events"],
}


def _area(name: str) -> model.Group:
    group = model.Group.get(name)
    if group is None or group.state != "active" or group.type != AREA_TYPE:
        raise tk.ValidationError({"area": [tk._("No retail area named {name!r}").format(
            name=name)]})
    return group


@tk.side_effect_free
@validate(schema.area_insights)
def retailarea_area_insights(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Combined figures of a retail area, each naming its source dataset and resources.

    :param area: name of a retail area
    :param as_of: the day to look from, ``YYYY-MM-DD`` (optional; default today in
        Europe/Amsterdam); footfall and parking use the 12 full months before it
    :returns: ``{"area", "title", "window", "footfall": [...], "shops": [...],
        "parking": [...], "events": [...], "freshness": [...], "excluded": [...]}``;
        each entry has ``source`` (``dataset``, ``resources``, ``mode`` full|aggregate)
        and, in aggregate mode, ``suppressed`` (figure and reason)
    """
    tk.check_access("retailarea_area_insights", context, data_dict)
    group = _area(data_dict["area"])
    as_of = data_dict.get("as_of") or dt.datetime.now(calendar.ZONE).date()
    window = Window(as_of)
    data = disclosure.area_data(context, group, TABLES)
    with query.reading() as connection:
        answer = compose.answer(connection, data, window)
    _log(data)
    return {"area": group.name, "title": group.title, "window": window.as_dict(),
            **answer, "excluded": data.excluded}


def _log(data: disclosure.AreaData) -> None:
    """One access-log entry per table a grant holder's figures read."""
    for reading in data.readings:
        if reading.grant is None:
            continue
        for resource_id in (rid for ids in reading.tables.values() for rid in ids):
            access_log.record(reading.grant, "retailarea_area_insights", resource_id,
                              access_log.remote_ip())


__all__ = ["retailarea_area_insights"]


def get_actions() -> dict[str, Any]:
    return {name: globals()[name] for name in __all__}
