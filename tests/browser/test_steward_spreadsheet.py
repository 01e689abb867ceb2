"""Issue 23's journey: a steward creates a footfall dataset with its retail area chosen in
the form, its coverage drawn on the map and its time resolution set with number + unit,
uploads an .xlsx of counts with one bad row, reads the report by sheet, row and column,
uploads the corrected workbook and sees it loaded; the new controls in Dutch too."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from ckan.tests import helpers

from ckanext.retailarea.tables import schemas
from tests.browser import catalog
from tests.browser.conftest import Outside, axe_violations, login, modules_ready, screenshot
from tests.workbooks import xlsx

COUNTS = schemas.field_names("footfall_counts")


def counts(bad: bool) -> list[list]:
    return [
        COUNTS,
        ["GOU-01", dt.datetime(2025, 6, 5, 14, 0), "PT15M", "in", "pedestrian", 312, False],
        ["GOU-01", dt.datetime(2025, 6, 5, 14, 15), "PT15M", "in", "pedestrian",
         "twaalf" if bad else 12, False],
        ["GOU-02", dt.datetime(2025, 6, 5, 14, 0), "PT15M", "out", "pedestrian", 7, True],
    ]


@pytest.fixture
def steward(live_server):
    catalog.steward_of_gouda()
    catalog.area("arnhem-centrum", "Arnhem centrum", geometry=catalog.ARNHEM)


def fill_public_footfall(page, counting_method: str) -> None:
    """The fields a public footfall dataset in Gouda needs besides its title."""
    page.select_option("#field-counting_method", counting_method)
    page.select_option("#field-access_level", "public")
    page.select_option("#field-contains_personal_data", "False")
    page.select_option("#field-theme", ["ECON"])
    page.check("#field-retail_areas-gouda-binnenstad")


def click_map(page, *points):
    canvas = page.locator(".retailarea-coverage-map")
    for x, y in points:
        canvas.click(position={"x": x, "y": y})


def upload_file(page, path):
    with page.expect_file_chooser() as chooser:
        page.click("#resource-upload-button")
    chooser.value.set_files(str(path))


def test_area_map_spreadsheet_journey(page, steward, run_jobs, tmp_path):
    login(page, "steward")
    page.goto("/footfall/new")
    modules_ready(page)
    areas = page.locator("fieldset#field-retail_areas")
    assert areas.locator("legend").inner_text().strip() == "* Retail area"
    # only the areas the steward may publish to
    assert areas.locator("input[type=checkbox]").count() == 1

    page.fill("#field-title", "Passanten Gouda spreadsheet")
    fill_public_footfall(page, "thermal")

    # the area's outline on the map; accept it, then draw a polygon instead
    tools = page.locator(".retailarea-coverage-tools")
    assert tools.is_visible()
    assert page.locator(".retailarea-coverage-map path.leaflet-interactive").count() == 1
    page.click("button[data-action=useArea]")
    assert json.loads(page.input_value("#field-spatial"))["type"] == "Polygon"
    page.click("button[data-action=drawPolygon]")
    click_map(page, (120, 90), (260, 100), (230, 220))
    page.click("button[data-action=finish]")
    drawn = json.loads(page.input_value("#field-spatial"))
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 4
    assert page.inner_text(".retailarea-coverage-status") == "The drawn area is the coverage."

    # the time resolution as number + unit, written as ISO 8601 into the text box
    page.fill("#retailarea-temporal_resolution-amount", "15")
    page.select_option("#retailarea-temporal_resolution-unit", "minutes")
    assert page.input_value("#field-temporal_resolution") == "PT15M"
    page.fill("#field-retention_period", "P2W")
    assert page.input_value("#retailarea-retention_period-amount") == "2"
    assert page.input_value("#retailarea-retention_period-unit") == "weeks"
    screenshot(page, "dataset-form-coverage", element=page.locator(
        ".form-group", has=page.locator("#field-spatial")))
    assert axe_violations(page) == []
    page.click("button[name=save]")

    page.wait_for_url(re.compile(r"/footfall/passanten-gouda-spreadsheet/resource/new"))
    dataset = helpers.call_action("package_show", id="passanten-gouda-spreadsheet")
    assert [group["name"] for group in dataset["groups"]] == ["gouda-binnenstad"]
    assert json.loads(dataset["spatial"]) == drawn
    assert (dataset["temporal_resolution"], dataset["retention_period"]) == ("PT15M", "P2W")

    modules_ready(page)
    upload_file(page, xlsx(tmp_path / "tellingen.xlsx", {"Tellingen": counts(bad=True)}))
    page.click("button[name=save][value=go-metadata]")
    page.wait_for_url(re.compile(r"/footfall/passanten-gouda-spreadsheet$"))
    page.click(".resource-item a.heading")
    resource_url = page.url
    run_jobs()
    page.wait_for_selector(".retailarea-status[data-status=invalid]", timeout=20_000)
    rows = page.locator(".retailarea-errors tbody tr").all_inner_texts()
    assert [tuple(row.split("\t")[:3]) for row in rows] == [("Tellingen", "3", "count")]
    assert "sheet, row and column" in page.inner_text(".retailarea-errors caption")
    assert "footfall_counts" in page.inner_text(".retailarea-checked-against")
    screenshot(page, "validation-report-sheet", full_page=False)
    assert axe_violations(page) == []

    page.goto(resource_url + "/edit")
    modules_ready(page)
    page.click(".btn-remove-url")  # "Clear Upload", then choose the corrected workbook
    fixed = xlsx(tmp_path / "tellingen.xlsx", {"Tellingen": counts(bad=False)})
    page.set_input_files("#field-resource-upload", str(fixed))
    page.click("button[name=save]")
    page.wait_for_url(re.compile(re.escape(resource_url) + "$"))
    run_jobs()
    page.wait_for_selector(".retailarea-status[data-status=loaded]", timeout=20_000)
    assert "3 rows loaded" in page.inner_text(".retailarea-table-report")
    resource_id = resource_url.rsplit("/", 1)[1]
    records = helpers.call_action("datastore_search", resource_id=resource_id,
                                  sort="interval_start, direction")["records"]
    assert [r["count"] for r in records] == [312, 7, 12]
    # the workbook itself stays the download
    download = page.locator("a.btn.resource-url-analytics").get_attribute("href")
    assert download.endswith("/tellingen.xlsx")
    assert page.request.get(download).body() == fixed.read_bytes()
    screenshot(page, "spreadsheet-loaded", full_page=False)


def test_the_new_controls_in_dutch(page, steward):
    login(page, "steward")
    page.goto("/nl/footfall/new")
    modules_ready(page)
    assert page.locator("fieldset#field-retail_areas legend").inner_text().strip() == (
        "* Winkelgebied")
    assert page.inner_text("button[data-action=useArea]") == (
        "Neem de begrenzing van het winkelgebied")
    assert "minuten" in page.inner_text("#retailarea-temporal_resolution-unit")
    page.click("button[name=save]")
    assert page.locator(".retailarea-areas .error-block").inner_text() == (
        "Kies het winkelgebied waarover de data gaat")
    assert axe_violations(page) == []


def test_the_form_works_without_javascript(chromium, live_server, steward):
    """Progressive enhancement: without scripts the map and the duration controls stay
    hidden, and the area checkboxes and the text boxes make the dataset."""
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    outside = Outside(live_server.url)
    context.route("**/*", outside.handle)
    page = context.new_page()
    try:
        login(page, "steward")
        page.goto("/footfall/new")
        assert not page.locator(".retailarea-coverage-tools").is_visible()
        assert not page.locator(".retailarea-duration-control").first.is_visible()
        page.fill("#field-title", "Zonder script")
        page.fill("#field-name", "zonder-script")
        fill_public_footfall(page, "manual")
        page.fill("#field-spatial", '{"type": "Point", "coordinates": [4.71, 52.01]}')
        page.fill("#field-temporal_resolution", "P1D")
        page.click("button[name=save]")
        page.wait_for_url(re.compile(r"/footfall/zonder-script/resource/new"))
    finally:
        context.close()
    assert outside.blocked == []
    dataset = helpers.call_action("package_show", id="zonder-script")
    assert [group["name"] for group in dataset["groups"]] == ["gouda-binnenstad"]
    assert json.loads(dataset["spatial"])["type"] == "Point"
    assert dataset["temporal_resolution"] == "P1D"
