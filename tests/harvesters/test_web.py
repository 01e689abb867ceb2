"""The web UI: the source form offers our source types with config help; the job page
shows unmapped values and the pace of the job."""
from __future__ import annotations

import pytest

from tests.harvesters.test_ods import CONFIG, serve_catalog

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
]


def test_source_form_lists_our_types_with_config_help(app, sysadmin, org):
    response = app.get("/harvest/new", headers={"Authorization": sysadmin["token"]})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for source_type in ("ods", "socrata", "cbs_odata", "dcat_rdf", "dcat_json", "ckan"):
        assert f'value="{source_type}"' in page
    assert "deletion_guard_ratio" in page and "type_rules" in page


def test_a_bad_config_is_a_field_error(app, sysadmin, org):
    response = app.post("/harvest/new", headers={"Authorization": sysadmin["token"]}, data={
        "url": "https://data.example.org", "title": "Bron", "name": "bron",
        "source_type": "ods", "owner_org": org["id"], "frequency": "MANUAL",
        "config": '{"theme_map": {"Mobiliteit": "TRANSPORT"}, "deletion_guard_ratio": 7}',
        "save": ""})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "theme_map: &#39;Mobiliteit&#39; maps to [&#39;TRANSPORT&#39;]" in page
    assert "deletion_guard_ratio: must be a number from 0 to 1" in page


def test_job_page_shows_unmapped_values_and_rates(app, sysadmin, catalog_server, make_source,
                                                  run_harvest):
    source = make_source("ods", serve_catalog(catalog_server), CONFIG)
    run = run_harvest(source)

    response = app.get(f"/harvest/{source['name']}/job/{run.job['id']}",
                       headers={"Authorization": sysadmin["token"]})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Unmapped licence &#39;Unknown licence XYZ&#39;" in page
    assert "Records per second" in page
