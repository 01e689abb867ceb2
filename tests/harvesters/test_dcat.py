"""`dcat_rdf`, `dcat_json` and `ckan` through our pipeline: real samples, paging, and the
RDF-specific bad cases (entity bombs, remote JSON-LD contexts)."""
from __future__ import annotations

import json

import pytest

from ckanext.retailarea.access import vault
from tests.harvesters.conftest import datasets_of
from tests.harvesters.server import Reply, json_reply, payload

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context"),
]
PREFIXES = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
"""


def page_ttl(numbers, next_url=None):
    lines = [PREFIXES]
    for n in numbers:
        lines.append(f'<https://cat.example/ds/{n}> a dcat:Dataset ; dct:title "Set {n}" ; '
                     'dcat:theme <http://publications.europa.eu/resource/authority/'
                     'data-theme/ECON> .')
    if next_url:
        lines.append(f'<{next_url}?self> a hydra:PagedCollection ; hydra:next <{next_url}> .')
    return "\n".join(lines).encode()


def test_dcat_ap_nl_sample(org, catalog_server, make_source, run_harvest):
    url = catalog_server.route("/dcat-ap-nl.ttl", Reply(payload("dcat-ap-nl/dcat-ap-nl.ttl"),
                                                        content_type="text/turtle"))
    source = make_source("dcat_rdf", url)

    run = run_harvest(source)

    (dataset,) = datasets_of(source).values()
    assert dataset["theme"] == ["EDUC"]
    assert dataset["access_level"] == "public"
    assert dataset["temporal_start"] == "2016-03-28"
    assert dataset["temporal_end"] == "2018-08-25"
    assert json.loads(dataset["spatial"])["type"] == "Polygon"
    assert dataset["maintainer_email"] == "opendata@mijnorganisatie.nl"
    assert dataset["resources"][0]["url"] == "https://orgea.exampleMS.gov/files/1T2p3o4B.shp"
    assert dataset["harvest_original_uri"] == "https://data.exampleMS.gov/id/data/1T2p3o4B"
    assert run.statuses() == {"added": 1}


def test_rdf_xml_sample_and_unchanged_reharvest(org, catalog_server, make_source,
                                                run_harvest):
    url = catalog_server.route("/catalog.rdf", Reply(payload("rdf/catalog.rdf"),
                                                     content_type="application/rdf+xml"))
    source = make_source("dcat_rdf", url)

    first = run_harvest(source)
    again = run_harvest(source)

    assert first.statuses() == {"added": 2}
    assert again.statuses() == {"not modified": 2}
    titles = {d["title"] for d in datasets_of(source).values()}
    assert titles == {"Example dataset 1", "Example dataset 2"}


def test_hydra_paging_and_a_next_page_loop(org, catalog_server, make_source, run_harvest):
    page2 = catalog_server.url("/p2.ttl")
    url = catalog_server.route("/p1.ttl", Reply(page_ttl([1, 2], page2),
                                                content_type="text/turtle"))
    catalog_server.route("/p2.ttl", Reply(page_ttl([3]), content_type="text/turtle"))
    source = make_source("dcat_rdf", url)

    assert run_harvest(source).statuses() == {"added": 3}

    catalog_server.route("/p2.ttl", Reply(page_ttl([3], url), content_type="text/turtle"))
    run = run_harvest(source)
    assert any("read before (paging loop)" in e for e in run.gather_errors)
    assert len(datasets_of(source)) == 3


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Dataset rdf:about="https://cat.example/bomb"><dct:title>&lol3;</dct:title>
  </dcat:Dataset>
</rdf:RDF>"""
EXTERNAL = BOMB.replace(b'<!ENTITY lol "lol">', b'<!ENTITY lol SYSTEM "file:///etc/passwd">')
REMOTE_CONTEXT = json.dumps({
    "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
    "@id": "https://cat.example/ds/1", "@type": "dcat:Dataset", "title": "x"}).encode()
INLINE_CONTEXT = json.dumps({
    "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"},
    "@graph": [{"@id": "https://cat.example/ds/1", "@type": "dcat:Dataset",
                "dct:title": "Inline"}]}).encode()


@pytest.mark.parametrize("body, content_type, message", [
    (BOMB, "application/rdf+xml", "DOCTYPE or entity declarations is refused"),
    (EXTERNAL, "application/rdf+xml", "DOCTYPE or entity declarations is refused"),
    (REMOTE_CONTEXT, "application/ld+json", "remote @context is refused"),
    (b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<a> a dcat:Dataset ; <b", "text/turtle",
     "not valid turtle"),
])
def test_unsafe_or_broken_rdf_is_refused(org, catalog_server, make_source, run_harvest,
                                         body, content_type, message):
    url = catalog_server.route("/bad", Reply(body, content_type=content_type))
    source = make_source("dcat_rdf", url)

    run = run_harvest(source)

    assert any(message in e for e in run.gather_errors), run.gather_errors
    assert datasets_of(source) == {}


def test_json_ld_with_an_inline_context(org, catalog_server, make_source, run_harvest):
    url = catalog_server.route("/c.jsonld", Reply(INLINE_CONTEXT,
                                                  content_type="application/ld+json"))
    source = make_source("dcat_rdf", url)
    run_harvest(source)
    assert [d["title"] for d in datasets_of(source).values()] == ["Inline"]


ACCESS_DATA_JSON = {
    "dataset": [
        {"identifier": "open-1", "title": "Open", "accessLevel": "public",
         "spatial": "4.70,52.00,4.72,52.02", "temporal": "2020-01-01/2020-12-31",
         "accrualPeriodicity": "R/P1M", "license": "https://creativecommons.org/licenses/by/4.0/",
         "distribution": [{"downloadURL": "https://files.example/open.csv",
                           "mediaType": "text/csv"}]},
        {"identifier": "limited-1", "title": "Limited", "accessLevel": "restricted public",
         "landingPage": "https://portal.example/limited-1",
         "distribution": [{"downloadURL": "https://files.example/secret.csv",
                           "mediaType": "text/csv"}]},
        {"identifier": "closed-1", "title": "Closed", "accessLevel": "non-public"},
    ]
}


def test_dcat_us_access_levels(org, catalog_server, make_source, run_harvest):
    url = catalog_server.route("/data.json", json_reply(ACCESS_DATA_JSON))
    source = make_source("dcat_json", url, {"default_purposes": ["PublicBenefit"]})

    run = run_harvest(source)

    found = datasets_of(source)
    assert set(found) == {"open-1", "limited-1"}
    assert found["open-1"]["access_level"] == "public"
    assert found["open-1"]["frequency"] == "MONTHLY"
    assert found["open-1"]["license_id"] == "cc-by"
    assert json.loads(found["open-1"]["spatial"])["type"] == "Polygon"
    assert found["open-1"]["temporal_end"] == "2020-12-31"
    assert found["open-1"]["resources"][0]["format"] == "CSV"
    limited = found["limited-1"]
    assert limited["access_level"] == "restricted"
    assert limited["permitted_purposes"] == ["PublicBenefit"]
    # metadata only: the resource leads to the source's page, a URL the vault keeps
    # (access/vault.py); the resource row holds the neutral, guarded one
    assert [r["url"] for r in limited["resources"]] == [
        vault.neutral_url(r["id"]) for r in limited["resources"]]
    assert [v["url"] for v in vault.kept(limited["id"]).values()] == [
        "https://portal.example/limited-1"]
    assert "Withheld: non-public at the source. Not harvested." in run.object_errors
    stored = [o.content for o in run.objects if o.guid == "limited-1"][0]
    assert "secret.csv" not in stored


def test_restricted_without_purposes_is_a_record_error(org, catalog_server, make_source,
                                                       run_harvest):
    url = catalog_server.route("/data.json", json_reply(ACCESS_DATA_JSON))
    source = make_source("dcat_json", url)

    run = run_harvest(source)

    assert set(datasets_of(source)) == {"open-1"}
    assert any("restricted at the source but no permitted purposes" in m
               for m in run.object_errors)


def test_dcat_us_sample(org, catalog_server, make_source, run_harvest):
    url = catalog_server.route("/ny.json", Reply(payload("dcat-us/ny.data.json")))
    source = make_source("dcat_json", url, {"theme_map": {"Economic Development": "ECON"}})

    run_harvest(source)

    (dataset,) = datasets_of(source).values()
    assert dataset["theme"] == ["ECON"]
    assert dataset["url"] == "https://data.ny.gov/d/22ew-dxez"
    assert {"key": "publisher_name", "value": "State of New York"} in dataset["extras"]


def test_ckan_action_api_sample(org, catalog_server, make_source, run_harvest):
    document = json.loads(payload("ckan/packages.json"))
    results = document["result"]["results"]

    def search(query):
        start, rows = int(query["start"]), int(query["rows"])
        return json_reply({**document, "result": {**document["result"],
                                                  "results": results[start:start + rows]}})

    catalog_server.route("/api/3/action/package_search", search)
    source = make_source("ckan", catalog_server.base, {"page_size": 2})

    run = run_harvest(source)

    found = datasets_of(source)
    assert run.statuses() == {"added": 3}
    assert {d["license_id"] for d in found.values()} == {"other-open", "cc-by"}
    first = found["62513382-3b26-4bc8-9096-40b6ce8383c0"]
    assert first["maintainer"] == "TKKIM"
    assert first["resources"][0]["format"] == "CSV"
