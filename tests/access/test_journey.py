"""The request journey in the web UI (forms with CSRF tokens), the audit log and its CSV,
and a change of access level taking effect at once everywhere."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers
from werkzeug.datastructures import FileStorage

from ckanext.retailarea.access import log as access_log
from ckanext.retailarea.cli import retailarea
from ckanext.retailarea.model.access import AccessLog, now
from tests import factories

CSV = "location_id,count\nGOU-01,12\n"


@pytest.fixture
def site(clean_datastore, clean_index):
    admin = ckan_factories.User(name="steward", password="correct-horse-battery")
    ckan_factories.User(name="researcher", password="correct-horse-battery")
    org = ckan_factories.Organization(name="gouda", users=[
        {"name": admin["name"], "capacity": "admin"}])
    dataset = factories.Dataset(
        name="winkels", owner_org=org["id"], access_level="restricted", user=admin,
        permitted_purposes=["AcademicResearch"], usage_conditions="Research only.")
    upload = FileStorage(io.BytesIO(CSV.encode()), "shops.csv", content_type="text/csv")
    resource = helpers.call_action("resource_create", {"user": "steward"},
                                   package_id=dataset["id"], name="shops", upload=upload)
    return {"org": org, "dataset": dataset, "resource": resource}


def login(app, name):
    page = app.get("/user/login").get_data(as_text=True)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)
    app.post("/user/login", data={"login": name, "password": "correct-horse-battery",
                                  "_csrf_token": token})


def csrf(app, url) -> str:
    page = app.get(url).get_data(as_text=True)
    return re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def browser(app):
    """One client for a whole journey: it keeps the session cookie between requests."""
    return app.test_client()


def test_request_approve_download_and_log(browser, site):
    app = browser
    download = f"/dataset/winkels/resource/{site['resource']['id']}/download/shops.csv"
    login(app, "researcher")
    page = app.get("/dataset/winkels").get_data(as_text=True)
    assert "Request access" in page and "Research only." in page
    assert app.get(download).status_code == 403

    token = csrf(app, "/dataset/winkels")
    app.post("/dataset/winkels/access-request", data={
        "purpose": "AcademicResearch", "justification": "Thesis on vacancy",
        "accept_conditions": "true", "_csrf_token": token})
    assert "waiting for a decision" in app.get("/dataset/winkels").get_data(as_text=True)
    assert "Thesis" not in app.get("/dashboard/access").get_data(as_text=True)  # not shown
    assert "pending" in app.get("/dashboard/access").get_data(as_text=True)

    app.get("/user/_logout")
    login(app, "steward")
    org_page = app.get("/organization/gouda/access").get_data(as_text=True)
    assert "Thesis on vacancy" in org_page
    request_id = re.search(r'data-request-id="([^"]+)"', org_page).group(1)
    token = csrf(app, "/organization/gouda/access")
    expires = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    app.post(f"/organization/gouda/access/decide/{request_id}", data={
        "decision": "approve", "expires": expires, "reason": "", "_csrf_token": token})

    app.get("/user/_logout")
    login(app, "researcher")
    assert "You have access" in app.get("/dataset/winkels").get_data(as_text=True)
    response = app.get(download)
    assert response.status_code == 200 and response.get_data(as_text=True) == CSV
    assert "active" in app.get("/dashboard/access").get_data(as_text=True)

    log = helpers.call_action("retailarea_access_log_list", {"user": "steward"},
                              package_id="winkels")
    assert [(e["user_name"], e["action"], e["purpose"], e["ip"]) for e in log] == [
        ("researcher", "download", "AcademicResearch", None)]
    app.get("/user/_logout")
    login(app, "steward")
    csv_text = app.get("/organization/gouda/access-log.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("created,user_name,package_id")
    assert "researcher" in csv_text and "download" in csv_text


def test_datastore_queries_by_alias_are_logged_too(site):
    from ckan import model

    from ckanext.retailarea.model.access import AccessGrant

    researcher = model.User.get("researcher")
    model.Session.add(AccessGrant(request_id="x", package_id=site["dataset"]["id"],
                                  user_id=researcher.id, purpose="AcademicResearch",
                                  expires=now() + dt.timedelta(days=1), granted_by="steward"))
    model.Session.commit()
    helpers.call_action("datastore_create", {"user": "steward"},
                        resource_id=site["resource"]["id"], force=True,
                        aliases=["winkels_alias"], records=[{"shop": "Kaashuis"}])
    context = {"user": "researcher", "ignore_auth": False}
    helpers.call_action("datastore_search", dict(context), resource_id="winkels_alias")
    helpers.call_action("datastore_search_sql", dict(context),
                        sql='SELECT * FROM "winkels_alias"')
    log = helpers.call_action("retailarea_access_log_list", {"user": "steward"},
                              package_id="winkels")
    assert sorted(e["action"] for e in log) == ["datastore_search", "datastore_search_sql"]
    assert {e["resource_id"] for e in log} <= {site["resource"]["id"], "winkels_alias"}


def test_forms_without_csrf_token_are_refused(browser, site):
    app = browser
    login(app, "researcher")
    response = app.post("/dataset/winkels/access-request", data={
        "purpose": "AcademicResearch", "justification": "x", "accept_conditions": "true"})
    assert response.status_code in (400, 403)
    assert helpers.call_action("retailarea_access_request_list", {"user": "researcher"},
                               mine=True) == []


def test_org_access_page_is_for_stewards_only(browser, site):
    app = browser
    login(app, "researcher")
    assert app.get("/organization/gouda/access").status_code == 403
    assert app.get("/organization/gouda/access-log.csv").status_code == 403


@pytest.mark.ckan_config("ckanext.retailarea.access.log_ip", True)
def test_ip_is_logged_only_when_configured(app, site):
    from ckan import model

    from ckanext.retailarea.model.access import AccessGrant

    grant = AccessGrant(request_id="x", package_id=site["dataset"]["id"],
                        user_id=model.User.get("researcher").id, purpose="AcademicResearch",
                        expires=now() + dt.timedelta(days=1), granted_by="steward")
    with app.flask_app.test_request_context(environ_base={"REMOTE_ADDR": "10.1.2.3"}):
        entry = access_log.record(grant, "download", None, access_log.remote_ip())
    assert entry.ip == "10.1.2.3"


def test_purge_log_keeps_the_retention_period(cli, site):
    from ckan import model

    old = AccessLog(user_id="u", package_id=site["dataset"]["id"], action="download",
                    created=now() - dt.timedelta(days=800))
    new = AccessLog(user_id="u", package_id=site["dataset"]["id"], action="download")
    model.Session.add_all([old, new])
    model.Session.commit()
    result = cli.invoke(retailarea, ["access", "purge-log"])
    assert result.exit_code == 0 and "Removed 1 access-log entries" in result.output
    assert model.Session.query(AccessLog).count() == 1


def test_public_to_restricted_takes_effect_at_once(app, site):
    dataset = factories.Dataset(name="open-data", owner_org=site["org"]["id"],
                                user={"name": "steward"})
    link = helpers.call_action("resource_create", {"user": "steward"},
                               package_id=dataset["id"], url="https://hidden.example/x.csv")
    search = {"q": "name:open-data"}

    def anonymous_sees_url() -> bool:
        shown = app.get("/api/3/action/package_show?id=open-data").get_data(as_text=True)
        found = app.get("/api/3/action/package_search", query_string=search)
        return "hidden.example" in shown and "hidden.example" in found.get_data(as_text=True)

    assert anonymous_sees_url()
    helpers.call_action("package_patch", {"user": "steward"}, id="open-data",
                        access_level="restricted", permitted_purposes=["AcademicResearch"])
    assert not anonymous_sees_url()
    assert app.get(f"/dataset/open-data/resource/{link['id']}/download",
                   follow_redirects=False).status_code == 403
    helpers.call_action("package_patch", {"user": "steward"}, id="open-data",
                        access_level="non_public")
    assert app.get("/api/3/action/package_show?id=open-data").status_code == 403
    found = app.get("/api/3/action/package_search", query_string=search).json
    assert found["result"]["count"] == 0
