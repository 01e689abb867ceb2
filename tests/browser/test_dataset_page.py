"""The dataset page in a browser: the spatial coverage drawn on the small map (tiles from
the local tile URL), durations in words, no empty rows, the header in the site's colours;
axe finds no serious or critical violation, in English and Dutch."""
from __future__ import annotations

import pytest

from tests import factories
from tests.browser import catalog
from tests.browser.conftest import axe_violations, screenshot

SPATIAL = ('{"type":"Polygon","coordinates":[[[4.705,52.008],[4.715,52.008],[4.715,52.016],'
           '[4.705,52.016],[4.705,52.008]]]}')


@pytest.fixture
def footfall(live_server):
    org = catalog.organization("gemeente-gouda", "Gemeente Gouda", {})
    catalog.area("gouda-binnenstad", "Gouda binnenstad")
    return factories.Footfall(name="passanten-markt", title="Passanten Markt",
                              owner_org=org["id"], groups=[{"name": "gouda-binnenstad"}],
                              spatial=SPATIAL, temporal_resolution="PT15M",
                              retention_period="P1Y")


def test_the_coverage_on_a_map_and_durations_in_words(page, footfall):
    page.goto("/footfall/passanten-markt")
    canvas = page.wait_for_selector(".retailarea-spatial-map .retailarea-map-canvas"
                                    "[data-areas-shown]")
    assert canvas.get_attribute("data-areas-shown") == "1"
    assert page.locator(".retailarea-spatial-map path.leaflet-interactive").count() == 1
    info = page.inner_text(".additional-info")
    assert "15 minutes" in info and "1 year" in info and "Usage conditions" not in info
    assert page.locator(".retailarea-geojson pre").text_content().startswith('{"type"')
    header = page.eval_on_selector(".masthead", "e => getComputedStyle(e).backgroundColor")
    assert header == "rgb(11, 93, 138)"  # ckanext.retailarea.brand.primary_colour
    assert axe_violations(page) == []
    screenshot(page, "dataset-page")
    page.goto("/nl/footfall/passanten-markt")
    assert "15 minuten" in page.inner_text(".additional-info")
    assert axe_violations(page) == []
    assert page.js_errors == []
