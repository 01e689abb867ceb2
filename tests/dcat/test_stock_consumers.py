"""A stock ckanext-dcat consumer (profile ``euro_dcat_ap_3`` alone) parsing our /catalog.ttl
keeps what its dataset dict can hold, field by field against package_show."""
from __future__ import annotations

import json

import pytest
from ckan.model.license import LicenseRegister
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers
from ckanext.dcat.processors import RDFParser

from ckanext.retailarea.dcat.profiles import shacl
from tests import factories

EU = "http://publications.europa.eu/resource/authority/"
SITE = "http://test.ckan.net"
CENTRE = ('{"type":"Polygon","coordinates":[[[4.70,52.00],[4.72,52.00],[4.72,52.02],'
          '[4.70,52.02],[4.70,52.00]]]}')
STATION = ('{"type":"Polygon","coordinates":[[[4.80,52.10],[4.84,52.10],[4.84,52.12],'
           '[4.80,52.12],[4.80,52.10]]]}')
OWN = ('{"type":"Polygon","coordinates":[[[4.705,52.005],[4.71,52.005],[4.71,52.01],'
       '[4.705,52.01],[4.705,52.005]]]}')


def value(parsed, key):
    """A field as a stock consumer keeps it: a root key, else an extra (without
    ckanext-scheming everything but CKAN's core fields is an extra)."""
    if parsed.get(key) not in (None, ""):
        return parsed[key]
    return next((e["value"] for e in parsed.get("extras") or [] if e["key"] == key), None)


def stock_parse(app, url="/catalog.ttl"):
    response = app.get(url)
    assert response.status_code == 200
    parser = RDFParser(profiles=["euro_dcat_ap_3"])
    parser.parse(response.get_data(as_text=True), _format="turtle")
    return {d["title"]: d for d in parser.datasets()}, parser.g


@pytest.fixture
def catalog(clean_db, clean_index):
    ckan_factories.Sysadmin(name="admin")
    org = ckan_factories.Organization(title="Gemeente Gouda", email="data@gouda.example")
    centre = factories.RetailArea(name="centrum", title="Centrum", geometry=CENTRE)
    station = factories.RetailArea(name="station", title="Stationsgebied", geometry=STATION)
    footfall = factories.Footfall(
        name="passanten", title="Passanten", owner_org=org["id"],
        groups=[{"name": centre["name"]}, {"name": station["name"]}],
        license_id="cc-by", frequency="DAILY", theme=["ECON", "TRAN"],
        temporal_start="2024-01-01", temporal_end="2024-12-31", spatial=OWN,
        maintainer="Team Data", maintainer_email="team@gouda.example")
    for fmt, url in (("CSV", "https://data.gouda.example/passanten.csv"),
                     ("GeoJSON", "https://data.gouda.example/sensoren.geojson"),
                     ("XLSX", "https://data.gouda.example/passanten.xlsx")):
        helpers.call_action("resource_create", {"user": "admin"}, package_id=footfall["id"],
                            url=url, format=fmt, name=fmt)
    restricted = factories.Dataset(
        name="winkels", title="Winkels", owner_org=org["id"], license_id="other-closed",
        access_level="restricted", permitted_purposes=["AcademicResearch"],
        groups=[{"name": centre["name"]}])
    helpers.call_action("resource_create", {"user": "admin"}, package_id=restricted["id"],
                        url="https://secret.example/winkels.csv", format="CSV")
    return org


def show(name):
    return helpers.call_action("package_show", {"ignore_auth": True}, id=name)


def test_stock_parser_keeps_licence_frequency_theme_temporal_contact_publisher(app, catalog):
    parsed, _ = stock_parse(app)
    ours = show("passanten")
    theirs = parsed["Passanten"]

    assert theirs["license_id"] == ours["license_id"] == "cc-by"
    assert value(theirs, "frequency") == EU + "frequency/DAILY"
    assert sorted(json.loads(value(theirs, "theme"))) == [
        EU + "data-theme/ECON", EU + "data-theme/TRAN"]
    assert value(theirs, "temporal_start").startswith(ours["temporal_start"])
    assert value(theirs, "temporal_end").startswith(ours["temporal_end"])
    assert value(theirs, "contact_name") == ours["maintainer"]
    assert value(theirs, "contact_email") == ours["maintainer_email"]
    assert value(theirs, "publisher_name") == "Gemeente Gouda"
    assert value(theirs, "access_rights") == EU + "access-right/PUBLIC"


def test_stock_parser_keeps_format_labels_and_media_types(app, catalog):
    parsed, _ = stock_parse(app)
    ours = {r["name"]: r for r in show("passanten")["resources"]}
    theirs = {r["name"]: r for r in parsed["Passanten"]["resources"]}

    assert {name: (r["format"], r.get("mimetype")) for name, r in theirs.items()} == {
        "CSV": ("CSV", "text/csv"),
        "GeoJSON": ("GeoJSON", "application/geo+json"),
        "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument"
                         ".spreadsheetml.sheet"),
    }
    for name, resource in theirs.items():
        assert resource["url"] == ours[name]["url"]
        assert resource["license"] == EU + "licence/CC_BY_4_0"


def test_stock_parser_takes_uri_label_and_box_of_one_location(app, catalog):
    """A stock consumer keeps one location; all it keeps comes from that one."""
    parsed, g = stock_parse(app)
    theirs = parsed["Passanten"]

    uri, text = value(theirs, "spatial_uri"), value(theirs, "spatial_text")
    box = json.loads(value(theirs, "spatial_bbox"))
    centroid = json.loads(value(theirs, "spatial_centroid"))
    locations = {
        f"{SITE}/retail-area/centrum": ("Centrum", CENTRE),
        f"{SITE}/retail-area/station": ("Stationsgebied", STATION),
        f"{SITE}/dataset/{show('passanten')['id']}#spatial": ("Passanten", OWN),
    }
    assert uri in locations
    label, outline = locations[uri]
    ring = json.loads(outline)["coordinates"][0]
    assert text == label
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    assert box["coordinates"][0][0] == [min(xs), min(ys)]
    assert box["coordinates"][0][2] == [max(xs), max(ys)]
    assert min(xs) < centroid["coordinates"][0] < max(xs)


def test_every_licence_of_ckans_register_comes_back(app, clean_db, clean_index):
    ckan_factories.Sysadmin(name="admin")
    org = ckan_factories.Organization()
    register = LicenseRegister()
    for license_id in register.keys():
        dataset = factories.Dataset(title=license_id, owner_org=org["id"],
                                    license_id=license_id)
        helpers.call_action("resource_create", {"user": "admin"}, package_id=dataset["id"],
                            url="https://data.example/tellingen.csv", format="CSV")

    parsed, g = stock_parse(app)
    assert {title: d["license_id"] for title, d in parsed.items()} == {
        license_id: license_id for license_id in register.keys()}
    for license_id, dataset in parsed.items():
        # The resource's licence text is a URI or the register's title, never a node id.
        text = dataset["resources"][0]["license"]
        assert text.startswith("http") or text == register[license_id].title
    report = shacl.validate(g)
    assert report.conforms, report.summary()


def test_the_restricted_licence_is_its_title_not_a_blank_node(app, catalog):
    parsed, _ = stock_parse(app)
    theirs = parsed["Winkels"]

    assert theirs["license_id"] == "other-closed"
    assert [r["license"] for r in theirs["resources"]] == ["Other (Not Open)"]
    assert "secret.example" not in json.dumps(theirs)


def test_the_catalog_stays_conformant(app, catalog):
    _, g = stock_parse(app)
    report = shacl.validate(g)
    assert report.conforms, report.summary()
