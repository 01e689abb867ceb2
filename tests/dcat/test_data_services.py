"""The platform's APIs as dcat:DataService in the catalog, and parsed back on import."""
from __future__ import annotations

import json

import pytest
import rdflib
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers
from ckanext.dcat.processors import RDFParser
from rdflib.namespace import DCAT, RDF

from ckanext.retailarea.dcat.profiles import shacl
from tests import factories

SITE = "http://test.ckan.net"
ACTION = f"{SITE}/api/3/action/"


def service(action):
    return rdflib.URIRef(f"{ACTION}{action}#service")


@pytest.fixture
def catalog(clean_db, clean_index):
    ckan_factories.Sysadmin(name="admin")
    org = ckan_factories.Organization()
    footfall = factories.Footfall(name="passanten", title="Passanten", owner_org=org["id"])
    resource = helpers.call_action("resource_create", {"user": "admin"},
                                   package_id=footfall["id"], name="tellingen",
                                   url="https://data.example/tellingen.csv")
    helpers.call_action("datastore_create", {"user": "admin"}, force=True,
                        resource_id=resource["id"], fields=[{"id": "count", "type": "int"}],
                        records=[{"count": 3}])
    # datastore_create flags the resource without saving the dataset; the kept DCAT
    # follows at the next save (or `dcat rebuild`).
    helpers.call_action("package_patch", {"user": "admin"}, id=footfall["id"])
    factories.Dataset(name="winkels", title="Winkels", owner_org=org["id"],
                      access_level="restricted", permitted_purposes=["AcademicResearch"])
    factories.Dataset(name="overig", title="Overig", owner_org=org["id"])
    return org


def uri(name):
    dataset = helpers.call_action("package_show", {"ignore_auth": True}, id=name)
    return rdflib.URIRef(f"{SITE}/dataset/{dataset['id']}")


def test_the_catalog_lists_its_apis_and_what_each_serves(app, catalog):
    body = app.get("/catalog.ttl").get_data(as_text=True)
    g = rdflib.Graph().parse(data=body, format="turtle")

    (catalog_ref,) = g.subjects(RDF.type, DCAT.Catalog)
    actions = ("package_search", "datastore_search", "retailarea_footfall_series",
               "retailarea_parking_occupancy_series")
    assert set(g.objects(catalog_ref, DCAT.service)) == {service(a) for a in actions}
    for action in actions:
        assert g.value(service(action), DCAT.endpointURL) == rdflib.URIRef(ACTION + action)
        assert str(g.value(service(action), DCAT.endpointDescription)) == (
            f"{ACTION}help_show?name={action}")
    served = {a: set(g.objects(service(a), DCAT.servesDataset)) for a in actions}
    assert served == {
        "package_search": {uri("passanten"), uri("winkels"), uri("overig")},
        "datastore_search": {uri("passanten")},
        "retailarea_footfall_series": {uri("passanten")},
        "retailarea_parking_occupancy_series": set(),
    }
    report = shacl.validate(g)
    assert report.conforms, report.summary()
    # The endpoint description answers: CKAN documents the action itself.
    help_page = app.get("/api/3/action/help_show?name=retailarea_footfall_series")
    assert help_page.status_code == 200 and "footfall" in help_page.json["result"]


def test_the_services_are_parsed_back_on_import(app, catalog):
    body = app.get("/catalog.ttl").get_data(as_text=True)
    parser = RDFParser(profiles=["euro_dcat_ap_3", "retailarea_dcat_ap_nl"])
    parser.parse(body, _format="turtle")
    parsed = {d["title"]: d for d in parser.datasets()}

    extras = {e["key"]: e["value"] for e in parsed["Passanten"]["extras"]}
    found = json.loads(extras["data_services"])
    assert [s["endpoint_url"] for s in found] == [
        ACTION + "datastore_search", ACTION + "package_search",
        ACTION + "retailarea_footfall_series"]
    assert {s["title"] for s in found} == {"DataStore API", "CKAN Action API",
                                           "Footfall series"}
    assert all(s["endpoint_description"].startswith(ACTION + "help_show") for s in found)
