"""The search page's facet lists (templates/snippets/facet_list.html): links named by
what they show, and "show more" / "show only popular" by the page's own limit, the same on
CKAN 2.11 and 2.12 (whose has_more_facets count differently)."""
from __future__ import annotations

import re

import pytest
from ckan.tests import factories as ckan_factories

from tests import factories


@pytest.fixture
def eleven_areas(clean_db, clean_index):
    org = ckan_factories.Organization()
    for number in range(11):
        area = factories.RetailArea(name=f"gebied-{number:02d}", title=f"Gebied {number:02d}")
        factories.Dataset(owner_org=org["id"], groups=[{"id": area["id"]}])


def _area_links(page: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Retail area">(.*?)</nav>', page, re.S)
    assert nav, "no retail-area facet"
    return re.findall(r"<a [^>]*href=\"[^\"]*groups=gebied-\d+[^\"]*\"[^>]*>", nav.group(1))


def test_facet_links_are_named_by_their_text_and_more_is_offered(app, eleven_areas):
    page = app.get("/dataset/", extra_environ={"HTTP_ACCEPT_LANGUAGE": "en"}).body
    links = _area_links(page)
    assert len(links) == 10  # search.facets.default
    assert not any("aria-label" in link for link in links)
    assert "Show More Retail area" in page
    assert "_groups_limit=0" in page

    everything = app.get("/dataset/", query_string={"_groups_limit": "0"}).body
    assert len(_area_links(everything)) == 11
    assert "Show Only Popular Retail area" in everything
    assert "Show More Retail area" not in everything


def test_no_more_to_show(app, clean_db, clean_index):
    org = ckan_factories.Organization()
    area = factories.RetailArea(name="gebied-01")
    factories.Dataset(owner_org=org["id"], groups=[{"id": area["id"]}])
    page = app.get("/dataset/").body
    assert len(_area_links(page)) == 1
    assert "Show More" not in page and "Show Only Popular" not in page
