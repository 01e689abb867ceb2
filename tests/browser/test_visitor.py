"""A visitor searches from the home page and narrows the results by retail area, dataset
type and access level, clicking the facets as a person would."""
from __future__ import annotations

import pytest

from tests.browser import catalog
from tests.browser.conftest import axe_violations, screenshot


@pytest.fixture
def areas(live_server):
    return catalog.shopping_areas()


def facet(page, title: str, item: str):
    """The link of ``item`` in the facet headed ``title``."""
    section = page.locator("section.module", has=page.locator("h2", has_text=title))
    return section.locator("a", has=page.locator(".item-label", has_text=item))


def found(page) -> list[str]:
    return sorted(page.locator(".dataset-list .dataset-heading a").all_inner_texts())


def test_visitor_searches_and_filters_by_area_type_and_access(page, areas):
    page.goto("/")
    page.fill("#retailarea-home-q", "passanten")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dataset/?q=passanten")
    assert found(page) == ["Passanten Arnhem centrum", "Passanten Gouda (wifi)",
                           "Passanten Gouda binnenstad"]
    assert axe_violations(page) == []

    facet(page, "Retail area", "Gouda binnenstad").click()
    page.wait_for_url("**groups=gouda-binnenstad**")
    assert found(page) == ["Passanten Gouda (wifi)", "Passanten Gouda binnenstad"]

    facet(page, "Dataset type", "Footfall").click()
    page.wait_for_url("**dataset_type=footfall**")
    assert found(page) == ["Passanten Gouda (wifi)", "Passanten Gouda binnenstad"]

    facet(page, "Access level", "Public").click()
    page.wait_for_url("**access_level=public**")
    assert found(page) == ["Passanten Gouda binnenstad"]
    screenshot(page, "search-filtered")

    page.click(".dataset-list .dataset-heading a")
    page.wait_for_url("**/footfall/passanten-gouda")

    # the restricted one: its description is public, its data is on request
    page.goto("/footfall/passanten-gouda-wifi")
    assert "Restricted data" in page.inner_text(".retailarea-access")
    assert axe_violations(page) == []
