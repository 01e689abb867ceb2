"""A small catalog seen by three callers: anonymous, a logged-in user and a sysadmin."""
from __future__ import annotations

import datetime as dt

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from tests import factories

TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()


@pytest.fixture
def world(clean_datastore, clean_index):
    sysadmin = ckan_factories.SysadminWithToken()
    steward = ckan_factories.UserWithToken()
    user = ckan_factories.UserWithToken()
    org = ckan_factories.Organization(users=[{"name": steward["name"], "capacity": "admin"}])
    factories.RetailArea(name="gouda-binnenstad")
    restricted = factories.Dataset(
        name="winkels", owner_org=org["id"], access_level="restricted",
        permitted_purposes=["AcademicResearch"], groups=[{"name": "gouda-binnenstad"}])
    public = factories.Dataset(name="open", owner_org=org["id"])
    resource = ckan_factories.Resource(package_id=public["id"], url="https://example.org/a.csv")
    request = helpers.call_action(
        "retailarea_access_request_create", {"user": user["name"]}, package_id="winkels",
        purpose="AcademicResearch", justification="A thesis on vacancy.")
    world = {"sysadmin": sysadmin, "steward": steward, "user": user, "org": org,
             "restricted": restricted, "public": public, "resource": resource,
             "request": request}
    world["known"] = [sysadmin["name"], user["name"], org["name"], org["id"],
                      "gouda-binnenstad", "winkels", restricted["id"], "open", public["id"],
                      resource["id"], request["id"], "AcademicResearch", "2025-06-02"]
    return world


COUNTS = (
    "location_id,interval_start,interval,direction,mode,count,imputed\n"
    "GOU-01,2025-06-02T10:00:00+02:00,PT1H,in,pedestrian,12,false\n"
    "GOU-02,2025-06-02T11:00:00+02:00,PT1H,out,pedestrian,5,true\n"
)


@pytest.fixture
def footfall(world, create_with_upload, run_jobs):
    """A footfall dataset with counts in the DataStore, through the table pipeline."""
    dataset = factories.Footfall(name="passanten", owner_org=world["org"]["id"],
                                 groups=[{"name": "gouda-binnenstad"}])
    resource = create_with_upload(COUNTS, "counts.csv", package_id=dataset["id"],
                                  format="CSV", context={"user": world["sysadmin"]["name"]})
    run_jobs()
    world["known"] += ["passanten", dataset["id"], resource["id"], "GOU-01"]
    return dataset


def headers(account: dict | None) -> dict[str, str]:
    return {"Authorization": account["token"]} if account else {}
