"""The `cbs_odata` harvester: OData v4 `Datasets` pages with @odata.nextLink."""
from __future__ import annotations

import pytest

from tests.harvesters.conftest import datasets_of
from tests.harvesters.server import Reply, payload

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context"),
]
CONFIG = {"theme_map": {"Regionaal": "REGI", "Handel en horeca": "ECON"}}


def serve(server):
    def datasets(query):
        page = 2 if query.get("$skip") == "2" else 1
        return Reply(payload(f"cbs/datasets-{page}.json"))

    return server.route("/odata/v1/CBS/Datasets", datasets)


def test_follows_next_links_and_maps_statline_fields(catalog_server, make_source,
                                                    run_harvest):
    url = serve(catalog_server)
    source = make_source("cbs_odata", url.removesuffix("/Datasets"), CONFIG)

    run = run_harvest(source)

    found = datasets_of(source)
    assert set(found) == {"83765NED", "85236NED", "37230ned"}
    retail = found["85236NED"]
    assert retail["theme"] == ["ECON"]
    assert retail["frequency"] == "MONTHLY"
    assert retail["temporal_start"] == "2015-01-01"
    assert retail["temporal_end"] == "2025-12-31"
    assert retail["license_id"] == "cc-by"
    assert retail["access_level"] == "public"
    assert retail["resources"][0]["url"] == catalog_server.url("/odata/v1/CBS/85236NED")
    areas = found["83765NED"]
    assert areas["frequency"] == "ANNUAL"
    assert {t["name"] for t in areas["tags"]} == {"wijken", "buurten", "kerncijfers"}
    assert found["37230ned"]["theme"] == ["GOVE"]  # no theme: the source's default
    # Gediscontinueerd: no longer updated, whatever its Frequency says
    assert found["37230ned"]["frequency"] == "NEVER"
    assert run.statuses() == {"added": 3}
    assert run.gather_errors == []
