"""The dataset page's "Additional info" (only what is set, durations in words, the
spatial coverage on a map) and the header's logo and colours, rendered by the real app."""
from __future__ import annotations

import re

import pytest
from ckan import model
from ckan.exceptions import CkanConfigurationException
from ckan.lib import search
from ckan.tests import factories as ckan_factories

from ckanext.retailarea import config
from ckanext.retailarea.ui import brand
from tests import factories

SPATIAL = ('{"type":"Polygon","coordinates":[[[4.70,52.00],[4.72,52.00],[4.72,52.02],'
           '[4.70,52.02],[4.70,52.00]]]}')


def _info(page: str) -> str:
    section = page[page.index("additional-info"):]
    return section[:section.index("</table>")]


def _rows(page: str) -> dict[str, str]:
    """Label -> cell text of the rows of "Additional info"."""
    pairs = re.findall(r'<th scope="row" class="dataset-label">(.*?)</th>\s*'
                       r'<td class="dataset-details"[^>]*>(.*?)</td>', _info(page), re.S)
    return {label.strip(): re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
            for label, cell in pairs}


@pytest.fixture
def footfall(clean_db, clean_index):
    org = ckan_factories.Organization()
    return factories.Footfall(name="tellingen", owner_org=org["id"], spatial=SPATIAL,
                              temporal_resolution="PT15M", retention_period="P1Y6M")


def test_unset_fields_get_no_row(app, footfall):
    rows = _rows(app.get("/footfall/tellingen").get_data(as_text=True))
    assert "Time resolution" in rows and "Update frequency" in rows
    for unset in ("Usage conditions", "Period until", "Conforms to (standards, table schemas)"):
        assert unset not in rows, unset
    assert all(value for value in rows.values()), rows
    # a "No" is information: personal data set to false keeps its row
    assert rows["Contains personal data"] == "No"


def test_durations_in_words(app, footfall):
    english = _rows(app.get("/footfall/tellingen").get_data(as_text=True))
    assert english["Time resolution"] == "15 minutes ( PT15M )"
    assert english["Retention period"] == "1 year and 6 months ( P1Y6M )"
    dutch = _rows(app.get("/nl/footfall/tellingen").get_data(as_text=True))
    assert dutch["Tijdsresolutie"] == "15 minuten ( PT15M )"
    assert dutch["Bewaartermijn"] == "1 jaar en 6 maanden ( P1Y6M )"


def test_spatial_coverage_on_a_map_with_the_geojson_as_fallback(app, footfall):
    page = app.get("/footfall/tellingen").get_data(as_text=True)
    info = _info(page)
    assert 'data-module="retailarea-area-map"' in info
    assert "retailarea-map-canvas" in info and "area_map" in page  # the Leaflet bundle
    data = re.search(r'<script type="application/json">(.*?)</script>', info, re.S).group(1)
    assert '"Polygon"' in data and '"url": null' in data  # the outline links nowhere
    assert "<details" in info and "4.72" in info.split("<details")[1]


def test_spatial_that_is_no_geojson_shows_as_text_without_a_map(app, clean_db, clean_index):
    org = ckan_factories.Organization()
    factories.Dataset(name="oud", owner_org=org["id"])
    # a value from before the check (or a harvested one) is shown, never drawn
    pkg = model.Package.get("oud")
    pkg.extras = {**pkg.extras, "spatial": "Gouda <b>centrum</b>"}
    pkg_id = pkg.id
    model.repo.commit_and_remove()
    search.rebuild(pkg_id)  # as such a value would be indexed (CKAN 2.12 shows from the index)
    info = _info(app.get("/dataset/oud").get_data(as_text=True))
    assert "retailarea-map-canvas" not in info
    assert "Gouda &lt;b&gt;centrum&lt;/b&gt;" in info


@pytest.mark.ckan_config("ckan.site_logo", "/retailarea/logo.svg")
@pytest.mark.ckan_config("ckanext.retailarea.brand.primary_colour", "#7a1f2b")
def test_header_shows_the_sites_logo_and_colours(app, clean_db):
    page = app.get("/dataset/").get_data(as_text=True)
    assert 'src="/retailarea/logo.svg"' in page
    assert "--retailarea-primary: #7a1f2b;" in page
    assert "--retailarea-text: #ffffff;" in page  # the declared default
    logo = app.get("/retailarea/logo.svg")
    assert logo.status_code == 200 and b"<svg" in logo.data


def test_a_brand_colour_that_is_no_hex_colour_stops_the_start():
    with pytest.raises(CkanConfigurationException) as error:
        brand.check_config({"ckanext.retailarea.brand.primary_colour": "red;}body{x:y"})
    assert "ckanext.retailarea.brand.primary_colour" in str(error.value)
    assert "#0b5d8a" in str(error.value)
    brand.check_config({"ckanext.retailarea.brand.primary_colour": "#ABC",
                        "ckanext.retailarea.brand.text_colour": "#ffffff"})


@pytest.mark.ckan_config("ckanext.retailarea.brand.accent_colour", "red;}body{x:y")
def test_a_colour_set_past_the_start_check_is_left_out(ckan_config):
    """The style sheet's fallback (the declared default) then applies."""
    colours = config.brand_colours()
    assert "accent" not in colours and colours["primary"] == "#0b5d8a"
