"""Core bugs worked around in guard/upstream.py and guard/views.py (docs/upstream.md)."""
from __future__ import annotations

from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from tests.fuzz.conftest import headers


def _activity_of(world, object_type: str = "package") -> str:
    sysadmin = world["sysadmin"]
    helpers.call_action("package_patch", {"user": sysadmin["name"]}, id="open", notes="new")
    if object_type == "package":
        found = helpers.call_action("package_activity_list", {"user": sysadmin["name"]},
                                    id="open")
    else:
        group = ckan_factories.Group(user=sysadmin)
        found = helpers.call_action("group_activity_list", {"user": sysadmin["name"]},
                                    id=group["id"])
    return found[0]["id"]


def test_activity_show_without_include_data(app, world):
    activity_id = _activity_of(world)
    for account, status in ((world["sysadmin"], 200), (world["user"], 200), (None, 200)):
        answer = app.get("/api/3/action/activity_show", query_string={"id": activity_id},
                         headers=headers(account), status=status).json
        assert answer["result"]["id"] == activity_id


def test_the_resource_history_page(app, world):
    rid = world["resource"]["id"]
    known = _activity_of(world)
    group_activity = _activity_of(world, "group")
    for account in (world["sysadmin"], world["user"], None):
        for activity_id, status in (("no-such-activity", 404), (group_activity, 404),
                                    (known, 200)):
            app.get(f"/dataset/open/resources/{rid}/history/{activity_id}",
                    headers=headers(account), status=status)


def test_ids_of_core_actions_that_are_not_strings(app, world):
    for action, body in [("package_show", {"id": 1}), ("package_show", {"id": ["a", "b"]}),
                         ("resource_show", {"id": {"a": 1}}), ("group_show", {"id": 1}),
                         ("datastore_info", {"id": 1}), ("harvest_source_show", {"id": []}),
                         ("group_list", {"q": None}), ("user_show", {"id": 2.5})]:
        answer = app.post(f"/api/3/action/{action}", json=body,
                          headers=headers(world["sysadmin"]), status=409).json
        field = next(iter(body))
        assert answer["error"][field][0].startswith("Must be a string"), (action, answer)
    answer = app.get("/api/3/action/group_list?q=a&q=b", status=409).json
    assert answer["error"]["q"] == ["Give one value, not 2"]


def test_input_core_actions_read_without_checking(app, world):
    for action, body, field in [
        ("group_autocomplete", {}, "q"), ("organization_autocomplete", {}, "q"),
        ("datastore_run_triggers", {}, "resource_id"),
        ("harvest_job_create", {}, "source_id"),
        ("harvest_get_notifications_recipients", {}, "source_id"),
        ("harvest_source_show_status", {}, "id"), ("harvest_job_abort", {}, "id"),
        ("harvest_abort_failed_jobs", {"life_span": "abc"}, "life_span"),
    ]:
        answer = app.post(f"/api/3/action/{action}", json=body,
                          headers=headers(world["sysadmin"]), status=409).json
        assert field in answer["error"], (action, answer)


def test_harvest_actions_of_anonymous_and_plain_users(app, world):
    for account, action, body, status in [
        (None, "harvest_job_create_all", {}, 403), (None, "harvest_jobs_run", {}, 403),
        (world["user"], "harvest_log_list", {}, 403),
        (world["user"], "harvest_sources_job_history_clear", {}, 403),
        (world["user"], "harvest_job_list", {}, 403),
        (world["user"], "harvest_source_clear", {}, 409),
        (world["sysadmin"], "harvest_abort_failed_jobs", {}, 200),
        (world["user"], "harvest_abort_failed_jobs", {}, 403),
    ]:
        app.post(f"/api/3/action/{action}", json=body, headers=headers(account),
                 status=status)


def test_harvest_source_reindex_is_for_harvest_sources_and_their_editors(app, world):
    """ckanext-harvest's harvest_source_reindex calls no auth function and indexes any
    dataset id it is given from an unvalidated show; on CKAN 2.12 that dict becomes the
    search index's validated_data_dict, which package_show then answers from: a GET by
    anyone stripped every schema field (access level included) from a dataset. Found by
    the generated access matrix on 2.12."""
    from ckan.lib import search

    for account in [None, world["user"]]:  # no id: a field message, not a 500
        answer = app.get("/api/3/action/harvest_source_reindex", headers=headers(account),
                         status=409)
        assert answer.json["error"]["id"] == ["Missing value"]
    for account, status in [(None, 403), (world["user"], 403), (world["steward"], 409),
                            (world["sysadmin"], 409)]:
        app.get("/api/3/action/harvest_source_reindex", query_string={"id": "winkels"},
                headers=headers(account), status=status)
    source = helpers.call_action(
        "harvest_source_create", {"user": world["sysadmin"]["name"]}, name="bron",
        url="https://example.org/catalog.ttl", source_type="dcat_rdf",
        owner_org=world["restricted"]["owner_org"])
    for account, action, status in [(world["steward"], "harvest_source_reindex", 200),
                                    (world["user"], "harvest_source_reindex", 403),
                                    (world["sysadmin"], "harvest_sources_reindex", 200)]:
        app.get(f"/api/3/action/{action}", query_string={"id": source["id"]},
                headers=headers(account), status=status)
    shown = helpers.call_action("package_show", {"user": world["sysadmin"]["name"]},
                                id="winkels")
    assert shown["access_level"] == "restricted"
    indexed = search.show(shown["id"])
    assert '"access_level": "restricted"' in indexed["validated_data_dict"]


def test_the_datastore_s_own_tables_are_not_resources(app, world):
    """``_table_metadata`` is the DataStore's own view of its tables, not a resource:
    datastore_search and datastore_info on it answered 500 for anyone (CKAN core)."""
    for action in ("datastore_search", "datastore_info"):
        for account in (None, world["user"], world["sysadmin"]):
            answer = app.get(f"/api/3/action/{action}", headers=headers(account),
                             query_string={"resource_id": "_table_metadata",
                                           "id": "_table_metadata"})
            assert answer.status_code in (403, 404, 409), (action, answer.status_code,
                                                           answer.get_data(as_text=True)[:300])
