"""A gather page imported by several processes (harvesters/parallel.py) leaves what one
process leaves: the same datasets with distinct names, one tag per name, every dataset
indexed, with its activity and kept DCAT; a failing record or a helper that dies loses
nothing and duplicates nothing."""
from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckanext.activity.model import Activity

from ckanext.retailarea.dcat import store
from ckanext.retailarea.harvesters import importer, parallel
from ckanext.retailarea.harvesters.page import PageImport
from tests.harvesters.conftest import datasets_of
from tests.harvesters.server import json_reply

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.ckan_config("ckanext.retailarea.harvest.import_processes", 2),
    pytest.mark.usefixtures("with_request_context"),
]

RECORDS = 3 * parallel.MIN_SHARE  # enough for two processes


def data_json(records: int = RECORDS, same_title: int = 0) -> dict:
    """A DCAT-US catalog; the first ``same_title`` records share one title."""
    return {"dataset": [{
        "identifier": f"rec-{n:03d}",
        "title": "Parkeren centrum" if n < same_title else f"Passanten telling {n:03d}",
        "description": f"Record {n}.",
        "accessLevel": "public",
        "keyword": ["gedeeld", f"uniek-{n:03d}"],
        "distribution": [{"downloadURL": f"https://files.example/{n}.csv",
                          "mediaType": "text/csv"}],
    } for n in range(records)]}


@pytest.fixture
def pids(tmp_path, monkeypatch) -> Path:
    """Each save writes its process id to a file (helpers are forked: memory is not
    shared, the file is)."""
    log = tmp_path / "pids"
    original = importer.save

    def save(*args, **kwargs):
        with log.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return original(*args, **kwargs)

    monkeypatch.setattr(importer, "save", save)
    return log


def _processes(log: Path) -> set[str]:
    return set(log.read_text().split())


def _free_tags(name: str) -> int:
    return model.Session.query(model.Tag).filter(
        model.Tag.name == name, model.Tag.vocabulary_id.is_(None)).count()


def _comparable(dataset: dict) -> dict:
    skip = {"id", "name", "metadata_created", "metadata_modified", "harvest_source",
            "harvest_source_title", "harvest_last_harvested", "revision_id",
            "harvest_object_id", "harvest_source_id"}
    out = {k: v for k, v in dataset.items() if k not in skip}
    out["resources"] = [{k: v for k, v in r.items()
                         if k not in ("id", "package_id", "created", "metadata_modified")}
                        for r in dataset["resources"]]
    out["tags"] = sorted(t["name"] for t in dataset["tags"])
    out["extras"] = [e for e in dataset.get("extras", []) if e["key"] not in skip]
    return out


def test_two_processes_import_what_one_process_imports(org, catalog_server, make_source,
                                                       run_harvest, pids, monkeypatch):
    url = catalog_server.route("/data.json", json_reply(data_json()))
    monkeypatch.setitem(tk.config, "ckanext.retailarea.harvest.import_processes", 1)
    alone = make_source("dcat_json", url, {"name_prefix": "a-"}, name="src-alone")
    assert run_harvest(alone).statuses() == {"added": RECORDS}
    assert len(_processes(pids)) == 1
    pids.write_text("")

    monkeypatch.setitem(tk.config, "ckanext.retailarea.harvest.import_processes", 2)
    shared = make_source("dcat_json", url, {"name_prefix": "s-"}, name="src-shared")
    run = run_harvest(shared)

    assert run.statuses() == {"added": RECORDS}
    assert run.job["stats"]["added"] == RECORDS
    assert len(_processes(pids)) == 2
    one, two = datasets_of(alone), datasets_of(shared)
    assert set(one) == set(two) and len(two) == RECORDS
    for guid, dataset in two.items():
        assert _comparable(dataset) == _comparable(one[guid]), guid
        assert model.Session.query(Activity).filter_by(object_id=dataset["id"]).count() == 1
        assert model.Session.get(store.DatasetRDF, dataset["id"]) is not None
    assert _free_tags("gedeeld") == 1
    found = tk.get_action("package_search")({"ignore_auth": True}, {
        "fq": f'harvest_source_id:"{shared["id"]}"', "rows": 0})["count"]
    assert found == RECORDS


def test_equal_titles_in_several_processes_get_distinct_names(org, catalog_server,
                                                              make_source, run_harvest):
    url = catalog_server.route("/data.json", json_reply(data_json(same_title=10)))
    source = make_source("dcat_json", url)

    assert run_harvest(source).statuses() == {"added": RECORDS}

    names = [d["name"] for d in datasets_of(source).values()]
    assert len(set(names)) == RECORDS
    assert "parkeren-centrum" in names
    assert sum(n.startswith("parkeren-centrum-") for n in names) == 9


def test_a_record_failing_in_a_helper_is_reported_and_its_new_tag_removed(
        org, catalog_server, make_source, run_harvest, monkeypatch):
    url = catalog_server.route("/data.json", json_reply(data_json()))
    source = make_source("dcat_json", url)
    original = importer.save

    def save(package, *args, **kwargs):
        if package["title"].endswith(" 001"):  # the second record: a helper's share
            raise tk.ValidationError({"title": ["refused by the test"]})
        return original(package, *args, **kwargs)

    monkeypatch.setattr(importer, "save", save)
    run = run_harvest(source)

    assert run.statuses() == {"added": RECORDS - 1, "errored": 1}
    assert any(m.startswith("Invalid dataset:") and "refused by the test" in m
               for m in run.object_errors)
    assert "rec-001" not in datasets_of(source)
    assert _free_tags("uniek-001") == 0
    assert _free_tags("uniek-002") == 1


def test_a_helper_that_dies_leaves_its_share_to_the_gather(org, catalog_server, make_source,
                                                           run_harvest, monkeypatch):
    url = catalog_server.route("/data.json", json_reply(data_json()))
    source = make_source("dcat_json", url)
    original, gather_pid = importer.save, os.getpid()

    def save(package, *args, **kwargs):
        if os.getpid() != gather_pid and package["title"].endswith(" 005"):
            os._exit(3)  # the helper dies mid-share, before it commits
        return original(package, *args, **kwargs)

    monkeypatch.setattr(importer, "save", save)
    run = run_harvest(source)

    assert run.statuses() == {"added": RECORDS}
    assert run.job["stats"]["added"] == RECORDS
    assert len(datasets_of(source)) == RECORDS
    assert model.Session.query(model.Package).filter(
        model.Package.state == "active", model.Package.name.like("passanten-telling-%"),
    ).count() == RECORDS


def test_an_unexpected_failure_in_a_helper_sends_its_share_through_the_fetch_queue(
        org, catalog_server, make_source, run_harvest, monkeypatch):
    url = catalog_server.route("/data.json", json_reply(data_json()))
    source = make_source("dcat_json", url)
    original, gather_pid = importer.save, os.getpid()

    def save(package, *args, **kwargs):
        if os.getpid() != gather_pid and package["title"].endswith(" 007"):
            raise RuntimeError("broken by the test")
        return original(package, *args, **kwargs)

    monkeypatch.setattr(importer, "save", save)
    run = run_harvest(source)

    # The helper rolled its share back and queued it; the fetch stage (this process)
    # imported it, each record once.
    assert run.statuses() == {"added": RECORDS}
    assert len(run.objects) == RECORDS
    assert set(datasets_of(source)) == {f"rec-{n:03d}" for n in range(RECORDS)}


def test_a_failure_in_the_gathers_own_share_still_waits_for_the_helpers(
        org, catalog_server, make_source, run_harvest, monkeypatch):
    url = catalog_server.route("/data.json", json_reply(data_json()))
    source = make_source("dcat_json", url)
    original, gather_pid = PageImport.take, os.getpid()

    def take(self, entry):
        if os.getpid() == gather_pid and entry.guid == "rec-000":  # the gather's own share
            raise RuntimeError("broken by the test")
        return original(self, entry)

    monkeypatch.setattr(PageImport, "take", take)
    run = run_harvest(source)

    assert multiprocessing.active_children() == []
    assert any("unexpected error (RuntimeError: broken by the test)" in m
               for m in run.gather_errors)
    # the helper's share (every second record) was committed by the helper
    assert set(datasets_of(source)) == {f"rec-{n:03d}" for n in range(1, RECORDS, 2)}
