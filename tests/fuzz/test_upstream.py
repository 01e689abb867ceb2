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
