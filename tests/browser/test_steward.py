"""A steward creates a footfall dataset in the form (errors shown at their fields), uploads
a CSV of counts and sees its validation report on the resource page; and the same form
filled in and submitted with the keyboard alone."""
from __future__ import annotations

import re

import pytest
from ckan.tests import helpers

from tests.browser import catalog
from tests.browser.conftest import axe_violations, login, modules_ready, screenshot

COUNTS = (
    "location_id,interval_start,interval,direction,mode,count,imputed\n"
    "GOU-01,2025-03-30T01:00:00+01:00,PT1H,in,pedestrian,12,false\n"
    "GOU-01,30-03-2025 03:00,PT1H,in,pedestrian,-7,true\n"
    "GOU-02,2025-03-30T03:00:00+02:00,PT1H,out,pedestrian,4,false\n"
)


@pytest.fixture
def steward(live_server):
    catalog.steward_of_gouda()


def test_steward_creates_footfall_dataset_uploads_csv_and_sees_report(
        page, steward, run_jobs, tmp_path):
    login(page, "steward")
    page.goto("/footfall/new")
    modules_ready(page)  # the URL field follows the title through a module
    section = page.locator("fieldset[data-form-section=access]")
    assert section.locator("legend").inner_text() == "Access and purposes"
    assert section.locator("#field-permitted_purposes-PublicBenefit").count() == 1

    page.fill("#field-title", "Passanten Gouda 2025")
    page.fill("#field-notes", "Hourly counts of 2 thermal sensors in the city centre.")
    page.select_option("#field-counting_method", "thermal")
    page.select_option("#field-access_level", "restricted")
    page.click("button[name=save]")

    # the server's errors, at their fields and in a summary that has the focus
    summary = page.locator(".retailarea-error-summary")
    page.wait_for_function(
        "document.activeElement.classList.contains('retailarea-error-summary')")
    purposes = page.locator(".form-group.error", has=page.locator(
        "#field-permitted_purposes-PublicBenefit"))
    assert "Required when access_level is restricted" in purposes.locator(
        ".error-block").inner_text()
    assert page.get_attribute("#field-theme", "aria-invalid") == "true"
    assert page.locator(".retailarea-areas .error-block").inner_text() == (
        "Choose the retail area the data is about")
    described_by = page.locator("#field-theme").evaluate(
        "el => el.getAttribute('aria-describedby').split(' ').map("
        "id => document.getElementById(id).innerText.trim())")
    assert described_by == ["Missing value", "At least one EU data theme."]
    screenshot(page, "dataset-form-errors")
    screenshot(page, "dataset-form-access-errors", element=page.locator(
        "fieldset[data-form-section=access]"))
    assert axe_violations(page) == []

    summary.locator("a", has_text="Themes").click()
    assert page.evaluate("document.activeElement.id") == "field-theme"
    page.select_option("#field-theme", ["ECON", "TRAN"])
    page.check("#field-permitted_purposes-PublicBenefit")
    page.select_option("#field-contains_personal_data", "False")
    page.check("#field-retail_areas-gouda-binnenstad")
    page.click("button[name=save]")

    page.wait_for_url(re.compile(r"/footfall/passanten-gouda-2025/resource/new"))
    modules_ready(page)  # the resource name follows the file through a module
    with page.expect_file_chooser() as chooser:
        page.click("#resource-upload-button")
    counts = tmp_path / "counts-2025.csv"
    counts.write_text(COUNTS)
    chooser.value.set_files(str(counts))
    assert page.input_value("#field-name") == "counts-2025.csv"
    page.click("button[name=save][value=go-metadata]")
    page.wait_for_url(re.compile(r"/footfall/passanten-gouda-2025$"))

    page.click("a.heading[title='counts-2025.csv'], .resource-item a.heading")
    report = page.locator(".retailarea-table-report")
    assert report.locator(".retailarea-status").get_attribute("data-status") == "pending"
    run_jobs()
    # the report polls the job's state and reloads the page when the job has finished
    page.wait_for_selector(".retailarea-status[data-status=invalid]", timeout=20_000)
    errors = page.locator(".retailarea-errors tbody tr").all_inner_texts()
    cells = [tuple(row.split("\t")[:2]) for row in errors]
    assert ("3", "interval_start") in cells and ("3", "count") in cells
    assert "3 rows checked" in report.inner_text()
    screenshot(page, "validation-report", full_page=False)
    assert axe_violations(page) == []

    dataset = helpers.call_action("package_show", id="passanten-gouda-2025")
    assert (dataset["type"], dataset["access_level"], dataset["permitted_purposes"]) == (
        "footfall", "restricted", ["PublicBenefit"])
    assert [group["name"] for group in dataset["groups"]] == ["gouda-binnenstad"]


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus; fail if the keyboard can't reach it."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


def test_dataset_form_works_with_the_keyboard_alone(page, steward):
    login(page, "steward")
    page.goto("/footfall/new")
    modules_ready(page)  # they add buttons that take part in the Tab order
    page.keyboard.press("Tab")  # from the top of the page, as a keyboard user starts

    tab_to(page, "#field-title")
    page.keyboard.type("Tellingen per toets")
    tab_to(page, "#field-retail_areas-gouda-binnenstad")
    page.keyboard.press("Space")
    tab_to(page, "#field-counting_method")
    page.keyboard.type("Thermal")
    tab_to(page, "#field-access_level")
    page.keyboard.type("Public")
    tab_to(page, "#field-contains_personal_data")
    page.keyboard.type("No")
    tab_to(page, "#field-theme")
    page.keyboard.press("ArrowDown")  # the first theme
    tab_to(page, "button[name=save]")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/footfall/tellingen-per-toets/resource/new"))
    screenshot(page, "keyboard-dataset-created", full_page=False)
    dataset = helpers.call_action("package_show", id="tellingen-per-toets")
    assert (dataset["counting_method"], dataset["access_level"],
            dataset["contains_personal_data"]) == ("thermal", "public", False)
    assert len(dataset["theme"]) == 1
    assert [group["name"] for group in dataset["groups"]] == ["gouda-binnenstad"]
