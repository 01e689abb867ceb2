"""The retail areas of a dataset (field retail_areas): required in the web form for the
typed datasets, optional through the API, checked the same way wherever they are given."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.retailarea.metadata import areas
from tests import factories


@pytest.fixture
def steward(clean_db, clean_index):
    user = ckan_factories.User()
    org = ckan_factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    member = [{"name": user["name"], "capacity": "member"}]
    return {
        "user": user, "org": org,
        "gouda": factories.RetailArea(name="gouda", title="Gouda binnenstad", users=member),
        "delft": factories.RetailArea(name="delft", title="Delft centrum", users=member),
        "other": factories.RetailArea(name="leiden", title="Leiden centrum"),
        "plain": ckan_factories.Group(name="thema", users=member),
    }


def create(steward, **fields):
    data = dict(
        name="telling-gouda", title="Telling Gouda", owner_org=steward["org"]["id"],
        type="footfall", counting_method="thermal", access_level="public",
        contains_personal_data=False, theme=["ECON"],
    )
    data.update(fields)
    return helpers.call_action("package_create", context(steward), **data)


def context(steward):
    return {"user": steward["user"]["name"], "ignore_auth": False}


def area_errors(steward, **fields) -> list[str]:
    with pytest.raises(tk.ValidationError) as error:
        create(steward, **fields)
    return error.value.error_dict["retail_areas"]


def group_names(dataset) -> list[str]:
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert "retail_areas" not in shown
    return sorted(group["name"] for group in shown["groups"])


def test_the_choice_is_the_areas_the_steward_may_publish_to(steward):
    assert [(c["value"], c["label"]) for c in areas.choices(steward["user"]["name"])] == [
        ("delft", "Delft centrum"), ("gouda", "Gouda binnenstad")]
    assert areas.choices(steward["gouda"]["name"]) == [] and areas.choices(None) == []


def test_chosen_areas_become_group_membership_and_lend_their_outline(steward):
    dataset = create(steward, retail_areas=["gouda", "delft"])
    assert group_names(dataset) == ["delft", "gouda"]
    assert json.loads(dataset["spatial"]) == json.loads(steward["gouda"]["geometry"])


def test_through_the_api_the_area_is_optional(steward):
    assert group_names(create(steward)) == []


def test_the_form_sends_the_field_and_then_a_typed_dataset_needs_an_area(steward):
    assert area_errors(steward, retail_areas=[""]) == [
        "Choose the retail area the data is about"]
    assert group_names(create(steward, type="dataset", retail_areas="")) == []


@pytest.mark.parametrize(("name", "message"), [
    ("nergens", "There is no retail area nergens"),
    ("thema", "There is no retail area thema"),
    ("leiden", "You may not publish to the retail area leiden: ask its administrator to add "
               "you as a member"),
])
def test_an_area_that_is_not_allowed_is_a_field_error(steward, name, message):
    assert area_errors(steward, retail_areas=["gouda", name]) == [message]


def test_the_message_is_in_the_language_of_the_request(steward, app):
    response = app.post(
        "/nl/api/3/action/package_create",
        json={"name": "t", "type": "footfall", "owner_org": steward["org"]["id"],
              "retail_areas": ["leiden"], "counting_method": "thermal", "theme": ["ECON"]},
        headers={"Authorization": ckan_factories.APIToken(user=steward["user"]["name"])["token"]},
        status=409,
    )
    assert "Winkelgebied" not in response.json["error"]["retail_areas"][0]
    assert response.json["error"]["retail_areas"][0].startswith("U mag niet publiceren")


def test_an_update_replaces_the_areas_and_keeps_other_groups(steward):
    dataset = create(steward, retail_areas=["gouda"], groups=[{"name": "thema"}])
    assert group_names(dataset) == ["gouda", "thema"]
    helpers.call_action("package_patch", context(steward),
                        id=dataset["id"], retail_areas=["delft"])
    assert group_names(dataset) == ["delft", "thema"]


def test_areas_given_as_groups_are_checked_by_ckan(steward):
    with pytest.raises(tk.NotAuthorized):
        create(steward, groups=[{"name": "leiden"}])


def test_an_area_the_steward_may_not_publish_to_stays_when_they_edit(steward):
    dataset = create(steward, retail_areas=["gouda"])
    helpers.call_action("member_create", id="leiden", object=dataset["id"],
                        object_type="package", capacity="public")
    assert group_names(dataset) == ["gouda", "leiden"]
    helpers.call_action("package_patch", context(steward), id=dataset["id"],
                        retail_areas=["delft"])
    assert group_names(dataset) == ["delft", "leiden"]
