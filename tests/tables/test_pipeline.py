"""Uploaded CSVs of typed datasets are validated in a background job on Redis; valid ones
land in the DataStore with typed columns, invalid ones are reported and not loaded."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.retailarea.model import TableReport
from tests import factories

COUNTS = (
    "location_id,interval_start,interval,direction,mode,count,imputed\n"
    "GOU-01,2025-03-30T01:00:00+01:00,PT1H,in,pedestrian,12,false\n"
    "GOU-01,2025-03-30T03:00:00+02:00,PT1H,in,pedestrian,7,true\n"
    "GOU-02,2025-03-30T03:00:00+02:00,PT1H,out,pedestrian,0,false\n"
)
BAD_COUNTS = (
    "location_id,interval_start,interval,direction,mode,count,imputed\n"
    "GOU-01,2025-03-30T01:00:00+01:00,PT1H,in,pedestrian,12,false\n"
    "GOU-01,30-03-2025 03:00,PT1H,in,pedestrian,-7,true\n"
)


@pytest.fixture
def steward(clean_datastore, clean_index):
    user = ckan_factories.User()
    org = ckan_factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    dataset = factories.Footfall(owner_org=org["id"], user=user)
    return {"user": user, "org": org, "dataset": dataset,
            "context": {"user": user["name"]}}


def upload(create_with_upload, steward, content, filename="counts.csv", **extra):
    return create_with_upload(
        content, filename, package_id=steward["dataset"]["id"], format="CSV",
        context=dict(steward["context"]), **extra,
    )


def report_of(steward, resource):
    return helpers.call_action(
        "retailarea_table_report_show", dict(steward["context"]), resource_id=resource["id"]
    )


def test_valid_csv_is_validated_and_loaded_with_types(steward, create_with_upload, run_jobs):
    resource = upload(create_with_upload, steward, COUNTS)
    assert report_of(steward, resource)["status"] == "pending"

    run_jobs()

    report = report_of(steward, resource)
    assert report["status"] == "loaded", report
    assert (report["table_schema"], report["rows_checked"], report["rows_loaded"]) == (
        "footfall_counts", 3, 3)
    rows = helpers.call_action("datastore_search", resource_id=resource["id"], sort="count")
    types = {f["id"]: f["type"] for f in rows["fields"]}
    assert types["count"] == "int4" and types["imputed"] == "bool"
    assert types["interval_start"] == "timestamptz"
    assert [r["count"] for r in rows["records"]] == [0, 7, 12]
    assert rows["records"][1]["imputed"] is True


def test_invalid_csv_is_reported_by_row_and_column_and_not_loaded(
        steward, create_with_upload, run_jobs):
    resource = upload(create_with_upload, steward, BAD_COUNTS)
    run_jobs()

    report = report_of(steward, resource)
    assert report["status"] == "invalid"
    cells = {(e["row"], e["column"]) for e in report["report"]["errors"]}
    assert (3, "interval_start") in cells and (3, "count") in cells
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("datastore_search", resource_id=resource["id"])


def test_missing_column_is_named(steward, create_with_upload, run_jobs):
    content = "\n".join(
        ",".join(line.split(",")[:-1]) for line in COUNTS.strip().split("\n")) + "\n"
    resource = upload(create_with_upload, steward, content)
    run_jobs()

    report = report_of(steward, resource)
    assert report["status"] == "invalid"
    assert any(e["column"] == "imputed" for e in report["report"]["errors"])


def test_unknown_header_is_skipped_with_a_reason(steward, create_with_upload, run_jobs):
    resource = upload(create_with_upload, steward, "a,b\n1,2\n")
    run_jobs()

    report = report_of(steward, resource)
    assert report["status"] == "skipped"
    assert "footfall_counts" in report["message"]


def test_too_big_a_file_is_reported_not_read(steward, create_with_upload, run_jobs,
                                             ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.retailarea.tables.max_mb", 1)
    big = COUNTS + "GOU-03,2025-03-30T03:00:00+02:00,PT1H,in,pedestrian,5,false\n" * 30000
    resource = upload(create_with_upload, steward, big)
    run_jobs()

    report = report_of(steward, resource)
    assert report["status"] == "invalid"
    assert report["rows_loaded"] == 0


def test_a_new_upload_is_validated_again_but_ckans_own_updates_are_not(
        steward, create_with_upload, run_jobs):
    resource = upload(create_with_upload, steward, COUNTS)
    run_jobs()  # loading sets datastore_active, which updates the resource
    assert report_of(steward, resource)["status"] == "loaded"

    run_jobs()
    assert report_of(steward, resource)["status"] == "loaded"

    upload(create_with_upload, steward, BAD_COUNTS, action="resource_update",
           id=resource["id"])
    assert report_of(steward, resource)["status"] == "pending"
    run_jobs()
    assert report_of(steward, resource)["status"] == "invalid"
    with pytest.raises(tk.ObjectNotFound):  # the stale rows are gone too
        helpers.call_action("datastore_search", resource_id=resource["id"])


def test_csv_of_an_untyped_dataset_is_left_alone(steward, create_with_upload):
    dataset = factories.Dataset(owner_org=steward["org"]["id"])
    resource = create_with_upload(COUNTS, "counts.csv", package_id=dataset["id"],
                                  format="CSV", context=dict(steward["context"]))
    assert TableReport.get(resource["id"]) is None


def test_reports_are_for_editors_only(steward, create_with_upload, run_jobs):
    resource = upload(create_with_upload, steward, BAD_COUNTS)
    stranger = ckan_factories.User()
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("retailarea_table_report_show",
                            {"user": stranger["name"], "ignore_auth": False},
                            resource_id=resource["id"])


def test_steward_sees_the_report_on_the_resource_page(steward, create_with_upload,
                                                      run_jobs, app):
    resource = upload(create_with_upload, steward, BAD_COUNTS)
    run_jobs()
    url = f"/dataset/{steward['dataset']['name']}/resource/{resource['id']}"
    user = steward["user"]
    token = helpers.call_action("api_token_create", {"user": user["name"]},
                                user=user["name"], name="t")["token"]

    page = app.get(url, headers={"Authorization": token}).get_data(as_text=True)
    anonymous = app.get(url).get_data(as_text=True)

    assert "Table validation" in page and "Invalid: not loaded" in page
    assert "interval_start" in page
    assert "Table validation" not in anonymous


def test_revalidate_action_requeues(steward, create_with_upload, run_jobs):
    resource = upload(create_with_upload, steward, COUNTS)
    run_jobs()
    report = helpers.call_action("retailarea_table_validate", dict(steward["context"]),
                                 resource_id=resource["id"])
    assert report["status"] == "pending"
    run_jobs()
    assert report_of(steward, resource)["status"] == "loaded"
