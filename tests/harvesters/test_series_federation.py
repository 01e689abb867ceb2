"""Dataset series federate (issue 19 part 3): our /catalog.ttl harvested through our
`dcat_rdf` into another organization keeps which dataset is a part of which series, and
the copies' catalog says dcat:DatasetSeries, first/last and previous/next again."""
from __future__ import annotations

import pytest
import rdflib
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers
from ckanext.dcat.profiles import DCAT
from rdflib.namespace import RDF

from ckanext.retailarea.dcat.profiles import shacl
from tests import factories
from tests.harvesters.conftest import datasets_of
from tests.harvesters.server import Reply

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context"),
]


def test_series_survive_a_harvest_of_our_catalog(app, org, catalog_server, make_source,
                                                  run_harvest):
    home = ckan_factories.Organization(name="bron")
    whole = factories.Footfall(name="footfall-centrum", title="Footfall Centrum",
                               owner_org=home["id"])
    for year in (2025, 2024):
        factories.Footfall(name=f"footfall-centrum-{year}", title=f"Footfall Centrum {year}",
                           owner_org=home["id"], in_series=[whole["name"]],
                           temporal_start=f"{year}-01-01", temporal_end=f"{year}-12-31")
    turtle = app.get("/catalog.ttl").get_data()
    url = catalog_server.route("/catalog.ttl", Reply(turtle, content_type="text/turtle"))
    source = make_source("dcat_rdf", url, {"name_prefix": "fed-"})

    run = run_harvest(source)

    assert run.object_errors == [] and run.gather_errors == []
    copies = {d["title"]: d for d in datasets_of(source).values()}
    series_copy = copies["Footfall Centrum"]
    assert series_copy["owner_org"] == org["id"]
    for year in (2024, 2025):
        part = copies[f"Footfall Centrum {year}"]
        found = helpers.call_action("package_show", id=part["id"])
        assert found["in_series"] == [series_copy["harvest_original_uri"]] or \
            found["in_series"] == [series_copy["id"]]
    g = rdflib.Graph().parse(data=app.get("/catalog.ttl").get_data(as_text=True),
                             format="turtle")

    def ref(d):
        return rdflib.URIRef(f"http://test.ckan.net/dataset/{d['id']}")

    first, last = copies["Footfall Centrum 2024"], copies["Footfall Centrum 2025"]
    assert (ref(series_copy), RDF.type, DCAT.DatasetSeries) in g
    assert g.value(ref(series_copy), DCAT.first) == ref(first)
    assert g.value(ref(series_copy), DCAT.last) == ref(last)
    assert g.value(ref(first), DCAT.next) == ref(last)
    assert g.value(ref(last), DCAT.prev) == ref(first)
    assert g.value(ref(last), DCAT.inSeries) == ref(series_copy)
    report = shacl.validate(g)
    assert report.conforms, report.summary()
