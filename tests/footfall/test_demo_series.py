"""The series of the demo catalog (loaded by `ckan retailarea demo load` and its jobs)
equal the sums of the generator's own rows: a year of hourly counts, two directions,
12 sensors, outages filled in with imputed counts and a sensor in maintenance."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from ckan.tests import factories, helpers

from ckanext.retailarea.demo import loader
from ckanext.retailarea.demo.generate import footfall_counts, parking_facilities, parking_occupancy

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def demo(clean_db, clean_index, clean_datastore, run_jobs):
    factories.Sysadmin(name="admin")
    loader.load(report=lambda line: None)
    run_jobs()


def generated(prefix: str) -> dict[str, dict[str, int]]:
    """Visitors per local day and month, per location and in total (key None)."""
    found: dict = defaultdict(lambda: defaultdict(int))
    for row in footfall_counts():
        if not row["location_id"].startswith(prefix):
            continue
        day = row["interval_start"].astimezone(AMSTERDAM).date()
        for location in (row["location_id"], None):
            found[location][day.isoformat()] += row["count"]
            found[location][day.replace(day=1).isoformat() + "/month"] += row["count"]
            found[location]["imputed"] += row["count"] if row["imputed"] else 0
    return found


def visitors(entries: list[dict], suffix: str = "") -> dict[str, int]:
    return {e["start"] + suffix: e["visitors"] for e in entries if e["visitors"] is not None}


def test_demo_series_equal_the_generated_counts(demo):
    """One test for all figures: loading the demo takes a minute or more."""
    footfall_series()
    parking_series()


def footfall_series() -> None:
    gouda, arnhem = generated("GOU"), generated("ARN")

    monthly = helpers.call_action("retailarea_footfall_series", id="passantentellingen-gouda",
                                  period="month")
    daily = helpers.call_action("retailarea_footfall_series", area="gouda-binnenstad",
                                period="day", start="2025-01-01", end="2025-12-31")

    for location in (None, "GOU-01", "GOU-06"):
        entries = monthly["total"] if location is None else monthly["locations"][location]
        months = {k: v for k, v in gouda[location].items() if k.endswith("/month")}
        assert visitors(entries, "/month") == months
        assert sum(e["imputed"] for e in entries) == gouda[location]["imputed"]
    days = {k: v for k, v in gouda[None].items() if len(k) == 10}
    assert visitors(daily["total"]) == days and len(days) == 365
    assert [d["name"] for d in daily["datasets"]] == ["passantentellingen-gouda"]
    by_day = {e["start"]: e for e in daily["total"]}
    for day, hours in (("2025-03-30", 23), ("2025-10-26", 25), ("2025-06-01", 24)):
        assert by_day[day]["expected_intervals"] == 6 * hours, day
        assert by_day[day]["intervals"] == 6 * hours and by_day[day]["complete"], day

    december = helpers.call_action("retailarea_footfall_series", id="passantentellingen-arnhem",
                                   period="month", start="2025-12-01", end="2025-12-31")
    sensor = december["locations"]["ARN-04"][0]
    assert not sensor["complete"] and sensor["gaps"] > 0  # in maintenance since 9 December
    assert december["total"][0]["visitors"] == arnhem[None]["2025-12-01/month"]
    since = dt.datetime(2025, 12, 9, 9, tzinfo=AMSTERDAM)
    assert sensor["gaps"] == int((dt.datetime(2026, 1, 1, tzinfo=AMSTERDAM) - since)
                                 .total_seconds() // 3600)


def parking_series() -> None:
    uuids = {f["uuid"]: f["name"] for f in parking_facilities() if f["area_manager_id"] == "513"}
    shares: dict = defaultdict(list)
    for row in parking_occupancy():
        if row["uuid"] in uuids:
            day = row["observed_at"].astimezone(AMSTERDAM).date().isoformat()
            shares[(row["uuid"], day)].append(
                100 * (row["capacity"] - row["vacant_spaces"]) / row["capacity"])

    answer = helpers.call_action("retailarea_parking_occupancy_series", id="parkeren-gouda",
                                 period="day")

    assert answer["names"] == uuids
    got = {(uuid, e["start"]): (e["mean_occupancy_pct"], e["peak_occupancy_pct"])
           for uuid, entries in answer["facilities"].items() for e in entries}
    assert set(got) == set(shares)
    for key, values in shares.items():
        assert got[key][0] == pytest.approx(sum(values) / len(values), abs=0.051), key
        assert got[key][1] == pytest.approx(max(values), abs=0.051), key
