"""The app API (issue 21 part 3): where to park now, what is on, what is open, in plain
JSON, schema.org JSON-LD (checked against the schema.org 30.0 vocabulary) and, for
parking, Smart Data Models OffStreetParking key-values (checked against its JSON Schema);
restricted data only for those who may read it."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from tests.insights.conftest import AMSTERDAM, add_table, dataset, world  # noqa: F401
from tests.live.standards import schema_org_problems, smart_data_models_validator

GARAGE = "2b7c9c1e-4d8f-4a3b-9e55-0c1f7d2a6b11"
TERRAIN = "3c8d0d2f-5e9a-4b4c-8f66-1d2a8e3b7c22"
SECRET = "4d9e1e3a-6f0b-4c5d-9a77-2e3b9f4c8d33"
OFFSTREET = "dataModel.Parking/OffStreetParking"


def _now() -> dt.datetime:
    return dt.datetime.now(AMSTERDAM).replace(microsecond=0)


@pytest.fixture
def area(world):  # noqa: F811 - the fixture imported above
    parking = dataset(world, type="parking", standard="SPDP 2.0", name="parkeren")
    add_table(parking, "parking_facilities", [
        {"uuid": GARAGE, "name": "Garage Klooster", "operator": "Parkeerbedrijf",
         "capacity": 450, "lat": 52.0105, "lon": 4.7102, "min_height_m": 2.1,
         "opening_times": "24/7"},
        {"uuid": TERRAIN, "name": "Terrein Vest", "capacity": 80, "lat": 52.0190,
         "lon": 4.7190}])
    add_table(parking, "parking_occupancy", [
        {"uuid": GARAGE, "observed_at": (_now() - dt.timedelta(hours=3)).isoformat(),
         "vacant_spaces": 10, "capacity": 450, "full": False, "open": True},
        {"uuid": GARAGE, "observed_at": (_now() - dt.timedelta(minutes=4)).isoformat(),
         "vacant_spaces": 137, "capacity": 450, "full": False, "open": True},
        {"uuid": TERRAIN, "observed_at": (_now() - dt.timedelta(hours=2)).isoformat(),
         "vacant_spaces": 0, "capacity": 80, "full": True, "open": True}])
    add_table(parking, "parking_tariffs", [
        {"uuid": GARAGE, "days": "mo,tu,we,th,fr,sa,su", "from_time": "00:00:00",
         "until_time": "00:00:00", "charge_eur": 0.7, "charge_period_min": 20}])
    secret = dataset(world, type="parking", standard="SPDP 2.0", name="parkeren-geheim",
                     access_level="restricted", permitted_purposes=["ServiceProvision"])
    add_table(secret, "parking_facilities", [{"uuid": SECRET, "name": "Garage Geheim",
                                              "capacity": 9, "lat": 52.01, "lon": 4.71}])
    agenda = dataset(world, type="events", language=["nl"], name="agenda")
    add_table(agenda, "events", [
        {"event_id": "kaas", "title": "Goudse Kaasmarkt", "category": "cheese_market",
         "start": "2026-04-02T10:00:00+02:00", "end": "2026-04-02T12:30:00+02:00",
         "rrule": "FREQ=WEEKLY;BYDAY=TH;UNTIL=20260827T080000Z", "event_status": "scheduled",
         "venue_name": "Markt bij de Waag", "address": "Markt 35, 2801 JJ Gouda",
         "lat": 52.0121, "lon": 4.7103, "price_from_eur": 0, "is_free": True,
         "organizer": "Gemeente Gouda", "lang": "nl", "url": "https://example.org/kaas"},
        {"event_id": "jazz", "title": "Jazz op de Markt", "category": "music",
         "start": "2026-06-13T14:00:00+02:00", "end": "2026-06-13T23:00:00+02:00",
         "event_status": "cancelled", "venue_name": "Markt", "price_from_eur": 12.5,
         "is_free": False, "booking_url": "https://example.org/tickets/jazz"},
        {"event_id": "winter", "title": "Winterfeest", "start": "2026-12-19T12:00:00+01:00",
         "end": "2026-12-19T20:00:00+01:00"}])
    shops = dataset(world, type="shop-register", classification_scheme="locatus",
                    name="winkels")
    add_table(shops, "shops", [
        {"shop_id": "m1", "name": "Modehuis", "locatus_branch_code": "22.110.110",
         "street": "Markt", "house_number": "2", "postcode": "2801 JG", "city": "Gouda",
         "lat": 52.0113, "lon": 4.7094,
         "opening_hours": "Mo 13:00-18:00; Tu-Sa 10:00-18:00; Th 10:00-21:00"},
        {"shop_id": "b1", "name": "Bakker", "locatus_branch_code": "11.100.100",
         "opening_hours": "Mo-Sa 07:00-18:00"},
        {"shop_id": "v1", "name": "Leeg", "locatus_branch_code": "00.000.000",
         "opening_hours": "Mo-Su 00:00-24:00"},
        {"shop_id": "x1", "name": "Raadsel", "locatus_branch_code": "22.100.100",
         "opening_hours": "soms wel"},
        {"shop_id": "old", "name": "Gesloten zaak", "locatus_branch_code": "22.110.110",
         "opening_hours": "Mo-Su 00:00-24:00", "valid_to": "2020-01-01"}])
    return world


def call(action: str, user: dict | None = None, **params):
    return helpers.call_action(action, {"user": user["name"] if user else "",
                                        "ignore_auth": False},
                               area="gouda-binnenstad", **params)


def test_parking_now_plain(area):
    answer = call("retailarea_parking_now")
    by_uuid = {f["uuid"]: f for f in answer["facilities"]}
    assert set(by_uuid) == {GARAGE, TERRAIN}  # not the restricted one
    garage = by_uuid[GARAGE]
    assert (garage["vacant_spaces"], garage["capacity"], garage["stale"]) == (137, 450, False)
    assert garage["tariff_now"] == {"charge_eur": 0.7, "charge_period_min": 20}
    assert garage["opening"] == {"state": "open", "next_change": None}
    assert dt.datetime.fromisoformat(garage["observed_at"]).utcoffset() == \
        _now().utcoffset()  # Europe/Amsterdam
    terrain = by_uuid[TERRAIN]
    assert terrain["full"] is True and terrain["stale"] is True  # two hours old
    assert terrain["opening"] == {"state": "unknown", "next_change": None}
    assert [(e["dataset"], e["reason"]) for e in answer["excluded"]] == [
        ("parkeren-geheim", "restricted")]


def test_parking_now_near_a_point_nearest_first(area):
    near = call("retailarea_parking_now", lat=52.0106, lon=4.7103, radius=300)
    assert [f["uuid"] for f in near["facilities"]] == [GARAGE]
    assert near["facilities"][0]["distance_m"] < 20
    both = call("retailarea_parking_now", lat=52.0106, lon=4.7103, radius=5000)
    assert [f["uuid"] for f in both["facilities"]] == [GARAGE, TERRAIN]


def test_a_facility_in_two_datasets_is_listed_once_with_its_newest_figures(area):
    """An area with an uploaded parking table and an SPDP source for the same garages (as
    the demo has): one entry per facility, from the dataset that saw it last."""
    live = dataset(area, type="parking", standard="SPDP 2.0", name="parkeren-live")
    add_table(live, "parking_facilities", [
        {"uuid": GARAGE, "name": "Garage Klooster", "capacity": 450, "lat": 52.0105,
         "lon": 4.7102}])
    add_table(live, "parking_occupancy", [
        {"uuid": GARAGE, "observed_at": (_now() - dt.timedelta(minutes=1)).isoformat(),
         "vacant_spaces": 99, "capacity": 450, "full": False, "open": True}])
    answer = call("retailarea_parking_now")
    assert sorted((f["uuid"], f["dataset"], f["vacant_spaces"])
                  for f in answer["facilities"]) == sorted([
        (GARAGE, "parkeren-live", 99), (TERRAIN, "parkeren", 0)])


def test_restricted_facilities_for_a_member(area):
    member = ckan_factories.User()
    helpers.call_action("member_create", {"ignore_auth": True}, id=area["org"]["id"],
                        object=member["name"], object_type="user", capacity="member")
    answer = call("retailarea_parking_now", member)
    assert SECRET in {f["uuid"] for f in answer["facilities"]}


def test_parking_now_as_schema_org_json_ld(app, area):
    response = app.get("/api/retailarea/parking-now?area=gouda-binnenstad",
                       headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.body)
    assert schema_org_problems(document) == []
    garage = next(n for n in document["@graph"] if n["identifier"] == GARAGE)
    assert garage["@type"] == "ParkingFacility" and garage["maximumAttendeeCapacity"] == 450
    assert {"@type": "PropertyValue", "propertyID": "vacantSpaces", "value": 137} in \
        garage["additionalProperty"]
    plain = json.loads(app.get("/api/retailarea/parking-now?area=gouda-binnenstad").body)
    assert "facilities" in plain  # plain JSON without CKAN's envelope


def test_parking_now_as_smart_data_models_off_street_parking(app, area):
    response = app.get("/api/retailarea/parking-now",
                       query_string={"area": "gouda-binnenstad", "shape": "smart-data-models"})
    entities = json.loads(response.body)
    validator = smart_data_models_validator(OFFSTREET)
    for entity in entities:
        assert list(validator.iter_errors(entity)) == [], entity
    garage = next(e for e in entities if e["id"].endswith(GARAGE))
    assert garage["type"] == "OffStreetParking"
    assert (garage["totalSpotNumber"], garage["availableSpotNumber"]) == (450, 137)
    assert garage["occupiedSpotNumber"] == 313 and garage["status"] == ["spacesAvailable"]
    assert garage["priceRatePerMinute"] == 0.035
    terrain = next(e for e in entities if e["id"].endswith(TERRAIN))
    assert terrain["status"] == ["full"]


def test_the_validators_see_what_is_wrong():
    """The checks are not vacuous: a property out of its domain, an unknown type, a
    value of the wrong kind and a missing required attribute are each found."""
    bad = {"@context": "https://schema.org", "@graph": [
        {"@type": "ParkingFacility", "startDate": "2026-01-01"},
        {"@type": "Parkhaus", "name": "x"},
        {"@type": "Event", "startDate": "tomorrow", "eventStatus": "https://schema.org/Monday"}]}
    problems = " ".join(schema_org_problems(bad))
    assert "not a property of ParkingFacility" in problems
    assert "unknown type 'Parkhaus'" in problems
    assert "'tomorrow' is not in the format" in problems and "Monday is not a member" in problems
    errors = list(smart_data_models_validator(OFFSTREET).iter_errors(
        {"id": "urn:ngsi-ld:OffStreetParking:x", "type": "OffStreetParking",
         "totalSpotNumber": "many"}))
    assert {e.validator for e in errors} >= {"required", "type"}


def test_events_between_expands_series_in_local_time(area):
    answer = call("retailarea_events_between", start="2026-06-01T00:00:00",
                  end="2026-06-30T00:00:00")
    cheese = [e for e in answer["events"] if e["event_id"] == "kaas"]
    assert [e["start"] for e in cheese] == [f"2026-06-{d:02d}T10:00:00+02:00"
                                            for d in (4, 11, 18, 25)]
    assert cheese[0]["end"] == "2026-06-04T12:30:00+02:00"
    jazz = next(e for e in answer["events"] if e["event_id"] == "jazz")
    assert jazz["status"] == "cancelled" and jazz["price_from_eur"] == 12.5
    winter = call("retailarea_events_between", start="2026-12-01",
                  end="2026-12-31T00:00:00")
    assert [e["start"] for e in winter["events"]] == ["2026-12-19T12:00:00+01:00"]


def test_events_as_schema_org_json_ld(app, area):
    response = app.get("/api/retailarea/events", headers={"Accept": "application/ld+json"},
                       query_string={"area": "gouda-binnenstad",
                                     "start": "2026-06-01T00:00:00+02:00",
                                     "end": "2026-06-15T00:00:00+02:00"})
    document = json.loads(response.body)
    assert schema_org_problems(document) == []
    jazz = next(n for n in document["@graph"] if n["identifier"] == "jazz")
    assert jazz["eventStatus"] == "https://schema.org/EventCancelled"
    assert jazz["offers"] == {"@type": "Offer", "price": 12.5, "priceCurrency": "EUR",
                              "url": "https://example.org/tickets/jazz"}
    cheese = next(n for n in document["@graph"] if n["identifier"] == "kaas")
    assert cheese["location"]["@type"] == "Place" and cheese["isAccessibleForFree"] is True


def test_open_at_from_opening_hours(area):
    thursday_evening = "2026-06-11T19:30:00"
    answer = call("retailarea_open_at", time=thursday_evening)
    assert [s["shop_id"] for s in answer["shops"]] == ["m1"]  # koopavond; not the vacant
    assert answer["shops"][0]["next_change"] == "2026-06-11T21:00:00+02:00"
    assert answer["unknown_hours"] == 1  # "soms wel" reads as nothing
    morning = call("retailarea_open_at", time="2026-06-11T08:00:00+02:00")
    assert [s["shop_id"] for s in morning["shops"]] == ["b1"]
    fashion = call("retailarea_open_at", time="2026-06-11T11:00:00", branch_group="22")
    assert [s["shop_id"] for s in fashion["shops"]] == ["m1"]


def test_open_at_as_schema_org_stores(app, area):
    response = app.get("/api/retailarea/open-at", headers={"Accept": "application/ld+json"},
                       query_string={"area": "gouda-binnenstad",
                                     "time": "2026-06-08T14:00:00+02:00"})  # a Monday
    document = json.loads(response.body)
    assert schema_org_problems(document) == []
    store = next(n for n in document["@graph"] if n["identifier"] == "m1")
    assert store["@type"] == "Store"
    specification = store["openingHoursSpecification"]
    assert specification[0] == {"@type": "OpeningHoursSpecification",
                                "dayOfWeek": "https://schema.org/Monday",
                                "opens": "13:00:00", "closes": "18:00:00"}
    assert {"@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/Thursday",
            "opens": "10:00:00", "closes": "21:00:00"} in specification


@pytest.mark.parametrize(("path", "params", "field"), [
    ("parking-now", {}, "area"),
    ("parking-now", {"area": "nergens"}, "area"),
    ("parking-now", {"area": "gouda-binnenstad", "lat": "52.01"}, "lon"),
    ("parking-now", {"area": "gouda-binnenstad", "lat": "91", "lon": "4"}, "lat"),
    ("parking-now", {"area": "gouda-binnenstad", "radius": "100"}, "radius"),
    ("parking-now", {"area": "gouda-binnenstad", "shape": "xml"}, "shape"),
    ("events", {"area": "gouda-binnenstad", "start": "gisteren", "end": "2026-01-01"},
     "start"),
    ("events", {"area": "gouda-binnenstad", "start": "2026-02-01", "end": "2026-01-01"},
     "end"),
    ("events", {"area": "gouda-binnenstad", "start": "2020-01-01", "end": "2026-01-01"},
     "end"),
    ("open-at", {"area": "gouda-binnenstad", "branch_group": "mode"}, "branch_group"),
    ("open-at", {"area": "gouda-binnenstad", "time": "25:00"}, "time"),
])
def test_bad_input_is_a_400_naming_the_field(app, area, path, params, field):
    response = app.get(f"/api/retailarea/{path}", query_string=params)
    assert response.status_code == 400
    assert field in json.loads(response.body)["error"]


def _embedded(page: str) -> list[dict]:
    import re

    return [json.loads(block) for block in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page, re.S)]


def test_public_event_and_shop_pages_embed_their_rows(app, area):
    events = _embedded(app.get("/events/agenda").get_data(as_text=True))
    assert len(events) == 1 and schema_org_problems(events[0]) == []
    assert [n["name"] for n in events[0]["@graph"]] == ["Winterfeest"]  # the year ahead
    shops = _embedded(app.get("/shop-register/winkels").get_data(as_text=True))
    assert schema_org_problems(shops[0]) == []
    assert {n["identifier"] for n in shops[0]["@graph"]} == {"m1", "b1", "x1"}
    assert _embedded(app.get("/parking/parkeren").get_data(as_text=True)) == []


def test_restricted_rows_are_never_embedded(app, area):
    secret = dataset(area, type="events", language=["nl"], name="agenda-geheim",
                     access_level="restricted", permitted_purposes=["ServiceProvision"])
    add_table(secret, "events", [{"event_id": "s", "title": "Besloten borrel",
                                  "start": "2026-12-20T18:00:00+01:00"}])
    sysadmin = ckan_factories.SysadminWithToken()
    page = app.get("/events/agenda-geheim", headers={"Authorization": sysadmin["token"]})
    assert "Besloten borrel" not in page.get_data(as_text=True)
    assert _embedded(page.get_data(as_text=True)) == []


def test_a_parking_page_shows_its_facilities_now(app, area):
    page = app.get("/parking/parkeren").get_data(as_text=True)
    assert "Parking now" in page
    now = page[page.index("Parking now"):]
    assert "Garage Klooster" in now and ">137<" in now and "Full" in now  # Terrein Vest
    assert "stale" in now  # the terrain's last observation is two hours old
    assert "/api/retailarea/parking-now?area=gouda-binnenstad" in now


def test_a_restricted_parking_page_shows_no_figures_without_access(app, area):
    page = app.get("/parking/parkeren-geheim").get_data(as_text=True)
    assert "Garage Geheim" not in page and "Parking now" not in page
