"""The demo's live parking (issue 21 part 5): the SPDP fake serves the demo garages in the
SPDP 2.0 shapes the harvester reads; the demo loader makes an `spdp` source per area and
harvests it; polls follow the fake's clock into `retailarea_parking_now`; retention
deletes what is older than the dataset's P7D and logs it."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers

from ckanext.retailarea.demo import catalog, loader, spdp_fake
from ckanext.retailarea.demo.generate import parking
from ckanext.retailarea.demo.generate.common import local
from ckanext.retailarea.live import poll as live_poll
from ckanext.retailarea.live import retention, spdp, state
from ckanext.retailarea.model.live import SpdpSource

SPDP = Path(__file__).parents[2] / ".." / "shared" / "reference" / "standards" / "spdp-2.0"
REFERENCE_INDEX = SPDP / "index" / "2018-07_oSoc18" / "data_index_1_3_fixed.json"
REFERENCE_STATIC = SPDP / "static" / "TOMP-REF" / "parkingFacilityInformation.json"
LIVE = {"gouda-binnenstad": "parkeren-gouda-centrum-live",
        "arnhem-centrum": "parkeren-arnhem-centrum-live"}


class Clock:
    """The fake's time, moved by the test."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@pytest.fixture
def fake() -> Iterator[spdp_fake.SpdpFake]:
    server = spdp_fake.SpdpFake(clock=Clock(_now())).start()
    yield server
    server.stop()


def _get(fake: spdp_fake.SpdpFake, path: str) -> Any:
    code, document = fake.answer(path)
    assert code == 200, path
    return json.loads(json.dumps(document))  # as the harvester reads it: JSON


# --- the fake's documents ---------------------------------------------------------------

def test_the_index_has_the_demo_garages_in_the_national_shape(fake):
    document = _get(fake, spdp_fake.PREFIX)
    reference = json.loads(REFERENCE_INDEX.read_text())["ParkingFacilities"]
    shape = next(set(e) for e in reference if "geoLocation" in e and "dynamicDataUrl" in e)
    assert all(set(e) == shape for e in document["ParkingFacilities"])
    entries = spdp.index_entries(document)
    assert [e.uuid for e in entries] == [f.uuid for f in parking.FACILITIES]
    assert all(e.dynamic_url and e.static_url and e.problem is None and e.lat
               for e in entries)


def test_static_data_gives_the_rows_of_the_demo_tables(fake):
    reference = set(json.loads(REFERENCE_STATIC.read_text())["parkingFacilityInformation"])
    csv_rows = {r["uuid"]: r for r in parking.parking_facilities()}
    for entry in spdp.index_entries(_get(fake, spdp_fake.PREFIX)):
        document = _get(fake, f"{spdp_fake.PREFIX}static/{entry.uuid}")
        assert reference <= set(document["parkingFacilityInformation"])
        row, expected = spdp.facility_row(entry, document, "x"), csv_rows[entry.uuid]
        for key in ("name", "operator", "usage", "capacity", "charging_points",
                    "disabled_spaces"):
            assert row[key] == expected[key], key
        for key in ("lat", "lon", "min_height_m"):
            assert row[key] == (float(expected[key]) if expected[key] else None), key
        assert (row["opening_times"] == "24/7") == (expected["opening_times"] == "24/7")
        tariffs = spdp.tariff_rows(entry.uuid, document)
        demo = [t for t in parking.parking_tariffs() if t["uuid"] == entry.uuid]
        assert [(t["from_time"], t["until_time"], t["charge_eur"]) for t in tariffs] == [
            (t["from_time"], t["until_time"], float(t["charge_eur"])) for t in demo]


def _vacant(fake: spdp_fake.SpdpFake, uuid: str, moment: dt.datetime) -> dict:
    fake.clock = Clock(moment)
    return spdp.occupancy_row(uuid, _get(fake, f"{spdp_fake.PREFIX}dynamic/{uuid}"), moment)


def test_dynamic_data_follows_the_day_busy_on_saturday_afternoon(fake):
    garage = parking.FACILITIES[2]  # Rijnkade, Arnhem: open day and night
    saturday = _vacant(fake, garage.uuid, local(2026, 12, 5, 14, 0))
    night = _vacant(fake, garage.uuid, local(2026, 12, 8, 3, 30))
    assert saturday["vacant_spaces"] < 0.2 * garage.capacity  # nearly full
    assert night["vacant_spaces"] > 0.8 * garage.capacity  # nearly empty
    assert night["observed_at"] == local(2026, 12, 8, 3, 30).astimezone(dt.UTC).isoformat()
    # the same minute answers the same figures (a second poll adds no row)
    assert _vacant(fake, garage.uuid, local(2026, 12, 5, 14, 0)) == saturday


def test_every_minute_of_a_week_is_valid_dynamic_data(fake):
    start = local(2026, 11, 30)
    for facility in parking.FACILITIES:
        for minute in range(0, 7 * 24 * 60, 7):
            moment = start + dt.timedelta(minutes=minute)
            row = _vacant(fake, facility.uuid, moment)  # SpdpError if not
            assert 0 <= row["vacant_spaces"] <= facility.capacity
            assert row["full"] == (row["vacant_spaces"] == 0)


def test_an_unknown_facility_is_a_404(fake):
    assert fake.answer(f"{spdp_fake.PREFIX}dynamic/nope")[0] == 404


# --- the demo with the fake running -----------------------------------------------------

@pytest.fixture
def demo(fake, clean_db, clean_index, clean_datastore, with_request_context, ckan_config,
         monkeypatch):
    factories.Sysadmin(name="admin")
    monkeypatch.setitem(ckan_config, "ckanext.retailarea.demo.spdp_url", fake.index_url)
    lines: list[str] = []
    counts = loader.load(report=lines.append)
    return counts, lines


def _sources() -> list[SpdpSource]:
    return list(model.Session.query(SpdpSource).order_by(SpdpSource.source_id))


def _poll_all(fake: spdp_fake.SpdpFake, moment: dt.datetime) -> None:
    fake.clock = Clock(moment)
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    for source in _sources():
        cycle = live_poll.poll(source, user)
        assert cycle.errors == {} and cycle.rows == 2, cycle.as_dict()


def _live_now(area: str) -> dict[str, dict]:
    answer = helpers.call_action("retailarea_parking_now", area=area)
    return {f["uuid"]: f for f in answer["facilities"] if f["dataset"] == LIVE[area]}


@contextlib.contextmanager
def _logged(name: str) -> Iterator[list[str]]:
    """The messages of logger ``name`` (which alembic's fileConfig may have disabled)."""
    logger, records = logging.getLogger(name), []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: records.append(record.getMessage())
    saved = logger.level, logger.disabled
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.disabled = False
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.level, logger.disabled = saved


@pytest.mark.usefixtures("with_request_context")
@pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True)
def test_the_demo_shows_live_parking_that_moves_and_keeps_a_week(demo, fake):
    counts, lines = demo
    sources = catalog.spdp_sources(fake.index_url)
    assert all(f"  created   harvest_source {s['name']}" in lines for s in sources), lines
    assert not [line for line in lines if "harvest of" in line]  # no gather errors
    for area, name in LIVE.items():
        dataset = helpers.call_action("package_show", id=name)
        assert dataset["retention_period"] == "P7D"
        assert [g["name"] for g in dataset["groups"]] == [area]

    now = _now()
    _poll_all(fake, now - dt.timedelta(days=8))  # what a poller saw a week ago
    _poll_all(fake, now - dt.timedelta(hours=3))
    before = {area: _live_now(area) for area in LIVE}
    _poll_all(fake, now)

    for area in LIVE:
        after = _live_now(area)
        assert len(after) == 2
        for uuid, facility in after.items():
            expected = spdp_fake.status(next(f for f in parking.FACILITIES if f.uuid == uuid),
                                        now)["parkingFacilityDynamicInformation"]
            assert facility["vacant_spaces"] == expected["facilityActualStatus"][
                "vacantSpaces"]
            observed = dt.datetime.fromisoformat(facility["observed_at"])
            assert now - observed < dt.timedelta(minutes=1) and not facility["stale"]
            assert facility["observed_at"] != before[area][uuid]["observed_at"]
        assert [f["vacant_spaces"] for f in after.values()] != [
            f["vacant_spaces"] for f in before[area].values()]

    with _logged("ckanext.retailarea.live.retention") as messages:
        done = retention.apply()
    assert sorted((e["dataset"], e["deleted"]) for e in done) == sorted(
        (name, 2) for name in LIVE.values())
    assert any("retention P7D of parkeren-arnhem-centrum-live: 2 rows" in m for m in messages)
    for source in _sources():
        rows = helpers.call_action("datastore_search", resource_id=source.occupancy_resource_id,
                                   limit=100)["records"]
        assert len(rows) == 4  # two facilities, the polls of 3 h ago and now


@pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True)
def test_a_second_load_neither_changes_nor_harvests_again(demo):
    counts, _lines = demo
    package_ids = {s.source_id: state.package_of(s.source_id) for s in _sources()}
    modified = {name: helpers.call_action("package_show", id=name)["metadata_modified"]
                for name in LIVE.values()}
    lines: list[str] = []
    again = loader.load(report=lines.append)
    assert set(again) == {"unchanged"}, [line for line in lines if "unchanged" not in line]
    assert again["unchanged"] == counts["created"]
    assert {s.source_id: state.package_of(s.source_id) for s in _sources()} == package_ids
    assert {name: helpers.call_action("package_show", id=name)["metadata_modified"]
            for name in LIVE.values()} == modified
