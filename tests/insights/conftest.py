"""Small typed tables put straight into the DataStore, as the table pipeline leaves them
(``datastore_create`` with the table schema's columns, a loaded report, the load hook),
so each test builds the few rows it needs in milliseconds."""
from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import ckan.plugins as p
import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.retailarea.model import TableReport
from ckanext.retailarea.tables import datastore as table_datastore
from ckanext.retailarea.tables import schemas as table_schemas
from ckanext.retailarea.tables.interfaces import IRetailAreaTables
from tests import factories

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
AS_OF = dt.date(2025, 7, 15)  # current window 2024-07-01 .. 2025-06-30


def add_table(dataset: dict, table_schema: str, records: list[dict[str, Any]]) -> str:
    """A resource of ``dataset`` whose DataStore table holds ``records``."""
    site_user = helpers.call_action("get_site_user", {"ignore_auth": True})["name"]
    system = {"ignore_auth": True, "user": site_user}
    resource = helpers.call_action("resource_create", dict(system), package_id=dataset["id"],
                                   url=f"https://example.org/{table_schema}.csv",
                                   format="CSV", name=table_schema)
    schema = table_schemas.load(table_schema)
    create = {"resource_id": resource["id"], "force": True, "records": records,
              "fields": table_datastore.datastore_fields(schema)}
    if schema.get("primaryKey"):
        create["primary_key"] = schema["primaryKey"]
    helpers.call_action("datastore_create", dict(system), **create)
    for plugin in p.PluginImplementations(IRetailAreaTables):
        plugin.retailarea_after_table_load(resource["id"], table_schema)
    TableReport(resource_id=resource["id"]).set(
        package_id=dataset["id"], status="loaded", table_schema=table_schema,
        rows_loaded=len(records))
    return resource["id"]


def counts(location: str, days: list[dt.date], hours: range, value) -> list[dict]:
    """Hourly counts of one location; ``value(day, hour)`` visitors."""
    return [{"location_id": location, "interval": "PT1H", "direction": "in",
             "mode": "pedestrian", "imputed": False, "count": value(day, hour),
             "interval_start": dt.datetime.combine(day, dt.time(hour), AMSTERDAM).isoformat()}
            for day in days for hour in hours]


def span(first: dt.date, number: int) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range(number)]


@pytest.fixture
def world(clean_datastore, clean_index):
    steward = ckan_factories.User()
    org = ckan_factories.Organization(users=[{"name": steward["name"], "capacity": "editor"}],
                                      image_url="")
    area = factories.RetailArea(name="gouda-binnenstad")
    return {"steward": steward, "org": org, "area": area}


def dataset(world: dict, factory=factories.Dataset, **fields) -> dict:
    return factory(owner_org=world["org"]["id"], groups=[{"name": world["area"]["name"]}],
                   **fields)


def insights(user: dict | None = None, **params) -> dict:
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    params.setdefault("area", "gouda-binnenstad")
    params.setdefault("as_of", AS_OF.isoformat())
    return helpers.call_action("retailarea_area_insights", context, **params)
