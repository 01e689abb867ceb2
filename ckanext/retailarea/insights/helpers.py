"""Template helpers of the insights: the answer for the area page, labels."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.retailarea.insights import export


def retailarea_area_insights(area: str, as_of: str | None = None) -> dict[str, Any] | None:
    """The current user's insights of ``area`` (as of today, or ``as_of`` given as the
    page's query parameter); None when there are none to show."""
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    data_dict = {"area": area, **({"as_of": as_of} if as_of else {})}
    try:
        return tk.get_action("retailarea_area_insights")({"user": user}, data_dict)
    except (tk.ValidationError, tk.NotAuthorized, tk.ObjectNotFound):
        return None


def retailarea_insights_outline(area: str) -> dict[str, Any]:
    """What the map snippet needs to draw the outline of ``area`` alone."""
    found = tk.h.retailarea_area_map()
    return {**found, "areas": [a for a in found["areas"] if a["name"] == area]}


def retailarea_insights_rows(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return list(export.rows(answer))


def retailarea_insights_reason(reason: str) -> str:
    labels = {
        "restricted": tk._("restricted: request access to see its figures"),
        "not_loaded": tk._("no table in the DataStore yet"),
        "group_too_small": tk._("left out: fewer units than the minimum group size"),
        "not_cell_based": tk._("left out: not computed from groups of enough units"),
        "single_facility_values": tk._("left out: values of single facilities"),
        "not_an_aggregate": tk._("left out: a list is not an aggregate"),
    }
    return labels.get(reason, reason)


def retailarea_weekday_name(number: int | str) -> str:
    names = [tk._("Monday"), tk._("Tuesday"), tk._("Wednesday"), tk._("Thursday"),
             tk._("Friday"), tk._("Saturday"), tk._("Sunday")]
    if isinstance(number, str):
        keys = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        return names[keys.index(number)] if number in keys else number
    return names[number - 1]


def get_helpers() -> dict[str, Any]:
    return {name: globals()[name] for name in (
        "retailarea_area_insights", "retailarea_insights_outline", "retailarea_insights_rows",
        "retailarea_insights_reason", "retailarea_weekday_name")}
