"""Spreadsheet uploads (.xlsx, .ods) of typed datasets: validated against the same table
schemas as a CSV, reported by sheet, row and column, loaded into the DataStore like a CSV,
the original file left as it was uploaded."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
from ckan.lib import uploader
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.retailarea.tables import schemas
from tests import factories
from tests.workbooks import ods, xlsx

HEADER = schemas.field_names("shops")


def shop(shop_id, **cells):
    row = {
        "shop_id": shop_id, "name": "Bakkerij", "locatus_branch_code": "11.110.110",
        "sbi_code": "0111", "sbi_scheme": "sbi2025", "kvk_number": "01234567",
        "bag_vbo_id": "0513010000000001", "street": "Markt", "house_number": 1,
        "postcode": "2801 JG", "city": "Gouda", "lat": "52,0116", "lon": 4.7105,
        "floor_area_m2": 85.5, "is_vacant": False, "opening_hours": None,
        "valid_from": dt.datetime(2025, 1, 31), "valid_to": None,
    }
    row.update(cells)
    return [row[name] for name in HEADER]


@pytest.fixture
def steward(clean_datastore, clean_index):
    user = ckan_factories.User()
    org = ckan_factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    dataset = factories.Dataset(type="shop-register", classification_scheme="sbi2025",
                                owner_org=org["id"], user=user)
    return {"dataset": dataset, "context": {"user": user["name"]}}


def upload(create_with_upload, steward, path, **extra):
    return create_with_upload(path.read_bytes(), path.name, package_id=steward["dataset"]["id"],
                              context=dict(steward["context"]), **extra)


def report_of(steward, resource):
    return helpers.call_action("retailarea_table_report_show", dict(steward["context"]),
                               resource_id=resource["id"])


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_bad_row_is_reported_by_sheet_row_and_column(
        steward, create_with_upload, run_jobs, tmp_path, kind):
    write = xlsx if kind == "xlsx" else ods
    path = write(tmp_path / f"winkels.{kind}", {"Winkels": [
        HEADER, shop("GOU-1"), shop("GOU-2", kvk_number="1234"), shop("GOU-3")]})
    resource = upload(create_with_upload, steward, path)
    run_jobs()

    report = report_of(steward, resource)
    assert report["status"] == "invalid", report["message"]
    assert report["report"]["sheet"] == "Winkels"
    assert [(e["sheet"], e["row"], e["column"]) for e in report["report"]["errors"]] == [
        ("Winkels", 3, "kvk_number")]
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("datastore_search", resource_id=resource["id"])


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_valid_sheet_is_loaded_with_its_cells_exact_and_the_file_kept(
        steward, create_with_upload, run_jobs, tmp_path, kind):
    write = xlsx if kind == "xlsx" else ods
    path = write(tmp_path / f"winkels.{kind}", {
        "Lees mij": [["Winkels van Gouda"]],
        "Winkels": [HEADER, shop("GOU-1"),
                    shop("GOU-2", postcode="2801 KD", kvk_number="00012345")],
    })
    resource = upload(create_with_upload, steward, path, table_sheet="Winkels")
    run_jobs()

    report = report_of(steward, resource)
    assert report["status"] == "loaded", report
    assert (report["table_schema"], report["rows_loaded"]) == ("shops", 2)
    rows = helpers.call_action("datastore_search", resource_id=resource["id"], sort="shop_id")
    first, second = rows["records"]
    assert first["sbi_code"] == "0111" and second["kvk_number"] == "00012345"
    assert first["lat"] == 52.0116 and first["floor_area_m2"] == 85.5
    assert first["valid_from"].startswith("2025-01-31") and first["house_number"] == "1"
    stored = uploader.get_resource_uploader(resource).get_path(resource["id"])
    assert Path(stored).read_bytes() == path.read_bytes()
    assert resource["url"].endswith(f"winkels.{kind}")


def test_a_missing_sheet_names_the_sheets_there_are(steward, create_with_upload, run_jobs,
                                                    tmp_path):
    path = xlsx(tmp_path / "winkels.xlsx", {"Blad1": [HEADER, shop("GOU-1")]})
    resource = upload(create_with_upload, steward, path, table_sheet="Winkels",
                      table_schema="shops")
    run_jobs()

    report = report_of(steward, resource)
    assert report["status"] == "invalid"
    (error,) = report["report"]["errors"]
    assert error["code"] == "no-sheet" and "Blad1" in error["message"]


def resource_page(app, steward, resource) -> str:
    token = ckan_factories.APIToken(user=steward["context"]["user"])["token"]
    url = f"/shop-register/{steward['dataset']['name']}/resource/{resource['id']}"
    return app.get(url, headers={"Authorization": token}).get_data(as_text=True)


def test_the_page_reports_by_sheet_and_names_the_schema(
        steward, create_with_upload, run_jobs, tmp_path, app):
    path = xlsx(tmp_path / "winkels.xlsx", {"Winkels": [
        HEADER, shop("GOU-1"), shop("GOU-2", kvk_number="1234")]})
    resource = upload(create_with_upload, steward, path)
    run_jobs()

    page = resource_page(app, steward, resource)
    assert "Checked against the table schema <code>shops</code>, sheet <q>Winkels</q>" in page
    assert "Errors, by sheet, row and column" in page
    assert "<td>Winkels</td><td>3</td><td>kvk_number</td>" in page


def test_a_table_matching_no_schema_shows_the_expected_headers(
        steward, create_with_upload, run_jobs, app):
    resource = create_with_upload("winkel;adres\nBakker;Markt 1\n", "lijst.csv",
                                  package_id=steward["dataset"]["id"], format="CSV",
                                  context=dict(steward["context"]))
    run_jobs()

    assert report_of(steward, resource)["status"] == "skipped"
    page = resource_page(app, steward, resource)
    assert "alert-warning" in page
    assert "matches none of the table schemas of this dataset" in page
    assert "Shop register (<code>shops</code>): <code>" + ",".join(HEADER) + "</code>" in page
