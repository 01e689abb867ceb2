"""Cases that answered 500 before issue 16: each now gets a 4xx with a reason. The
cases of one kind share a test (and its catalog), as each catalog takes seconds."""
from __future__ import annotations

import pytest
from ckan.tests import helpers

from tests.fuzz.conftest import headers

API = "/api/3/action/"
NOT_STRINGS = [1, ["winkels"], {"id": "winkels"}, True, 1e300]


def post(app, action: str, account: dict | None, body: dict, status: int) -> dict:
    response = app.post(API + action, json=body, headers=headers(account), status=status)
    return response.json


def field_error(app, action: str, account: dict | None, body: dict, field: str) -> str:
    """A Validation Error (409, CKAN's code) naming the field."""
    answer = post(app, action, account, body, 409)
    assert answer["error"]["__type"] == "Validation Error", (action, body, answer)
    assert field in answer["error"], (action, body, answer["error"])
    return " ".join(answer["error"][field])


def test_ids_that_are_not_strings(app, world):
    for action in ("retailarea_access_request_list", "retailarea_access_grant_list",
                   "retailarea_access_log_list", "retailarea_access_request_create"):
        for value in NOT_STRINGS:
            message = field_error(app, action, world["steward"], {"package_id": value},
                                  "package_id")
            assert "Must be a string" in message, (action, value, message)
    for action in ("retailarea_table_report_show", "retailarea_table_validate"):
        for value in NOT_STRINGS:
            field_error(app, action, world["sysadmin"], {"resource_id": value}, "resource_id")
    for action in ("retailarea_access_request_decide", "retailarea_access_grant_revoke"):
        body = {"id": {"$ne": ""}, "decision": "approve"}
        field_error(app, action, world["steward"], body, "id")


def test_flags_numbers_and_choices_of_the_access_actions(app, world):
    for value in ("maybe", 5, ["true"]):
        message = field_error(app, "retailarea_access_grant_list", world["user"],
                              {"active": value}, "active")
        assert message == "Use true or false", message
    for field, value in [("limit", "abc"), ("offset", -1), ("limit", -5), ("limit", 0),
                         ("limit", 10**30), ("offset", 10**30), ("offset", [1])]:
        field_error(app, "retailarea_access_log_list", world["steward"],
                    {"package_id": "winkels", field: value}, field)
    for value in (1, ["pending"], "everything"):
        field_error(app, "retailarea_access_request_list", world["user"],
                    {"status": value}, "status")
    body = {"package_id": "winkels", "purpose": "AcademicResearch",
            "justification": "Research.", "accept_conditions": {"yes": 1}}
    field_error(app, "retailarea_access_request_create", world["sysadmin"], body,
                "accept_conditions")


def test_the_access_log_pages_as_before(app, world):
    entries = post(app, "retailarea_access_log_list", world["steward"],
                   {"package_id": "winkels", "limit": "5", "offset": "0"}, 200)
    assert entries["result"] == []


@pytest.mark.parametrize("expires", ["9999-12-31", "9999-12-31T23:59:59", "0001-01-01",
                                     "2027-02-30", 20270101, "+002027-01-01", "tomorrow"])
def test_expiry_dates_at_the_edges(app, world, expires):
    body = {"id": world["request"]["id"], "decision": "approve", "expires": expires}
    field_error(app, "retailarea_access_request_decide", world["steward"], body, "expires")


def test_a_nul_byte_in_the_query(app, world):
    for path in ("retailarea_footfall_series?id=%00&period=month",
                 "retailarea_footfall_series?id=x&period=month&location_id=a%00b",
                 "retailarea_parking_occupancy_series?id=x&period=month&facility=%00",
                 "package_show?id=%00", "retailarea_access_request_list?package_id=%00"):
        response = app.get(API + path, status=400)
        assert "NUL" in response.json["error"]["message"], path


def test_flags_of_core_show_actions(app, world):
    for action, body in [
        ("group_show", {"id": "gouda-binnenstad", "include_datasets": "maybe"}),
        ("organization_show", {"id": world["org"]["name"], "include_users": "perhaps"}),
        ("group_show", {"id": "gouda-binnenstad", "include_extras": "sometimes"}),
        ("package_search", {"include_private": "maybe"}),
    ]:
        answer = post(app, action, world["user"], body, 409)
        flag = next(key for key in body if key.startswith("include"))
        assert answer["error"][flag] == ["Use true or false"], (action, answer)


def test_sql_errors_of_postgresql(app, world):
    rid = world["resource"]["id"]
    helpers.call_action("datastore_create", {"user": world["sysadmin"]["name"]},
                        resource_id=rid, force=True, fields=[{"id": "n", "type": "int"}],
                        records=[{"n": 1}])
    for sql in ('SELECT 1/0 AS x FROM "{rid}"', 'SELECT \'x\'::int AS x FROM "{rid}"',
                'SELECT * FROM "{rid}" LIMIT -1'):
        answer = post(app, "datastore_search_sql", world["sysadmin"],
                      {"sql": sql.format(rid=rid)}, 409)
        assert answer["error"]["__type"] == "Validation Error", (sql, answer)
        assert answer["error"]["sql"], answer


def test_sql_search_without_a_statement(app, world):
    """CKAN 2.12's DataStore reads data_dict["sql"] unchecked (a KeyError, a 500; 2.11
    checked it); found by the generated access matrix."""
    for body in ({}, {"sql": ""}, {"sql": ["SELECT 1"]}):
        answer = post(app, "datastore_search_sql", world["user"], body, 409)
        assert answer["error"]["__type"] == "Validation Error", (body, answer)
        assert answer["error"]["sql"], (body, answer)


def test_catalog_query_with_a_local_parameter(app, world):
    response = app.get("/catalog.ttl", query_string={"q": "{!join from=id to=id}x"},
                       status=400)
    assert "query" in response.get_data(as_text=True)


def test_paging_numbers_of_core_actions(app, world):
    """CKAN's limit_to_configured_maximum raised TypeError on a list (found by the
    fuzzer); PostgreSQL refuses an OFFSET past 2**63."""
    for action, body, message in [
        ("recently_changed_packages_activity_list", {"limit": []},
         "Must be a whole number, not a list"),
        ("package_activity_list", {"id": "open", "offset": 10**30}, "At most 2147483647"),
        ("package_search", {"rows": {"a": 1}}, "Must be a whole number, not an object"),
    ]:
        answer = post(app, action, world["user"], body, 409)
        field = next(key for key in body if key != "id")
        assert answer["error"][field] == [message], (action, answer)
