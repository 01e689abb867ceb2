"""retailarea_parking_occupancy_series: mean and peak occupancy per period and facility,
compared with the same figures computed in Python from the CSV rows."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from ckan.tests import helpers

from tests import factories

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NORTH = "2b7c9c1e-4d8f-4a3b-9e55-0c1f7d2a6b11"
SOUTH = "7d0c4a57-3c1e-4f6a-8b9e-5a1d2c3e4f60"
FACILITIES = (
    "uuid,area_manager_id,area_id,name,operator,usage,capacity,charging_points,"
    "disabled_spaces,min_height_m,lat,lon,opening_times\n"
    f"{NORTH},513,513_NOORD,Garage Noord,Gemeente,garage,200,4,2,2.10,52.01,4.71,24/7\n"
    f"{SOUTH},513,513_ZUID,Terrein Zuid,Gemeente,carpark,80,0,1,,52.00,4.71,24/7\n"
)
# uuid, local time, vacant, capacity: a closed count (capacity 0), an empty vacant cell
# and a sensor that reports more vacant spaces than there are (occupancy 0, not negative).
OBSERVATIONS = [
    (NORTH, "2025-03-29T23:45:00+01:00", 150, 200),
    (NORTH, "2025-03-30T01:45:00+01:00", 190, 200),
    (NORTH, "2025-03-30T03:00:00+02:00", 180, 200),
    (NORTH, "2025-03-30T14:00:00+02:00", 10, 200),
    (NORTH, "2025-03-30T14:15:00+02:00", 0, 200),
    (NORTH, "2025-03-31T09:00:00+02:00", 100, 200),
    (NORTH, "2025-03-31T10:00:00+02:00", 50, 0),
    (SOUTH, "2025-03-30T12:00:00+02:00", 20, 80),
    (SOUTH, "2025-03-30T13:00:00+02:00", None, 80),
    (SOUTH, "2025-03-31T12:00:00+02:00", 90, 80),
]


def occupancy_csv() -> str:
    lines = ["uuid,observed_at,vacant_spaces,capacity,full,open"]
    for uuid, moment, vacant, capacity in OBSERVATIONS:
        vacant_text = "" if vacant is None else vacant
        lines.append(f"{uuid},{moment},{vacant_text},{capacity},{str(vacant == 0).lower()},true")
    return "\n".join(lines) + "\n"


def expected(period_key) -> dict[str, dict[str, tuple[float, float, int]]]:
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for uuid, moment, vacant, capacity in OBSERVATIONS:
        if vacant is None or not capacity:
            continue
        share = max(0.0, min(100.0, 100 * (capacity - vacant) / capacity))
        day = dt.datetime.fromisoformat(moment).astimezone(AMSTERDAM).date()
        values[uuid][period_key(day)].append(share)
    return {uuid: {key: (round(sum(v) / len(v), 1), round(max(v), 1), len(v))
                   for key, v in by_key.items()} for uuid, by_key in values.items()}


@pytest.fixture
def parking(load, steward):
    dataset = factories.Dataset(type="parking", standard="SPDP 2.0",
                                owner_org=steward["org"]["id"])
    load(FACILITIES, dataset=dataset, name="facilities.csv")
    load(occupancy_csv(), dataset=dataset, name="occupancy.csv")
    return dataset


def occupancy(**params) -> dict:
    return helpers.call_action("retailarea_parking_occupancy_series", {}, **params)


def test_mean_and_peak_per_day_and_facility(parking):
    answer = occupancy(id=parking["name"], period="day")
    want = expected(lambda day: day.isoformat())

    assert (answer["start"], answer["end"]) == ("2025-03-29", "2025-03-31")
    assert answer["names"] == {NORTH: "Garage Noord", SOUTH: "Terrein Zuid"}
    for uuid, entries in answer["facilities"].items():
        got = {e["start"]: (e["mean_occupancy_pct"], e["peak_occupancy_pct"], e["observations"])
               for e in entries if e["observations"]}
        assert got == want[uuid], uuid
    south = {e["start"]: e for e in answer["facilities"][SOUTH]}
    assert south["2025-03-31"]["peak_occupancy_pct"] == 0.0  # more vacant than capacity
    assert south["2025-03-29"]["mean_occupancy_pct"] is None  # nothing observed


def test_weeks_and_one_facility(parking):
    answer = occupancy(id=parking["name"], period="week", facility=NORTH)
    want = expected(lambda day: (day - dt.timedelta(days=day.weekday())).isoformat())

    assert list(answer["facilities"]) == [NORTH]
    got = {e["start"]: (e["mean_occupancy_pct"], e["peak_occupancy_pct"], e["observations"])
           for e in answer["facilities"][NORTH]}
    assert got == want[NORTH]
    assert set(got) == {"2025-03-24", "2025-03-31"}


def test_an_unknown_facility(app, parking):
    response = app.get("/api/3/action/retailarea_parking_occupancy_series", status=400,
                       query_string={"id": parking["name"], "period": "day",
                                     "facility": "00000000-0000-0000-0000-000000000000"})
    assert "Unknown facility" in " ".join(response.json["error"]["facility"])
