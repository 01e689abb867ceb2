"""Template helpers of the series charts; they return data, never HTML."""
from __future__ import annotations

import logging
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context
from sqlalchemy.exc import SQLAlchemyError

from ckanext.retailarea.footfall import query, sources
from ckanext.retailarea.footfall.store import COUNTS

FOOTFALL = "footfall"
log = logging.getLogger(__name__)


def _context() -> Context:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _chart(selection: sources.Selection, json_url: str, csv_url: str) -> dict[str, Any] | None:
    """The latest calendar year with counts, shown by month at first. A page without
    its chart is better than no page: a DataStore that does not answer hides the chart."""
    try:
        with query.reading() as connection:
            tables = query.classify(connection, selection.resource_ids)
            known = query.data_range(connection, tables) if tables.present else None
    except SQLAlchemyError:
        log.exception("footfall chart: the DataStore did not answer")
        return None
    if known is None:
        return None
    year = known[1].year
    return {"allowed": True, "json_url": json_url, "csv_url": csv_url, "year": year,
            "start": f"{year}-01-01", "end": f"{year}-12-31", "period": "month"}


def retailarea_footfall_chart(dataset: dict[str, Any] | None = None,
                              area: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """What the visitors chart of a footfall dataset or a retail area needs: None when
    there is nothing to chart, ``{"allowed": False}`` when the caller may not read the
    counts, else the download URLs and the year to show."""
    context = _context()
    if dataset is not None:
        package = model.Package.get(dataset.get("id", ""))
        if package is None or package.type != FOOTFALL:
            return None
        if not sources.reach(context, package).allowed:
            return {"allowed": False}
        selection = sources.Selection([sources.Source(
            package, sources.loaded_tables(package, COUNTS))])
        urls = {key: tk.h.url_for("retailarea_footfall.dataset_series", id=package.name,
                                  fmt=key) for key in ("json", "csv")}
    elif area is not None:
        try:
            selection = sources.area(context, area.get("name", ""), FOOTFALL, COUNTS)
        except tk.ValidationError:
            return None
        if not selection.sources:
            restricted = any(e["reason"] == "restricted" for e in selection.excluded)
            return {"allowed": False} if restricted else None
        urls = {key: tk.h.url_for("retailarea_footfall.area_series", area=area["name"],
                                  fmt=key) for key in ("json", "csv")}
    else:
        return None
    return _chart(selection, urls["json"], urls["csv"])


def get_helpers() -> dict[str, Any]:
    return {"retailarea_footfall_chart": retailarea_footfall_chart}
