"""A harvested page is indexed once per dataset without a Solr commit per document, as
Solr itself counts it (its update handler's metrics). CKAN 2.11's automatic indexing
would send each new dataset twice, each time with a commit; the harvest keeps it out by
dropping the session's change record before the page commits (``harvesters/solr.py``, the
one private reach into CKAN left, see docs/development.md): if CKAN changes what that
record is, this test fails."""
from __future__ import annotations

from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
import pytest
import requests

from tests.harvesters.server import json_reply
from tests.harvesters.test_parallel_import import data_json

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.ckan_config("ckanext.retailarea.harvest.import_processes", 1),
    pytest.mark.usefixtures("with_request_context"),
]
RECORDS = 30
ADDS, COMMITS = "UPDATE.updateHandler.cumulativeAdds", "UPDATE.updateHandler.commits"


def solr_counts() -> dict[str, int]:
    url = urlsplit(tk.config["solr_url"])
    core = url.path.rstrip("/").rsplit("/", 1)[-1]
    keys = [f"solr.core.{core}:{name}" for name in (ADDS, COMMITS)]
    metrics = requests.get(f"{url.scheme}://{url.netloc}/solr/admin/metrics",
                           params=[("key", k) for k in keys], timeout=30).json()["metrics"]
    return {key.rsplit(":", 1)[1]: metrics[key]["count"] for key in keys}


def test_a_page_costs_one_add_per_dataset_and_no_commit_per_dataset(
        catalog_server, make_source, run_harvest):
    source = make_source("dcat_json", catalog_server.route(
        "/data.json", json_reply(data_json(RECORDS))))
    before = solr_counts()

    assert run_harvest(source).statuses() == {"added": RECORDS}

    after = solr_counts()
    adds, commits = (after[k] - before[k] for k in (ADDS, COMMITS))
    assert RECORDS <= adds <= RECORDS + 2, adds  # + the source, when its job ends
    assert commits <= 5, commits  # the page's, the job's end: not one per dataset
