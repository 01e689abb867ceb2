"""The figures of an area, checked against sums worked out here from the same rows."""
from __future__ import annotations

import datetime as dt

import pytest
from ckan.tests import factories as ckan_factories

from tests import factories
from tests.insights.conftest import AMSTERDAM, add_table, counts, dataset, insights, span

JUNE = span(dt.date(2025, 6, 2), 14)  # Monday 2 .. Sunday 15 June 2025
LAST_JUNE = span(dt.date(2024, 6, 3), 7)  # the window before


def visitors(day: dt.date, hour: int) -> int:
    return 10 + hour + (30 if day.isoweekday() == 6 else 0) + (50 if hour == 15 else 0)


@pytest.fixture
def area(world):
    footfall = dataset(world, factories.Footfall, name="passanten", frequency="DAILY")
    rows = counts("A", JUNE + LAST_JUNE, range(9, 18), visitors)
    rows += counts("B", JUNE, range(9, 18), lambda d, h: 5)
    rows[0]["imputed"] = True
    add_table(footfall, "footfall_counts", rows)
    shops = dataset(world, type="shop-register", classification_scheme="locatus",
                    name="winkels", frequency="ANNUAL")
    add_table(shops, "shops", [
        shop("1", "22.110.110", 120, valid_from="2020-01-01"),
        shop("2", "22.130.100", 80, valid_from="2025-01-01"),
        shop("3", "00.000.000", None, valid_from="2020-01-01"),
        shop("4", "11.100.100", 300, valid_from="2020-01-01", valid_to="2025-03-01"),
        shop("5", "37.100.100", 60, valid_from="2020-01-01", is_vacant=True),
    ])
    parking = dataset(world, type="parking", standard="SPDP 2.0", name="parkeren",
                      frequency="CONT")
    add_table(parking, "parking_facilities", [
        {"uuid": "P1", "name": "Garage Markt", "capacity": 100},
        {"uuid": "P2", "name": "Garage Station", "capacity": 300}])
    add_table(parking, "parking_occupancy", [
        occupancy("P1", dt.date(2025, 6, 7), 14, vacant=10, capacity=100),
        occupancy("P2", dt.date(2025, 6, 7), 14, vacant=200, capacity=300),
        occupancy("P1", dt.date(2025, 6, 14), 14, vacant=60, capacity=100)])
    add_table(parking, "parking_tariffs", [
        {"uuid": "P1", "days": "mo,tu,we,th,fr,sa", "from_time": "00:00:00",
         "until_time": "00:00:00", "charge_eur": 0.6, "charge_period_min": 15}])
    agenda = dataset(world, type="events", language=["nl"], name="agenda", frequency="WEEKLY")
    add_table(agenda, "events", [
        event("kaas", "Kaasmarkt", dt.date(2025, 6, 14)),
        event("later", "Kaarsjesavond", dt.date(2025, 7, 20)),
        event("afgelast", "Afgelast", dt.date(2025, 7, 21), status="cancelled")])
    return world


def shop(shop_id, code, area, *, is_vacant=False, valid_from=None, valid_to=None):
    return {"shop_id": shop_id, "name": f"Shop {shop_id}", "locatus_branch_code": code,
            "floor_area_m2": area, "is_vacant": is_vacant, "valid_from": valid_from,
            "valid_to": valid_to}


def occupancy(uuid, day, hour, *, vacant, capacity):
    return {"uuid": uuid, "vacant_spaces": vacant, "capacity": capacity,
            "observed_at": dt.datetime.combine(day, dt.time(hour, 15), AMSTERDAM).isoformat()}


def event(event_id, title, day, status="scheduled"):
    start = dt.datetime.combine(day, dt.time(11), AMSTERDAM)
    return {"event_id": event_id, "title": title, "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=6)).isoformat(), "event_status": status}


def test_footfall_figures(area):
    answer = insights()
    assert answer["window"]["first"] == "2024-07-01" and answer["window"]["last"] == "2025-06-30"
    [footfall] = answer["footfall"]
    now = sum(visitors(d, h) for d in JUNE for h in range(9, 18)) + 5 * 9 * 14
    before = sum(visitors(d, h) for d in LAST_JUNE for h in range(9, 18))
    assert footfall["visitors_12m"] == now
    assert footfall["visitors_previous_12m"] == before
    assert footfall["change_pct"] == round(100 * (now - before) / before, 1)
    assert footfall["busiest_weekday"] == "saturday" and footfall["busiest_hour"] == 15
    assert footfall["months"] == [{"month": "2025-06-01", "visitors": now,
                                   "previous_year": before}]
    assert footfall["locations"] == 2
    assert footfall["gap_share_pct"] == round(100 * (1 - 28 / (2 * 365)), 1)
    assert footfall["imputed_share_pct"] == round(100 * visitors(JUNE[0], 9) / now, 1)
    assert footfall["source"]["dataset"] == "passanten" and footfall["source"]["resources"]


def test_shops_parking_events_and_freshness(area):
    answer = insights()
    [shops] = answer["shops"]
    assert (shops["units"], shops["vacant"], shops["vacancy_rate_pct"]) == (4, 2, 50.0)
    assert shops["floor_area_m2"] == 260 and shops["floor_area_known_units"] == 3
    assert {m["branch_group"]: m["units"] for m in shops["mix"]} == {"22": 2, "00": 1, "37": 1}
    assert shops["previous"]["units"] == 4 and shops["change"]["units"] == 0
    assert shops["change"]["vacancy_rate_pct"] == 50.0 - 50.0

    [parking] = answer["parking"]
    assert (parking["facilities"], parking["capacity"]) == (2, 400)
    # two Saturday 14:00 cells: (90 + 100) / 400 = 47.5 % and 40 / 100 = 40 %
    assert parking["occupancy"] == [{"weekday": 6, "hour": 14, "mean_pct": 43.8,
                                     "peak_pct": 47.5}]
    assert parking["tariffs_now"][0]["name"] == "Garage Markt"  # a Tuesday in July

    [events] = answer["events"]
    assert [e["event_id"] for e in events["upcoming"]] == ["later"]
    [effect] = events["effects"]
    saturday = sum(visitors(dt.date(2025, 6, 14), h) for h in range(9, 18)) + 45
    assert effect["visitors"] == saturday and effect["comparison_days"] == ["2025-06-07"]
    assert effect["baseline_visitors"] == saturday  # the same hours and values a week before
    assert effect["effect_pct"] == 0.0

    fresh = {f["source"]["dataset"]: f for f in answer["freshness"]}
    assert fresh["passanten"]["last_day"] == "2025-06-15" and fresh["passanten"]["late"]
    assert fresh["agenda"]["late"] is False and fresh["winkels"]["late"] is False


def test_restricted_data_is_named_not_used(world):
    secret = dataset(world, factories.Footfall, name="geheim", access_level="restricted",
                     permitted_purposes=["AcademicResearch"])
    add_table(secret, "footfall_counts", counts("S", JUNE, range(9, 10), lambda d, h: 999))
    anonymous = insights()
    assert anonymous["footfall"] == []
    assert anonymous["excluded"] == [{"dataset": "geheim", "title": secret["title"],
                                      "type": "footfall", "reason": "restricted"}]
    member = insights(world["steward"])
    assert member["footfall"][0]["visitors_12m"] == 999 * 14 and member["excluded"] == []


def test_non_public_data_is_left_out_silently(world):
    hidden = dataset(world, factories.Footfall, access_level="non_public",
                     contains_personal_data=True, legal_basis="A6-1-e")
    add_table(hidden, "footfall_counts", counts("S", JUNE, range(9, 10), lambda d, h: 1))
    assert insights(ckan_factories.User())["footfall"] == []
    assert insights(ckan_factories.User())["excluded"] == []


def test_stored_hours_equal_those_computed_from_the_table(area):
    import ckanext.datastore.backend.postgres as db
    import sqlalchemy as sa

    from ckanext.retailarea.insights import occupancy

    stored = insights()["parking"]
    with db.get_write_engine().begin() as connection:
        connection.execute(sa.text(f"DELETE FROM {occupancy.SUMMARIES}"))  # noqa: S608
    assert insights()["parking"] == stored
