"""/catalog.* pages come from the kept fragments and say what ckanext-dcat would say."""
from __future__ import annotations

import json

import pytest
import rdflib
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers
from rdflib.namespace import DCAT, DCTERMS, RDF

from tests import factories

HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
PARSERS = {"ttl": "turtle", "n3": "n3", "nt": "nt", "jsonld": "json-ld", "rdf": "xml",
           "xml": "xml"}


@pytest.fixture
def catalog(clean_db, clean_index):
    ckan_factories.Sysadmin(name="admin")
    org = ckan_factories.Organization()
    for number in range(5):
        factories.Dataset(name=f"tellingen-{number}", owner_org=org["id"],
                          title=f"Tellingen {number}")
    restricted = factories.Dataset(name="winkels", owner_org=org["id"], title="Winkels",
                                   access_level="restricted",
                                   permitted_purposes=["AcademicResearch"])
    helpers.call_action("resource_create", {"user": "admin"}, package_id=restricted["id"],
                        url="https://secret.example/x.csv")
    factories.Dataset(name="intern", owner_org=org["id"], title="Interne lijst qzx",
                      access_level="non_public")
    return org


def titles(graph):
    return {str(graph.value(d, DCTERMS.title)) for d in graph.subjects(RDF.type, DCAT.Dataset)}


@pytest.mark.parametrize("fmt", sorted(PARSERS))
def test_every_format_is_valid_rdf_without_withheld_data(app, catalog, fmt):
    response = app.get(f"/catalog.{fmt}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    graph = rdflib.Graph().parse(data=body, format=PARSERS[fmt])
    assert titles(graph) == {f"Tellingen {n}" for n in range(5)} | {"Winkels"}
    (catalog_ref,) = graph.subjects(RDF.type, DCAT.Catalog)
    assert set(graph.objects(catalog_ref, DCAT.dataset)) == set(
        graph.subjects(RDF.type, DCAT.Dataset))
    assert "secret.example" not in body and "lijst qzx" not in body


def test_content_types(app, catalog):
    assert app.get("/catalog.nt").headers["Content-Type"].startswith("application/n-triples")
    assert app.get("/catalog.ttl").headers["Content-Type"].startswith("text/turtle")
    assert app.get("/catalog.rdf").headers["Content-Type"].startswith("application/rdf+xml")
    assert app.get("/catalog.jsonld").headers["Content-Type"].startswith(
        "application/ld+json")


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
def test_pages_cover_the_catalog_once_with_hydra_links(app, catalog):
    seen = []
    for page in (1, 2, 3):
        body = app.get("/catalog.ttl", query_string={"page": page}).get_data(as_text=True)
        graph = rdflib.Graph().parse(data=body, format="turtle")
        seen += titles(graph)
        (paging,) = graph.subjects(RDF.type, HYDRA.PagedCollection)
        assert int(graph.value(paging, HYDRA.totalItems)) == 6
        assert int(graph.value(paging, HYDRA.itemsPerPage)) == 2
        assert str(graph.value(paging, HYDRA.last)).endswith("page=3")
        assert (graph.value(paging, HYDRA.next) is None) == (page == 3)
        assert (graph.value(paging, HYDRA.previous) is None) == (page == 1)
    assert sorted(seen) == sorted({f"Tellingen {n}" for n in range(5)} | {"Winkels"})


def test_the_page_says_what_ckanext_dcat_says(app, catalog):
    """Same datasets, same statements (blank nodes aside) as the stock serialiser."""
    from ckanext.dcat.processors import RDFSerializer

    ours = rdflib.Graph().parse(data=app.get("/catalog.ttl").get_data(as_text=True),
                                format="turtle")
    for name in ("tellingen-0", "winkels"):
        dataset = helpers.call_action("package_show", {}, id=name)
        serializer = RDFSerializer()
        ref = serializer.graph_from_dataset(dataset)
        stock = {(p, o) for p, o in serializer.g.predicate_objects(ref)
                 if not isinstance(o, rdflib.BNode)}
        kept = {(p, o) for p, o in ours.predicate_objects(ref)
                if not isinstance(o, rdflib.BNode)}
        assert kept == stock


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
@pytest.mark.parametrize("fmt", ["ttl", "rdf", "jsonld"])
def test_page_links_keep_quotes_and_spaces_valid(app, catalog, fmt):
    response = app.get(f"/catalog.{fmt}", query_string={"q": 'title:"Tellingen" tellingen'})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.get_data(as_text=True), format=PARSERS[fmt])
    (paging,) = graph.subjects(RDF.type, HYDRA.PagedCollection)
    assert "q=title%3A%22Tellingen%22+tellingen&page=2" in str(graph.value(paging, HYDRA.next))


def test_modified_since_filters_and_bad_dates_are_a_400(app, catalog):
    later = app.get("/catalog.ttl", query_string={"modified_since": "2999-01-01"})
    assert later.status_code == 200
    assert titles(rdflib.Graph().parse(data=later.get_data(as_text=True), format="turtle")) \
        == set()
    assert app.get("/catalog.ttl", query_string={"modified_since": "gisteren"}).status_code \
        == 400


def test_unknown_format_is_a_404_not_a_500(app, catalog):
    response = app.get("/catalog.docx")
    assert response.status_code == 404


def test_a_dataset_kept_before_the_fragments_existed_is_still_served(app, catalog):
    from ckan import model

    from ckanext.retailarea.model.dcat import DatasetRDF

    row = model.Session.query(DatasetRDF).filter_by(name="tellingen-1").one()
    row.turtle = row.rdfxml = row.jsonld = None
    model.Session.commit()
    for fmt in ("ttl", "rdf", "jsonld"):
        body = app.get(f"/catalog.{fmt}").get_data(as_text=True)
        graph = rdflib.Graph().parse(data=body, format=PARSERS[fmt])
        assert "Tellingen 1" in titles(graph)


@pytest.mark.parametrize("profiles", ["euro_dcat_ap_3", "euro_dcat_ap_2",
                                      "euro_dcat_ap_3,retailarea_dcat_ap_nl"])
def test_profiles_parameter_is_left_to_ckanext_dcat_without_leaks(app, catalog, profiles):
    """Even without our profile, the search results it serialises hold no withheld URL."""
    response = app.get("/catalog.jsonld", query_string={"profiles": profiles})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert json.loads(body)
    assert "secret.example" not in body and "lijst qzx" not in body
