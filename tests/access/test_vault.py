"""The vault (access/vault.py): where the URLs of restricted and non-public datasets live,
how they come back to those who may reach the data, and how every write path keeps them
out of CKAN's rows."""
from __future__ import annotations

import datetime as dt
import json

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.retailarea.access import vault, vault_upgrade
from ckanext.retailarea.model import extras
from ckanext.retailarea.model.access import AccessGrant, ResourceSecret, now
from tests import factories

REAL = "https://real-secret.example.org/data.csv"


@pytest.fixture
def world(clean_db, clean_index):
    admin = ckan_factories.User(name="vault-admin")
    editor = ckan_factories.User(name="vault-editor")
    member = ckan_factories.User(name="vault-member")
    holder = ckan_factories.User(name="vault-holder")
    stranger = ckan_factories.User(name="vault-stranger")
    org = ckan_factories.Organization(users=[
        {"name": "vault-admin", "capacity": "admin"},
        {"name": "vault-editor", "capacity": "editor"},
        {"name": "vault-member", "capacity": "member"}])
    dataset = factories.Dataset(
        name="vaulted", owner_org=org["id"], access_level="restricted",
        permitted_purposes=["AcademicResearch", "Marketing"], user=admin,
        resources=[{"name": "link", "url": REAL, "download_url": REAL + "?dl",
                    "access_url": "https://real-secret.example.org/",
                    "note": "mirror at https://real-secret.example.org/m"}])
    model.Session.add(AccessGrant(
        request_id="direct", package_id=dataset["id"], user_id=holder["id"],
        purpose="AcademicResearch", expires=now() + dt.timedelta(days=3),
        granted_by="vault-admin"))
    model.Session.commit()
    return {"admin": admin, "editor": editor, "member": member, "holder": holder,
            "stranger": stranger, "org": org, "dataset": dataset}


def act(action, user, **data):
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action(action, context, **data)


def link_as(user, name="vaulted"):
    return act("package_show", user, id=name)["resources"][0]


def row(resource_id):
    return model.Session.execute(sa.text(
        "SELECT url, extras FROM resource WHERE id = :i"), {"i": resource_id}).first()


def test_rows_hold_the_neutral_route_and_the_vault_the_values(world):
    resource = link_as(world["stranger"])
    url, extras = row(resource["id"])
    assert url == vault.neutral_url(resource["id"])
    assert "real-secret" not in url + (extras or "")
    assert resource["url"] == url and resource["retailarea_withheld"] is True
    assert "note" not in resource
    kept = vault.kept(world["dataset"]["id"])[resource["id"]]
    assert kept == {"url": REAL, "download_url": REAL + "?dl",
                    "access_url": "https://real-secret.example.org/",
                    "note": "mirror at https://real-secret.example.org/m"}


@pytest.mark.parametrize("role", ["holder", "member", "editor", "admin"])
def test_those_who_reach_the_data_get_every_value(world, role):
    resource = link_as(world[role])
    assert resource["url"] == REAL and resource["download_url"] == REAL + "?dl"
    assert resource["note"] == "mirror at https://real-secret.example.org/m"
    shown = act("resource_show", world[role], id=resource["id"])
    assert shown["access_url"] == "https://real-secret.example.org/"


def test_internal_reads_see_the_neutral_values(world):
    shown = helpers.call_action("package_show", {"ignore_auth": True, "user": ""},
                                id="vaulted")
    assert "real-secret" not in json.dumps(shown)


def test_an_edit_that_does_not_touch_the_resources_keeps_the_values(world):
    act("package_patch", world["editor"], id="vaulted", notes="new notes")
    helpers.call_action("package_patch", {"ignore_auth": True, "user": "vault-admin"},
                        id="vaulted", title="Internal edit")
    helpers.call_action("resource_patch", {"ignore_auth": True, "user": "vault-admin"},
                        id=link_as(world["admin"])["id"], name="renamed")
    resource = link_as(world["holder"])
    assert resource["url"] == REAL and resource["name"] == "renamed"
    assert resource["note"] == "mirror at https://real-secret.example.org/m"


def test_a_new_resource_and_a_changed_url_go_to_the_vault(world):
    added = act("resource_create", world["editor"], package_id="vaulted", name="new",
                url="https://other-secret.example.org/new.csv")
    act("resource_patch", world["editor"], id=link_as(world["admin"])["id"],
        url="https://changed-secret.example.org/x.csv")
    assert "secret" not in row(added["id"]).url
    urls = {r["name"]: r["url"] for r in act("package_show", world["holder"],
                                              id="vaulted")["resources"]}
    assert urls == {"link": "https://changed-secret.example.org/x.csv",
                    "new": "https://other-secret.example.org/new.csv"}
    assert act("resource_search", world["admin"],
               query="url:changed-secret")["count"] == 0


def test_clearing_a_value_removes_it(world):
    resource = link_as(world["editor"])
    act("resource_patch", world["editor"], id=resource["id"], download_url="")
    assert "download_url" not in vault.kept(world["dataset"]["id"])[resource["id"]]
    assert link_as(world["holder"])["download_url"] == ""


def test_made_public_the_values_go_back_into_the_rows(world):
    act("package_patch", world["admin"], id="vaulted", access_level="public")
    resource = link_as(world["stranger"])
    assert resource["url"] == REAL and row(resource["id"]).url == REAL
    assert resource["note"] == "mirror at https://real-secret.example.org/m"
    assert model.Session.query(ResourceSecret).count() == 0
    assert act("resource_search", world["stranger"], query="url:real-secret")["count"] == 1


def test_made_restricted_earlier_activities_lose_the_values(world):
    public = factories.Dataset(name="was-open", owner_org=world["org"]["id"],
                               user=world["admin"],
                               resources=[{"name": "l", "url": "https://open-then.example/x"}])
    act("package_patch", world["admin"], id=public["id"], notes="an activity while public")
    act("package_patch", world["admin"], id=public["id"], access_level="restricted",
        permitted_purposes=["Marketing"])
    from ckanext.activity.model import Activity

    stored = [json.dumps(a.data) for a in model.Session.query(Activity).filter(
        Activity.object_id == public["id"])]
    assert len(stored) == 3
    assert not any("open-then.example" in text for text in stored)
    assert link_as(world["admin"], "was-open")["url"] == "https://open-then.example/x"


def test_a_grant_stops_when_its_purpose_is_no_longer_permitted(world):
    act("package_patch", world["admin"], id="vaulted", permitted_purposes=["Marketing"])
    assert link_as(world["holder"])["url"] != REAL
    grant = act("retailarea_access_grant_list", world["holder"], mine=True)[0]
    assert grant["active"] is False and grant["purpose_withdrawn_at"]
    act("package_patch", world["admin"], id="vaulted",
        permitted_purposes=["Marketing", "AcademicResearch"])
    assert link_as(world["holder"])["url"] == REAL
    assert act("retailarea_access_grant_list", world["holder"], mine=True)[0]["active"]


@pytest.mark.parametrize("resource", [
    {"url": "javascript:alert(1)"}, {"url": "data:text/html,<script>x</script>"},
    {"url": "https://ok.example/x", "download_url": "javascript:alert(1)"},
    {"url": "https://ok.example/x", "access_url": "file:///etc/passwd"},
])
def test_resource_url_fields_take_web_addresses_only(world, resource):
    with pytest.raises(tk.ValidationError) as error:
        act("resource_create", world["editor"], package_id="vaulted", name="bad", **resource)
    bad = [key for key in ("url", "download_url", "access_url") if key in str(error.value)]
    assert bad and "http" in str(error.value)


def test_the_source_field_takes_web_addresses_only_and_renders_others_as_text(world, app):
    with pytest.raises(tk.ValidationError, match="http"):
        act("package_patch", world["admin"], id="vaulted", url="javascript:alert(1)")
    # a value stored before the check
    model.Session.execute(sa.text("UPDATE package SET url = 'javascript:alert(1)' "
                                  "WHERE name = 'vaulted'"))
    model.Session.commit()
    from ckan.lib.search import rebuild

    rebuild(world["dataset"]["id"])
    page = app.get("/dataset/vaulted").get_data(as_text=True)
    assert "javascript:alert(1)" in page and 'href="javascript:' not in page


def test_the_neutral_route_guards_and_leads_on(world, app):
    resource = link_as(world["admin"])
    path = f"/access/resource/{resource['id']}"
    assert app.get(path, follow_redirects=False).status_code == 403
    token = helpers.call_action("api_token_create", {"user": "vault-holder"},
                                user="vault-holder", name="t")["token"]
    response = app.get(path, headers={"Authorization": token}, follow_redirects=False)
    assert response.status_code == 302 and "/download" in response.headers["Location"]
    download = app.get(response.headers["Location"], headers={"Authorization": token},
                       follow_redirects=False)
    assert download.headers["Location"] == REAL


def test_the_migration_moves_what_rows_held_before(world):
    dataset = factories.Dataset(name="legacy", owner_org=world["org"]["id"],
                                user=world["admin"],
                                resources=[{"name": "l", "url": "https://legacy.example/x",
                                            "access_url": "https://legacy.example/"}])
    # as it was before the vault: restricted, URLs in the rows
    extras.set_value(model.Session.connection(), dataset["id"], "access_level", "restricted")
    model.Session.commit()
    resource_id = dataset["resources"][0]["id"]
    vault_upgrade.move_existing(model.Session.connection())
    model.Session.commit()
    assert "legacy.example" not in row(resource_id).url + row(resource_id).extras
    assert vault.kept(dataset["id"])[resource_id] == {
        "url": "https://legacy.example/x", "access_url": "https://legacy.example/"}
    from ckanext.activity.model import Activity

    stored = [json.dumps(a.data) for a in model.Session.query(Activity).filter(
        Activity.object_id == dataset["id"])]
    assert stored and not any("legacy.example" in text for text in stored)


def test_only_members_of_a_retail_area_harvest_into_it(world):
    area = factories.RetailArea(name="vault-area",
                                users=[{"name": "vault-editor", "capacity": "member"}])
    config = json.dumps({"retail_area": area["name"]})
    data = {"url": "https://source.example.org/", "source_type": "ckan",
            "title": "Source one", "name": "source-one", "owner_org": world["org"]["id"],
            "config": config}
    with pytest.raises(tk.NotAuthorized, match="retail_area"):
        act("harvest_source_create", world["admin"], **data)
    context = {"user": "vault-editor", "ignore_auth": False}
    assert tk.check_access("harvest_source_create", context, data)


def test_justifications_only_for_those_who_decide(world):
    act("retailarea_access_request_create", world["stranger"], package_id="vaulted",
        purpose="Marketing", justification="Our campaign")
    with pytest.raises(tk.NotAuthorized):
        act("retailarea_access_request_list", world["member"], package_id="vaulted")
    listed = act("retailarea_access_request_list", world["editor"], package_id="vaulted")
    assert listed[0]["justification"] == "Our campaign"


def test_bulk_private_and_public_settle_the_rows(world):
    public = factories.Dataset(name="bulk-open", owner_org=world["org"]["id"],
                               user=world["admin"],
                               resources=[{"name": "l", "url": "https://bulk-then.example/x"}])
    resource_id = public["resources"][0]["id"]
    act("bulk_update_private", world["admin"], datasets=[public["id"]],
        org_id=world["org"]["id"])
    made_private = act("package_show", world["admin"], id="bulk-open")
    assert made_private["private"] is True and made_private["access_level"] == "non_public"
    assert row(resource_id).url == vault.neutral_url(resource_id)
    from ckan.lib.search.common import make_connection

    doc = make_connection().search(q=f'id:"{public["id"]}"', fl="*").docs[0]
    assert "bulk-then" not in json.dumps(doc, default=str)
    assert link_as(world["member"], "bulk-open")["url"] == "https://bulk-then.example/x"
    act("bulk_update_public", world["admin"], datasets=[public["id"]],
        org_id=world["org"]["id"])
    assert act("package_show", world["admin"], id="bulk-open")["private"] is False
    assert row(resource_id).url == "https://bulk-then.example/x"
    assert vault.kept(public["id"]) == {}


def test_the_withheld_mark_is_for_the_reader_not_stored(world, app):
    """The search index stores an internal reading: a mark made there came back from
    package_show's cache to those who may reach the data, and hid their download."""
    indexed = helpers.call_action("package_show", {"ignore_auth": True, "user": ""},
                                  id="vaulted")["resources"][0]
    assert "retailarea_withheld" not in indexed
    for_member = act("package_show", world["member"], id="vaulted")["resources"][0]
    assert "retailarea_withheld" not in for_member and for_member["url"] == REAL
    assert link_as(world["stranger"])["retailarea_withheld"] is True
