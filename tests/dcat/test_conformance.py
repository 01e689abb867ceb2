"""The dataset page shows its DCAT conformance, checked in a job after each save."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.retailarea.dcat import conformance
from ckanext.retailarea.model.dcat import DatasetConformance
from tests import factories


@pytest.fixture
def owner(clean_db):
    user = ckan_factories.User(name="steward")
    org = ckan_factories.Organization(users=[{"name": "steward", "capacity": "editor"}])
    return {"user": user, "org": org}


def page(app, name, user=None):
    headers = {"Authorization": user["token"]} if user else {}
    response = app.get(f"/dataset/{name}", headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_saved_dataset_is_checked_in_a_job_and_conforms(app, owner, run_jobs):
    factories.Dataset(name="tellingen", owner_org=owner["org"]["id"])
    assert 'data-conformance="pending"' in page(app, "tellingen")
    run_jobs()
    row = model.Session.get(DatasetConformance, model.Package.get("tellingen").id)
    assert row.conforms and row.violations == 0
    html = page(app, "tellingen")
    assert 'data-conformance="conforms"' in html and "Conforms" in html


def test_problems_are_counted_and_listed_for_editors_only(app, owner, run_jobs):
    dataset = factories.Dataset(name="tellingen", owner_org=owner["org"]["id"])
    run_jobs()
    # a code stored outside its vocabulary (e.g. written to the database directly)
    package = model.Package.get(dataset["id"])
    package.extras = {**package.extras, "frequency": "EVERY_BLUE_MOON"}
    model.Session.commit()
    conformance.run(dataset["id"])
    row = model.Session.get(DatasetConformance, dataset["id"])
    assert not row.conforms and row.violations >= 1
    assert any("EVERY_BLUE_MOON" in f for f in json.loads(row.findings))
    token = ckan_factories.APIToken(user="steward")
    editor_view = page(app, "tellingen", {"token": token["token"]})
    assert 'data-conformance="problems"' in editor_view
    assert "<summary>Findings</summary>" in editor_view
    assert "is not a known code" in editor_view
    anonymous_view = page(app, "tellingen")
    assert 'data-conformance="problems"' in anonymous_view
    assert "<summary>Findings</summary>" not in anonymous_view


def test_a_change_after_the_check_marks_it_outdated(app, owner, run_jobs):
    factories.Dataset(name="tellingen", owner_org=owner["org"]["id"])
    run_jobs()
    helpers.call_action("package_patch", {"user": "steward"}, id="tellingen", title="Nieuw")
    assert "a new check of the latest changes is pending" in page(app, "tellingen")
    run_jobs()
    assert "a new check of the latest changes is pending" not in page(app, "tellingen")


def test_non_public_datasets_say_they_are_not_exported(app, owner, run_jobs):
    factories.Dataset(name="intern", owner_org=owner["org"]["id"], access_level="non_public")
    run_jobs()
    assert model.Session.query(DatasetConformance).count() == 0
    token = ckan_factories.APIToken(user="steward")
    html = page(app, "intern", {"token": token["token"]})
    assert 'data-conformance="not_exported"' in html


def test_a_failed_save_schedules_nothing(owner):
    from ckan.lib.jobs import get_queue

    queue = get_queue()
    before = queue.count
    with pytest.raises(tk.ValidationError):
        factories.Dataset(name="kapot", owner_org=owner["org"]["id"], theme=["NOPE"])
    assert queue.count == before


def test_rebuild_checks_every_kept_dataset_again(owner, run_jobs):
    from ckanext.retailarea.dcat import store

    dataset = factories.Dataset(name="tellingen", owner_org=owner["org"]["id"])
    run_jobs()
    model.Session.query(DatasetConformance).delete()
    model.Session.commit()
    store.rebuild()
    run_jobs()
    assert model.Session.get(DatasetConformance, dataset["id"]).conforms
