"""The table schemas are valid Frictionless schemas and keep their public column names."""
from __future__ import annotations

import json
from pathlib import Path

import frictionless
import pytest

from ckanext.retailarea.tables import schemas

SCHEMA_FOLDER = Path(__file__).parents[2] / "schemas" / "tables"

# The public contract: other code (demo data, DataStore loader, footfall series) relies on it.
COLUMNS = {
    "shops": [
        "shop_id", "name", "locatus_branch_code", "sbi_code", "sbi_scheme", "kvk_number",
        "bag_vbo_id", "street", "house_number", "postcode", "city", "lat", "lon",
        "floor_area_m2", "is_vacant", "opening_hours", "valid_from", "valid_to",
    ],
    "events": [
        "event_id", "title", "description", "lang", "category", "start", "end", "rrule",
        "event_status", "venue_name", "address", "lat", "lon", "price_from_eur", "is_free",
        "url", "booking_url", "organizer",
    ],
    "parking_facilities": [
        "uuid", "area_manager_id", "area_id", "name", "operator", "usage", "capacity",
        "charging_points", "disabled_spaces", "min_height_m", "lat", "lon", "opening_times",
    ],
    "parking_occupancy": ["uuid", "observed_at", "vacant_spaces", "capacity", "full", "open"],
    "parking_tariffs": [
        "uuid", "days", "from_time", "until_time", "charge_eur", "charge_period_min",
        "duration_from_min", "duration_until_min",
    ],
    "footfall_locations": [
        "location_id", "name", "geometry", "direction_in_label", "direction_out_label", "status",
    ],
    "footfall_counts": [
        "location_id", "interval_start", "interval", "direction", "mode", "count", "imputed",
    ],
}


def test_names_lists_every_schema_file():
    assert schemas.names() == sorted(COLUMNS)
    assert sorted(path.stem for path in SCHEMA_FOLDER.glob("*.json")) == sorted(COLUMNS)


def test_the_schema_folder_is_the_installed_package_data():
    assert schemas.load("shops") == json.loads((SCHEMA_FOLDER / "shops.json").read_text())


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_schema_is_a_valid_frictionless_table_schema(name):
    descriptor = schemas.load(name)
    report = frictionless.Schema.validate_descriptor(descriptor)
    assert report.valid, report.flatten(["message"])
    schema = frictionless.Schema.from_descriptor(descriptor)
    assert schema.field_names == COLUMNS[name]
    assert descriptor["missingValues"] == [""]
    assert descriptor["fieldsMatch"] == "equal"


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_field_is_documented(name):
    for field in schemas.load(name)["fields"]:
        assert field["type"], field
        assert field["title"].strip(), field
        assert len(field["description"]) > 20, field
        assert field.get("example"), field


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_example_meets_its_own_field_rules(name):
    for field in frictionless.Schema.from_descriptor(schemas.load(name)).fields:
        value, notes = field.read_cell(field.example)
        assert notes is None, (field.name, field.example, notes)
        assert value is not None, field.name


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_primary_key_fields_are_required(name):
    descriptor = schemas.load(name)
    fields = {field["name"]: field for field in descriptor["fields"]}
    for key in descriptor.get("primaryKey", []):
        assert fields[key]["constraints"]["required"] is True


@pytest.mark.parametrize(
    ("name", "primary_key"),
    [
        ("shops", ["shop_id"]),
        ("events", ["event_id"]),
        ("parking_facilities", ["uuid"]),
        ("parking_occupancy", ["uuid", "observed_at"]),
        ("footfall_locations", ["location_id"]),
        ("footfall_counts", ["location_id", "interval_start", "direction", "mode"]),
    ],
)
def test_primary_keys(name, primary_key):
    assert schemas.load(name)["primaryKey"] == primary_key


def test_codes_with_leading_zeros_are_text():
    fields = {field["name"]: field for field in schemas.load("shops")["fields"]}
    for name in ("sbi_code", "kvk_number", "bag_vbo_id", "house_number", "postcode"):
        assert fields[name]["type"] == "string", name


@pytest.mark.parametrize(
    ("name", "column", "good", "bad"),
    [
        ("shops", "locatus_branch_code", ["22.110.110", "00.100.100"], ["22110110", "2.110.110"]),
        ("shops", "sbi_code", ["01", "0111", "477112"], ["1", "4771123", "47.71"]),
        ("shops", "kvk_number", ["01234567"], ["1234567", "123456789", "1234567a"]),
        ("shops", "bag_vbo_id", ["0513010000323825"], ["513010000323825", "05130100003238251"]),
        ("shops", "postcode", ["2801 JG", "2801JG"], ["0801 JG", "2801 jg", "2801  JG", "28011"]),
        ("shops", "sbi_scheme", ["sbi2008", "sbi2025"], ["sbi1993", "SBI2008"]),
        ("events", "lang", ["nl", "en", "nl-BE"], ["NL", "dutch", "nl_BE"]),
        ("events", "rrule", ["FREQ=WEEKLY;BYDAY=TH", "BYDAY=SA;FREQ=WEEKLY"],
         ["RRULE:FREQ=WEEKLY", "BYDAY=SA", "FREQ=SOMETIMES"]),
        ("events", "event_status", ["scheduled", "postponed"], ["canceled", "Scheduled"]),
        ("events", "booking_url", ["https://example.org/t?id=1"], ["example.org", "tickets"]),
        ("parking_facilities", "uuid", ["f3b34918-d393-5ed5-9c10-dad54c6e6c76"], ["garage-1"]),
        ("parking_facilities", "usage", ["garage", "park_and_ride", "on_street"], ["Garage"]),
        ("parking_tariffs", "days", ["mo", "mo,tu,we", "sa,su,ph"], ["mo, tu", "monday", ""]),
        ("parking_tariffs", "from_time", ["09:00:00", "23:59:59"], ["9 uur", "25:00:00"]),
        ("parking_tariffs", "charge_period_min", ["1", "60"], ["0", "-15"]),
        ("footfall_counts", "interval", ["PT15M", "PT1H", "P1D", "P1W", "PT1H30M", "P1M"],
         ["P", "PT", "15M", "PT15", "1 hour", "PT1.5H"]),
        ("footfall_counts", "direction", ["in", "out", "both"], ["IN", "up"]),
        ("footfall_counts", "mode", ["pedestrian", "cyclist", "all"], ["bike"]),
        ("footfall_counts", "count", ["0", "312"], ["-1", "3.5"]),
        ("footfall_locations", "status", ["active", "inactive", "maintenance"], ["broken"]),
        ("footfall_locations", "geometry", ['{"type": "Point", "coordinates": [4.7, 52.0]}'],
         ['{"type": "Point"}', "POINT(4.7 52.0)"]),
    ],
)
def test_field_rules(name, column, good, bad):
    field = frictionless.Schema.from_descriptor(schemas.load(name)).get_field(column)
    for value in good:
        assert field.read_cell(value)[1] is None, value
    for value in bad:
        cell, notes = field.read_cell(value)
        assert notes is not None or (cell is None and field.required), value


def test_latitude_and_longitude_stay_in_wgs84_ranges():
    for name in ("shops", "events", "parking_facilities"):
        schema = frictionless.Schema.from_descriptor(schemas.load(name))
        assert schema.get_field("lat").read_cell("90.1")[1] is not None
        assert schema.get_field("lon").read_cell("-180.5")[1] is not None
        assert schema.get_field("lat").read_cell("52.0116")[1] is None


def test_no_column_can_hold_device_identifiers():
    descriptor = schemas.load("footfall_counts")
    assert "device identifiers" in descriptor["description"]
    assert "Data Protection Authority" in descriptor["description"]
    for name in COLUMNS:
        for column in COLUMNS[name]:
            assert not {"mac", "device", "hash", "bluetooth", "wifi"} & set(column.split("_"))


def test_load_refuses_unknown_names():
    with pytest.raises(KeyError):
        schemas.load("../setup")
    with pytest.raises(KeyError):
        schemas.load("nope")


@pytest.mark.parametrize(
    ("dataset_type", "tables"),
    [
        ("shop-register", ["shops"]),
        ("events", ["events"]),
        ("parking", ["parking_facilities", "parking_occupancy", "parking_tariffs"]),
        ("footfall", ["footfall_locations", "footfall_counts"]),
        ("dataset", []),
        ("retail-area", []),
    ],
)
def test_for_dataset_type(dataset_type, tables):
    assert schemas.for_dataset_type(dataset_type) == tables


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_detect_exact_header_in_any_order(name):
    dataset_type = next(t for t, names in schemas.DATASET_TABLES.items() if name in names)
    assert schemas.detect(COLUMNS[name], dataset_type) == name
    assert schemas.detect(list(reversed(COLUMNS[name])), dataset_type) == name
    assert schemas.detect([f" {column} " for column in COLUMNS[name]], dataset_type) == name


@pytest.mark.parametrize(
    ("header", "dataset_type", "expected"),
    [
        # one column missing: still the right schema (validation reports the column)
        (COLUMNS["parking_occupancy"][:-1], "parking", "parking_occupancy"),
        (COLUMNS["parking_tariffs"][1:], "parking", "parking_tariffs"),
        (COLUMNS["footfall_locations"][:-1], "footfall", "footfall_locations"),
        (COLUMNS["footfall_counts"][:-1], "footfall", "footfall_counts"),
        (COLUMNS["shops"][:-1], "shop-register", "shops"),
        # an extra column, a misspelt one
        ([*COLUMNS["footfall_counts"], "remarks"], "footfall", "footfall_counts"),
        (["Location_ID", *COLUMNS["footfall_counts"][1:]], "footfall", "footfall_counts"),
        # the wrong table for the dataset type, an unrelated file, nothing
        (COLUMNS["events"], "shop-register", None),
        (COLUMNS["footfall_counts"], "parking", None),
        (["a", "b", "c"], "parking", None),
        (["uuid"], "parking", None),
        ([], "footfall", None),
        (COLUMNS["shops"], "dataset", None),
        (COLUMNS["shops"], "no-such-type", None),
    ],
)
def test_detect(header, dataset_type, expected):
    assert schemas.detect(header, dataset_type) == expected
