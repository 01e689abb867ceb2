"""bench/solr_copy.py (the cluster's copy of the 100,000-dataset index, docs/scaling.md):
a core's CKAN documents copied through Solr's API into another core search the same, the
unstored fields (permission_labels, the catch-all strings) included."""
from __future__ import annotations

import pathlib
import sys
import uuid

import ckan.plugins.toolkit as tk
import pytest
import requests
from ckan.tests import factories as ckan_factories

from tests import factories

BENCH = pathlib.Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def solr_copy():
    sys.path.insert(0, str(BENCH))
    import solr_copy

    yield solr_copy
    sys.path.remove(str(BENCH))


@pytest.fixture
def target():
    """A second core from the test core's configset, removed afterwards."""
    source = tk.config["solr_url"].rstrip("/")
    base, core = source.rsplit("/", 1)
    status = requests.get(f"{base}/admin/cores", timeout=30,
                          params={"action": "STATUS", "core": core, "wt": "json"}).json()
    properties = pathlib.Path(status["status"][core]["instanceDir"]) / "core.properties"
    configset = next(line.split("=", 1)[1].strip() for line in properties.read_text().splitlines()
                     if line.startswith("configSet="))
    name = f"copy_{uuid.uuid4().hex[:8]}"
    created = requests.get(f"{base}/admin/cores", timeout=120, params={
        "action": "CREATE", "name": name, "instanceDir": name, "configSet": configset})
    assert created.status_code == 200, created.text
    yield f"{base}/{name}"
    requests.get(f"{base}/admin/cores", timeout=120, params={
        "action": "UNLOAD", "core": name, "deleteInstanceDir": "true"})


def _counts(url: str, queries: list[str]) -> list[int]:
    return [requests.get(f"{url}/select", params={"q": "*:*", "fq": query, "rows": 0},
                         timeout=30).json()["response"]["numFound"] for query in queries]


def test_the_copy_searches_as_its_source(solr_copy, target, clean_db, clean_index):
    org = ckan_factories.Organization()
    for number in range(3):
        factories.Dataset(owner_org=org["id"], title=f"Parkeren koopavond {number}")
    factories.Dataset(owner_org=org["id"], access_level="non_public", title="Intern overzicht")
    source = tk.config["solr_url"].rstrip("/")

    assert solr_copy.copy(source, target, batch=2) == 4  # two pages and a last one
    assert solr_copy.check(source, target)
    queries = ["permission_labels:public", f"permission_labels:member-{org['id']}",
               f"owner_org:{org['id']}", "capacity:private", "text:parkeren",
               "title_string:\"Intern overzicht\"", "dataset_type:dataset"]
    assert _counts(target, queries) == _counts(source, queries) == [3, 1, 4, 1, 3, 1, 4]
