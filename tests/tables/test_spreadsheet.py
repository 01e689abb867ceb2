"""Spreadsheet uploads: a sheet comes through as the CSV the checks read, cell types intact."""
from __future__ import annotations

import csv
import datetime as dt

import pytest

from ckanext.retailarea.tables import schemas, spreadsheet
from ckanext.retailarea.tables.csvfile import CsvProblem
from ckanext.retailarea.tables.validate import validate_csv
from tests.workbooks import ods, xlsx

SHOPS = schemas.load("shops")
COUNTS = schemas.load("footfall_counts")
HEADER = schemas.field_names("shops")


def shop(**cells):
    row = {
        "shop_id": "GOU-1", "name": "Bakkerij", "locatus_branch_code": "11.110.110",
        "sbi_code": "1071", "sbi_scheme": "sbi2025", "kvk_number": "01234567",
        "bag_vbo_id": "0513010000000001", "street": "Markt", "house_number": "1",
        "postcode": "2801 JG", "city": "Gouda", "lat": 52.0116, "lon": 4.7105,
        "floor_area_m2": 85, "is_vacant": False, "opening_hours": None,
        "valid_from": dt.datetime(2025, 1, 31), "valid_to": None,
    }
    row.update(cells)
    return [row[name] for name in HEADER]


def convert(tmp_path, path, kind, schema=SHOPS, sheet=None):
    target = tmp_path / "out.csv"
    name = spreadsheet.to_csv(path, target, kind, schema, sheet)
    with open(target, encoding="utf-8", newline="") as handle:
        return name, list(csv.DictReader(handle))


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_typed_cells_come_through_exactly(tmp_path, kind):
    write = xlsx if kind == "xlsx" else ods
    sbi = (111, "0000") if kind == "xlsx" else (111, "0111")
    path = write(tmp_path / f"shops.{kind}", {"Winkels": [
        HEADER,
        shop(sbi_code=sbi, lat="52,0116", floor_area_m2=81.5, postcode="2801 JG"),
        shop(shop_id="GOU-2", sbi_code="0111", kvk_number="00123456", is_vacant=True,
             valid_from=dt.datetime(2024, 2, 29)),
    ]})

    name, rows = convert(tmp_path, path, kind)

    assert name == "Winkels"
    first, second = rows
    assert first["sbi_code"] == "0111" and second["sbi_code"] == "0111"
    assert second["kvk_number"] == "00123456"
    assert first["lat"] == "52.0116" and second["lat"] == "52.0116"
    assert first["floor_area_m2"] == "81.5" and second["floor_area_m2"] == "85"
    assert first["valid_from"] == "2025-01-31" and second["valid_from"] == "2024-02-29"
    assert (first["is_vacant"], second["is_vacant"]) == ("false", "true")
    assert first["valid_to"] == "" and first["opening_hours"] == ""


def test_excel_date_serial_in_a_date_column_is_a_date(tmp_path):
    path = xlsx(tmp_path / "shops.xlsx", {"S": [HEADER, shop(valid_from=45688)]})
    assert convert(tmp_path, path, "xlsx")[1][0]["valid_from"] == "2025-01-31"


def test_datetime_cells_get_the_dutch_offset_of_their_moment(tmp_path):
    header = schemas.field_names("footfall_counts")
    rows = [header,
            ["GOU-01", dt.datetime(2025, 1, 5, 14, 0), "PT15M", "in", "pedestrian", 3, False],
            ["GOU-01", dt.datetime(2025, 6, 5, 14, 0), "PT15M", "in", "pedestrian", 4, False]]
    path = xlsx(tmp_path / "counts.xlsx", {"Tellingen": rows})
    _, out = convert(tmp_path, path, "xlsx", COUNTS)
    assert [r["interval_start"] for r in out] == [
        "2025-01-05T14:00:00+01:00", "2025-06-05T14:00:00+02:00"]
    assert validate_csv(tmp_path / "out.csv", "footfall_counts")["valid"]


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_chosen_sheet_is_read_and_a_missing_one_is_named(tmp_path, kind):
    write = xlsx if kind == "xlsx" else ods
    path = write(tmp_path / f"book.{kind}", {
        "Toelichting": [["Lees mij"]], "Winkels": [HEADER, shop()]})
    assert convert(tmp_path, path, kind, sheet="Winkels")[1][0]["shop_id"] == "GOU-1"
    with pytest.raises(CsvProblem) as problem:
        convert(tmp_path, path, kind, sheet="Blad9")
    assert problem.value.code == "no-sheet"
    assert "Toelichting, Winkels" in problem.value.message


def test_rows_keep_their_sheet_numbers_and_trailing_padding_is_dropped(tmp_path):
    path = ods(tmp_path / "shops.ods", {"S": [HEADER, shop(), [None], shop(shop_id="GOU-3")]})
    _, rows = convert(tmp_path, path, "ods")
    assert [r["shop_id"] for r in rows] == ["GOU-1", "", "GOU-3"]


def test_a_file_that_is_no_workbook_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "shops.xlsx"
    path.write_text("shop_id,name\n")
    with pytest.raises(CsvProblem) as problem:
        convert(tmp_path, path, "xlsx")
    assert problem.value.code == "source-error"


@pytest.mark.parametrize(("name", "fmt", "kind"), [
    ("register.xlsx", "", "xlsx"), ("a/b/register.ODS", None, "ods"),
    ("register.csv", "XLSX", "xlsx"), ("register.csv", "CSV", None), (None, None, None),
])
def test_kind_from_name_or_format(name, fmt, kind):
    assert spreadsheet.kind_of(name, fmt) == kind


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_sheet_that_unpacks_past_the_limit_is_refused(tmp_path, kind):
    write = xlsx if kind == "xlsx" else ods
    rows = [HEADER] + [shop(shop_id=f"GOU-{n}") for n in range(3000)]
    path = write(tmp_path / f"big.{kind}", {"S": rows})
    with pytest.raises(CsvProblem) as problem:
        spreadsheet.to_csv(path, tmp_path / "out.csv", kind, SHOPS, max_bytes=100_000)
    assert problem.value.code == "file-too-large"
