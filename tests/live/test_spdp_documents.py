"""SPDP 2.0 documents as they are in the wild (../shared/reference/standards/spdp-2.0/):
the 2018 national index (raw, repaired and its sample) and a static example."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from ckanext.retailarea.live import spdp
from tests.live.standards import STANDARDS

SPDP = STANDARDS / "spdp-2.0"
INDEX = SPDP / "index" / "2018-07_oSoc18"
STATIC = SPDP / "static" / "TOMP-REF" / "parkingFacilityInformation.json"
NOW = dt.datetime(2026, 6, 5, 12, 0, tzinfo=dt.UTC)


def test_the_national_index_of_2018():
    entries = spdp.index_entries(json.loads((INDEX / "data_index_1_3_fixed.json").read_text()))
    assert len(entries) == 6122
    pollable = [e for e in entries if e.dynamic_url]
    # 364 spelled dynamicDataUrl, one dynamiceDataUrl and one dynamicDataURL
    assert len(pollable) == 366
    assert sum(e.lat is not None for e in entries) == 178
    assert sum(e.limited_access for e in entries) == 196
    assert {e.problem for e in entries if not e.dynamic_url} == {
        "no dynamicDataUrl in the index"}


def test_the_raw_index_is_not_json():
    with pytest.raises(ValueError):
        json.loads((INDEX / "data_index_1_3.json").read_text())


def test_the_sample_index():
    entries = spdp.index_entries(json.loads((INDEX / "data_index_1_3_sample.json").read_text()))
    assert len(entries) == 30 and sum(bool(e.dynamic_url) for e in entries) == 20
    stadsplein = next(e for e in entries if e.name == "Stadsplein")
    assert (stadsplein.lat, stadsplein.lon, stadsplein.limited_access) == (
        52.3030472, 4.857867, True)


@pytest.mark.parametrize("document", [None, [], {"ParkingFacilities": {}}, {"x": 1}])
def test_what_is_no_index(document):
    with pytest.raises(spdp.SpdpError, match="not an SPDP index"):
        spdp.index_entries(document)


def test_a_bad_dynamic_url_is_the_entrys_problem():
    entries = spdp.index_entries({"ParkingFacilities": [
        {"uuid": "2b7c9c1e-4d8f-4a3b-9e55-0c1f7d2a6b11", "dynamicDataUrl": "ftp://x/y"},
        {"uuid": "not-a-uuid", "dynamicDataUrl": "https://x/y"}]})
    assert len(entries) == 1 and entries[0].dynamic_url is None
    assert entries[0].problem.startswith("dynamicDataUrl is no http(s) URL")


def test_the_static_example():
    document = json.loads(STATIC.read_text())
    entry = spdp.Entry("d8f4e169-b645-40e8-bb53-394d50d46a69", "x", None, None, None, None,
                       None, False)
    row = spdp.facility_row(entry, document, "344")
    assert (row["name"], row["operator"], row["usage"]) == (
        "Buiten Wittevrouwen", "Utrecht", "Vergunning Parkeren")
    assert row["capacity"] is None and row["opening_times"] is None  # not in this example
    assert spdp.tariff_rows(entry.uuid, document) == []


def test_opening_times_and_tariffs():
    static = {"parkingFacilityInformation": {
        "openingTimes": [{"entryTimes": [{"enterFrom": {"h": 0, "m": 0},
                                          "enterUntil": {"h": 24, "m": 0},
                                          "dayNames": list(spdp.DAYS)}]}],
        "tariffs": [{"validityDays": ["Sat", "Sun"], "validityFromTime": {"h": 9},
                     "validityUntilTime": {"h": 24, "m": 0},
                     "intervalRates": [{"charge": 2.5, "chargePeriod": 60},
                                       {"charge": -1, "chargePeriod": 60}]}]}}
    assert spdp.opening_times(static["parkingFacilityInformation"]["openingTimes"]) == "24/7"
    assert spdp.tariff_rows("u", static) == [{
        "uuid": "u", "days": "sa,su", "from_time": "09:00:00", "until_time": "00:00:00",
        "charge_eur": 2.5, "charge_period_min": 60, "duration_from_min": None,
        "duration_until_min": None}]


def _status(**fields):
    base = {"vacantSpaces": 10, "parkingCapacity": 100, "full": False, "open": True,
            "lastUpdated": int(NOW.timestamp()) - 60}
    return {"parkingFacilityDynamicInformation": {"facilityActualStatus": {**base, **fields}}}


def test_a_dynamic_status():
    row = spdp.occupancy_row("u", _status(), NOW)
    assert row == {"uuid": "u", "observed_at": "2026-06-05T11:59:00+00:00",
                   "vacant_spaces": 10, "capacity": 100, "full": False, "open": True}


@pytest.mark.parametrize(("fields", "message"), [
    ({"vacantSpaces": -3}, "vacantSpaces must be a whole number of at least 0"),
    ({"parkingCapacity": 2.5}, "parkingCapacity must be a whole number"),
    ({"vacantSpaces": 101}, "vacantSpaces 101 is more than parkingCapacity 100"),
    ({"full": "nee"}, "full must be true or false"),
    ({"lastUpdated": "gisteren"}, "lastUpdated must be epoch seconds"),
    ({"lastUpdated": int(NOW.timestamp()) * 1000}, "milliseconds"),
    ({"lastUpdated": int(NOW.timestamp()) + 600}, "600 s ahead of our clock (clock skew)"),
])
def test_dynamic_values_that_cannot_be_true(fields, message):
    with pytest.raises(spdp.SpdpError, match=message.replace("(", r"\(").replace(")", r"\)")):
        spdp.occupancy_row("u", _status(**fields), NOW)
