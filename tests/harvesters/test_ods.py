"""The `ods` harvester against an OpenDataSoft Explore v2.1 catalog served locally."""
from __future__ import annotations

import json

import pytest

from ckanext.retailarea.access import vault
from tests.harvesters.conftest import datasets_of
from tests.harvesters.server import json_reply, payload

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context"),
]
CATALOG = "/api/explore/v2.1/catalog/datasets"
CONFIG = {
    "theme_map": {"Mobiliteit": "TRAN", "Economie": "ECON", "Culture, Heritage": "EDUC"},
    "license_map": {"Licence Ouverte (Etalab)": "other-open"},
    "type_rules": [{"keyword": "parkeren", "type": "parking",
                    "fields": {"standard": "SPDP 2.0"}}],
    "default_purposes": ["PublicBenefit"],
    "page_size": 2,
}


def serve_catalog(server, results=None, total=None):
    """The catalog, paged by limit/offset like ODS."""
    items = results if results is not None else json.loads(payload("ods/catalog.json"))[
        "results"]

    def page(query):
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 10))
        count = len(items) if total is None else total
        return json_reply({"total_count": count, "results": items[offset:offset + limit]})

    return server.route(CATALOG, page)


def test_harvests_typed_datasets_with_access_levels(catalog_server, make_source, run_harvest):
    url = serve_catalog(catalog_server).removesuffix(CATALOG)
    source = make_source("ods", url, CONFIG)

    run = run_harvest(source)

    found = datasets_of(source)
    assert set(found) == {"test-a", "test-b", "parkeergarages-eindhoven", "evenementen-2025",
                          "winkelomzet"}
    parking = found["parkeergarages-eindhoven"]
    assert parking["type"] == "parking"
    assert parking["standard"] == "SPDP 2.0"
    assert parking["theme"] == ["TRAN"]
    assert parking["license_id"] == "cc-by"
    assert parking["frequency"] == "DAILY"
    assert parking["access_level"] == "public"
    assert parking["temporal_start"] == "2024-01-01"
    assert parking["notes"] == "Locaties en capaciteit van de parkeergarages."
    assert parking["maintainer_email"] == "data@eindhoven.example"
    assert {t["name"] for t in parking["tags"]} == {"parkeren", "garages"}
    assert {r["format"] for r in parking["resources"]} == {"CSV", "JSON", "GeoJSON"}
    assert parking["harvest_source"] == source["id"]
    assert parking["harvest_original_id"] == "parkeergarages-eindhoven"
    assert parking["harvest_original_uri"] == f"{url}{CATALOG}/parkeergarages-eindhoven"
    assert parking["harvest_last_harvested"]
    assert parking["url"] == f"{url}/explore/dataset/parkeergarages-eindhoven/"

    attachments = {r["name"]: r for r in found["test-b"]["resources"]}
    assert attachments["Documentation"]["url"] == (
        f"{url}{CATALOG}/test-b/attachments/documentation_pdf")
    assert found["test-a"]["license_id"] == "other-open"
    assert found["test-a"]["type"] == "dataset"

    restricted = found["winkelomzet"]
    assert restricted["access_level"] == "restricted"
    assert restricted["permitted_purposes"] == ["PublicBenefit"]
    assert restricted["private"] is False
    # metadata only: each resource leads to the source's page, a URL the vault keeps
    # (access/vault.py); the resource rows hold the neutral, guarded one
    assert all(r["url"] == vault.neutral_url(r["id"]) for r in restricted["resources"])
    kept = vault.kept(restricted["id"])
    assert len(kept) == len(restricted["resources"]) > 0
    assert all(v["url"] == f"{url}/explore/dataset/winkelomzet/" for v in kept.values())

    assert "intern-register" not in found
    assert any("Withheld: non-public" in m for m in run.object_errors)
    assert "Unmapped licence 'Unknown licence XYZ': set as 'notspecified'; map it in " \
           "license_map" in run.notes
    assert any("Unmapped frequency 'elke blauwe maan'" in m for m in run.notes)
    assert any("Unmapped theme 'Cultuur'" in m for m in run.notes)
    # notes are not errors: only the withheld record counts as errored
    assert not any(m.startswith("Unmapped") for m in run.object_errors)
    assert run.job["stats"]["errored"] == 1
    assert run.statuses() == {"added": 5, "errored": 1}
    assert run.job["status"] == "Finished"


def test_unchanged_records_are_skipped_by_content_hash(catalog_server, make_source,
                                                       run_harvest):
    url = serve_catalog(catalog_server)
    source = make_source("ods", url, CONFIG)
    run_harvest(source)
    before = {k: v["metadata_modified"] for k, v in datasets_of(source).items()}

    again = run_harvest(source)

    assert again.statuses() == {"not modified": 5, "errored": 1}
    after = {k: v["metadata_modified"] for k, v in datasets_of(source).items()}
    assert after == before


def test_same_titles_get_distinct_names_and_the_prefix(catalog_server, make_source,
                                                       run_harvest):
    twins = [{"dataset_id": f"twin-{n}", "visibility": "domain",
              "metas": {"default": {"title": "Markt Gouda"}}} for n in range(3)]
    source = make_source("ods", serve_catalog(catalog_server, twins),
                         {"name_prefix": "gouda-"})

    run_harvest(source)

    names = sorted(d["name"] for d in datasets_of(source).values())
    assert names[0] == "gouda-markt-gouda"
    assert len(set(names)) == 3 and all(n.startswith("gouda-markt-gouda") for n in names)
