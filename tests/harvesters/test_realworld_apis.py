"""Real OpenDataSoft, Socrata and CBS responses (``../shared/realworld/``), served at the
paths of their APIs and harvested through the real stack."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest

from tests.harvesters.conftest import datasets_of
from tests.harvesters.realworld import raw, serve_offset_pages
from tests.harvesters.server import Reply

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context"),
]
ODS_CATALOG = "/api/explore/v2.1/catalog/datasets"
WORLD = "world-administrative-boundaries-countries-and-territories"
GEONAMES = "geonames-all-cities-with-a-population-1000"


def test_ods_documentation_catalog(catalog_server, make_source, run_harvest):
    serve_offset_pages(catalog_server, ODS_CATALOG,
                       "ods/documentation-resources_catalog-datasets_v2.1.json", "results")
    source = make_source("ods", catalog_server.base)

    run = run_harvest(source)

    found = datasets_of(source)
    assert set(found) == {WORLD, GEONAMES}
    world = found[WORLD]
    assert world["title"] == "World Administrative Boundaries - Countries and Territories"
    assert world["notes"] == ("This dataset displays level 0 world administrative "
                              "boundaries. It contains countries as well as non-sovereign "
                              "territories (like, for instance, French overseas).")
    # http://www.nationalarchives.gov.uk/... is CKAN's https OGL v3
    assert world["license_id"] == "uk-ogl"
    assert {t["name"] for t in world["tags"]} == {
        "United Nation", "ISO-3 code", "Countries", "Territories", "Shape", "Boundaries"}
    assert world["theme"] == ["GOVE"]
    assert world["access_level"] == "public"
    assert world["harvest_source_modified"] == "2021-06-23T14:59:57+00:00"
    assert {e["key"]: e["value"] for e in world["extras"]}["publisher_name"] == (
        "World Food Programme (UN agency)")
    assert {r["format"] for r in world["resources"]} == {"CSV", "JSON", "GeoJSON"}
    geonames = found[GEONAMES]
    assert geonames["license_id"] == "notspecified"
    attachment = {r["name"]: r for r in geonames["resources"]}["cities1000.zip"]
    assert attachment["url"] == catalog_server.url(
        f"{ODS_CATALOG}/{GEONAMES}/attachments/cities1000_zip")
    assert attachment["format"] == "ZIP"
    assert run.notes == ["Unmapped theme 'Administration, Government, Public finances, "
                         "Citizenship': map it in theme_map"]
    assert run.statuses() == {"added": 2}
    assert run.job["stats"]["errored"] == 0


def serve_socrata(server, catalog):
    serve_offset_pages(server, "/api/catalog/v1", catalog, "results")
    server.route("/api/views/zidz-sdfj.json", Reply(raw("socrata/views/zidz-sdfj.json")))


def test_socrata_view_and_discovery_listing(catalog_server, make_source, run_harvest):
    serve_socrata(catalog_server, "socrata/catalog-v1-90329b.json")
    source = make_source("socrata", catalog_server.base, {
        "domain": "data.cityofchicago.org",
        "category_map": {"Historic Preservation": "EDUC"}})

    run = run_harvest(source)

    found = datasets_of(source)
    assert set(found) == {"zidz-sdfj"}
    districts = found["zidz-sdfj"]
    assert districts["title"] == "Landmark Districts"
    assert districts["notes"].startswith("This dataset is a list of Chicago Landmark")
    assert {t["name"] for t in districts["tags"]} == {"gis", "landmarks", "tourism"}
    assert districts["theme"] == ["EDUC"]
    assert districts["license_id"] == "notspecified"  # the view names no licence
    assert districts["access_level"] == "public"  # the view's public grant
    assert districts["url"] == "https://data.cityofchicago.org/d/zidz-sdfj"
    assert districts["harvest_source_modified"] == "2011-08-28T20:12:44.000Z"
    # xzkq-xp2w has no captured view: reported, not harvested
    assert any(m.startswith("Details:") and "404" in m for m in run.object_errors)
    assert run.statuses() == {"added": 1, "errored": 1}


def test_socrata_datasets_of_the_fetch_stage_are_searchable_by_source(
        catalog_server, make_source, run_harvest):
    serve_socrata(catalog_server, "socrata/catalog-v1-90329b.json")
    source = make_source("socrata", catalog_server.base,
                         {"domain": "data.cityofchicago.org"})

    run_harvest(source)

    search = tk.get_action("package_search")(
        {"ignore_auth": True}, {"fq": f"harvest_source_id:{source['id']}"})
    assert [d["harvest_original_id"] for d in search["results"]] == ["zidz-sdfj"]
    shown = tk.get_action("harvest_source_show")({"ignore_auth": True}, {"id": source["id"]})
    assert shown["status"]["total_datasets"] == 1


def test_socrata_discovery_records_keep_their_listing(catalog_server, make_source,
                                                      run_harvest):
    """Views of the EU listing were not captured: each record is reported, and what the
    listing said is kept on its harvest object for the next try."""
    serve_socrata(catalog_server, "socrata/catalog-v1-8d6ed4.json")
    source = make_source("socrata", catalog_server.base, {"domain": "opendata.rdw.nl"})

    run = run_harvest(source)

    assert datasets_of(source) == {}
    listed = {o.guid: o.content for o in run.objects}
    assert set(listed) == {"m9d7-ebf2", "5k74-3jha", "8ys7-d773", "t49b-isb7"}
    assert '"licence": "Public Domain"' in listed["m9d7-ebf2"]
    assert '"publisher": "Team Open Data RDW"' in listed["m9d7-ebf2"]
    assert '"categories": ["Voertuigen", "public safety"]' in listed["8ys7-d773"]
    assert run.statuses() == {"errored": 4}


def serve_cbs(server, datasets):
    server.route("/odata/v1/CBS/Datasets", Reply(raw(datasets)))
    server.route("/odata/v1/CBS/82235NED/Properties", Reply(raw("cbs/82235NED_Properties.json")))
    return server.url("/odata/v1/CBS")


def test_cbs_datasets_with_properties_and_status(catalog_server, make_source, run_harvest):
    source = make_source("cbs_odata", serve_cbs(catalog_server,
                                                "cbs/datasets-cbs-nl_Datasets_select.json"))

    run = run_harvest(source)

    found = datasets_of(source)
    assert len(found) == 83
    housing = found["82235NED"]
    assert housing["title"] == "Voorraad woningen; standen en mutaties vanaf 1921"
    assert housing["frequency"] == "ANNUAL_2"  # Tweemaal per jaar
    assert housing["temporal_start"] == "1921-01-01"
    assert housing["temporal_end"] == "2025-12-31"
    assert housing["license_id"] == "cc-by"
    assert housing["maintainer_email"] == "infoservice@cbs.nl"
    assert housing["harvest_source_modified"] == "2026-03-20T00:00:00+01:00"
    assert housing["resources"][0]["url"] == catalog_server.url("/odata/v1/CBS/82235NED")
    stopped = found["00375ned"]  # Gediscontinueerd
    assert stopped["frequency"] == "NEVER"
    assert sum(d.get("frequency") == "NEVER" for d in found.values()) == 51
    assert all(d["license_id"] == "cc-by" and d["access_level"] == "public"
               for d in found.values())
    assert any("Properties of 00375ned could not be read" in n for n in run.notes)
    assert run.statuses() == {"added": 83}
    assert run.job["stats"]["errored"] == 0


def test_cbs_beta_catalog(catalog_server, make_source, run_harvest):
    source = make_source("cbs_odata", serve_cbs(catalog_server,
                                                "cbs/beta-odata4_CBS_Datasets.json"))

    run = run_harvest(source)

    found = datasets_of(source)
    assert len(found) == 53
    sick = found["80072ned"]
    assert sick["title"] == ("Ziekteverzuimpercentage; bedrijfstakken (SBI 2008) en "
                             "bedrijfsgrootte")
    assert sick["notes"].startswith("Deze tabel geeft inzicht in het ziekteverzuim")
    assert sick["harvest_source_modified"] == "2020-06-19T02:00:00+02:00"
    assert sick["license_id"] == "cc-by"
    assert "frequency" not in sick
    assert run.statuses() == {"added": 53}
