"""`ckan retailarea demo load` builds the demo catalog deterministically and idempotently."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers

from ckanext.retailarea.cli import retailarea
from ckanext.retailarea.demo import catalog, loader

DATASETS = catalog.datasets("https://example.org")
TOTAL = len(catalog.ORGANIZATIONS) + len(catalog.RETAIL_AREAS) + len(DATASETS)


def snapshot() -> dict:
    """Everything the demo catalog consists of, as the API shows it."""
    context = {"ignore_auth": True}
    return {
        "organizations": helpers.call_action(
            "organization_list", context, all_fields=True, include_extras=True
        ),
        "groups": [
            helpers.call_action("group_show", context, id=name)
            for name in helpers.call_action("group_list", context, type="retail-area")
        ],
        "datasets": [
            helpers.call_action("package_show", context, id=name)
            for name in helpers.call_action("package_list", context)
        ],
    }


@pytest.fixture
def admin(clean_db, clean_index):
    return factories.Sysadmin(name="admin")


def test_load_creates_the_demo_catalog(admin):
    counts = loader.load(report=lambda line: None)

    assert counts == {"created": len(catalog.ORGANIZATIONS) + 2 + len(DATASETS)}
    orgs = {o["name"]: o["title"] for o in snapshot()["organizations"]}
    assert orgs["gemeente-gouda"] == "Gemeente Gouda"
    assert orgs["gemeente-arnhem"] == "Gemeente Arnhem"
    assert len(orgs) == 4


def test_retail_areas_are_groups_with_codes_and_outlines(admin):
    loader.load(report=lambda line: None)

    gouda = helpers.call_action("group_show", id="gouda-binnenstad")
    arnhem = helpers.call_action("group_show", id="arnhem-centrum")

    assert gouda["type"] == arnhem["type"] == "retail-area"
    assert (gouda["title"], gouda["municipality_code"]) == ("Gouda binnenstad", "GM0513")
    assert (arnhem["title"], arnhem["municipality_code"]) == ("Arnhem centrum", "GM0202")
    outline = json.loads(gouda["geometry"])
    ring = outline["coordinates"][0]
    assert outline["type"] == "Polygon" and ring[0] == ring[-1] and len(ring) >= 4
    lon, lat = ring[0]
    assert 4.6 < lon < 4.8 and 51.9 < lat < 52.1  # Gouda, not somewhere else


def test_demo_datasets_have_types_access_levels_and_areas(admin):
    loader.load(report=lambda line: None)

    public = helpers.call_action("package_search", q="*:*", rows=100)
    everything = helpers.call_action("package_search", {"user": admin["name"]}, q="*:*",
                                     rows=100, include_private=True)

    types = {d["name"]: d["type"] for d in everything["results"]}
    assert set(types.values()) == {"footfall", "parking", "events", "shop-register",
                                   "dataset"}
    levels = {d["name"]: d["access_level"] for d in everything["results"]}
    assert levels["winkelbestand-binnensteden"] == "restricted"
    assert levels["leegstandssignalen-gouda"] == "non_public"
    assert levels["passantentellingen-gouda"] == "public"
    assert "leegstandssignalen-gouda" not in {d["name"] for d in public["results"]}
    assert public["count"] == everything["count"] - 1
    by_area = helpers.call_action("package_search", fq="groups:arnhem-centrum")
    assert {d["name"] for d in by_area["results"]} == {
        "passantentellingen-arnhem", "parkeren-arnhem", "evenementen-binnensteden",
        "winkelbestand-binnensteden", "passantentellingen-arnhem-reeks",
    }
    for dataset in everything["results"]:
        assert dataset["resources"], dataset["name"]
        assert "Synthetic demo data" in dataset["notes"]


@pytest.mark.slow
def test_demo_uploads_are_validated_and_loaded(admin, clean_datastore, run_jobs):
    loader.load(report=lambda line: None)
    run_jobs()

    context = {"user": admin["name"]}
    footfall = helpers.call_action("package_show", context, id="passantentellingen-gouda")
    for resource in footfall["resources"]:
        report = helpers.call_action("retailarea_table_report_show", context,
                                     resource_id=resource["id"])
        assert report["status"] == "loaded", report
    counts = footfall["resources"][1]
    rows = helpers.call_action("datastore_search", resource_id=counts["id"], limit=1)
    assert rows["total"] > 100_000  # six sensors, two directions, a year of hours
    shops = helpers.call_action("package_show", context, id="winkelbestand-binnensteden")
    report = helpers.call_action("retailarea_table_report_show", context,
                                 resource_id=shops["resources"][0]["id"])
    assert (report["status"], report["rows_loaded"]) == ("loaded", 300)


def test_second_load_changes_nothing(admin):
    loader.load(report=lambda line: None)
    first = snapshot()

    counts = loader.load(report=lambda line: None)

    assert counts == {"unchanged": TOTAL}
    assert snapshot() == first


def test_load_repairs_a_changed_dataset(admin):
    loader.load(report=lambda line: None)
    helpers.call_action(
        "package_patch", {"user": admin["name"]}, id="passantentellingen-gouda", title="Vandalised"
    )

    counts = loader.load(report=lambda line: None)

    assert counts == {"unchanged": TOTAL - 1, "updated": 1}
    assert helpers.call_action("package_show", id="passantentellingen-gouda")["title"] == (
        "Passantentellingen Gouda binnenstad"
    )


def test_load_without_the_admin_user_says_how_to_fix_it(clean_db):
    with pytest.raises(tk.ObjectNotFound, match="ckan sysadmin add admin"):
        loader.load(report=lambda line: None)


def test_cli_reports_progress_and_totals(admin, cli):
    result = cli.invoke(retailarea, ["demo", "load"])

    assert result.exit_code == 0, result.output
    assert "created   organization  gemeente-gouda" in result.output
    assert f"Demo catalog: {TOTAL} entities ({TOTAL} created)" in result.output


def test_cli_fails_cleanly_for_a_non_sysadmin(clean_db, cli):
    factories.User(name="visitor")

    result = cli.invoke(retailarea, ["demo", "load", "--user", "visitor"])

    assert result.exit_code == 1
    assert "must be a sysadmin" in result.output
    assert "Traceback" not in result.output
