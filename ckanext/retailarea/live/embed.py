"""schema.org JSON-LD of a public events or shop-register dataset's rows, for its page
(issue 21 part 4), so search engines and apps find them: the events of the coming year
(occurrences of series expanded) and the shops of today's register, at most MAX_NODES.
Only public datasets: restricted and non-public rows are never embedded, whoever looks."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model

from ckanext.retailarea.footfall import calendar, query, sources
from ckanext.retailarea.live import hours, read, shapes

MAX_NODES = 50
AHEAD = dt.timedelta(days=366)


def retailarea_dataset_json_ld(package_id: str) -> dict[str, Any] | None:
    """The JSON-LD to embed in a dataset page, or None (another type, not public, no
    loaded table, no rows)."""
    package = model.Package.get(package_id)
    if package is None or package.private or package.state != "active" or \
            package.extras.get("access_level") != "public" or \
            package.type not in ("events", "shop-register"):
        return None
    now = dt.datetime.now(calendar.ZONE)
    with query.reading() as connection:
        if package.type == "events":
            nodes = _events(connection, package, now)
        else:
            nodes = _shops(connection, package, now)
    return nodes or None


def _events(connection, package: model.Package, now: dt.datetime) -> dict[str, Any] | None:
    found: list[dict[str, Any]] = []
    for row in read.events(connection, sources.loaded_tables(package, "events"), now,
                           now + AHEAD):
        found += hours.occurrences(row, now, now + AHEAD, package.name)
    found.sort(key=lambda e: e["start"])
    return shapes.events_schema_org({"events": found[:MAX_NODES]}) if found else None


def _shops(connection, package: model.Package, now: dt.datetime) -> dict[str, Any] | None:
    rows = read.shops(connection, sources.loaded_tables(package, "shops"), now.date(), None)
    shops = [{"shop_id": r.shop_id, "name": r.name, "street": r.street,
              "house_number": r.house_number, "postcode": r.postcode, "city": r.city,
              "lat": float(r.lat) if r.lat is not None else None,
              "lon": float(r.lon) if r.lon is not None else None,
              "week": hours.week(r.opening_hours, now), "dataset": package.name}
             for r in rows[:MAX_NODES]]
    return shapes.shops_schema_org({"shops": shops}) if shops else None
