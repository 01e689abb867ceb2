"""DataStore fields and records from a table schema and a validated CSV file."""
from __future__ import annotations

import json
import tracemalloc

import pytest
from table_samples import fixture_text

from ckanext.retailarea.tables import schemas
from ckanext.retailarea.tables.csvfile import CsvProblem
from ckanext.retailarea.tables.datastore import datastore_fields, iter_records
from ckanext.retailarea.tables.validate import validate_csv

DATASTORE_TYPES = {"text", "int", "numeric", "bool", "date", "time", "timestamptz", "json"}


def types(name: str) -> dict[str, str]:
    return {field["id"]: field["type"] for field in datastore_fields(schemas.load(name))}


def records(path, name: str, **options) -> list[dict]:
    return [record for batch in iter_records(path, schemas.load(name), **options)
            for record in batch]


@pytest.mark.parametrize("name", schemas.names())
def test_fields_follow_the_schema(name):
    descriptor = schemas.load(name)
    fields = datastore_fields(descriptor)
    assert [field["id"] for field in fields] == schemas.field_names(name)
    for field, source in zip(fields, descriptor["fields"], strict=True):
        assert field["type"] in DATASTORE_TYPES
        assert field["info"] == {"label": source["title"], "notes": source["description"]}


def test_field_types():
    assert types("shops") == {
        "shop_id": "text", "name": "text", "locatus_branch_code": "text", "sbi_code": "text",
        "sbi_scheme": "text", "kvk_number": "text", "bag_vbo_id": "text", "street": "text",
        "house_number": "text", "postcode": "text", "city": "text", "lat": "numeric",
        "lon": "numeric", "floor_area_m2": "numeric", "is_vacant": "bool",
        "opening_hours": "text", "valid_from": "date", "valid_to": "date",
    }
    assert types("events")["start"] == "timestamptz"
    assert types("events")["booking_url"] == "text"
    assert types("parking_tariffs")["from_time"] == "time"
    assert types("parking_tariffs")["charge_period_min"] == "int"
    assert types("parking_occupancy")["observed_at"] == "timestamptz"
    assert types("footfall_locations")["geometry"] == "json"
    assert types("footfall_counts") == {
        "location_id": "text", "interval_start": "timestamptz", "interval": "text",
        "direction": "text", "mode": "text", "count": "int", "imputed": "bool",
    }


@pytest.mark.parametrize("name", schemas.names())
def test_every_sample_loads_as_json(name, write_file):
    rows = records(write_file(fixture_text(name)), name)
    assert len(rows) == len(fixture_text(name).splitlines()) - 1
    for row in rows:
        assert list(row) == schemas.field_names(name)
    json.dumps(rows, allow_nan=False)


def test_shop_values(write_file):
    first, second, vacant = records(write_file(fixture_text("shops")), "shops")
    assert second["sbi_code"] == "0111"  # text, leading zero kept
    assert first["kvk_number"] == "01234567"
    assert first["bag_vbo_id"] == "0513010000323825"
    assert second["house_number"] == "12a"
    assert first["lat"] == pytest.approx(52.011291)
    assert second["floor_area_m2"] == 81.5
    assert (first["is_vacant"], vacant["is_vacant"]) == (False, True)
    assert first["valid_from"] == "2009-06-29"
    assert first["valid_to"] is None
    assert vacant["name"] is None
    assert second["name"] == "Boerderij Café Zuid"


def test_event_times_keep_their_offset(write_file):
    kaasmarkt, koopavond = records(write_file(fixture_text("events")), "events")
    assert kaasmarkt["start"] == "2026-04-02T10:00:00+02:00"
    assert koopavond["start"] == "2026-12-18T18:00:00+00:00"
    assert koopavond["end"] == "2026-12-18T21:00:00+01:00"
    assert kaasmarkt["price_from_eur"] == 0.0
    assert koopavond["lat"] is None


def test_times_geojson_and_open_ended_durations(write_file):
    tariffs = records(write_file(fixture_text("parking_tariffs")), "parking_tariffs")
    assert tariffs[0]["from_time"] == "07:00:00"
    assert tariffs[0]["charge_eur"] == 0.65
    assert tariffs[1]["duration_until_min"] is None
    locations = records(write_file(fixture_text("footfall_locations")), "footfall_locations")
    assert locations[0]["geometry"] == {"type": "Point", "coordinates": [4.710995, 52.011915]}


def test_excel_export_loads_like_a_standard_file(write_file):
    header = fixture_text("shops").splitlines()[0].replace(",", ";")
    text = (header + "\nGOU-9;Café Één;11.110.110;0111;sbi2025;01234567;0513010000000001;"
            "Markt;1;2801 JG;Gouda;52,0116;4,7105;85,5;ONWAAR;;2025-01-01;\n")
    path = write_file(text, encoding="cp1252")
    assert validate_csv(path, "shops")["valid"] is True
    (shop,) = records(path, "shops")
    assert (shop["name"], shop["sbi_code"]) == ("Café Één", "0111")
    assert (shop["lat"], shop["floor_area_m2"], shop["is_vacant"]) == (52.0116, 85.5, False)


def test_batches(write_file):
    header = fixture_text("footfall_counts").splitlines()[0]
    lines = [f"GOU-01,2025-06-05T{hour:02d}:00:00+02:00,PT1H,in,all,{hour},false"
             for hour in range(24)]
    path = write_file("\n".join([header, *lines]) + "\n")
    batches = list(iter_records(path, schemas.load("footfall_counts"), batch_size=10))
    assert [len(batch) for batch in batches] == [10, 10, 4]
    assert [record["count"] for batch in batches for record in batch] == list(range(24))


def test_records_are_streamed(write_file):
    """Peak memory does not grow with the number of rows."""
    header = fixture_text("footfall_counts").splitlines()[0] + "\n"
    line = "GOU-01,2025-06-05T14:00:00+02:00,PT15M,in,pedestrian,312,false\n"
    schema = schemas.load("footfall_counts")

    def peak_memory(rows: int) -> int:
        path = write_file(header + line * rows, name=f"{rows}.csv")
        tracemalloc.start()
        try:
            assert sum(len(batch) for batch in iter_records(path, schema, batch_size=500)) == rows
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak_memory(10)  # first use imports and caches what frictionless needs
    small, large = peak_memory(2_000), peak_memory(12_000)
    assert large < small * 1.2


def test_invalid_rows_are_refused_not_loaded_half(write_file):
    text = fixture_text("footfall_counts").replace(",298,", ",many,")
    with pytest.raises(CsvProblem) as raised:
        records(write_file(text), "footfall_counts")
    assert (raised.value.code, raised.value.row) == ("invalid-row", 3)


def test_unreadable_files_raise_csv_problem(write_file):
    with pytest.raises(CsvProblem) as raised:
        records(write_file(b"PK\x03\x04" + bytes(100)), "shops")
    assert raised.value.code == "binary-file"
    header = fixture_text("footfall_counts").splitlines()[0].replace(",imputed", "")
    with pytest.raises(CsvProblem) as raised:
        records(write_file(header + "\n"), "footfall_counts")
    assert raised.value.row == 1


def test_blank_rows_are_skipped(write_file):
    text = fixture_text("footfall_counts") + ",,,,,,\n"
    assert len(records(write_file(text), "footfall_counts")) == 5
