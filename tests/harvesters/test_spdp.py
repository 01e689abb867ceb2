"""The `spdp` source type against a local SPDP 2.0 server: the index and static data make
the area's parking dataset and tables; the poller fills the occupancy table with
datastore_upsert, records each facility's outcome and marks a silent facility stale."""
from __future__ import annotations

import datetime as dt
import json

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa

from ckanext.retailarea.footfall.sql import identifier
from ckanext.retailarea.live import poll as live_poll
from ckanext.retailarea.live import state
from ckanext.retailarea.model.live import SpdpFacility, SpdpSource
from tests import factories
from tests.harvesters.server import Reply, json_reply

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context", "clean_datastore"),
]
GARAGE = "2b7c9c1e-4d8f-4a3b-9e55-0c1f7d2a6b11"  # answers well
OVERFULL = "3c8d0d2f-5e9a-4b4c-8f66-1d2a8e3b7c22"  # more vacant spaces than capacity
SILENT = "4d9e1e3a-6f0b-4c5d-9a77-2e3b9f4c8d33"  # its server fails (misspelled key)
NO_DYNAMIC = "5eaf2f4b-7a1c-4d6e-8b88-3f4cab5d9e44"  # static only
ELSEWHERE = "6fb03a5c-8b2d-4e7f-9c99-4a5dbc6eaf55"  # outside the area
INSIDE = {"latitude": 52.01, "longitude": 4.71, "coordinatesType": "WGS84"}


def _now() -> int:
    return int(dt.datetime.now(dt.UTC).timestamp())


def _status(vacant: int, capacity: int, updated: int | None = None) -> dict:
    return {"parkingFacilityDynamicInformation": {"name": "x", "facilityActualStatus": {
        "vacantSpaces": vacant, "parkingCapacity": capacity, "full": vacant == 0,
        "open": True, "lastUpdated": updated if updated is not None else _now()}}}


def _static(uuid: str, name: str) -> dict:
    return {"parkingFacilityInformation": {
        "identifier": uuid, "name": name, "operator": {"name": "Parkeerbedrijf Gouda"},
        "specifications": [{"capacity": 450, "chargingPointCapacity": 12,
                            "disabledAccess": 8, "minimumHeightInMeters": 2.1,
                            "usage": "Garageparkeren"}],
        "accessPoints": [{"accessPointLocation": [{"latitude": 52.0105,
                                                  "longitude": 4.7102}]}],
        "openingTimes": [{"entryTimes": [{"enterFrom": {"h": 7, "m": 0},
                                          "enterUntil": {"h": 24, "m": 0},
                                          "dayNames": ["Mon", "Tue", "Wed", "Thu", "Fri",
                                                       "Sat"]}]}],
        "tariffs": [{"validityDays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
                     "validityFromTime": {"h": 8, "m": 0},
                     "validityUntilTime": {"h": 18, "m": 0},
                     "intervalRates": [{"charge": 0.7, "chargePeriod": 20,
                                        "durationFrom": 0, "durationUntil": 1440}]}],
    }}


@pytest.fixture
def spdp_server(catalog_server):
    """An index of five facilities, their static data and dynamic answers (mutable)."""
    dynamic = {GARAGE: json_reply(_status(137, 450)),
               OVERFULL: json_reply(_status(600, 450)),
               SILENT: Reply(b"oops", 500, "text/plain")}
    for uuid in list(dynamic):
        catalog_server.route(f"/dynamic/{uuid}", lambda _q, u=uuid: dynamic[u])
    index = {"ParkingFacilities": [
        _entry(catalog_server, GARAGE, "Garage Klooster", geo=INSIDE),
        _entry(catalog_server, OVERFULL, "Garage Bolwerk", geo=INSIDE),
        _entry(catalog_server, SILENT, "Garage Centrum", geo=INSIDE, key="dynamicDataURL"),
        _entry(catalog_server, NO_DYNAMIC, "Terrein Vest", geo=INSIDE, dynamic=False),
        _entry(catalog_server, ELSEWHERE, "P+R Elders",
               geo={"latitude": 52.3, "longitude": 4.9}),
    ]}
    catalog_server.route("/parkingdata/v2/", lambda _q: json_reply(index))
    catalog_server.index, catalog_server.dynamic = index, dynamic
    return catalog_server


def _entry(server, uuid, name, geo, dynamic=True, key="dynamicDataUrl"):
    server.route(f"/static/{uuid}", json_reply(_static(uuid, name)))
    entry = {"name": name, "uuid": uuid, "staticDataUrl": server.url(f"/static/{uuid}"),
             "limitedAccess": False, "geoLocation": geo}
    if dynamic:
        entry[key] = server.url(f"/dynamic/{uuid}")
    return entry


@pytest.fixture
def harvested(spdp_server, make_source, run_harvest):
    factories.RetailArea(name="gouda-binnenstad")
    source = make_source("spdp", spdp_server.url("/parkingdata/v2/"),
                         {"retail_area": "gouda-binnenstad", "poll_minutes": 5})
    run = run_harvest(source)
    return source, run


def _site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def _rows(resource_id: str) -> list[dict]:
    return tk.get_action("datastore_search")({"ignore_auth": True}, {
        "resource_id": resource_id, "limit": 100, "sort": "uuid"})["records"]


def _tables(package_id: str) -> dict[str, str]:
    package = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    return {r["table_schema"]: r["id"] for r in package["resources"]}


def test_harvest_makes_the_areas_parking_dataset(harvested):
    source, run = harvested
    package_id = state.package_of(source["id"])
    package = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    assert package["type"] == "parking" and package["standard"] == "SPDP 2.0"
    assert [g["name"] for g in package["groups"]] == ["gouda-binnenstad"]
    assert package["retention_period"] == "P7D" and "navigation" in package["usage_conditions"]
    tables = _tables(package_id)
    assert set(tables) == {"parking_facilities", "parking_tariffs", "parking_occupancy"}
    facilities = {r["uuid"]: r for r in _rows(tables["parking_facilities"])}
    assert set(facilities) == {GARAGE, OVERFULL, SILENT, NO_DYNAMIC}  # not the one elsewhere
    garage = facilities[GARAGE]
    assert (garage["capacity"], garage["charging_points"], garage["operator"]) == (
        450, 12, "Parkeerbedrijf Gouda")
    assert garage["opening_times"] == "Mo,Tu,We,Th,Fr,Sa 07:00-24:00"
    assert float(garage["lat"]) == pytest.approx(52.0105)
    tariffs = _rows(tables["parking_tariffs"])
    assert len(tariffs) == 4 and float(tariffs[0]["charge_eur"]) == 0.7
    assert tariffs[0]["days"] == "mo,tu,we,th,fr,sa"
    assert run.gather_errors == []
    no_dynamic = model.Session.get(SpdpFacility, (source["id"], NO_DYNAMIC))
    assert no_dynamic.last_error == "no dynamicDataUrl in the index"


def test_poll_upserts_occupancy_and_records_each_facility(harvested):
    source, _run = harvested
    user = _site_user()
    cycles = live_poll.poll_due(user)
    assert len(cycles) == 1 and cycles[0].rows == 1
    errors = cycles[0].errors
    assert set(errors) == {OVERFULL, SILENT}
    assert "vacantSpaces 600 is more than parkingCapacity 450" in errors[OVERFULL]
    assert "HTTP 500" in errors[SILENT]
    occupancy = _tables(state.package_of(source["id"]))["parking_occupancy"]
    rows = _rows(occupancy)
    assert [(r["uuid"], r["vacant_spaces"], r["capacity"]) for r in rows] == [
        (GARAGE, 137, 450)]
    # not due again within its interval; forced, the same observation stays one row
    assert live_poll.poll_due(user) == []
    live_poll.poll(model.Session.get(SpdpSource, source["id"]), user)
    assert len(_rows(occupancy)) == 1
    silent = model.Session.get(SpdpFacility, (source["id"], SILENT))
    assert silent.stale and silent.failures == 2 and silent.last_success is None
    garage = model.Session.get(SpdpFacility, (source["id"], GARAGE))
    assert not garage.stale and garage.last_error is None


def test_a_facility_without_new_observations_goes_stale_and_stays(harvested, spdp_server):
    source, _run = harvested
    user = _site_user()
    spdp_server.dynamic[GARAGE] = json_reply(_status(90, 450, _now() - 20 * 60))
    live_poll.poll(model.Session.get(SpdpSource, source["id"]), user)
    garage = model.Session.get(SpdpFacility, (source["id"], GARAGE))
    assert garage.stale and garage.last_error is None  # answers, but nothing new for 20 min
    occupancy = _tables(state.package_of(source["id"]))["parking_occupancy"]
    assert [r["vacant_spaces"] for r in _rows(occupancy)] == [90]  # kept, not deleted


@pytest.mark.parametrize(("document", "message"), [
    (_status(-1, 450), "vacantSpaces must be a whole number of at least 0"),
    (_status(10, 450, _now() + 3600), "ahead of our clock (clock skew)"),
    (_status(10, 450, _now() * 1000), "not epoch seconds (milliseconds?)"),
    ({"parkingFacilityDynamicInformation": {}}, "no parkingFacilityDynamicInformation"),
])
def test_bad_dynamic_data_is_an_error_of_that_facility(harvested, spdp_server, document,
                                                        message):
    source, _run = harvested
    spdp_server.dynamic[GARAGE] = json_reply(document)
    cycle = live_poll.poll(model.Session.get(SpdpSource, source["id"]), _site_user())
    assert message in cycle.errors[GARAGE]
    assert cycle.rows == 0


def test_dynamic_data_that_is_not_json(harvested, spdp_server):
    source, _run = harvested
    spdp_server.dynamic[GARAGE] = Reply(b"<html>", 200, "text/html")
    cycle = live_poll.poll(model.Session.get(SpdpSource, source["id"]), _site_user())
    assert "not JSON" in cycle.errors[GARAGE]


def test_a_cycle_running_elsewhere_is_not_run_twice(harvested):
    source, _run = harvested
    key = sa.func.hashtext(source["id"])
    with model.meta.engine.connect() as other:
        other.execute(sa.select(sa.func.pg_advisory_lock(live_poll.LOCK_SPACE, key)))
        cycle = live_poll.poll(model.Session.get(SpdpSource, source["id"]), _site_user())
        other.execute(sa.select(sa.func.pg_advisory_unlock(live_poll.LOCK_SPACE, key)))
    assert cycle.skipped and cycle.rows == 0


def test_an_index_that_is_not_json_changes_nothing(harvested, spdp_server, run_harvest):
    source, _run = harvested
    package_id = state.package_of(source["id"])
    spdp_server.route("/parkingdata/v2/", Reply(b'{"ParkingFacilities": [{"name": "x', 200))
    run = run_harvest(source)
    assert any("is not JSON" in e for e in run.gather_errors)
    assert len(_rows(_tables(package_id)["parking_facilities"])) == 4


def test_a_facility_that_left_the_index_is_kept_and_marked(harvested, spdp_server,
                                                           run_harvest):
    source, _run = harvested
    spdp_server.index["ParkingFacilities"] = spdp_server.index["ParkingFacilities"][1:]
    run_harvest(source)
    garage = model.Session.get(SpdpFacility, (source["id"], GARAGE))
    assert garage is not None and not garage.in_index
    tables = _tables(state.package_of(source["id"]))
    assert GARAGE in {r["uuid"] for r in _rows(tables["parking_facilities"])}


@pytest.mark.parametrize(("config", "message"), [
    ({}, "retail_area: required"),
    ({"retail_area": "gouda-binnenstad", "poll_minutes": 0}, "poll_minutes: must be"),
    ({"retail_area": "gouda-binnenstad", "facilities": ["x"]}, "facilities: not facility"),
    ({"retail_area": "gouda-binnenstad", "poll_minutes": "5"}, "poll_minutes: must be a int"),
])
def test_bad_source_config_is_refused_with_the_field(clean_db, config, message):
    factories.RetailArea(name="gouda-binnenstad")
    with pytest.raises(tk.ValidationError) as error:
        tk.get_action("harvest_source_create")(
            {"user": _site_user(), "ignore_auth": True},
            {"name": "src-spdp", "url": "http://127.0.0.1:9/parkingdata/v2/",
             "source_type": "spdp", "config": json.dumps(config)})
    assert message in json.dumps(error.value.error_dict)


def test_a_cycle_of_50_facilities_and_parking_now(catalog_server, make_source, run_harvest,
                                                  capsys):
    """The figures of the issue: one poll cycle of 50 facilities against a local server,
    and retailarea_parking_now over them with a week of 5-minute observations each."""
    import statistics
    import time
    import uuid as uuids

    factories.RetailArea(name="gouda-binnenstad")
    ids = [str(uuids.uuid5(uuids.NAMESPACE_URL, f"garage-{n}")) for n in range(50)]
    for uuid in ids:
        catalog_server.route(f"/dynamic/{uuid}", lambda _q: json_reply(_status(100, 450)))
    index = {"ParkingFacilities": [_entry(catalog_server, u, f"Garage {n}", geo=INSIDE)
                                   for n, u in enumerate(ids)]}
    catalog_server.route("/parkingdata/v2/", json_reply(index))
    source = make_source("spdp", catalog_server.url("/parkingdata/v2/"),
                         {"retail_area": "gouda-binnenstad"})
    run_harvest(source)
    user = _site_user()
    spdp_source = model.Session.get(SpdpSource, source["id"])
    rows = _fill_week(spdp_source.occupancy_resource_id, ids)
    started = time.perf_counter()
    cycle = live_poll.poll(spdp_source, user)
    cycle_seconds = time.perf_counter() - started
    assert cycle.rows == 50 and not cycle.errors
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        answer = tk.get_action("retailarea_parking_now")(
            {"user": "", "ignore_auth": False}, {"area": "gouda-binnenstad"})
        timings.append(time.perf_counter() - started)
    assert len(answer["facilities"]) == 50
    assert all(f["vacant_spaces"] == 100 and not f["stale"] for f in answer["facilities"])
    with capsys.disabled():
        print(f"\npoll cycle, 50 facilities: {cycle_seconds * 1000:.0f} ms; parking_now over "
              f"{rows} occupancy rows: median "
              f"{statistics.median(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms")
    assert cycle_seconds < 60


def _fill_week(resource_id: str, ids: list[str]) -> int:
    """A week of 5-minute observations per facility, written in one statement."""
    import ckanext.datastore.backend.postgres as datastore_db

    with datastore_db.get_write_engine().begin() as connection:
        return connection.execute(sa.text(
            f"INSERT INTO {identifier(resource_id)} (uuid, observed_at, vacant_spaces, capacity) "  # noqa: S608 - a quoted identifier; values are bound
            "SELECT u, now() - n * interval '5 minutes', 50, 450 "
            "FROM unnest(CAST(:ids AS text[])) AS u, generate_series(1, 7 * 288 - 1) AS n"),
            {"ids": ids}).rowcount
