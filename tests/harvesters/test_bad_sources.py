"""Every bad case a source can serve gives a reported error and loses nothing.

Each test first harvests a good catalog, then lets the source misbehave and harvests
again: the job reports the problem, and the datasets from the first run are all still
there, unchanged.
"""
from __future__ import annotations

import json

import pytest

from tests.harvesters.conftest import datasets_of
from tests.harvesters.server import Reply, json_reply

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context"),
]
CATALOG = "/api/explore/v2.1/catalog/datasets"


def item(n: int) -> dict:
    return {"dataset_id": f"ds-{n}", "visibility": "domain", "has_records": True,
            "metas": {"default": {"title": f"Dataset {n}", "theme": ["ECON"],
                                  "license": "CC BY 4.0"}}}


class Catalog:
    """A paged ODS catalog whose behaviour a test changes between runs."""

    def __init__(self, server, count=4):
        self.items = [item(n) for n in range(count)]
        self.broken: dict[int, Reply] = {}  # offset -> reply
        self.url = server.route(CATALOG, self.page).removesuffix(CATALOG)

    def page(self, query):
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 2))
        if offset in self.broken:
            return self.broken[offset]
        return json_reply({"total_count": len(self.items),
                           "results": self.items[offset:offset + limit]})


@pytest.fixture
def harvested(catalog_server, make_source, run_harvest):
    """A source harvested once, and a function that harvests again and checks that
    nothing changed."""
    catalog = Catalog(catalog_server)
    source = make_source("ods", catalog.url, {"page_size": 2})
    first = run_harvest(source)
    assert first.statuses() == {"added": 4}
    before = {guid: d["metadata_modified"] for guid, d in datasets_of(source).items()}

    def again_and_nothing_lost():
        run = run_harvest(source)
        after = {guid: d["metadata_modified"] for guid, d in datasets_of(source).items()}
        assert after == before
        return run

    return catalog, again_and_nothing_lost


def test_html_with_status_200(harvested):
    catalog, again = harvested
    catalog.broken[0] = Reply(b"<!doctype html><title>Onderhoud</title>", 200, "text/html")
    run = again()
    assert any("expected JSON, got text/html" in e for e in run.gather_errors)


def test_500_on_page_two_withdraws_nothing(harvested):
    catalog, again = harvested
    catalog.broken[2] = Reply(b"Internal Server Error", 500, "text/plain")
    run = again()
    assert any("answered HTTP 500" in e for e in run.gather_errors)
    assert any("2 dataset(s) are missing from the source listing" in e
               and "nothing is withdrawn" in e for e in run.gather_errors)
    assert run.statuses() == {"not modified": 2}


def test_empty_catalog_withdraws_nothing(harvested):
    catalog, again = harvested
    catalog.items = []
    run = again()
    assert any("4 of 4 datasets (100%) are gone" in e for e in run.gather_errors)


def test_truncated_json(harvested):
    catalog, again = harvested
    body = json.dumps({"total_count": 4, "results": catalog.items[:2]}).encode()
    catalog.broken[0] = Reply(body[: len(body) // 2])
    run = again()
    assert any("not valid JSON" in e for e in run.gather_errors)


def test_non_utf8_bytes(harvested):
    catalog, again = harvested
    body = json.dumps({"total_count": 1, "results": [item(0)]}).replace(
        "Dataset 0", "Caf\u00e9").encode("latin-1")
    catalog.broken[0] = Reply(body)
    run = again()
    assert any("not valid utf-8 text" in e for e in run.gather_errors)


def test_slow_trickle_ends_at_the_deadline(harvested, ckan_config, monkeypatch):
    catalog, again = harvested
    monkeypatch.setitem(ckan_config, "ckanext.retailarea.harvest.total_timeout", 1)
    body = json.dumps({"total_count": 4, "results": catalog.items[:2]}).encode()
    catalog.broken[0] = Reply((bytes([b]) for b in body), pause=0.05, content_length=False)
    run = again()
    assert any("took longer than allowed" in e for e in run.gather_errors)


@pytest.mark.parametrize("declared", [True, False])
def test_oversize_body_with_or_without_content_length(harvested, ckan_config, monkeypatch,
                                                       declared):
    catalog, again = harvested
    monkeypatch.setitem(ckan_config, "ckanext.retailarea.harvest.max_mb", 1)
    huge = b'{"total_count": 1, "results": [], "pad": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    chunks = (huge[i:i + 65536] for i in range(0, len(huge), 65536))
    catalog.broken[0] = Reply(huge if declared else chunks, content_length=declared)
    run = again()
    assert any("larger than 1048576 bytes" in e for e in run.gather_errors)


def test_duplicate_ids_harvest_the_first_and_report_the_second(catalog_server, make_source,
                                                               run_harvest):
    catalog = Catalog(catalog_server, count=3)
    twin = item(1)
    twin["metas"]["default"]["title"] = "Imposter"
    catalog.items.append(twin)
    source = make_source("ods", catalog.url, {"page_size": 2})

    run = run_harvest(source)

    found = datasets_of(source)
    assert found["ds-1"]["title"] == "Dataset 1"
    assert any("Duplicate id 'ds-1'" in m for m in run.object_errors)
    assert run.statuses() == {"added": 3, "errored": 1}


def test_a_record_that_cannot_be_read_is_reported_and_the_rest_harvested(
        catalog_server, make_source, run_harvest):
    catalog = Catalog(catalog_server, count=3)
    catalog.items.insert(1, {"visibility": "domain", "metas": {}})  # no dataset_id
    source = make_source("ods", catalog.url, {"page_size": 2})

    run = run_harvest(source)

    assert set(datasets_of(source)) == {"ds-0", "ds-1", "ds-2"}
    assert any("could not be read: 'dataset_id'" in m for m in run.object_errors)


def test_a_paging_loop_ends_the_gather(catalog_server, make_source, run_harvest):
    def same_page(query):
        return json_reply({"total_count": 100, "results": [item(0), item(1)]})

    url = catalog_server.route(CATALOG, same_page).removesuffix(CATALOG)
    source = make_source("ods", url, {"page_size": 2})

    run = run_harvest(source)

    assert any("paging loop" in e for e in run.gather_errors)
    assert set(datasets_of(source)) == {"ds-0", "ds-1"}


def test_an_unexpected_failure_in_the_batch_falls_back_to_one_record_at_a_time(
        catalog_server, make_source, run_harvest, monkeypatch):
    """A record that breaks the page's batch in a way nobody foresaw rolls the page back;
    its records then go through the fetch queue one by one, so only that record fails."""
    from ckanext.retailarea.harvesters import mapping

    real = mapping.to_package

    def to_package(record, *args, **kwargs):
        if record.original_id == "ds-2":
            raise RuntimeError("boom")
        return real(record, *args, **kwargs)

    monkeypatch.setattr(mapping, "to_package", to_package)
    catalog = Catalog(catalog_server, count=4)
    source = make_source("ods", catalog.url, {"page_size": 4})

    run = run_harvest(source)

    assert set(datasets_of(source)) == {"ds-0", "ds-1", "ds-3"}
    assert run.object_errors == ["Unexpected error: RuntimeError: boom"]
    assert run.statuses() == {"added": 3, "errored": 1}
