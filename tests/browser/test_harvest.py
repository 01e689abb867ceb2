"""A harvest admin adds an OpenDataSoft source in the harvest form, asks for a harvest with
'Reharvest' and finds the harvested datasets. The source is a local ODS Explore v2.1
catalog; the job's gather, fetch and import stages run in this process, as
tests/harvesters do, instead of the queue consumers."""
from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from urllib.parse import parse_qs

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from werkzeug.serving import make_server

from tests.browser import catalog
from tests.browser.conftest import axe_violations, login, modules_ready, screenshot

CATALOG = "/api/explore/v2.1/catalog/datasets"
DATASETS = [
    {"dataset_id": "parkeergarages", "visibility": "domain", "has_records": True,
     "features": [], "metas": {"default": {
         "title": "Parkeergarages Eindhoven", "description": "Garages en capaciteit.",
         "keyword": ["parkeren"], "theme": ["Mobiliteit"],
         "modified": "2025-05-01T10:00:00+00:00"}}},
    {"dataset_id": "winkelomzet", "visibility": "restricted", "has_records": True,
     "features": [], "metas": {"default": {
         "title": "Winkelomzet binnenstad", "description": "Omzetindex per maand.",
         "keyword": ["omzet"], "theme": ["Economie"],
         "modified": "2025-06-01T10:00:00+00:00"}}},
]
CONFIG = {"theme_map": {"Mobiliteit": "TRAN", "Economie": "ECON"},
          "default_purposes": ["PublicBenefit"]}


def ods_catalog(environ, start_response):
    """An OpenDataSoft Explore v2.1 catalog, paged by limit and offset."""
    if environ["PATH_INFO"] != CATALOG:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    offset, limit = int(query.get("offset", 0)), int(query.get("limit", 10))
    body = json.dumps({"total_count": len(DATASETS),
                       "results": DATASETS[offset:offset + limit]}).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]


@pytest.fixture
def ods_portal() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, ods_catalog, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def harvest_admin(live_server, ckan_config, monkeypatch):
    # the local portal is on 127.0.0.1, which sources may not reach in production
    monkeypatch.setitem(ckan_config, "ckanext.retailarea.harvest.allow_private_addresses",
                        True)
    catalog.user("harvester")
    catalog.organization("gemeente-eindhoven", "Gemeente Eindhoven", {"harvester": "admin"})


def run_scheduled_job(source_name: str) -> None:
    """What the gather and fetch consumers do with the job 'Reharvest' queued."""
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject

    source_id = model.Package.get(source_name).id
    job = model.Session.query(HarvestJob).filter_by(source_id=source_id).one()
    source = job.source
    harvester = queue.get_harvester(source.type)
    for object_id in queue.gather_stage(harvester, job) or []:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    tk.get_action("harvest_jobs_run")({"user": site_user, "ignore_auth": True},
                                      {"source_id": source_id})
    queue.purge_queues()
    model.Session.remove()


def test_harvest_admin_adds_an_ods_source_and_runs_it(page, live_server, harvest_admin,
                                                      ods_portal):
    login(page, "harvester")
    page.goto("/harvest/new")
    modules_ready(page)  # the name follows the title through a module
    page.fill("#field-url", ods_portal)
    page.fill("#field-title", "Open data Eindhoven")
    page.check("input[name=source_type][value=ods]")
    page.fill("#field-config", json.dumps(CONFIG))
    page.click("#save")
    page.wait_for_url(re.compile(r"/harvest/open-data-eindhoven$"))

    page.goto("/harvest/admin/open-data-eindhoven")
    modules_ready(page)  # 'Reharvest' asks for a confirmation through a module
    page.locator(".content_action a", has_text="Reharvest").click()
    page.locator(".modal.show button.btn-primary").click()  # the confirmation
    assert "Harvest will start shortly" in page.inner_text(".flash-messages")
    with live_server.flask_app.test_request_context():
        run_scheduled_job("open-data-eindhoven")

    page.goto("/harvest/admin/open-data-eindhoven")
    assert re.search(r"2\s+added", page.inner_text("body"))
    screenshot(page, "harvest-source")
    assert axe_violations(page) == []
    page.goto("/organization/gemeente-eindhoven")
    titles = page.locator(".dataset-list .dataset-heading a").all_inner_texts()
    assert sorted(titles) == ["Parkeergarages Eindhoven", "Winkelomzet binnenstad"]

    harvested = tk.get_action("package_show")(
        {"ignore_auth": True}, {"id": _name_of("Winkelomzet binnenstad")})
    assert (harvested["access_level"], harvested["theme"]) == ("restricted", ["ECON"])


def _name_of(title: str) -> str:
    return model.Session.query(model.Package.name).filter_by(title=title).scalar()
