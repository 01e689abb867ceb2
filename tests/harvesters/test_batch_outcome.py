"""A page imported in one batch (one transaction, each dataset indexed once without a Solr
commit per document, see harvesters/solr.py) leaves exactly what saving the datasets one
by one leaves: the activity's copy of the dataset, the kept DCAT and the search-index
document are each compared with what the ordinary path computes for the same dataset."""
from __future__ import annotations

import json
import logging
import re

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.lib import search
from ckanext.activity.model import Activity
from rdflib import Graph
from rdflib.compare import isomorphic

from ckanext.retailarea.dcat import store
from tests.harvesters.conftest import datasets_of
from tests.harvesters.server import Reply, payload

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context"),
]


@pytest.fixture
def harvested(org, catalog_server, make_source, run_harvest):
    url = catalog_server.route("/dcat-ap-nl.ttl", Reply(payload("dcat-ap-nl/dcat-ap-nl.ttl"),
                                                        content_type="text/turtle"))
    rdf_url = catalog_server.route("/catalog.rdf", Reply(payload("rdf/catalog.rdf"),
                                                         content_type="application/rdf+xml"))
    sources = [make_source("dcat_rdf", url, name="src-ttl"),
               make_source("dcat_rdf", rdf_url, name="src-rdf")]
    for source in sources:
        assert run_harvest(source).statuses() == {"added": len(datasets_of(source))}
    return [d for source in sources for d in datasets_of(source).values()]


def _show(package_id: str) -> dict:
    return tk.get_action("package_show")({"ignore_auth": True, "use_cache": False},
                                         {"id": package_id})


def test_activity_keeps_the_dataset_as_an_unshared_show_gives_it(harvested):
    assert len(harvested) == 3
    for dataset in harvested:
        activity = model.Session.query(Activity).filter_by(
            object_id=dataset["id"], activity_type="new package").one()
        assert activity.data["package"] == json.loads(json.dumps(_show(dataset["id"])))


def test_kept_dcat_is_what_a_fresh_build_gives(harvested):
    """Same triples (blank nodes get new labels on every build, hence isomorphism)."""
    for dataset in harvested:
        kept = model.Session.get(store.DatasetRDF, dataset["id"])
        fresh = store.build(dataset["id"])
        assert (kept.name, kept.dataset_uri) == (fresh.name, fresh.dataset_uri)
        assert isomorphic(Graph().parse(data=kept.ntriples, format="nt"),
                          Graph().parse(data=fresh.ntriples, format="nt"))
        assert kept.turtle and kept.jsonld and kept.rdfxml


def test_search_document_is_what_ckan_indexing_gives(harvested):
    batch = {d["id"]: search.show(d["id"]) for d in harvested}
    for dataset in harvested:
        search.rebuild(dataset["id"])  # CKAN's own indexing, one dataset, one request
    search.commit()
    for dataset in harvested:
        ordinary = search.show(dataset["id"])
        for field in ("data_dict", "validated_data_dict", "permission_labels", "res_url",
                      "metadata_modified", "harvest_source_id"):
            assert batch[dataset["id"]].get(field) == ordinary.get(field), field
    found = tk.get_action("package_search")({"ignore_auth": True},
                                            {"q": "*:*", "rows": 100})["results"]
    assert {d["id"] for d in harvested} <= {d["id"] for d in found}


def test_progress_still_shows_counts_and_rate(org, catalog_server, make_source, run_harvest,
                                              caplog, monkeypatch):
    url = catalog_server.route("/catalog.rdf", Reply(payload("rdf/catalog.rdf"),
                                                     content_type="application/rdf+xml"))
    source = make_source("dcat_rdf", url)
    caplog.set_level(logging.INFO, logger="ckanext.retailarea.harvesters")
    # CKAN's logging setup (fileConfig) disables loggers made before it ran
    monkeypatch.setattr(logging.getLogger("ckanext.retailarea.harvesters"), "disabled", False)

    run_harvest(source)

    lines = [r.getMessage() for r in caplog.records if "harvest gather" in r.getMessage()]
    assert re.search(r": 2 records in [\d.]+ s, [\d.]+ records/s \(added 2\)$", lines[-1])
