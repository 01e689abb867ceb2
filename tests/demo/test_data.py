"""The synthetic demo data generator: deterministic, well-formed, inside the areas and
valid against the table schemas. Pure Python: no CKAN, database or services needed."""
from __future__ import annotations

import csv
import hashlib
import inspect
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import frictionless
import pytest
from shapely.geometry import Point, shape

from ckanext.retailarea.demo import catalog
from ckanext.retailarea.demo.generate import TABLES, footfall_counts, generate

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SCHEMAS = Path(__file__).parents[2] / "schemas" / "tables"
AREA = {"Gouda": "gouda-binnenstad", "Arnhem": "arnhem-centrum"}
PREFIX_CITY = {"GOU": "Gouda", "ARN": "Arnhem"}
COORDINATE = re.compile(r"-?\d{1,3}\.\d{6}")
ISO_WITH_OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")

# The bytes every run on every machine must produce. A deliberate change to the generator
# changes them: regenerate and update these, and say why in the commit.
GOLDEN_SHA256 = {
    "shops": "a62efd77a93be854ee58a495c07cd0273b8f3f5b30e933ba22d5c7cb5e0a0139",
    "events": "17219b8ce633581bbf7cb987c8dfd6b09b857643d045ab4015865da312557153",
    "parking_facilities": "eab81fd6196bd6959c8d569b21577cd4816fb1989ad82f83221e8d11216ee10c",
    "parking_tariffs": "8fab3848c3396e23da8b726e05bbdc1e3588a45727f4df5a46b644499ceaaf95",
    "parking_occupancy": "e90740ba3b2c6d880da86cbc8f2cd0a75af940ec16767f707e6ccdc385a17795",
    "footfall_locations": "9453a064b1250b9bd2b7a5cfa20d626f895496f9c6b241272fb4e88d8bcfd22c",
    "footfall_counts": "45caa69cab6603c5f86606fff565b25e4b4597fcbe80eea9e121a1b3673914b2",
}


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> dict[str, Path]:
    return generate(tmp_path_factory.mktemp("demo"))


def read(paths: dict[str, Path], table: str) -> list[dict[str, str]]:
    with open(paths[table], encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def stream(paths: dict[str, Path], table: str) -> Iterator[dict[str, str]]:
    with open(paths[table], encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def digests(paths: dict[str, Path]) -> dict[str, str]:
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in paths.items()}


def outline(city: str):
    area = next(a for a in catalog.RETAIL_AREAS if a["name"] == AREA[city])
    return shape(json.loads(area["geometry"]))


# --- determinism ---------------------------------------------------------------------

def test_generate_writes_one_csv_per_table(paths):
    assert set(paths) == set(TABLES) == set(GOLDEN_SHA256)
    for name, path in paths.items():
        assert path.name == f"{name}.csv"
        raw = path.read_bytes()
        assert b"\r" not in raw, f"{name}: line endings must be \\n"
        header = raw.split(b"\n", 1)[0].decode("utf-8")
        assert header.split(",") == list(TABLES[name].columns)


def test_a_second_run_elsewhere_gives_identical_bytes(paths, tmp_path):
    # another process, hash seed, time zone and locale: none of them may leak into the data
    env = dict(os.environ, PYTHONHASHSEED="4242", TZ="Pacific/Auckland", LC_ALL="C.UTF-8")
    code = "import sys; from pathlib import Path; " \
           "from ckanext.retailarea.demo.generate import generate; generate(Path(sys.argv[1]))"
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, check=True)
    again = {name: tmp_path / f"{name}.csv" for name in paths}
    assert digests(again) == digests(paths)


def test_output_matches_the_golden_digests(paths):
    assert digests(paths) == GOLDEN_SHA256


def test_tables_stream_as_generators():
    rows = footfall_counts()
    assert inspect.isgenerator(rows)
    assert next(rows)["location_id"] == "GOU-01"
    for table in TABLES.values():
        assert inspect.isgenerator(table.rows())


# --- sizes -----------------------------------------------------------------------------

def test_row_counts(paths):
    counts = {name: sum(1 for _ in stream(paths, name)) for name in paths}
    assert counts["shops"] == 300
    assert counts["events"] == 40 + 9  # the 2026 season and nine past days of 2025
    assert counts["parking_facilities"] == 4
    assert counts["parking_occupancy"] == 4 * 7 * 96
    assert counts["footfall_locations"] == 12
    assert 8 <= counts["parking_tariffs"] <= 20
    # a year of hours for 12 sensors in 2 directions, less the maintenance gap
    assert 12 * 8760 * 2 - 24 * 60 < counts["footfall_counts"] < 12 * 8760 * 2


def test_shops_split_over_the_two_cities(paths):
    assert Counter(row["city"] for row in read(paths, "shops")) == {"Gouda": 130, "Arnhem": 170}


# --- places ----------------------------------------------------------------------------

def test_shops_lie_inside_their_area(paths):
    for row in read(paths, "shops"):
        assert COORDINATE.fullmatch(row["lat"]) and COORDINATE.fullmatch(row["lon"])
        point = Point(float(row["lon"]), float(row["lat"]))
        assert outline(row["city"]).contains(point), row["shop_id"]


def test_sensors_lie_inside_their_area(paths):
    for row in read(paths, "footfall_locations"):
        geometry = json.loads(row["geometry"])
        assert geometry["type"] == "Point"
        assert ", " not in row["geometry"], "geometry must be compact JSON"
        assert all(COORDINATE.fullmatch(c) for c in re.findall(r"[\d.]+", row["geometry"]))
        city = PREFIX_CITY[row["location_id"][:3]]
        assert outline(city).contains(shape(geometry)), row["location_id"]


def test_events_and_parking_lie_inside_an_area(paths):
    for table in ("events", "parking_facilities"):
        for row in read(paths, table):
            point = Point(float(row["lon"]), float(row["lat"]))
            assert any(outline(city).contains(point) for city in AREA), row


# --- shop register -----------------------------------------------------------------------

def test_shop_identifiers_keep_their_format_and_leading_zeros(paths):
    rows = read(paths, "shops")
    municipality = {"Gouda": "0513", "Arnhem": "0202"}
    for row in rows:
        assert re.fullmatch(municipality[row["city"]] + r"01\d{10}", row["bag_vbo_id"])
        assert re.fullmatch(r"\d{2}\.\d{3}\.\d{3}", row["locatus_branch_code"])
        assert re.fullmatch(r"[1-9]\d{3} [A-Z]{2}", row["postcode"])
        assert row["postcode"][:3] == {"Gouda": "280", "Arnhem": "681"}[row["city"]]
        if row["is_vacant"] == "false":
            assert re.fullmatch(r"\d{8}", row["kvk_number"])
            assert re.fullmatch(r"\d{4,5}", row["sbi_code"])
            assert row["sbi_scheme"] in {"sbi2008", "sbi2025"}
    kvk = [row["kvk_number"] for row in rows if row["kvk_number"]]
    assert len(kvk) == len(set(kvk))
    assert any(number.startswith("0") for number in kvk), "no KvK number with a leading 0"
    assert Counter(row["sbi_scheme"] for row in rows)["sbi2025"] > 0
    assert len({row["shop_id"] for row in rows}) == len(rows)


def test_only_units_registered_after_the_recoding_carry_sbi2025(paths):
    for row in read(paths, "shops"):
        if row["sbi_scheme"]:
            expected = "sbi2025" if row["valid_from"] >= "2025-09-01" else "sbi2008"
            assert row["sbi_scheme"] == expected, row["shop_id"]


def test_vacant_units_are_branch_group_00_and_about_7_percent(paths):
    rows = read(paths, "shops")
    for row in rows:
        vacant = row["is_vacant"] == "true"
        assert vacant == row["locatus_branch_code"].startswith("00."), row["shop_id"]
        if vacant:
            assert row["name"] == row["kvk_number"] == row["sbi_code"] == ""
    current = [row for row in rows if not row["valid_to"]]
    share = sum(row["is_vacant"] == "true" for row in current) / len(current)
    assert 0.05 <= share <= 0.09


def test_closed_rows_end_before_their_successor_starts(paths):
    rows = read(paths, "shops")
    closed = [row for row in rows if row["valid_to"]]
    assert closed
    for row in closed:
        successor = next(r for r in rows if r["bag_vbo_id"] == row["bag_vbo_id"]
                         and not r["valid_to"])
        assert row["valid_from"] <= row["valid_to"] < successor["valid_from"]


# --- events ------------------------------------------------------------------------------

def test_event_times_carry_the_summer_offset(paths):
    for row in read(paths, "events"):
        for key in ("start", "end"):
            assert ISO_WITH_OFFSET.fullmatch(row[key])
            moment = datetime.fromisoformat(row[key])
            assert moment.utcoffset() == moment.astimezone(AMSTERDAM).utcoffset()
            assert row[key].endswith("+02:00")  # the whole season lies in summer time
        assert row["start"] <= row["end"]
        assert ("2026-04-01" <= row["start"][:10] <= "2026-09-30"
                or "2025-04-01" <= row["start"][:10] <= "2025-10-25")


def test_past_events_fall_on_the_days_the_footfall_counts_reflect(paths):
    """The insights' "footfall effect of past events" needs events inside the counted
    year: King's Day, Gouda's koopzondagen (first Sundays) and the cheese market."""
    past = [row for row in read(paths, "events") if row["start"].startswith("2025")]
    assert {row["event_id"] for row in past} == {f"EV2025-{n:03d}" for n in range(1, 10)}
    days = {row["start"][:10]: row["category"] for row in past}
    assert days["2025-04-26"] == "festival"
    assert days["2025-04-03"] == "cheese_market"
    sundays = [d for d, category in days.items() if category == "shopping_sunday"]
    assert len(sundays) == 6
    assert all(date.fromisoformat(d).weekday() == 6 and d[8:] <= "07" for d in sundays)


def test_event_prices_statuses_and_recurrence(paths):
    rows = read(paths, "events")
    for row in rows:
        assert (row["is_free"] == "true") == (float(row["price_from_eur"]) == 0), row
        assert bool(row["booking_url"]) == (row["is_free"] == "false")
        assert row["url"].startswith("https://example.org/")
        assert row["lang"] == "nl"
    statuses = Counter(row["event_status"] for row in rows)
    assert statuses["scheduled"] >= 30
    assert {"cancelled", "postponed", "rescheduled"} <= set(statuses)
    cheese = next(row for row in rows if row["category"] == "cheese_market")
    assert cheese["rrule"].startswith("FREQ=WEEKLY;BYDAY=TH;")
    for row in rows:
        if row["rrule"]:
            until = datetime.strptime(row["rrule"].split("UNTIL=")[1], "%Y%m%dT%H%M%SZ")
            day = datetime.fromisoformat(row["start"]).strftime("%a")[:2].upper()
            assert f"BYDAY={day}" in row["rrule"]
            assert until.strftime("%a")[:2].upper() == day


# --- parking -----------------------------------------------------------------------------

def test_parking_ids_are_stable_uuids(paths):
    facilities = read(paths, "parking_facilities")
    ids = {row["uuid"] for row in facilities}
    assert len(ids) == 4
    assert {row["area_manager_id"] for row in facilities} == {"513", "202"}
    for table in ("parking_tariffs", "parking_occupancy"):
        assert {row["uuid"] for row in stream(paths, table)} == ids


def test_occupancy_full_means_no_vacant_spaces(paths):
    rows = read(paths, "parking_occupancy")
    for row in rows:
        vacant, capacity = int(row["vacant_spaces"]), int(row["capacity"])
        assert 0 <= vacant <= capacity
        assert (row["full"] == "true") == (vacant == 0)
    assert any(row["full"] == "true" for row in rows), "no facility fills up on Saturday"
    assert any(row["open"] == "false" for row in rows), "no facility closes at night"


def test_occupancy_covers_one_local_week_in_quarters(paths):
    by_facility: dict[str, list[str]] = {}
    for row in stream(paths, "parking_occupancy"):
        by_facility.setdefault(row["uuid"], []).append(row["observed_at"])
    for stamps in by_facility.values():
        assert stamps[0] == "2026-03-02T00:00:00+01:00"
        assert stamps[-1] == "2026-03-08T23:45:00+01:00"
        assert len(stamps) == 672


# --- footfall ----------------------------------------------------------------------------

def local_days(paths: dict[str, Path], location_id: str) -> tuple[Counter, list[str]]:
    """Hours per local day of one sensor's 'in' counts, and their interval_start values."""
    stamps = [row["interval_start"] for row in stream(paths, "footfall_counts")
              if row["location_id"] == location_id and row["direction"] == "in"]
    return Counter(stamp[:10] for stamp in stamps), stamps


def test_daylight_saving_days_have_23_and_25_hours(paths):
    days, stamps = local_days(paths, "GOU-01")
    assert len(days) == 365
    assert days["2025-03-30"] == 23
    assert days["2025-10-26"] == 25
    assert set(days.values()) == {23, 24, 25}
    fall_back = [s for s in stamps if s.startswith("2025-10-26T02")]
    assert fall_back == ["2025-10-26T02:00:00+02:00", "2025-10-26T02:00:00+01:00"]
    assert not any(s.startswith("2025-03-30T02") for s in stamps)


def test_hours_follow_each_other_in_utc_with_the_right_offset(paths):
    _, stamps = local_days(paths, "ARN-01")
    moments = [datetime.fromisoformat(s) for s in stamps]
    assert all(ISO_WITH_OFFSET.fullmatch(s) for s in stamps)
    assert moments[0] == datetime(2025, 1, 1, tzinfo=AMSTERDAM)
    for earlier, later in zip(moments, moments[1:], strict=False):
        assert later - earlier == timedelta(hours=1)
    for moment in moments:
        assert moment.utcoffset() == moment.astimezone(AMSTERDAM).utcoffset()
        assert moment.minute == 0


def test_footfall_counts_are_plausible(paths):
    totals: Counter[tuple[str, str]] = Counter()
    imputed = Counter()
    for row in stream(paths, "footfall_counts"):
        assert row["interval"] == "PT1H" and row["mode"] == "pedestrian"
        assert row["direction"] in {"in", "out"}
        assert int(row["count"]) >= 0
        hour = int(row["interval_start"][11:13])
        weekday = datetime.fromisoformat(row["interval_start"]).strftime("%a")
        totals[("hour", str(hour))] += int(row["count"])
        totals[("weekday", weekday)] += int(row["count"])
        totals[("month", row["interval_start"][5:7])] += int(row["count"])
        imputed[row["imputed"]] += 1
    assert totals[("hour", "14")] > 20 * totals[("hour", "3")]  # night near zero
    assert max(totals[("weekday", d)] for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sun")) \
        < totals[("weekday", "Sat")]
    assert totals[("month", "12")] > totals[("month", "06")] > totals[("month", "01")]
    assert 0 < imputed["true"] < 500


def test_the_sensor_in_maintenance_has_a_gap(paths):
    status = {row["location_id"]: row["status"] for row in read(paths, "footfall_locations")}
    assert Counter(status.values()) == {"active": 11, "maintenance": 1}
    rows = Counter(row["location_id"] for row in stream(paths, "footfall_counts"))
    for location_id, state in status.items():
        full_year = 8760 * 2
        assert (rows[location_id] < full_year) == (state == "maintenance"), location_id


# --- privacy and schemas -----------------------------------------------------------------

def test_no_device_identifiers_anywhere(paths):
    mac = re.compile(rb"(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}")
    for name, path in paths.items():
        for column in TABLES[name].columns:
            assert not re.search(r"device|mac|hash|imei|serial", column, re.I), column
        assert not mac.search(path.read_bytes()), f"{name} holds something like a MAC address"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_tables_validate_against_their_schema(paths, table):
    descriptor = json.loads((SCHEMAS / f"{table}.json").read_text(encoding="utf-8"))
    resource = frictionless.Resource(
        path=paths[table].name,
        basepath=str(paths[table].parent),
        schema=frictionless.Schema.from_descriptor(descriptor),
    )
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
