"""The retail-area page lists its datasets by type; the form starts protective."""
from __future__ import annotations

import pytest
from ckan.tests import factories as ckan_factories

from tests import factories


@pytest.fixture
def area_with_data(clean_db, clean_index):
    org = ckan_factories.Organization()
    area = factories.RetailArea(name="gouda-binnenstad", title="Gouda binnenstad")
    groups = [{"name": area["name"]}]
    factories.Footfall(name="tellingen-gouda", title="Tellingen Gouda", owner_org=org["id"],
                       groups=groups)
    factories.Dataset(name="parkeren-gouda", title="Parkeren Gouda", type="parking",
                      standard="SPDP 2.0", owner_org=org["id"], groups=groups)
    factories.Dataset(name="geheim-gouda", title="Geheim Gouda", owner_org=org["id"],
                      groups=groups, access_level="non_public")
    return area


def test_area_page_lists_datasets_by_type(app, area_with_data):
    page = app.get("/retail-area/gouda-binnenstad").get_data(as_text=True)

    section = page[page.index('class="retailarea-area-types"'):]
    section = section[:section.index("</section>")]
    parking = section[section.index('data-dataset-type="parking"'):]
    footfall = section[section.index('data-dataset-type="footfall"'):]
    assert "Parking" in parking and "Parkeren Gouda" in parking.split("</div>")[0]
    assert "Footfall" in footfall and "Tellingen Gouda" in footfall.split("</div>")[0]
    assert "Geheim Gouda" not in page  # non-public datasets stay hidden from visitors
    assert "GM0513" in page


def test_area_page_in_dutch(app, area_with_data):
    page = app.get("/nl/retail-area/gouda-binnenstad").get_data(as_text=True)
    assert "Passantentellingen" in page and "Parkeren" in page


def test_new_dataset_form_preselects_the_most_protective_choices(app, clean_db):
    user = ckan_factories.UserWithToken()
    ckan_factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])

    page = app.get("/footfall/new", headers={"Authorization": user["token"]}).get_data(
        as_text=True)

    assert '<option value="non_public" selected' in page
    assert '<option value="True" selected' in page
    assert "Permitted purposes" in page and "Legal basis" in page


def test_edit_form_keeps_a_no_for_personal_data(app, clean_db):
    user = ckan_factories.UserWithToken()
    org = ckan_factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    factories.Dataset(name="geen-persoonsgegevens", owner_org=org["id"],
                      contains_personal_data=False)

    page = app.get("/dataset/edit/geen-persoonsgegevens",
                   headers={"Authorization": user["token"]}).get_data(as_text=True)
    shown = app.get("/dataset/geen-persoonsgegevens").get_data(as_text=True)

    assert '<option value="False" selected' in page
    assert '<option value="True" selected' not in page
    assert "Contains personal data" in shown and ">No<" in shown.replace("\n", "").replace(" ", "")
