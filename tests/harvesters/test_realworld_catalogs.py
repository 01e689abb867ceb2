"""Real CKAN package_search and DCAT-US data.json responses (``../shared/realworld/``),
served at the paths of their APIs and harvested through the real stack."""
from __future__ import annotations

import json

import pytest

from tests.harvesters.conftest import datasets_of
from tests.harvesters.realworld import raw, sample, serve_offset_pages
from tests.harvesters.server import Reply

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context"),
]
SEARCH = "/api/3/action/package_search"


def test_ckan_birmingham_keeps_its_licence_id(catalog_server, make_source, run_harvest):
    serve_offset_pages(catalog_server, SEARCH,
                       "ckan/data.birmingham.gov.uk_package_search.json", "results", "start")
    source = make_source("ckan", catalog_server.base)

    run = run_harvest(source)

    found = datasets_of(source)
    assert len(found) == 10
    cards = found["cf552d08-cee9-43bf-8c0f-3196a9311799"]
    # the old reference.data.gov.uk URL is unknown; the licence id is CKAN's own
    assert {d["license_id"] for d in found.values()} == {"uk-ogl"}
    assert cards["maintainer"] == "Ian Martin"
    assert cards["maintainer_email"] == "ian.martin@birmingham.gov.uk"
    assert {t["name"] for t in cards["tags"]} == {"payments", "purchase card"}
    assert {e["key"]: e["value"] for e in cards["extras"]}["publisher_name"] == (
        "Birmingham City Council")
    assert cards["harvest_source_modified"] == "2021-01-15T10:25:28.638659"
    assert all(r["format"] == "XLS" for r in cards["resources"])
    assert not any("licence" in n for n in run.notes)
    assert run.statuses() == {"added": 10}
    assert run.job["stats"]["errored"] == 0


def test_ckan_envidat_contacts_and_geometry_collections(catalog_server, make_source,
                                                        run_harvest):
    serve_offset_pages(catalog_server, SEARCH, "ckan/envidat.ch_package_search.json",
                       "results", "start")
    source = make_source("ckan", catalog_server.base)

    run = run_harvest(source)

    found = datasets_of(source)
    permafrost = found["8c2dcda3-8d82-40cd-b79e-1b4dbe4ac77f"]
    assert permafrost["maintainer"] == "Elizaveta Sharaborova"
    assert permafrost["maintainer_email"] == "elizaveta.sharaborova@epfl.ch"
    assert json.loads(permafrost["spatial"]) == {"type": "Point",
                                                 "coordinates": [7.834626, 46.558292]}
    assert permafrost["license_id"] == "cc-by"
    assert {"ATMOSPHERIC HEATWAVES", "MOUNTAIN PERMAFROST"} <= {
        t["name"] for t in permafrost["tags"]}
    forest = found["19c270cb-d470-4bf6-b527-90c1b44040e8"]
    assert forest["maintainer"] == "Giovanni Bortolami"
    assert forest["maintainer_email"] == "giovanni.bortolami@wsl.ch"
    assert json.loads(forest["spatial"])["type"] == "Point"
    assert run.statuses() == {"added": 2}
    assert run.job["stats"]["errored"] == 0


def test_dcat_us_philadelphia_notes_are_not_errors(catalog_server, make_source,
                                                   run_harvest):
    url = catalog_server.route("/data.json", Reply(raw("dcat_json/opendataphilly_data.json")))
    source = make_source("dcat_json", url)

    run = run_harvest(source)

    found = datasets_of(source)
    assert len(found) == 402
    pac = found["2009-2012-police-advisory-commission-complaints"]
    assert pac["title"] == "2009-2012 Police Advisory Commission Complaints"
    assert pac["maintainer_email"] == "maps@phila.gov"
    assert pac["license_id"] == "notspecified"
    assert "spatial" not in pac  # a place name, noted
    assert {r["format"] for r in pac["resources"]} == {"CSV", "SHP", "GeoJSON", "API", "HTML"}
    assert sum(d["license_id"] == "cc-by" for d in found.values()) == 1
    food = found["archived-philadelphia-food-access"]
    assert not any(r["url"].startswith("hhttps") for r in food["resources"])
    assert run.statuses() == {"added": 402}
    assert run.job["stats"]["errored"] == 0
    assert any(n.startswith("Unmapped licence 'https://metadata.phila.gov/") for n in run.notes)
    assert any(n.startswith("Unmapped spatial coverage 'Philadelphia, Pennsylvania'")
               for n in run.notes)
    assert any(n.startswith("Unmapped resource URL 'hhttps://") for n in run.notes)


def test_dcat_ar_justice_super_themes_and_periods(catalog_server, make_source, run_harvest):
    url = catalog_server.route(
        "/data.json", Reply(raw("dcat_json/datos.jus.gob.ar_catalogo-justicia.json")))
    source = make_source("dcat_json", url)

    run = run_harvest(source)

    found = datasets_of(source)
    assert len(found) == 18
    infoleg = found["d9a963ea-8b1d-4ca3-9dd9-07a4773e8c23"]
    assert infoleg["title"] == "Base de datos legislativos Infoleg"
    assert infoleg["theme"] == ["JUST"]
    assert infoleg["frequency"] == "MONTHLY"
    assert infoleg["license_id"] == "odc-odbl"
    assert infoleg["maintainer_email"] == "datosabiertos@saij.gob.ar"
    assert infoleg["url"] == "http://datos.jus.gob.ar/dataset/base-de-datos-legislativos-infoleg"
    assert infoleg["harvest_source_modified"] == "2017-02-07T15:02:02.932346"
    frequencies = {d["frequency"] for d in found.values()}
    assert frequencies == {"MONTHLY", "IRREG", "QUARTERLY", "MONTHLY_2", "DAILY", "ANNUAL"}
    assert {d["license_id"] for d in found.values()} == {"odc-odbl", "cc-by"}
    assert all(d["theme"] == ["JUST"] for d in found.values())
    assert run.statuses() == {"added": 18}
    assert run.job["stats"]["errored"] == 0


def test_dcat_us_wkt_spatial_becomes_geojson(catalog_server, make_source, run_harvest):
    """ckanext-datajson's large-spatial sample (310 KB of WKT, a MultiPolygon in Idaho),
    which its own harvester refuses for size: as GeoJSON it is 91 KB and valid."""
    url = catalog_server.route(
        "/data.json", Reply(sample("data-json-dcat-us/large-spatial.data.json")))
    source = make_source("dcat_json", url)

    run = run_harvest(source)

    spatial = json.loads(datasets_of(source)["bad-02"]["spatial"])
    assert spatial["type"] == "MultiPolygon"
    west, south = spatial["coordinates"][0][0][0]
    assert -116.92 < west < -116.89 and 42.66 < south < 42.68
    assert run.notes == []
    assert run.statuses() == {"added": 1}
