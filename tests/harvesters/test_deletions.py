"""The deletion guard: a dataset gone from the source is withdrawn only after a complete
gather, and only while the source shrank by at most deletion_guard_ratio."""
from __future__ import annotations

import ckan.model as model
import pytest

from tests.harvesters.conftest import datasets_of
from tests.harvesters.test_bad_sources import Catalog

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context"),
]


@pytest.fixture
def ten(catalog_server, make_source, run_harvest):
    def make(config=None):
        catalog = Catalog(catalog_server, count=10)
        source = make_source("ods", catalog.url, {"page_size": 5, **(config or {})})
        assert run_harvest(source).statuses() == {"added": 10}
        return catalog, source, datasets_of(source)

    return make


def test_a_small_drop_is_withdrawn(ten, run_harvest):
    catalog, source, before = ten()
    catalog.items = catalog.items[:8]  # 20 %: at the default limit

    run = run_harvest(source)

    assert set(datasets_of(source)) == {f"ds-{n}" for n in range(8)}
    assert model.Package.get(before["ds-9"]["id"]).state == "deleted"
    assert run.statuses() == {"not modified": 8, "deleted": 2}
    assert run.gather_errors == []


def test_a_large_drop_withdraws_nothing_and_says_why(ten, run_harvest):
    catalog, source, before = ten()
    catalog.items = catalog.items[:7]  # 30 %

    run = run_harvest(source)

    assert set(datasets_of(source)) == set(before)
    assert run.gather_errors == [
        "3 of 10 datasets (30%) are gone from the source, more than the deletion guard "
        "allows (20%): nothing is withdrawn. If the source really shrank, raise "
        "deletion_guard_ratio in the source configuration for one harvest."]


def test_the_ratio_is_configurable(ten, run_harvest):
    catalog, source, _ = ten({"deletion_guard_ratio": 0.5})
    catalog.items = catalog.items[:5]

    run_harvest(source)

    assert set(datasets_of(source)) == {f"ds-{n}" for n in range(5)}


def test_a_record_turned_non_public_is_withdrawn_at_once(ten, run_harvest):
    catalog, source, before = ten()
    for record in catalog.items[:5]:
        record["metas"]["dcat"] = {"accessRights": "non-public"}

    run = run_harvest(source)

    assert set(datasets_of(source)) == {f"ds-{n}" for n in range(5, 10)}
    assert model.Package.get(before["ds-0"]["id"]).state == "deleted"
    assert run.statuses() == {"not modified": 5, "deleted": 5}


def test_a_changed_record_is_updated_in_place(ten, run_harvest):
    catalog, source, before = ten()
    catalog.items[3]["metas"]["default"]["title"] = "Dataset 3, revised"

    run = run_harvest(source)

    after = datasets_of(source)
    assert after["ds-3"]["title"] == "Dataset 3, revised"
    assert after["ds-3"]["id"] == before["ds-3"]["id"]
    assert after["ds-3"]["name"] == before["ds-3"]["name"]
    assert [r["id"] for r in after["ds-3"]["resources"]] == [
        r["id"] for r in before["ds-3"]["resources"]]
    assert run.statuses() == {"not modified": 9, "updated": 1}


def test_a_changed_source_config_remaps_unchanged_records(ten, run_harvest):
    _, source, _ = ten()
    import json

    import ckan.plugins.toolkit as tk
    tk.get_action("harvest_source_update")(
        {"ignore_auth": True, "user": tk.get_action("get_site_user")(
            {"ignore_auth": True}, {})["name"]},
        {**source, "config": json.dumps({"page_size": 5, "theme_map": {"ECON": "TRAN"}})})

    run = run_harvest(source)

    assert run.statuses() == {"updated": 10}
    assert {d["theme"][0] for d in datasets_of(source).values()} == {"TRAN"}
