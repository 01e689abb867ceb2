"""The 500s the generated leak matrix found in CKAN core and ckanext-harvest answer 4xx
(guard/registry.py); each of these failed with a 500 before."""
from __future__ import annotations

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.retailarea.guard.registry import HARVEST_NON_ACTIONS
from tests import factories


@pytest.fixture
def token(clean_db):
    user = ckan_factories.User(name="probe-user")
    return helpers.call_action("api_token_create", {"user": user["name"]},
                               user=user["name"], name="t")["token"]


@pytest.mark.parametrize("name", HARVEST_NON_ACTIONS)
def test_harvest_helpers_are_not_actions(app, token, name):
    response = app.post(f"/api/3/action/{name}", json={}, headers={"Authorization": token})
    assert response.status_code == 404
    assert "is not an action" in response.get_data(as_text=True)


@pytest.mark.parametrize(("name", "body", "field"), [
    ("user_invite", {"email": "a@b.invalid"}, "group_id"),
    ("task_status_update_many", {"data": "x"}, "data"),
])
def test_unchecked_input_is_a_validation_error(app, token, name, body, field):
    response = app.post(f"/api/3/action/{name}", json=body, headers={"Authorization": token})
    assert response.status_code == 409 and field in response.json["error"]


def test_collaborator_list_for_anonymous(app, token):
    org = ckan_factories.Organization(users=[{"name": "probe-user", "capacity": "admin"}])
    dataset = factories.Dataset(owner_org=org["id"], user={"name": "probe-user"})
    response = app.get("/api/3/action/package_collaborator_list",
                       query_string={"id": dataset["id"]})
    assert response.status_code == 403
    unknown = app.get("/api/3/action/package_collaborator_list",
                      query_string={"id": "no-such-dataset"}, headers={"Authorization": token})
    assert unknown.status_code == 404


@pytest.mark.parametrize("query", ["", "?new_id=x&old_id=y"])
def test_changes_multiple_without_activities(app, clean_db, query):
    response = app.get(f"/dataset/changes_multiple{query}")
    assert response.status_code == 400
