"""The interface switches between Dutch and English with the links in the header, on the
page the user is on."""
from __future__ import annotations

import re

import pytest

from tests.browser import catalog
from tests.browser.conftest import axe_violations, login, screenshot


@pytest.fixture
def areas(live_server):
    return catalog.shopping_areas()


def switch_to(page, name: str) -> None:
    page.locator(".retailarea-language-switch a", has_text=name).click()
    page.wait_for_load_state()


def test_interface_switches_between_dutch_and_english(page, areas):
    page.goto("/footfall/passanten-gouda")
    assert page.get_attribute("html", "lang") == "en"
    current = page.locator(".retailarea-language-switch a[aria-current=true]")
    assert current.inner_text() == "English"

    switch_to(page, "Nederlands")
    assert re.search(r"/nl/footfall/passanten-gouda$", page.url)
    assert page.get_attribute("html", "lang") == "nl"
    assert "Toegangsniveau" in page.inner_text("body")
    assert page.locator("nav[aria-label=Taal] a[aria-current=true]").inner_text() == "Nederlands"

    page.click("header a:text('Winkelgebieden')")
    page.wait_for_url(re.compile(r"/nl/retail-area/$"))
    page.goto("/nl/")
    counts = page.locator(".retailarea-type-counts").inner_text()
    assert "Passantentellingen" in counts and "Winkelbestand" in counts
    assert page.inner_text("#retailarea-latest-title") == "Nieuwste datasets"
    screenshot(page, "home-nl")
    assert axe_violations(page) == []

    switch_to(page, "English")
    assert page.url.endswith("/") and "/nl/" not in page.url
    assert page.inner_text("#retailarea-latest-title") == "Latest datasets"

    page.goto("/dataset/?q=passanten&dataset_type=footfall")  # a search stays as it is
    switch_to(page, "Nederlands")
    assert page.url.endswith("/nl/dataset/?q=passanten&dataset_type=footfall")
    assert "3 datasets gevonden" in page.inner_text("h1")


def test_dataset_form_in_dutch(page, live_server):
    catalog.user("steward")
    catalog.organization("gemeente-gouda", "Gemeente Gouda", {"steward": "editor"})
    login(page, "steward")
    page.goto("/nl/footfall/new")
    section = page.locator("fieldset[data-form-section=access]")
    assert section.locator("legend").inner_text() == "Toegang en doelen"
    text = section.inner_text()
    assert "Toegangsniveau" in text and "Toegestane doelen" in text
    assert "Verplicht bij beperkte toegang." in text  # a help text
    assert "Telmethode" in page.inner_text("#dataset-edit")
    screenshot(page, "dataset-form-nl", element=section)
    assert axe_violations(page) == []
