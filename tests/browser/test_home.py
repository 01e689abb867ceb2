"""The home page: retail areas on a Leaflet map with tiles from the configured URL, the
number of datasets of each type, the latest datasets."""
from __future__ import annotations

import pytest

from tests.browser import catalog
from tests.browser.conftest import TILE_PATH, axe_violations, screenshot


@pytest.fixture
def areas(live_server):
    return catalog.shopping_areas()


def shown_areas(page) -> str:
    """The number of outlines the map drew, once its module has run."""
    return page.wait_for_selector(".retailarea-map-canvas[data-areas-shown]").get_attribute(
        "data-areas-shown")


def test_home_shows_areas_on_the_map_counts_and_latest(page, areas):
    page.goto("/")

    assert shown_areas(page) == "2"
    assert page.locator(".retailarea-map-canvas path.leaflet-interactive").count() == 2
    page.wait_for_function("document.querySelectorAll('.leaflet-tile-loaded').length > 0")
    tiles = page.context.outside.tiles
    assert tiles and all(TILE_PATH in url for url in tiles)
    assert "OpenStreetMap" in page.inner_text(".leaflet-control-attribution")

    counts = {item.get_attribute("data-dataset-type"): item.inner_text()
              for item in page.locator(".retailarea-type-counts li").all()}
    # public and restricted datasets are found by everyone
    assert counts == {"shop-register": "Shop register1", "events": "Events0",
                      "parking": "Parking1", "footfall": "Footfall3",
                      "dataset": "Other data0"}
    latest = page.locator(".retailarea-latest li a").all_inner_texts()
    assert latest[0] == "Winkels Gouda" and len(latest) == 5
    assert "Restricted" in page.inner_text(".retailarea-latest li:first-child")

    assert axe_violations(page) == []

    page.click(".retailarea-area-list a:text('Arnhem centrum')")
    page.wait_for_url("**/retail-area/arnhem-centrum")
    assert "Passanten Arnhem centrum" in page.inner_text(".retailarea-area-types")
    assert axe_violations(page) == []  # the retail-area page
    page.go_back()
    page.locator(".retailarea-map-canvas path.leaflet-interactive").first.click()
    page.wait_for_url("**/retail-area/*")
    page.go_back()
    screenshot(page, "home")
    assert page.js_errors == []


def test_without_a_tile_url_the_map_shows_outlines_only(page, live_server, ckan_config,
                                                         monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.retailarea.map.tile_url", "")
    catalog.area("gouda-binnenstad", "Gouda binnenstad")
    page.goto("/")
    assert shown_areas(page) == "1"
    assert page.locator(".retailarea-map-canvas path.leaflet-interactive").count() == 1
    assert page.locator(".leaflet-tile").count() == 0
    assert page.context.outside.tiles == []

