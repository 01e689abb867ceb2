"""Footfall datasets loaded through the real table pipeline (upload, validation job,
DataStore, load hook), as a steward would."""
from __future__ import annotations

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from tests import factories
from tests.footfall import data

TINY = (
    "location_id,interval_start,interval,direction,mode,count,imputed\n"
    "GOU-01,2025-06-02T10:00:00+02:00,PT1H,in,pedestrian,12,false\n"
    "GOU-01,2025-06-02T11:00:00+02:00,PT1H,in,pedestrian,7,true\n"
    "GOU-02,2025-06-02T10:00:00+02:00,PT1H,out,pedestrian,5,false\n"
)


@pytest.fixture
def steward(clean_datastore, clean_index):
    user = ckan_factories.User()
    org = ckan_factories.Organization(users=[{"name": user["name"], "capacity": "editor"}],
                                      image_url="")  # faker's would be fetched by browsers
    area = factories.RetailArea(name="gouda-binnenstad")
    dataset = factories.Footfall(owner_org=org["id"], groups=[{"name": "gouda-binnenstad"}])
    return {"user": user, "org": org, "area": area, "dataset": dataset,
            "context": {"user": user["name"]}}


@pytest.fixture
def load(create_with_upload, run_jobs, steward):
    """Upload a CSV to a dataset (the steward's by default) and run the pipeline."""

    def upload(content: str, dataset: dict | None = None, name: str = "counts.csv",
               **extra) -> dict:
        resource = create_with_upload(
            content, name, package_id=(dataset or steward["dataset"])["id"], format="CSV",
            context={"user": steward["user"]["name"]}, **extra)
        run_jobs()
        report = helpers.call_action("retailarea_table_report_show", {"ignore_auth": True},
                                     resource_id=resource["id"])
        assert report["status"] == "loaded", report["message"]
        return resource

    return upload


@pytest.fixture
def crafted(load, steward):
    """The crafted counts of data.py in the steward's dataset."""
    records = data.rows()
    resource = load(data.as_csv(records))
    return {"dataset": steward["dataset"], "resource": resource, "records": records}


@pytest.fixture
def tiny(load, steward):
    return load(TINY)


def series(context: dict | None = None, **params) -> dict:
    return helpers.call_action("retailarea_footfall_series", context or {}, **params)
