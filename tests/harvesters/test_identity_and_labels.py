"""One duplicate rule for every source type, and DCAT values described in place (blank
nodes) read by their labels, as real catalogs write them."""
from __future__ import annotations

import pytest

from tests.harvesters.conftest import datasets_of
from tests.harvesters.server import Reply, json_reply

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context"),
]
TWINS_TTL = b"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://cat.example/ds/a> a dcat:Dataset ; dct:title "Passanten" ; dct:identifier "TEL-1" .
<https://mirror.example/ds/a> a dcat:Dataset ; dct:title "Passanten (kopie)" ;
    dct:identifier "TEL-1" .
<https://cat.example/ds/b> a dcat:Dataset ; dct:title "Markten" ; dct:identifier "MKT-1" .
"""
LABELLED_TTL = b"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://cat.example/ds/c> a dcat:Dataset ; dct:title "Winkels" ;
    dcat:theme [ skos:prefLabel "Economie" ] ;
    dct:license [ a dct:LicenseDocument ; rdfs:label "Gemeentelijke open licentie" ] .
"""


def test_dcat_datasets_sharing_an_identifier_are_one_dataset(catalog_server, make_source,
                                                             run_harvest):
    url = catalog_server.route("/twins.ttl", Reply(TWINS_TTL, content_type="text/turtle"))
    source = make_source("dcat_rdf", url)

    run = run_harvest(source)
    again = run_harvest(source)

    assert len(datasets_of(source)) == 2
    assert run.statuses() == {"added": 2, "errored": 1}
    assert any(m.startswith("Duplicate id 'TEL-1'") for m in run.object_errors)
    assert again.statuses() == {"not modified": 2, "errored": 1}


def test_dcat_json_duplicates_follow_the_same_rule(catalog_server, make_source, run_harvest):
    record = {"identifier": "TEL-1", "title": "Passanten", "accessLevel": "public"}
    url = catalog_server.route("/data.json", json_reply({"dataset": [record, record]}))
    source = make_source("dcat_json", url)

    run = run_harvest(source)

    assert len(datasets_of(source)) == 1
    assert any(m.startswith("Duplicate id 'TEL-1'") for m in run.object_errors)


def test_blank_node_licence_and_theme_are_read_by_label(catalog_server, make_source,
                                                        run_harvest):
    url = catalog_server.route("/labelled.ttl",
                               Reply(LABELLED_TTL, content_type="text/turtle"))
    source = make_source("dcat_rdf", url, {
        "theme_map": {"Economie": "ECON"},
        "license_map": {"Gemeentelijke open licentie": "other-open"}})

    run = run_harvest(source)

    shops = datasets_of(source)["https://cat.example/ds/c"]
    assert shops["theme"] == ["ECON"]
    assert shops["license_id"] == "other-open"
    assert run.notes == []
