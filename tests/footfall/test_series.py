"""retailarea_footfall_series is exact: every figure is compared with sums computed in
Python over the rows of the crafted CSV (tests/footfall/data.py), never with SQL."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
import sqlalchemy as sa
from ckan.tests import helpers

from ckanext.retailarea.footfall import sql
from tests import factories
from tests.footfall import data
from tests.footfall.conftest import series

PERIODS = ["day", "week", "month", "quarter", "year"]


def drop_summary(resource_id: str) -> None:
    """Forget the stored day totals, so the series are computed from the table."""
    import ckanext.datastore.backend.postgres as db

    with db.get_write_engine().begin() as connection:
        connection.execute(sa.text(
            f"DELETE FROM {sql.SUMMARIES} WHERE resource_id = :id"),  # noqa: S608
            {"id": resource_id})


def summarized(resource_id: str) -> bool:
    from ckanext.retailarea.footfall import query

    with query.reading() as connection:
        return query.classify(connection, [resource_id]).summarized == [resource_id]


def entries(answer: dict, location: str | None = None) -> dict[str, dict]:
    found = answer["total"] if location is None else answer["locations"][location]
    return {entry["start"]: entry for entry in found}


@pytest.mark.parametrize("stored", [True, False], ids=["summary", "table"])
def test_visitors_equal_the_sums_of_the_rows(crafted, stored):
    assert summarized(crafted["resource"]["id"])  # made by the load
    if not stored:
        drop_summary(crafted["resource"]["id"])
    assert summarized(crafted["resource"]["id"]) is stored
    for period in PERIODS:
        expected = data.sums(crafted["records"], period)

        answer = series(id=crafted["dataset"]["id"], period=period)

        for location in (None, "A", "B"):
            got = {start: entry["visitors"]
                   for start, entry in entries(answer, location).items()
                   if entry["visitors"] is not None}
            assert got == dict(expected[location]), (period, location)
        assert (answer["start"], answer["end"]) == (
            data.key(dt.date(2024, 1, 1), period), _last_day(period))


def _last_day(period: str) -> str:
    return {"day": "2025-10-27", "week": "2025-11-02", "month": "2025-10-31",
            "quarter": "2025-12-31", "year": "2025-12-31"}[period]


@pytest.mark.parametrize("stored", [True, False], ids=["summary", "table"])
def test_daylight_saving_days_have_23_and_25_hours(crafted, stored):
    if not stored:
        drop_summary(crafted["resource"]["id"])
    answer = series(id=crafted["dataset"]["id"], period="day", start="2025-03-29",
                    end="2025-10-27")
    records = crafted["records"]

    for day, hours in (("2025-03-29", 24), ("2025-03-30", 23), ("2025-10-26", 25)):
        a, b = entries(answer, "A")[day], entries(answer, "B")[day]
        assert (a["intervals"], a["expected_intervals"]) == (hours * 4, hours * 4)
        assert (b["intervals"], b["expected_intervals"]) == (hours, hours)
        assert a["complete"] and b["complete"] and entries(answer)[day]["gaps"] == 0
        assert a["intervals"] == data.intervals(records, "A", dt.date.fromisoformat(day))
    sums = data.sums(records, "day")
    assert entries(answer)["2025-03-30"]["visitors"] == sums[None]["2025-03-30"]
    assert entries(answer)["2025-10-26"]["visitors"] == sums[None]["2025-10-26"]
    # the repeated 02:00 hour of 26 October is counted once per interval, not dropped
    two_oclock = [r["count"] for r in records if r["location_id"] == "B"
                  and r["interval_start"].astimezone(data.AMSTERDAM).date()
                  == dt.date(2025, 10, 26) and r["interval_start"].hour == 2]
    assert len(two_oclock) == 4  # two hours called 02:00, two directions each


def test_iso_week_one_of_2025_starts_on_30_december_2024(crafted):
    answer = series(id=crafted["dataset"]["id"], period="week", start="2025-01-01",
                    end="2025-01-06")
    weeks = entries(answer)

    assert answer["start"] == "2024-12-30" and answer["end"] == "2025-01-12"
    assert [(e["start"], e["label"]) for e in answer["total"]] == [
        ("2024-12-30", "2025-W01"), ("2025-01-06", "2025-W02")]
    in_week_one = sum(r["count"] for r in crafted["records"]
                      if dt.date(2024, 12, 30)
                      <= r["interval_start"].astimezone(data.AMSTERDAM).date()
                      <= dt.date(2025, 1, 5))
    assert weeks["2024-12-30"]["visitors"] == in_week_one
    # 29 December 2024 (a Sunday) still belongs to ISO week 52 of 2024
    earlier = series(id=crafted["dataset"]["id"], period="week", start="2024-12-29",
                     end="2024-12-29")
    assert [e["label"] for e in earlier["total"]] == ["2024-W52"]


def test_gaps_and_imputed_counts_are_flagged(crafted):
    answer = series(id=crafted["dataset"]["id"], period="day", start="2025-01-02",
                    end="2025-03-31")
    a, b, total = entries(answer, "A"), entries(answer, "B"), entries(answer)

    assert (a["2025-01-02"]["gaps"], a["2025-01-02"]["complete"]) == (4, False)
    assert (b["2025-01-05"]["visitors"], b["2025-01-05"]["gaps"]) == (None, 24)
    assert total["2025-01-05"]["visitors"] == entries(answer, "A")["2025-01-05"]["visitors"]
    assert total["2025-01-05"]["gaps"] == 24 and not total["2025-01-05"]["complete"]
    assert a["2025-01-03"]["complete"] and a["2025-01-03"]["gaps"] == 0
    assert total["2025-02-10"]["visitors"] is None  # nothing counted at all
    imputed = sum(r["count"] for r in crafted["records"] if r["imputed"])
    assert (a["2025-03-31"]["imputed"], a["2025-03-31"]["imputed_intervals"]) == (imputed, 4)
    assert total["2025-03-31"]["imputed"] == imputed
    assert a["2025-03-30"]["imputed"] == 0 and b["2025-03-31"]["imputed"] == 0


def test_year_over_year_compares_the_same_period_a_year_earlier(crafted):
    sums = {period: data.sums(crafted["records"], period) for period in PERIODS}
    month = entries(series(id=crafted["dataset"]["id"], period="month", start="2025-03-01",
                           end="2025-03-31"))["2025-03-01"]
    previous = sums["month"][None]["2024-03-01"]
    assert month["previous_year"] == previous
    assert month["change_pct"] == round((month["visitors"] - previous) / previous * 100, 1)

    week = entries(series(id=crafted["dataset"]["id"], period="week", start="2025-01-01",
                          end="2025-01-01"))["2024-12-30"]
    assert week["previous_year"] == sums["week"][None]["2024-01-01"]  # 2024-W01

    day = entries(series(id=crafted["dataset"]["id"], period="day", start="2025-03-30",
                         end="2025-03-30"), "A")["2025-03-30"]
    assert day["previous_year"] == sums["day"]["A"]["2024-03-30"]

    quiet = entries(series(id=crafted["dataset"]["id"], period="month", start="2025-10-01",
                           end="2025-10-31"))["2025-10-01"]
    assert (quiet["previous_year"], quiet["change_pct"]) == (None, None)


def test_profiles_are_mean_visitors_by_weekday_and_local_hour(crafted):
    answer = series(id=crafted["dataset"]["id"], period="month", start="2025-01-01",
                    end="2025-12-31")
    days: dict[dt.date, int] = defaultdict(int)
    hours: dict[tuple[dt.date, int], int] = defaultdict(int)
    for row in crafted["records"]:
        local = row["interval_start"].astimezone(data.AMSTERDAM)
        if local.year == 2025:
            days[local.date()] += row["count"]
            hours[(local.date(), local.hour)] += row["count"]
    by_weekday = defaultdict(list)
    for day, visitors in days.items():
        by_weekday[day.isoweekday()].append(visitors)
    by_hour = defaultdict(list)
    for (_, hour), visitors in hours.items():
        by_hour[hour].append(visitors)

    weekday = {p["isodow"]: p for p in answer["profiles"]["weekday"]}
    hour = {p["hour"]: p for p in answer["profiles"]["hour"]}
    assert set(weekday) == set(by_weekday) == {1, 3, 4, 5, 6, 7}  # no Tuesday counted
    assert set(hour) == set(range(24))
    for isodow, values in by_weekday.items():
        assert weekday[isodow]["days"] == len(values)
        assert weekday[isodow]["visitors"] == pytest.approx(sum(values) / len(values), abs=0.051)
    for number, values in by_hour.items():
        assert hour[number]["days"] == len(values)
        assert hour[number]["visitors"] == pytest.approx(sum(values) / len(values), abs=0.051)
    assert hour[2]["days"] == len(days) - 1  # 30 March 2025 has no 02:00


def test_one_location_and_a_range_widened_to_whole_periods(crafted):
    answer = series(id=crafted["dataset"]["id"], period="month", location_id="B",
                    start="2025-01-03", end="2025-01-04")

    assert list(answer["locations"]) == ["B"]
    assert (answer["start"], answer["end"]) == ("2025-01-01", "2025-01-31")
    assert answer["total"][0]["visitors"] == data.sums(crafted["records"], "month")["B"][
        "2025-01-01"]


def test_later_writes_through_the_api_keep_the_stored_totals_exact(crafted):
    resource_id = crafted["resource"]["id"]
    helpers.call_action("datastore_upsert", resource_id=resource_id, method="insert",
                        force=True, records=[
                            {"location_id": "C", "interval_start": "2025-10-26T02:00:00+01:00",
                             "interval": "PT1H", "direction": "in", "mode": "pedestrian",
                             "count": 1000, "imputed": False}])
    helpers.call_action("datastore_delete", resource_id=resource_id, force=True,
                        filters={"location_id": "B"})
    helpers.call_action("datastore_upsert", resource_id=resource_id, method="upsert",
                        force=True, records=[
                            {"location_id": "A", "interval_start": "2025-10-25T00:00:00+02:00",
                             "direction": "both", "mode": "pedestrian", "count": 5000}])
    records = [r for r in crafted["records"] if r["location_id"] != "B"]
    first = next(r for r in records if r["interval_start"].isoformat()
                 == "2025-10-25T00:00:00+02:00")
    day = data.sums(records, "day")

    assert summarized(resource_id)
    stored = entries(series(id=crafted["dataset"]["id"], period="day", start="2025-10-25",
                            end="2025-10-26"))
    drop_summary(resource_id)
    computed = entries(series(id=crafted["dataset"]["id"], period="day", start="2025-10-25",
                              end="2025-10-26"))

    assert stored == computed
    assert stored["2025-10-26"]["visitors"] == day[None]["2025-10-26"] + 1000
    assert stored["2025-10-25"]["visitors"] == day[None]["2025-10-25"] - first["count"] + 5000


def test_a_new_upload_is_summarised_again_and_a_deleted_one_forgotten(crafted, load,
                                                                      steward):
    """A new upload replaces the table; the totals follow the new rows, not the old."""
    resource_id = crafted["resource"]["id"]
    records = [r for r in crafted["records"] if r["location_id"] == "A"]
    load(data.as_csv(records), action="resource_update", id=resource_id)

    assert summarized(resource_id)
    answer = series(id=crafted["dataset"]["id"], period="year")
    assert list(answer["locations"]) == ["A"]
    assert {e["start"]: e["visitors"] for e in answer["total"]} == dict(
        data.sums(records, "year")[None])

    helpers.call_action("resource_delete", {"user": steward["user"]["name"]}, id=resource_id)
    import ckanext.datastore.backend.postgres as db

    with db.get_read_engine().connect() as connection:
        left = connection.execute(sa.text(
            f"SELECT count(*) FROM {sql.DAY_TOTALS} WHERE resource_id = :id"),  # noqa: S608
            {"id": resource_id}).scalar()
    assert left == 0


def test_an_area_without_counts_answers_an_empty_series(steward):
    factories.RetailArea(name="leeg-gebied")
    answer = series(area="leeg-gebied", period="month", start="2025-01-01", end="2025-12-31")

    assert (answer["total"], answer["locations"], answer["datasets"]) == ([], {}, [])
    assert answer["excluded"] == []
