"""Every exported record conforms (issue 19, part 4): real catalogs harvested through the
real stack, then our whole /catalog.ttl validated against DCAT-AP 3.0.1 and DCAT-AP-NL 3.0
(payloads read where they lie in ``../shared/``)."""
from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import DCAT, RDF

from ckanext.retailarea.dcat.profiles import shacl
from tests.harvesters.conftest import datasets_of
from tests.harvesters.realworld import raw, sample, serve_offset_pages
from tests.harvesters.server import Reply

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context"),
]
SEARCH = "/api/3/action/package_search"


def harvest_all(catalog_server, make_source, run_harvest) -> int:
    serve_offset_pages(catalog_server, SEARCH,
                       "ckan/data.birmingham.gov.uk_package_search.json", "results", "start")
    sources = [make_source("ckan", catalog_server.base, name="birmingham")]
    for name, body in (
        ("philly", raw("dcat_json/opendataphilly_data.json")),
        ("justice", raw("dcat_json/datos.jus.gob.ar_catalogo-justicia.json")),
        ("idaho", sample("data-json-dcat-us/large-spatial.data.json")),
    ):
        url = catalog_server.route(f"/{name}.json", Reply(body))
        sources.append(make_source("dcat_json", url, name=name))
    url = catalog_server.route(
        "/dcat-ap-nl.ttl", Reply(sample("dcat-ap-nl/dcat-ap-nl.ttl"),
                                 content_type="text/turtle"))
    sources.append(make_source("dcat_rdf", url, name="dcat-ap-nl"))
    for source in sources:
        run_harvest(source)
    return sum(len(datasets_of(source)) for source in sources)


def test_the_whole_catalog_conforms_with_real_payloads_harvested(
        app, catalog_server, make_source, run_harvest):
    harvested = harvest_all(catalog_server, make_source, run_harvest)
    assert harvested > 30

    graph = rdflib.Graph()
    page = 1
    while True:
        body = app.get(f"/catalog.ttl?page={page}").get_data(as_text=True)
        before = len(set(graph.subjects(RDF.type, DCAT.Dataset)))
        graph.parse(data=body, format="turtle")
        if len(set(graph.subjects(RDF.type, DCAT.Dataset))) == before:
            break
        page += 1
    exported = len(set(graph.subjects(RDF.type, DCAT.Dataset)))
    assert exported > 30

    report = shacl.validate(graph)
    assert report.violations == [], report.summary()
