"""The `socrata` harvester: discovery API pages plus /api/views/{id}.json, served locally."""
from __future__ import annotations

import json

import pytest

from tests.harvesters.conftest import datasets_of
from tests.harvesters.server import Reply, json_reply, payload

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context"),
]
CONFIG = {
    "category_map": {"Parkeren": "TRAN", "Voertuigen": "TRAN"},
    "type_rules": [{"category": "parkeren", "type": "parking",
                    "fields": {"standard": "SPDP 2.0", "area_manager_id": "363"}}],
    "page_size": 2,
}


def serve(server):
    catalog = json.loads(payload("socrata/catalog.json"))
    seen_queries = []

    def discovery(query):
        seen_queries.append(query)
        offset, limit = int(query["offset"]), int(query["limit"])
        return json_reply({**catalog, "results": catalog["results"][offset:offset + limit]})

    server.route("/api/catalog/v1", discovery)
    for view in ("adw6-9hsg", "m9d7-ebf2", "zzzz-0001"):
        server.route(f"/api/views/{view}.json",
                     Reply(payload(f"socrata/views-{view}.json")))
    return server.base, seen_queries


def test_harvests_views_with_licence_and_access(catalog_server, make_source, run_harvest):
    url, queries = serve(catalog_server)
    source = make_source("socrata", url, {**CONFIG, "domain": "opendata.rdw.example"})

    run = run_harvest(source)

    assert queries[0] == {"domains": "opendata.rdw.example", "only": "datasets",
                          "limit": "2", "offset": "0"}
    found = datasets_of(source)
    assert set(found) == {"adw6-9hsg", "m9d7-ebf2"}
    parking = found["adw6-9hsg"]
    assert parking["type"] == "parking"
    assert parking["area_manager_id"] == "363"
    assert parking["license_id"] == "cc-zero"
    assert parking["theme"] == ["TRAN"]
    assert parking["access_level"] == "public"
    assert parking["url"] == "https://opendata.rdw.example/d/adw6-9hsg"
    assert parking["harvest_original_uri"] == f"{url}/api/views/adw6-9hsg"
    assert {r["format"] for r in parking["resources"]} == {"CSV", "JSON"}
    assert found["m9d7-ebf2"]["type"] == "dataset"
    assert any("Withheld: non-public" in m for m in run.object_errors)
    assert run.statuses() == {"added": 2, "errored": 1}


def test_a_view_that_fails_is_reported_and_the_rest_harvested(catalog_server, make_source,
                                                             run_harvest):
    url, _ = serve(catalog_server)
    catalog_server.route("/api/views/m9d7-ebf2.json", Reply(b"<html>oops</html>", 200,
                                                            "text/html"))
    source = make_source("socrata", url, {**CONFIG, "domain": "opendata.rdw.example"})

    run = run_harvest(source)

    assert set(datasets_of(source)) == {"adw6-9hsg"}
    assert any("expected JSON, got text/html" in m for m in run.object_errors)
