"""A municipality's stock CKAN with only ckanext-dcat and ckanext-harvest (plugins ``dcat
dcat_rdf_harvester harvest``, profile ``euro_dcat_ap_3``, in English and in Dutch) harvests our
``/catalog.ttl`` over HTTP with ckanext-dcat's stock ``dcat_rdf`` harvester. What each copy
keeps is compared field by field with our package_show; restricted URLs never reach the
consumer, its pages for the copies answer 200, and a dataset deleted here is withdrawn there.
The consumer runs in its own processes on its own database and Solr core
(tests/federation/consumer.py); docs/federation.md's DCAT column comes from this test."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from ckan.model.license import LicenseRegister
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.retailarea.dcat.profiles import mapping
from tests import factories
from tests.browser.conftest import LiveServer
from tests.dcat.test_stock_consumers import CENTRE, EU, OWN, STATION, value
from tests.federation.consumer import Consumer

DCAT_STOCK = {"ckan.plugins": "activity dcat dcat_rdf_harvester harvest",
              "ckanext.dcat.rdf.profiles": "euro_dcat_ap_3"}
# ckanext-dcat 2.4.4's harvester parses with the consumer's ckanext.dcat.rdf.profiles;
# the source config only names the format
SOURCE_CONFIG = json.dumps({"rdf_format": "text/turtle"})
SECRET = "https://winkels.gouda.example/locatus-2025.csv"
COMMON = {"frequency": "MONTHLY", "theme": ["ECON", "TRAN"], "temporal_start": "2025-01-01",
          "temporal_end": "2025-12-31", "maintainer": "Team Data",
          "maintainer_email": "data@gouda.example", "url": "https://data.gouda.example/",
          "tags": [{"name": "binnenstad"}, {"name": "gouda"}],
          "conforms_to": ["https://data.gouda.example/schema"]}
# ours, which stock ckanext-dcat reads nowhere (DPV, ODRL and retailarea: statements)
NOT_KEPT = ("access_reason", "contains_personal_data", "permitted_purposes", "legal_basis",
            "usage_conditions", "retention_period", "public_aggregates", "min_group_size",
            "counting_method", "number_of_sensors", "classification_scheme", "reference_date",
            "feed_source", "standard", "area_manager_id", "retail_areas")
FORMATS = {"CSV": ("https://data.gouda.example/passanten.csv", "text/csv"),
           "GeoJSON": ("https://data.gouda.example/sensoren.geojson", "application/geo+json"),
           "XLSX": ("https://data.gouda.example/passanten.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
           "JSON": ("https://data.gouda.example/passanten.json", "application/json")}
TYPED = {"passanten-gouda": "cc-by", "winkels-gouda": "other-closed",
         "evenementen-gouda": "odc-odbl", "parkeren-gouda": "cc-zero"}


def _typed_datasets(org: dict[str, Any]) -> None:
    """One dataset of each of our types, the footfall one in two retail areas with an
    outline of its own and a resource per format; a restricted one whose URL only the
    vault holds; a non-public one."""
    common = {**COMMON, "owner_org": org["id"], "groups": [{"name": "centrum"}]}
    resources = [{"url": url, "format": fmt, "name": fmt} for fmt, (url, _) in FORMATS.items()]
    resources[0]["table_schema"] = "footfall_counts"
    factories.Footfall(name="passanten-gouda", title="Passanten Gouda",
                       notes="Passanten per **uur** in de binnenstad.", spatial=OWN,
                       resources=resources, license_id=TYPED["passanten-gouda"],
                       **{**common, "groups": [{"name": "centrum"}, {"name": "station"}]})
    factories.Dataset(type="shop-register", name="winkels-gouda", title="Winkels Gouda",
                      notes="Winkels met branche.", classification_scheme="locatus",
                      access_level="restricted", access_reason="ECONOMISCHE_BELANGEN",
                      permitted_purposes=["AcademicResearch"], license_id="other-closed",
                      resources=[{"url": SECRET, "format": "CSV", "name": "Register"}],
                      **common)
    factories.Dataset(type="events", name="evenementen-gouda", title="Evenementen Gouda",
                      notes="Evenementen.", feed_source="ndtrc", language=["nl"],
                      license_id="odc-odbl",
                      resources=[{"url": "https://data.gouda.example/agenda.csv",
                                  "format": "CSV", "name": "Agenda"}], **common)
    factories.Dataset(type="parking", name="parkeren-gouda", title="Parkeren Gouda",
                      notes="Garages.", standard="SPDP 2.0", area_manager_id="513",
                      license_id="cc-zero",
                      resources=[{"url": "https://data.gouda.example/garages.json",
                                  "format": "JSON", "name": "Garages"}], **common)
    factories.Dataset(type="parking", name="parkeren-intern", title="Parkeren intern",
                      standard="SPDP 2.0", access_level="non_public", access_reason="PRIVACY",
                      **common)


@pytest.fixture
def dcat_source(clean_db, clean_index, ckan_config, make_app, monkeypatch,
                tmp_path) -> Iterator[LiveServer]:
    """This catalog over HTTP: the typed datasets, and one dataset for each other licence
    of CKAN's default register."""
    server = LiveServer()
    monkeypatch.setitem(ckan_config, "ckan.site_url", server.url)
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path / "storage"))
    ckan_factories.Sysadmin(name="admin")
    org = ckan_factories.Organization(name="gemeente-gouda", title="Gemeente Gouda",
                                      email="data@gouda.example")
    factories.RetailArea(name="centrum", title="Gouda centrum", geometry=CENTRE)
    factories.RetailArea(name="station", title="Stationsgebied", geometry=STATION)
    _typed_datasets(org)
    for license_id in set(LicenseRegister().keys()) - set(TYPED.values()):
        factories.Dataset(name=f"licentie-{license_id}", title=f"Licentie {license_id}",
                          owner_org=org["id"], license_id=license_id, resources=[{
                              "url": "https://data.gouda.example/tellingen.csv",
                              "format": "CSV", "name": "Tellingen"}])
    server.start(make_app().app)
    yield server
    server.stop()


def show(name: str) -> dict[str, Any]:
    return helpers.call_action("package_show", {"ignore_auth": True}, id=name)


def by_source_name(copies: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The copies under the name of our dataset they came from (their ``uri`` extra is our
    dataset's URI; the harvester names them after the title)."""
    ids = {value(copy, "uri").rsplit("/", 1)[1]: copy for copy in copies.values()}
    return {show(id_)["name"]: copy for id_, copy in ids.items()}


def location(copy: dict[str, Any]) -> dict[str, Any]:
    """The one location a stock copy keeps."""
    return {key: value(copy, f"spatial_{key}") for key in ("uri", "text", "bbox", "centroid")}


def box_of(outline: str) -> list[list[float]]:
    """The corners of ``outline``'s bounding box, as the copy's ``spatial_bbox`` has them."""
    ring = json.loads(outline)["coordinates"][0]
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    return [[min(xs), min(ys)], [max(xs), max(ys)]]


def stored_anywhere(consumer: Consumer, text: str) -> list[str]:
    """The columns of the consumer's database and its search documents holding ``text``."""
    engine = sa.create_engine(consumer.env["CKAN_SQLALCHEMY_URL"])
    found = []
    with engine.connect() as conn:
        columns = conn.execute(sa.text(
            "SELECT table_name, column_name FROM information_schema.columns WHERE "
            "table_schema = 'public' AND data_type IN ('text', 'character varying', "
            "'json', 'jsonb')")).fetchall()
        for table, column in columns:
            query = f'SELECT count(*) FROM "{table}" WHERE "{column}"::text LIKE :m'  # noqa: S608 - names from information_schema
            if conn.execute(sa.text(query), {"m": f"%{text}%"}).scalar():
                found.append(f"{table}.{column}")
    engine.dispose()
    docs = requests.get(f"{consumer.env['CKAN_SOLR_URL']}/select",
                        params={"q": "*:*", "rows": 1000, "wt": "json"}, timeout=60).json()
    assert docs["response"]["numFound"] > 0, "a blind scan"
    return found + (["solr"] if text in json.dumps(docs) else [])


def held_site(copy: dict[str, Any]) -> str:
    return value(copy, "uri").split("/dataset/", 1)[0]


def check_licences(copies: dict[str, dict[str, Any]], locale: str) -> None:
    """Every licence of CKAN's default register comes back, matched by its title in the
    consumer's language; but CKAN's nl catalog gives ODbL the title of PDDL
    (docs/upstream.md), so a Dutch consumer reads PDDL as the later of the two, ODbL."""
    expected = {name: show(name)["license_id"] for name in copies}
    assert set(expected.values()) == set(LicenseRegister().keys())
    if locale == "nl":
        expected["licentie-odc-pddl"] = "odc-odbl"
    assert {name: copy["license_id"] for name, copy in copies.items()} == expected


def check_fields(copies: dict[str, dict[str, Any]]) -> None:
    for name in TYPED:
        ours, theirs = show(name), copies[name]
        assert theirs["type"] == "dataset"
        assert (theirs["title"], theirs["notes"], theirs["url"]) == (
            ours["title"], ours["notes"], ours["url"])
        assert sorted(tag["name"] for tag in theirs["tags"]) == ["binnenstad", "gouda"]
        assert (value(theirs, "contact_name"), value(theirs, "contact_email")) == (
            ours["maintainer"], ours["maintainer_email"])
        assert value(theirs, "publisher_name") == "Gemeente Gouda"
        assert value(theirs, "temporal_start").startswith(ours["temporal_start"])
        assert value(theirs, "temporal_end").startswith(ours["temporal_end"])
        assert value(theirs, "frequency") == f"{EU}frequency/{ours['frequency']}"
        assert sorted(json.loads(value(theirs, "theme"))) == [
            f"{EU}data-theme/{code}" for code in ours["theme"]]
        assert value(theirs, "access_rights") == (
            f"{EU}access-right/{ours['access_level'].upper()}")
        assert set(ours["conforms_to"]) <= set(json.loads(value(theirs, "conforms_to")))
        assert theirs["organization"]["name"] == "federatie"  # the harvest source's
        assert theirs["groups"] == []
        assert {field: value(theirs, field) for field in NOT_KEPT if field in ours} == {
            field: None for field in NOT_KEPT if field in ours}
    footfall = copies["passanten-gouda"]
    assert value(footfall, "temporal_resolution") == show("passanten-gouda")[
        "temporal_resolution"]
    assert json.loads(value(copies["evenementen-gouda"], "language")) == [
        f"{EU}language/NLD"]


def check_resources(copies: dict[str, dict[str, Any]]) -> None:
    ours = {r["name"]: r for r in show("passanten-gouda")["resources"]}
    theirs = {r["name"]: r for r in copies["passanten-gouda"]["resources"]}
    assert {name: r["format"] for name, r in ours.items()} == {fmt: fmt for fmt in FORMATS}
    assert {name: (r["url"], r["format"], r["mimetype"]) for name, r in theirs.items()} == {
        fmt: (url, fmt, mimetype) for fmt, (url, mimetype) in FORMATS.items()}
    assert {r["license"] for r in theirs.values()} == {f"{EU}licence/CC_BY_4_0"}
    assert json.loads(theirs["CSV"]["conforms_to"]) == [
        str(mapping.table_schema_uri("footfall_counts"))]
    shops = copies["winkels-gouda"]["resources"]
    assert [(r["format"], r["mimetype"], r["license"]) for r in shops] == [
        ("CSV", "text/csv", "Other (Not Open)")]
    # a restricted distribution has no download URL: its access URL is the dataset page
    site = held_site(copies["winkels-gouda"])
    assert [r["url"] for r in shops] == [f"{site}/dataset/winkels-gouda"]


def check_location(copies: dict[str, dict[str, Any]]) -> None:
    """A stock dataset holds one location: it keeps the URI, label, bbox and centroid of
    one of the retail areas or of the dataset's own coverage, consistently, but no
    outline."""
    theirs = copies["passanten-gouda"]
    site = held_site(theirs)
    locations = {f"{site}/retail-area/centrum": ("Gouda centrum", CENTRE),
                 f"{site}/retail-area/station": ("Stationsgebied", STATION),
                 f"{site}/dataset/{show('passanten-gouda')['id']}#spatial": (
                     "Passanten Gouda", OWN)}
    kept = location(theirs)
    assert kept["uri"] in locations
    label, outline = locations[kept["uri"]]
    assert kept["text"] == label
    corners = json.loads(kept["bbox"])["coordinates"][0]
    assert [corners[0], corners[2]] == box_of(outline)
    assert json.loads(kept["centroid"])["type"] == "Point"
    assert value(theirs, "spatial") is None
    for name in ("winkels-gouda", "evenementen-gouda", "parkeren-gouda"):
        assert location(copies[name])["uri"] == f"{site}/retail-area/centrum", name


@pytest.mark.parametrize("locale", ["en", "nl"])
def test_a_stock_dcat_rdf_harvester_keeps_the_dcat_ap_fields_and_withdraws_deletions(
        dcat_source, tmp_path, locale):
    consumer = Consumer(tmp_path, {**DCAT_STOCK, "ckan.locale_default": locale})
    consumer.script("source", f"{dcat_source.url}/catalog.ttl", "dcat_rdf", SOURCE_CONFIG)
    held = consumer.harvest()
    copies = by_source_name(held["copies"])

    assert held["errors"] == []
    assert set(copies) == set(helpers.call_action("package_list", {})) - {"parkeren-intern"}
    assert {path: status for path, status in held["pages"].items() if status != 200} == {}
    assert {f"/dataset/{copy['name']}" for copy in copies.values()} <= set(held["pages"])
    check_licences(copies, locale)
    check_fields(copies)
    check_resources(copies)
    check_location(copies)
    assert SECRET not in json.dumps(held)
    assert stored_anywhere(consumer, SECRET) == []

    helpers.call_action("package_delete", {"user": "admin"}, id="evenementen-gouda")
    held = consumer.harvest()

    assert held["errors"] == []
    states = {name: copy["state"] for name, copy in by_source_name(held["copies"]).items()}
    assert states.pop("evenementen-gouda") == "deleted"
    assert set(states.values()) == {"active"}
