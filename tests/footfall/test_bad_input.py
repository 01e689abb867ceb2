"""Bad input gets a 400 with the reason under the field's name, never a 500."""
from __future__ import annotations

from ckan.tests import factories as ckan_factories

from tests import factories

API = "/api/3/action/retailarea_footfall_series"
PARKING_API = "/api/3/action/retailarea_parking_occupancy_series"


def bad(app, url: str, field: str, **params) -> str:
    response = app.get(url, query_string=params, status=400)
    body = response.json
    assert body["success"] is False and body["error"]["__type"] == "Validation Error"
    assert field in body["error"], body["error"]
    return " ".join(body["error"][field])


DATASET_CASES = [
    ({}, "period", "Missing"),
    ({"period": "fortnight"}, "period", "Unknown period 'fortnight'"),
    ({"period": "month", "start": "yesterday"}, "start", "ISO date"),
    ({"period": "month", "start": "2025-13-01"}, "start", "No such date"),
    ({"period": "month", "end": "1850-01-01"}, "end", "between 1900 and 2100"),
    ({"period": "month", "start": "2025-12-31", "end": "2025-01-01"}, "end", "reversed"),
    ({"period": "day", "start": "2015-01-01", "end": "2025-12-31"}, "start", "at most 2200"),
    ({"period": "week", "start": "1990-01-01", "end": "2025-12-31"}, "start", "at most 1200"),
    ({"period": "month", "location_id": "NOWHERE"}, "location_id", "Unknown location"),
]


def test_bad_parameters_of_a_dataset_series(app, tiny, steward):
    for params, field, words in DATASET_CASES:
        message = bad(app, API, field, id=steward["dataset"]["name"], **params)
        assert words in message, (params, message)


def test_a_dataset_of_another_type(app, tiny, steward):
    parking = factories.Dataset(type="parking", standard="SPDP 2.0",
                                owner_org=steward["org"]["id"])
    assert "of type parking, not footfall" in bad(app, API, "id", id=parking["name"],
                                                 period="month")


def test_a_footfall_dataset_without_loaded_counts(app, steward):
    message = bad(app, API, "id", id=steward["dataset"]["name"], period="month")
    assert "no footfall_counts table in the DataStore" in message


def test_bad_area_or_dataset_choice(app, steward):
    for params, field, words in [
        ({"area": "atlantis"}, "area", "No retail area named 'atlantis'"),
        ({}, "id", "Missing value"),
        ({"id": "x", "area": "gouda-binnenstad"}, "area", "either id or area"),
    ]:
        assert words in bad(app, API, field, period="month", **params), params


def test_a_group_that_is_not_a_retail_area(app, steward):
    ckan_factories.Group(name="plain-group")
    assert "No retail area" in bad(app, API, "area", area="plain-group", period="month")
    assert "No retail area" in bad(app, API, "area", area=steward["org"]["name"],
                                   period="month")


def test_posted_values_of_the_wrong_type(app, tiny, steward):
    response = app.post(API, json={"id": steward["dataset"]["name"], "period": 5,
                                   "start": 20250101}, status=400)
    assert "period" in response.json["error"]


def test_an_unknown_dataset_is_not_found(app, steward):
    app.get(API, query_string={"id": "no-such-dataset", "period": "month"}, status=404)


def test_other_actions_keep_ckans_409(app, steward):
    """Only the series answer 400: CKAN's other actions are left as they are."""
    sysadmin = ckan_factories.SysadminWithToken()
    app.post("/api/3/action/package_create", json={"name": "x y"},
             headers={"Authorization": sysadmin["token"]}, status=409)


def test_bad_parameters_of_a_parking_series(app, steward):
    parking = factories.Dataset(type="parking", standard="SPDP 2.0",
                                owner_org=steward["org"]["id"])
    assert "Missing value" in bad(app, PARKING_API, "id", period="day")
    assert "not parking" in bad(app, PARKING_API, "id", id=steward["dataset"]["name"],
                                period="day")
    assert "no parking_occupancy table" in bad(app, PARKING_API, "id", id=parking["name"],
                                               period="day")
    assert "Unknown period" in bad(app, PARKING_API, "period", id=parking["name"],
                                   period="hour")


EMPTY_RANGE = {"period": "day", "start": "2024-01-01", "end": "2024-01-31"}


def test_a_range_without_counts(app, tiny, steward):
    """Counts start in June 2025: January 2024 has none (was a 500, issue 16)."""
    name = steward["dataset"]["name"]
    answer = app.get(API, query_string={"id": name, **EMPTY_RANGE}).json["result"]
    assert len(answer["total"]) == 31
    assert {entry["visitors"] for entry in answer["total"]} == {None}
    assert answer["locations"] == {}
    for url in (f"/dataset/{name}/footfall/series.csv",
                f"/dataset/{name}/footfall/series.json",
                "/retail-area/gouda-binnenstad/footfall/series.csv",
                "/retail-area/gouda-binnenstad/footfall/series.json"):
        app.get(url, query_string=EMPTY_RANGE, status=200)
