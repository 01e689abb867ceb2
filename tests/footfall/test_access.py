"""The dataset's access rules apply to its series: restricted counts need an active
grant (and each read by a grant holder is logged), non-public ones are for the
organization; an area series leaves out what the caller may not read, without leaking."""
from __future__ import annotations

import datetime as dt
import json

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.retailarea.model.access import AccessLog
from tests import factories
from tests.footfall.conftest import TINY, series

API = "/api/3/action/retailarea_footfall_series"
OTHER = (
    "location_id,interval_start,interval,direction,mode,count,imputed\n"
    "SECRET-01,2025-06-02T10:00:00+02:00,PT1H,in,pedestrian,1000,false\n"
)
TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()


def as_user(user: dict | None) -> dict:
    return {"user": user["name"] if user else "", "ignore_auth": False}


@pytest.fixture
def restricted(load, steward):
    dataset = factories.Footfall(
        name="tellingen-geheim", owner_org=steward["org"]["id"], access_level="restricted",
        permitted_purposes=["AcademicResearch"], groups=[{"name": "gouda-binnenstad"}])
    resource = load(OTHER, dataset=dataset)
    return {"dataset": dataset, "resource": resource}


def grant(steward: dict, dataset: dict) -> dict:
    requester = ckan_factories.User()
    request = helpers.call_action(
        "retailarea_access_request_create", as_user(requester), package_id=dataset["id"],
        purpose="AcademicResearch", justification="Footfall study.")
    helpers.call_action("retailarea_access_request_decide", as_user(steward["user"]),
                        id=request["id"], decision="approve", expires=TOMORROW)
    return requester


def log_rows(package_id: str) -> list[AccessLog]:
    return model.Session.query(AccessLog).filter_by(package_id=package_id).all()


def test_restricted_counts_need_a_grant_and_every_read_is_logged(app, restricted, steward):
    dataset = restricted["dataset"]
    response = app.get(API, query_string={"id": dataset["name"], "period": "day"}, status=403)
    assert "request access" in response.json["error"]["message"]
    with pytest.raises(tk.NotAuthorized):
        series(as_user(ckan_factories.User()), id=dataset["name"], period="day")

    holder = grant(steward, dataset)
    answer = series(as_user(holder), id=dataset["name"], period="day")
    assert answer["total"][0]["visitors"] == 1000
    series(as_user(holder), id=dataset["name"], period="month")

    rows = log_rows(dataset["id"])
    assert [(r.action, r.resource_id, r.purpose) for r in rows] == [
        ("retailarea_footfall_series", restricted["resource"]["id"], "AcademicResearch")] * 2
    assert {r.user_id for r in rows} == {holder["id"]}

    series(as_user(steward["user"]), id=dataset["name"], period="day")  # a member: no grant
    assert len(log_rows(dataset["id"])) == 2


def test_non_public_counts_are_for_the_organization(load, steward):
    dataset = factories.Footfall(owner_org=steward["org"]["id"], access_level="non_public",
                                 contains_personal_data=True, legal_basis="A6-1-e")
    load(TINY, dataset=dataset)
    with pytest.raises(tk.NotAuthorized):
        series(as_user(ckan_factories.User()), id=dataset["id"], period="day")
    with pytest.raises(tk.NotAuthorized):
        series(as_user(None), id=dataset["id"], period="day")
    assert series(as_user(steward["user"]), id=dataset["id"], period="day")["total"]


def test_an_area_series_leaves_out_what_the_caller_may_not_read(tiny, restricted, steward,
                                                                load):
    hidden = factories.Footfall(name="tellingen-intern", owner_org=steward["org"]["id"],
                                access_level="non_public", contains_personal_data=True,
                                legal_basis="A6-1-e", groups=[{"name": "gouda-binnenstad"}])
    load(OTHER.replace("SECRET-01", "HIDDEN-01"), dataset=hidden)

    anonymous = series(as_user(None), area="gouda-binnenstad", period="day")
    assert [d["name"] for d in anonymous["datasets"]] == [steward["dataset"]["name"]]
    assert [(e["name"], e["reason"]) for e in anonymous["excluded"]] == [
        ("tellingen-geheim", "restricted")]
    assert set(anonymous["locations"]) == {"GOU-01", "GOU-02"}
    assert anonymous["total"][0]["visitors"] == 12 + 7 + 5
    text = json.dumps(anonymous)
    assert "HIDDEN" not in text and "tellingen-intern" not in text

    holder = grant(steward, restricted["dataset"])
    granted = series(as_user(holder), area="gouda-binnenstad", period="day")
    assert granted["excluded"] == []
    assert granted["total"][0]["visitors"] == 12 + 7 + 5 + 1000
    assert [r.action for r in log_rows(restricted["dataset"]["id"])] == [
        "retailarea_footfall_series"]

    member = series(as_user(steward["user"]), area="gouda-binnenstad", period="day")
    assert member["total"][0]["visitors"] == 12 + 7 + 5 + 1000 + 1000
    assert set(member["locations"]) == {"GOU-01", "GOU-02", "SECRET-01", "HIDDEN-01"}


def test_the_stored_day_totals_are_not_open_to_datastore_sql(app, restricted):
    """The summary holds restricted aggregates: the DataStore's SQL search must refuse
    it as it refuses any table that is not a resource the caller may read."""
    sql = "SELECT * FROM retailarea_footfall.day_totals"
    response = app.get("/api/3/action/datastore_search_sql", query_string={"sql": sql})
    assert response.status_code in (403, 404, 409)
    assert "SECRET" not in response.get_data(as_text=True)
