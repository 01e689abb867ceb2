"""Federation: this catalog's own /catalog.ttl, harvested back through `dcat_rdf`, keeps
access level, purposes, legal basis, retail area and type; restricted datasets arrive as
metadata only; non-public ones never arrive."""
from __future__ import annotations

import pytest
from ckan.tests import factories as ckan_factories

from tests import factories
from tests.harvesters.conftest import datasets_of
from tests.harvesters.server import Reply

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context"),
]
RESOURCE = [{"url": "https://files.example/data.csv", "format": "CSV", "name": "Data"}]


def source_catalog(org, area):
    """One dataset per type and access level, in the source organization."""
    common = {"owner_org": org["id"], "resources": RESOURCE}
    return {
        "public": factories.Dataset(**common, title="Openbare data",
                                    groups=[{"name": area["name"]}]),
        "parking": factories.Dataset(
            **common, type="parking", title="Parkeergarages", standard="SPDP 2.0",
            area_manager_id="513", theme=["TRAN"], groups=[{"name": area["name"]}]),
        "footfall": factories.Footfall(
            **common, title="Passanten", access_level="restricted",
            permitted_purposes=["PublicBenefit", "ResearchAndDevelopment"],
            contains_personal_data=True, legal_basis="A6-1-e", counting_method="wifi",
            groups=[{"name": area["name"]}]),
        "shops": factories.Dataset(
            **common, type="shop-register", title="Winkelbestand", access_level="restricted",
            permitted_purposes=["CommercialResearch"], classification_scheme="locatus",
            theme=["ECON"]),
        "events": factories.Dataset(**common, type="events", title="Evenementen",
                                    language=["nl", "en"], theme=["SOCI"]),
        "hidden": factories.Dataset(**common, title="Intern", access_level="non_public"),
    }


def test_our_catalog_federates_through_dcat_rdf(app, org, catalog_server, make_source,
                                               run_harvest):
    area = factories.RetailArea(name="gouda-binnenstad")
    home = ckan_factories.Organization(name="bron")
    originals = source_catalog(home, area)
    turtle = app.get("/catalog.ttl").get_data()
    url = catalog_server.route("/catalog.ttl", Reply(turtle, content_type="text/turtle"))
    source = make_source("dcat_rdf", url, {"name_prefix": "fed-"})

    run = run_harvest(source)

    assert run.object_errors == [] and run.gather_errors == []
    harvested = {d["title"]: d for d in datasets_of(source).values()}
    assert set(harvested) == {d["title"] for k, d in originals.items() if k != "hidden"}
    for key, original in originals.items():
        if key == "hidden":
            continue
        copy = harvested[original["title"]]
        assert copy["owner_org"] == org["id"]
        assert copy["name"].startswith("fed-")
        for field in ("type", "access_level", "permitted_purposes", "legal_basis",
                      "contains_personal_data", "theme"):
            assert copy.get(field) == original.get(field), (key, field)
        assert [g["name"] for g in copy["groups"]] == [g["name"] for g in original["groups"]]
        assert copy["harvest_original_uri"].endswith(f"/dataset/{original['id']}")
    assert harvested["Parkeergarages"]["area_manager_id"] == "513"
    assert harvested["Passanten"]["counting_method"] == "wifi"
    assert harvested["Winkelbestand"]["classification_scheme"] == "locatus"
    assert harvested["Evenementen"]["language"] == ["nl", "en"]
    assert harvested["Openbare data"]["resources"][0]["url"] == RESOURCE[0]["url"]
    for title in ("Passanten", "Winkelbestand"):
        restricted = harvested[title]
        assert restricted["resources"], title
        assert all("files.example" not in r["url"] for r in restricted["resources"])


NON_PUBLIC_TTL = b"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://elders.example/catalog> a dcat:Catalog ;
  dcat:dataset <https://elders.example/ds/open>, <https://elders.example/ds/closed>,
               <https://elders.example/ds/odd> .
<https://elders.example/ds/open> a dcat:Dataset ; dct:title "Open" ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> .
<https://elders.example/ds/closed> a dcat:Dataset ; dct:title "Closed" ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> .
<https://elders.example/ds/odd> a dcat:Dataset ; dct:title "Odd" ;
  dct:accessRights <https://elders.example/rights/members-only> .
"""


def test_non_public_and_unknown_access_never_arrive(org, catalog_server, make_source,
                                                    run_harvest):
    url = catalog_server.route("/c.ttl", Reply(NON_PUBLIC_TTL, content_type="text/turtle"))
    source = make_source("dcat_rdf", url)

    run = run_harvest(source)

    assert set(datasets_of(source)) == {"https://elders.example/ds/open"}
    assert run.statuses() == {"added": 1, "errored": 2}
    assert sorted(run.object_errors) == [
        "Withheld: Unmapped access level 'https://elders.example/rights/members-only': "
        "withheld as non-public; map it in access_level_map. Not harvested.",
        "Withheld: non-public at the source. Not harvested.",
    ]
