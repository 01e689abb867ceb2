"""A user asks for access to a restricted dataset, the organization's admin approves it on
the organization's access page, and the user downloads the file."""
from __future__ import annotations

import io
import pathlib

import pytest
from ckan.tests import helpers
from werkzeug.datastructures import FileStorage

from tests.browser import catalog
from tests.browser.conftest import axe_violations, login, logout, screenshot

SHOPS = "shop_id,name\nS1,Kaashuis\n"


@pytest.fixture
def restricted(live_server):
    catalog.user("admin-gouda")
    catalog.user("researcher")
    org = catalog.organization("gemeente-gouda", "Gemeente Gouda", {"admin-gouda": "admin"})
    catalog.restricted_shops(org)
    upload = FileStorage(io.BytesIO(SHOPS.encode()), "shops.csv", content_type="text/csv")
    return helpers.call_action("resource_create", {"user": "admin-gouda"},
                               package_id="winkels-gouda", name="Shops", upload=upload)


def test_request_approve_and_download(page, restricted):
    resource_page = f"/shop-register/winkels-gouda/resource/{restricted['id']}"
    login(page, "researcher")
    page.goto(resource_page)
    assert page.locator("a.resource-url-analytics").count() == 0  # no download yet
    page.goto("/shop-register/winkels-gouda")
    box = page.locator(".retailarea-access")
    assert "Only for research; delete after a year." in box.inner_text()
    box.locator("#retailarea-purpose").select_option("AcademicResearch")
    box.locator("#retailarea-justification").fill("Thesis on vacancy in Gouda's centre")
    box.locator("#retailarea-accept").check()
    box.locator("button[type=submit]").click()
    assert "waiting for a decision" in page.inner_text(".retailarea-access")

    page.goto("/dashboard/access")
    assert "pending" in page.inner_text(".retailarea-requests")
    assert axe_violations(page) == []

    logout(page)
    login(page, "admin-gouda")
    page.goto("/organization/gemeente-gouda/access")
    request = page.locator(".retailarea-request", has_text="Thesis on vacancy")
    assert "researcher" in request.inner_text()
    assert axe_violations(page) == []
    request.locator("button[value=approve]").click()
    assert "Decision saved." in page.inner_text(".flash-messages")
    assert "researcher" in page.inner_text(".retailarea-grants")

    logout(page)
    login(page, "researcher")
    page.goto("/shop-register/winkels-gouda")
    assert "You have access for Academic Research" in page.inner_text(".retailarea-access")
    page.goto(resource_page)
    with page.expect_download() as download:
        page.click("a.resource-url-analytics")
    assert download.value.suggested_filename == "shops.csv"
    assert pathlib.Path(download.value.path()).read_text() == SHOPS
    page.goto("/dashboard/access")
    assert "active" in page.inner_text(".retailarea-grants")
    screenshot(page, "access-granted")

    log = helpers.call_action("retailarea_access_log_list", {"user": "admin-gouda"},
                              package_id="winkels-gouda")
    assert [(e["user_name"], e["action"], e["purpose"]) for e in log] == [
        ("researcher", "download", "AcademicResearch")]
