"""The retail area's dashboard and the comparison in Debian's Chromium: the outline on the
map, key figures, tables, downloads; in English and Dutch, without axe violations."""
from __future__ import annotations

import datetime as dt

import pytest
from ckan.tests import helpers

from tests import factories
from tests.browser import catalog
from tests.browser.conftest import axe_violations, screenshot
from tests.insights.conftest import AMSTERDAM, add_table, counts, span

# the page looks from today: counts in the last full month
LAST_MONTH = span((dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1), 14)


@pytest.fixture
def areas(live_server):
    made = catalog.shopping_areas()
    for name, value in (("passanten-gouda", 40), ("passanten-arnhem", 25)):
        add_table(helpers.call_action("package_show", id=name), "footfall_counts",
                  counts("A", LAST_MONTH, range(9, 18), lambda d, h, v=value: v + h))
    parking = helpers.call_action("package_show", id="parkeren-gouda")
    add_table(parking, "parking_facilities", [{"uuid": "P1", "name": "Garage", "capacity": 50}])
    add_table(parking, "parking_occupancy", [
        {"uuid": "P1", "capacity": 50, "vacant_spaces": 50 - hour * 2,
         "observed_at": dt.datetime.combine(day, dt.time(hour), AMSTERDAM).isoformat()}
        for day in LAST_MONTH for hour in range(8, 20)])
    shops = factories.Dataset(type="shop-register", classification_scheme="locatus",
                              owner_org=made["org"]["id"], groups=[{"name": "gouda-binnenstad"}])
    add_table(shops, "shops", [{"shop_id": str(n), "locatus_branch_code": code,
                                "floor_area_m2": 80} for n, code in
                               enumerate(["22.110.110", "11.100.100", "00.000.000"])])
    return made


def test_area_dashboard_in_english_and_dutch(page, areas):
    page.goto("/retail-area/gouda-binnenstad")
    assert page.inner_text("#retailarea-insights-title") == "How the area is doing"
    page.wait_for_selector(".retailarea-insights-map .leaflet-interactive")
    body = page.inner_text(".retailarea-insights")
    assert "Visitors, last 12 months" in body and "Vacancy" in body
    assert page.locator(".retailarea-occupancy tbody tr").count() == 7
    assert "Winkels Gouda" in page.inner_text("body")  # restricted: named with the reason
    assert page.get_attribute("a:text('All figures as CSV')", "href").endswith(
        "/retail-area/gouda-binnenstad/insights.csv")
    screenshot(page, "area-insights")
    assert axe_violations(page) == []

    page.goto("/nl/retail-area/gouda-binnenstad")
    assert page.inner_text("#retailarea-insights-title") == "Hoe het gebied ervoor staat"
    assert "Leegstand" in page.inner_text(".retailarea-insights")
    assert axe_violations(page) == []


def test_compare_two_areas(page, areas):
    page.goto("/retail-area/compare?areas=gouda-binnenstad,arnhem-centrum")
    assert page.locator(".retailarea-compare h2").all_inner_texts() == [
        "Gouda binnenstad", "Arnhem centrum"]
    screenshot(page, "compare-areas")
    assert axe_violations(page) == []
    page.goto("/nl/retail-area/compare?areas=gouda-binnenstad")
    assert "Noem twee tot" in page.inner_text("[role=alert]")
    assert axe_violations(page) == []
    # the page answered 400 on purpose, which Chromium logs as a failed load
    assert [e for e in page.js_errors if "compare?areas=gouda-binnenstad)" not in e] == []
    page.js_errors.clear()
