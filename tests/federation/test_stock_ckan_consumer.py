"""A municipality's stock CKAN (ckanext-scheming, ckanext-harvest and CKAN's own plugins,
plus ``retailarea_schemas``) harvests this catalog over HTTP with ckanext-harvest's
stock ``ckan`` harvester: every page it serves for the copies answers 200 and every
field of our schemas equals our package_show; restricted URLs never reach it. Without
``retailarea_schemas`` (the stock CKAN of issue 19) the same harvest loses the fields
and the pages answer 500. The consumer runs in its own processes (``ckan -c consumer.ini
...``) on its own database and Solr core; see tests/federation/consumer.py."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from tests import factories
from tests.browser.conftest import LiveServer
from tests.federation.consumer import SOURCE, Consumer

TYPES = ("footfall", "shop-register", "events", "parking")
SCHEMAS = " ".join(f"ckanext.retailarea.schemas:{name}.yaml"
                   for name in ("footfall", "shop_register", "events", "parking"))
WITH_SCHEMAS = {
    "ckan.plugins": "activity scheming_groups retailarea_schemas harvest ckan_harvester",
    "scheming.dataset_schemas": SCHEMAS,
    "scheming.group_schemas": "ckanext.retailarea.schemas:group_retail_area.yaml",
    "scheming.presets": "ckanext.scheming:presets.json",
}
STOCK = {"ckan.plugins": "activity harvest ckan_harvester"}
# the fields of our schemas a stock CKAN's package_show keeps: CKAN's own
STOCK_KEEPS = {"title", "name", "notes", "owner_org", "license_id", "url", "maintainer",
               "maintainer_email"}
SECRET = "https://winkels.gouda.example/locatus-2025.csv"
OUTLINE = ('{"type":"Polygon","coordinates":[[[4.705,52.005],[4.71,52.005],[4.71,52.01],'
           '[4.705,52.01],[4.705,52.005]]]}')
COMMON = {"frequency": "MONTHLY", "theme": ["ECON", "TRAN"], "temporal_start": "2025-01-01",
          "temporal_end": "2025-12-31", "maintainer": "Team Data",
          "maintainer_email": "data@gouda.example", "license_id": "cc-by",
          "conforms_to": ["https://data.gouda.example/schema"]}


@pytest.fixture
def source_site(clean_db, clean_index, ckan_config, make_app, monkeypatch,
                tmp_path) -> Iterator[LiveServer]:
    """This catalog over HTTP: one dataset of each type in a retail area, a restricted
    one with a URL only the vault holds, a non-public one."""
    server = LiveServer()
    monkeypatch.setitem(ckan_config, "ckan.site_url", server.url)
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path / "storage"))
    ckan_factories.Sysadmin(name="admin")
    org = ckan_factories.Organization(name="gemeente-gouda", title="Gemeente Gouda")
    area = factories.RetailArea(name="centrum", title="Gouda centrum")
    common = {**COMMON, "owner_org": org["id"], "groups": [{"name": area["name"]}]}
    factories.Footfall(name="passanten-gouda", title="Passanten Gouda", spatial=OUTLINE,
                       resources=[{"url": "https://data.gouda.example/passanten.csv",
                                   "format": "CSV", "name": "Tellingen",
                                   "table_schema": "footfall_counts"}], **common)
    factories.Dataset(type="shop-register", name="winkels-gouda", title="Winkels Gouda",
                      classification_scheme="locatus", access_level="restricted",
                      access_reason="ECONOMISCHE_BELANGEN",
                      permitted_purposes=["AcademicResearch", "PublicBenefit"],
                      usage_conditions="Alleen voor onderzoek.", retention_period="P1Y",
                      resources=[{"url": SECRET, "format": "CSV", "name": "Register"}],
                      **common)
    factories.Dataset(type="events", name="evenementen-gouda", title="Evenementen Gouda",
                      feed_source="ndtrc", language=["nl", "en"], temporal_resolution="P1D",
                      resources=[{"url": "https://data.gouda.example/agenda.ics",
                                  "format": "iCalendar", "name": "Agenda"}], **common)
    factories.Dataset(type="parking", name="parkeren-gouda", title="Parkeren Gouda",
                      standard="SPDP 2.0", area_manager_id="513",
                      contains_personal_data=True, legal_basis="A6-1-f",
                      **{**common, "theme": ["TRAN"]})
    factories.Dataset(type="parking", name="parkeren-intern", title="Parkeren intern",
                      standard="SPDP 2.0", access_level="non_public",
                      access_reason="PRIVACY", **common)
    server.start(make_app().app)
    yield server
    server.stop()


def schema_fields(dataset_type: str) -> list[str]:
    schema = helpers.call_action("scheming_dataset_schema_show", type=dataset_type)
    return [field["field_name"] for field in schema["dataset_fields"]]


def show(name: str) -> dict[str, Any]:
    return helpers.call_action("package_show", {"ignore_auth": True}, id=name)


def differences(ours: dict[str, Any], theirs: dict[str, Any],
                fields: list[str]) -> dict[str, tuple[Any, Any]]:
    """The fields whose values differ: ours first, the copy's second."""
    return {field: (ours.get(field), theirs.get(field)) for field in fields
            if ours.get(field) != theirs.get(field)}


def test_a_stock_ckan_with_retailarea_schemas_keeps_every_field_and_serves_every_page(
        source_site, tmp_path):
    consumer = Consumer(tmp_path, WITH_SCHEMAS)
    consumer.script("source", source_site.url)
    held = consumer.harvest()

    assert held["errors"] == []
    assert sorted(held["copies"]) == [
        "evenementen-gouda", "parkeren-gouda", "passanten-gouda", "winkels-gouda"]
    assert {path: status for path, status in held["pages"].items() if status != 200} == {}
    assert {f"/{kind}/passanten-gouda" for kind in ("footfall", "nl/footfall")} <= set(
        held["pages"])
    for name, copy in held["copies"].items():
        ours = show(name)
        assert copy["type"] == ours["type"] in TYPES
        fields = [f for f in held["schemas"][copy["type"]] if f not in ("owner_org",)]
        assert differences(ours, copy, fields) == {}, name
        assert copy["organization"]["name"] == "gemeente-gouda"
        assert [g["name"] for g in copy["groups"]] == ["centrum"]
        for resource, theirs in zip(ours["resources"], copy["resources"], strict=True):
            assert differences(resource, theirs, ["name", "format", "table_schema"]) == {}
    assert held["copies"]["winkels-gouda"]["access_level"] == "restricted"
    assert held["copies"]["winkels-gouda"]["permitted_purposes"] == [
        "AcademicResearch", "PublicBenefit"]
    assert held["copies"]["passanten-gouda"]["resources"][0]["url"] == (
        "https://data.gouda.example/passanten.csv")
    shops = show("winkels-gouda")["resources"][0]
    assert held["copies"]["winkels-gouda"]["resources"][0]["url"] == (
        f"{source_site.url}/access/resource/{shops['id']}")
    area = helpers.call_action("group_show", id="centrum")
    assert differences(area, held["areas"]["centrum"], [
        "title", "municipality_code", "area_kind", "geometry"]) == {}
    # restricted: our package_show hands out no URL, so the copy has none to keep
    assert SECRET not in json.dumps(show("winkels-gouda"))
    assert SECRET not in json.dumps(held)


def test_a_dataset_deleted_at_the_source_stays_in_the_copies(source_site, tmp_path):
    consumer = Consumer(tmp_path, WITH_SCHEMAS)
    consumer.script("source", source_site.url)
    consumer.harvest()
    helpers.call_action("package_delete", {"user": "admin"}, id="evenementen-gouda")

    held = consumer.harvest()

    assert held["errors"] == []
    assert held["copies"]["evenementen-gouda"]["state"] == "active"


def test_a_stock_ckan_without_it_drops_the_fields_and_answers_500(source_site, tmp_path):
    """What issue 19 saw, and docs/federation.md's 'before' column."""
    consumer = Consumer(tmp_path, STOCK)
    consumer.script("source", source_site.url)
    held = consumer.harvest()

    assert held["errors"] == []
    for name, copy in held["copies"].items():
        ours = show(name)
        assert copy["type"] == ours["type"] in TYPES
        kept = {field for field in schema_fields(ours["type"]) if field in copy}
        assert kept == STOCK_KEEPS, name
    # the lists of organizations and groups alone; /retail-area/ has no route (404)
    assert {path for path, status in held["pages"].items() if status == 200} == {
        "/organization/", "/group/"}
    assert held["pages"]["/dataset/"] == held["pages"][f"/harvest/{SOURCE}"] == 500
    assert held["pages"]["/organization/gemeente-gouda"] == 500
