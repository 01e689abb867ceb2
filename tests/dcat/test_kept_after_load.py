"""The kept DCAT follows a table load without another save: from then on the DataStore's
data service serves the dataset. CKAN 2.11 flags the resource ``datastore_active``
without a package_update (no ``after_dataset_update``), so a site made on 2.11 kept it
stale until the next save (found by the upgrade test, tests/upgrade)."""
from __future__ import annotations

import ckan.model as model

from ckanext.retailarea.model.dcat import DatasetRDF
from tests.tables.test_pipeline import COUNTS, steward, upload  # noqa: F401

SERVICE = "<http://test.ckan.net/api/3/action/datastore_search#service>"
SERVES = "<http://www.w3.org/ns/dcat#servesDataset>"


def _served_by_the_datastore(package_id: str) -> bool:
    model.Session.expire_all()
    row = model.Session.get(DatasetRDF, package_id)
    assert row is not None
    return any(line.startswith(f"{SERVICE} {SERVES}") for line in row.ntriples.splitlines())


def test_a_loaded_table_puts_its_dataset_under_the_datastore_service(
        steward, create_with_upload, run_jobs):  # noqa: F811
    package_id = steward["dataset"]["id"]
    upload(create_with_upload, steward, COUNTS)
    assert not _served_by_the_datastore(package_id)

    run_jobs()

    assert _served_by_the_datastore(package_id)
