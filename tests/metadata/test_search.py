"""The metadata fields are Solr facets, through package_search and on /dataset."""
from __future__ import annotations

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from tests import factories


@pytest.fixture
def catalog(clean_db, clean_index):
    org = ckan_factories.Organization()
    gouda = factories.RetailArea(name="gouda-binnenstad", municipality_code="GM0513")
    arnhem = factories.RetailArea(name="arnhem-centrum", municipality_code="GM0202")
    factories.Footfall(name="tellingen-gouda", owner_org=org["id"], theme=["ECON", "SOCI"],
                       groups=[{"name": gouda["name"]}])
    factories.Dataset(name="winkels-arnhem", type="shop-register", owner_org=org["id"],
                      classification_scheme="locatus", access_level="restricted",
                      permitted_purposes=["AcademicResearch", "PublicPolicyMaking"],
                      theme=["ECON"], groups=[{"name": arnhem["name"]}])
    factories.Dataset(name="parkeren-arnhem", type="parking", owner_org=org["id"],
                      standard="SPDP 2.0", theme=["TRAN"], groups=[{"name": arnhem["name"]}])
    return org


FACETS = ["dataset_type", "groups", "municipality", "access_level", "theme",
          "permitted_purposes"]


def facet_counts(result: dict, name: str) -> dict[str, int]:
    return {item["name"]: item["count"] for item in result["search_facets"][name]["items"]}


@pytest.mark.usefixtures("catalog")
def test_package_search_facets_on_every_metadata_field():
    result = helpers.call_action("package_search", **{"facet.field": FACETS})

    assert facet_counts(result, "dataset_type") == {"footfall": 1, "shop-register": 1,
                                                    "parking": 1}
    assert facet_counts(result, "theme") == {"ECON": 2, "SOCI": 1, "TRAN": 1}
    assert facet_counts(result, "access_level") == {"public": 2, "restricted": 1}
    assert facet_counts(result, "permitted_purposes") == {"AcademicResearch": 1,
                                                          "PublicPolicyMaking": 1}
    assert facet_counts(result, "groups") == {"gouda-binnenstad": 1, "arnhem-centrum": 2}
    assert facet_counts(result, "municipality") == {"GM0513": 1, "GM0202": 2}


@pytest.mark.usefixtures("catalog")
@pytest.mark.parametrize("fq, names", [
    ("theme:ECON", {"tellingen-gouda", "winkels-arnhem"}),
    ('theme:"TRAN"', {"parkeren-arnhem"}),
    ("municipality:GM0202", {"winkels-arnhem", "parkeren-arnhem"}),
    ("access_level:restricted", {"winkels-arnhem"}),
    ("permitted_purposes:AcademicResearch", {"winkels-arnhem"}),
    ("dataset_type:footfall", {"tellingen-gouda"}),
    ("theme:ECON +municipality:GM0202", {"winkels-arnhem"}),
])
def test_filter_queries_use_the_public_field_names(fq, names):
    result = helpers.call_action("package_search", fq=fq)
    assert {d["name"] for d in result["results"]} == names


@pytest.mark.usefixtures("catalog")
def test_facet_labels_are_translated():
    english = helpers.call_action("package_search", **{"facet.field": ["theme"]})
    labels = {i["name"]: i["display_name"] for i in english["search_facets"]["theme"]["items"]}
    assert labels["TRAN"] == "Transport"


@pytest.mark.usefixtures("catalog")
def test_dataset_page_shows_the_facets_in_dutch_and_english(app):
    english = app.get("/dataset/").get_data(as_text=True)
    dutch = app.get("/nl/dataset/").get_data(as_text=True)

    for title in ("Dataset type", "Retail area", "Municipality", "Access level", "Themes",
                  "Permitted purposes"):
        assert title in english
    assert "Footfall" in english and "Passantentellingen" in dutch
    assert "Toegangsniveau" in dutch


@pytest.mark.usefixtures("catalog")
def test_dataset_page_filters_by_facet(app):
    page = app.get("/dataset/?theme=TRAN").get_data(as_text=True)
    assert "parkeren-arnhem" in page
    assert "tellingen-gouda" not in page
