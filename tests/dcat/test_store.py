"""Each dataset's DCAT is kept at save time and the catalog streams by concatenation."""
from __future__ import annotations

import re

import pytest
import rdflib
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers
from rdflib.namespace import DCAT, DCTERMS, RDF

from ckanext.retailarea.cli import retailarea
from ckanext.retailarea.dcat import store
from ckanext.retailarea.model.dcat import DatasetRDF
from tests import factories


@pytest.fixture
def catalog(clean_db, clean_index):
    admin = ckan_factories.Sysadmin(name="admin")
    org = ckan_factories.Organization()
    public = factories.Dataset(name="open-tellingen", owner_org=org["id"],
                               title="Open tellingen")
    restricted = factories.Dataset(name="winkels", owner_org=org["id"], title="Winkels",
                                   access_level="restricted",
                                   permitted_purposes=["AcademicResearch"])
    hidden = factories.Dataset(name="intern", owner_org=org["id"], title="Interne lijst qzx",
                               access_level="non_public")
    helpers.call_action("resource_create", {"user": "admin"},
                        package_id=restricted["id"], url="https://secret.example/x.csv")
    return {"public": public, "restricted": restricted, "hidden": hidden, "admin": admin}


def test_saving_keeps_the_triples_of_exportable_datasets_only(catalog):
    from ckan import model

    kept = {row.name for row in model.Session.query(DatasetRDF)}
    assert kept == {"open-tellingen", "winkels"}
    row = model.Session.get(DatasetRDF, catalog["restricted"]["id"])
    assert "secret.example" not in row.ntriples
    helpers.call_action("package_patch", {"user": "admin"}, id="open-tellingen",
                        title="Nieuwe titel")
    assert "Nieuwe titel" in model.Session.get(DatasetRDF, catalog["public"]["id"]).ntriples
    helpers.call_action("package_patch", {"user": "admin"}, id="open-tellingen",
                        access_level="non_public")
    assert model.Session.get(DatasetRDF, catalog["public"]["id"]) is None
    helpers.call_action("package_delete", {"user": "admin"}, id="winkels")
    assert model.Session.get(DatasetRDF, catalog["restricted"]["id"]) is None


@pytest.mark.parametrize("fmt, rdf_format", [("nt", "nt"), ("ttl", "turtle"),
                                              ("jsonld", "json-ld"), ("xml", "xml")])
def test_dump_is_valid_rdf_with_every_exportable_dataset(catalog, cli, fmt, rdf_format):
    result = cli.invoke(retailarea, ["dcat", "dump", "--format", fmt])
    assert result.exit_code == 0, result.output
    # the document is stdout; the "N datasets in s" line goes to stderr, which click 8.1
    # (CKAN 2.11) writes into the same stream after the document and click 8.2+ keeps apart
    body = re.sub(r"\n?2 datasets in [0-9.]+ s\n$", "", result.stdout)
    graph = rdflib.Graph().parse(data=body, format=rdf_format)
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    titles = {str(graph.value(d, DCTERMS.title)) for d in datasets}
    assert titles == {"Open tellingen", "Winkels"}
    (catalog_ref,) = graph.subjects(RDF.type, DCAT.Catalog)
    assert set(graph.objects(catalog_ref, DCAT.dataset)) == datasets
    assert "secret.example" not in body and "lijst qzx" not in body


def test_dump_matches_the_per_dataset_export(catalog):
    from ckanext.dcat.processors import RDFSerializer

    dumped = rdflib.Graph().parse(data="".join(store.stream("nt")), format="nt")
    dataset = helpers.call_action("package_show", {"user": "admin"},
                                  id="open-tellingen")
    serializer = RDFSerializer()
    ref = serializer.graph_from_dataset(dataset)
    own = {(p, o) for p, o in serializer.g.predicate_objects(ref)
           if not isinstance(o, rdflib.BNode)}
    kept = {(p, o) for p, o in dumped.predicate_objects(ref)
            if not isinstance(o, rdflib.BNode)}
    assert own == kept


def test_rebuild_reports_progress(catalog, cli):
    result = cli.invoke(retailarea, ["dcat", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Rebuilt the DCAT of 3 datasets" in result.output
    assert "3/3 datasets" in result.output
