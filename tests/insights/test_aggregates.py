"""Access holds for aggregates. A restricted dataset whose steward allows public
aggregates gives figures built only from cells of at least ``min_group_size`` units; the
proof that no restricted value can be recovered by differencing two answers is that the
answers do not depend on it at all: changing the values that sit in smaller groups changes
no answer, for any ``as_of`` and either area, while the same change does show to a member."""
from __future__ import annotations

import datetime as dt

import ckan.model as model
import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.retailarea.model.access import AccessLog
from tests import factories
from tests.insights.conftest import AMSTERDAM, add_table, counts, insights, span

JUNE = span(dt.date(2025, 6, 2), 14)
AGGREGATES = {"access_level": "restricted", "permitted_purposes": ["AcademicResearch"],
              "public_aggregates": True, "min_group_size": 3}
QUESTIONS = [{"as_of": day, "area": area}
             for day in ("2025-07-01", "2025-07-15", "2025-08-01", "2026-06-30")
             for area in ("gouda-binnenstad", "gouda-markt")]


def owned(world: dict, factory=factories.Dataset, **fields) -> dict:
    return factory(owner_org=world["org"]["id"], **AGGREGATES, groups=[
        {"name": "gouda-binnenstad"}, {"name": "gouda-markt"}], **fields)


def flat(location: str, hours: range, value: int) -> list[dict]:
    return counts(location, JUNE, hours, lambda d, h: value)


def occupancy(uuid: str, hour: int, vacant: int) -> dict:
    moment = dt.datetime.combine(dt.date(2025, 6, 7), dt.time(hour), AMSTERDAM)
    return {"uuid": uuid, "observed_at": moment.isoformat(), "vacant_spaces": vacant,
            "capacity": 100}


def shop(shop_id: str, code: str) -> dict:
    return {"shop_id": shop_id, "locatus_branch_code": code, "floor_area_m2": 100}


@pytest.fixture
def secrets(world):
    factories.RetailArea(name="gouda-markt")
    footfall = owned(world, factories.Footfall, name="passanten-wifi")
    rows = [row for n, location in enumerate(["L1", "L2", "L3", "L4"])
            for row in flat(location, range(9, 18), 100 + n)]
    rows += flat("L4", range(20, 21), 777)  # L4 alone at 20:00
    counts_id = add_table(footfall, "footfall_counts", rows)
    shops = owned(world, type="shop-register", classification_scheme="locatus", name="winkels")
    shops_id = add_table(shops, "shops", [
        *(shop(f"f{n}", "22.110.110") for n in range(4)),
        *(shop(f"d{n}", "11.100.100") for n in range(3)),
        shop("v1", "00.000.000"), shop("v2", "00.000.000"),
        shop("lonely", "37.100.100")])
    parking = owned(world, type="parking", standard="SPDP 2.0", name="parkeren")
    add_table(parking, "parking_facilities", [
        {"uuid": f"F{n}", "name": f"Garage {n}", "capacity": 100} for n in range(1, 5)])
    occupancy_id = add_table(parking, "parking_occupancy", [
        *(occupancy(f"F{n}", 14, 10 * n) for n in range(1, 4)), occupancy("F4", 22, 95)])
    agenda = owned(world, type="events", language=["nl"], name="agenda")
    add_table(agenda, "events", [{"event_id": "e", "title": "Kaasmarkt",
                                  "start": "2025-06-14T11:00:00+02:00"}])
    return {"counts": counts_id, "shops": shops_id, "occupancy": occupancy_id}


def change_the_secrets(secrets: dict) -> None:
    def upsert(resource_id: str, records: list[dict]) -> None:
        helpers.call_action("datastore_upsert", {"ignore_auth": True}, resource_id=resource_id,
                            force=True, method="upsert", records=records)

    upsert(secrets["counts"], flat("L4", range(20, 21), 1))
    upsert(secrets["shops"], [shop("lonely", "38.100.100")])
    upsert(secrets["occupancy"], [occupancy("F4", 22, 5)])


def test_only_cells_of_enough_units_are_summed(secrets):
    answer = insights()
    [footfall] = answer["footfall"]
    assert footfall["source"]["mode"] == "aggregate" and footfall["min_group_size"] == 3
    assert footfall["visitors_12m"] == (100 + 101 + 102 + 103) * 9 * 14
    assert 20 not in [h["hour"] for h in footfall["hour"]]
    assert footfall["imputed_share_pct"] is None

    [shops] = answer["shops"]
    assert shops["units"] == 10
    assert shops["mix"] == [{"branch_group": "22", "units": 4, "share_pct": 40.0},
                            {"branch_group": "11", "units": 3, "share_pct": 30.0},
                            {"branch_group": "other", "units": 3, "share_pct": 30.0}]
    assert shops["vacancy_rate_pct"] is None

    [parking] = answer["parking"]
    assert (parking["facilities"], parking["capacity"]) == (4, 400)
    assert [(o["hour"], o["mean_pct"]) for o in parking["occupancy"]] == [(14, 80.0)]
    assert parking["tariffs_now"] == []

    [events] = answer["events"]
    assert events["upcoming"] == [] and events["effects"] == []
    assert {s["figure"] for s in events["suppressed"]} == {"events"}


def test_no_answer_depends_on_a_value_in_a_small_group(secrets, world):
    before = [insights(**question) for question in QUESTIONS]
    member_before = insights(world["steward"])
    change_the_secrets(secrets)
    assert [insights(**question) for question in QUESTIONS] == before
    member_after = insights(world["steward"])
    assert member_after["footfall"] != member_before["footfall"]  # the change is real
    assert member_after["shops"] != member_before["shops"]
    assert member_after["parking"] != member_before["parking"]


def test_a_group_under_the_minimum_shows_nothing(world):
    factories.RetailArea(name="gouda-markt")
    footfall = owned(world, factories.Footfall, name="twee-sensoren")
    add_table(footfall, "footfall_counts",
              flat("L1", range(9, 18), 5) + flat("L2", range(9, 18), 6))
    [figures] = insights()["footfall"]
    assert figures["visitors_12m"] is None and figures["hour"] == []
    assert figures["months"] == [] and figures["busiest_hour"] is None


def test_a_grant_holder_reads_everything_and_the_reads_are_logged(secrets, world):
    requester = ckan_factories.User()
    context = {"user": requester["name"], "ignore_auth": False}
    request = helpers.call_action(
        "retailarea_access_request_create", context,
        package_id="passanten-wifi", purpose="AcademicResearch", justification="Study.")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    helpers.call_action("retailarea_access_request_decide",
                        {"user": world["steward"]["name"], "ignore_auth": False},
                        id=request["id"], decision="approve", expires=tomorrow)
    [footfall] = insights(requester)["footfall"]
    assert footfall["source"]["mode"] == "full"
    assert 20 in [h["hour"] for h in footfall["hour"]]
    logged = model.Session.query(AccessLog).filter_by(action="retailarea_area_insights").all()
    assert [(row.resource_id, row.purpose) for row in logged] == [
        (secrets["counts"], "AcademicResearch")]
