"""A harvest changes nothing of CKAN for the rest of the process: no module attribute of
CKAN or another extension and no configuration value differs while a page is imported
(checked at every flush of the import) or after it, in the gather's process and in the
import helpers it forks (each reports its checks to a file: a fork shares no memory)."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa

from ckanext.retailarea.harvesters import parallel
from tests.harvesters.realworld import raw
from tests.harvesters.server import Reply, json_reply
from tests.harvesters.test_ods import CONFIG, serve_catalog
from tests.harvesters.test_parallel_import import RECORDS, data_json

pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
    pytest.mark.usefixtures("with_request_context"),
]
WATCHED = ("ckan", "ckanext")


def _attributes() -> dict[tuple[str, str], int]:
    """The identity of every function and class of CKAN's and the extensions' modules
    (ours excepted: they are what is under test, not what may be changed)."""
    found = {}
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".")[0] not in WATCHED \
                or name.startswith("ckanext.retailarea"):
            continue
        for attribute, value in list(vars(module).items()):
            if callable(value):
                found[(name, attribute)] = id(value)
    return found


class Watch:
    def __init__(self, reports: Path) -> None:
        self.attributes = _attributes()
        self.config = dict(tk.config)
        self.flushes = 0
        self.changed: set[str] = set()
        self.reports = reports

    def check(self, *_args: Any) -> None:
        self.flushes += 1
        now = _attributes()
        changed = {f"{m}.{a}" for (m, a), ident in self.attributes.items()
                   if now.get((m, a), ident) != ident}
        changed |= {f"config {k}" for k, v in self.config.items() if tk.config.get(k) != v}
        self.changed |= changed
        with self.reports.open("a") as out:
            out.write(json.dumps({"pid": os.getpid(), "changed": sorted(changed)}) + "\n")

    def by_process(self) -> dict[int, set[str]]:
        """What the checks of each process (this one and the helpers) saw changed."""
        found: dict[int, set[str]] = {}
        for line in self.reports.read_text().splitlines():
            report = json.loads(line)
            found.setdefault(report["pid"], set()).update(report["changed"])
        return found


@pytest.fixture
def watch(tmp_path, with_plugins):
    """Watches from after CKAN's own test harness has set up (on CKAN 2.12 its
    ``with_plugins`` mock-patches ``ckan.plugins.core._get_service`` for the test)."""
    watcher = Watch(tmp_path / "checks.jsonl")
    sa.event.listen(model.Session, "after_flush", watcher.check)
    yield watcher
    sa.event.remove(model.Session, "after_flush", watcher.check)
    watcher.check()


@pytest.mark.ckan_config("ckanext.retailarea.harvest.import_processes", 1)
def test_gather_stage_import_patches_nothing(watch, catalog_server, make_source,
                                             run_harvest):
    source = make_source("ods", serve_catalog(catalog_server), CONFIG)

    run = run_harvest(source)

    assert run.statuses()["added"] == 5
    assert watch.flushes > 10
    assert watch.changed == set()


@pytest.mark.ckan_config("ckanext.retailarea.harvest.import_processes", 1)
def test_fetch_stage_import_patches_nothing(watch, catalog_server, make_source,
                                            run_harvest):
    catalog_server.route("/api/catalog/v1",
                         Reply(raw("socrata/catalog-v1-90329b.json")))
    catalog_server.route("/api/views/zidz-sdfj.json",
                         Reply(raw("socrata/views/zidz-sdfj.json")))
    source = make_source("socrata", catalog_server.base,
                         {"domain": "data.cityofchicago.org"})

    run = run_harvest(source)

    assert run.statuses()["added"] == 1
    assert watch.changed == set()


@pytest.mark.ckan_config("ckanext.retailarea.harvest.import_processes", 2)
def test_import_helpers_patch_nothing(watch, catalog_server, make_source, run_harvest):
    assert parallel.processes_for(RECORDS) == 2
    url = catalog_server.route("/data.json", json_reply(data_json()))

    run = run_harvest(make_source("dcat_json", url))

    assert run.statuses() == {"added": RECORDS}
    checked = watch.by_process()
    assert len(checked) == 2, "the helper's flushes were not checked"
    assert checked == {pid: set() for pid in checked}


@pytest.mark.ckan_config("ckanext.retailarea.harvest.import_processes", 1)
def test_the_watch_sees_a_function_replaced_during_an_import(
        watch, catalog_server, make_source, run_harvest, monkeypatch):
    """The check itself: a save that swaps a CKAN function for its duration (as this
    harvester once did) is seen, although the function is back afterwards."""
    from ckan.lib.dictization import model_dictize

    from ckanext.retailarea.harvesters import importer

    original_save, original_dictize = importer.save, model_dictize.package_dictize

    def save(*args, **kwargs):
        model_dictize.package_dictize = lambda *a, **k: original_dictize(*a, **k)
        try:
            return original_save(*args, **kwargs)
        finally:
            model_dictize.package_dictize = original_dictize

    monkeypatch.setattr(importer, "save", save)
    run_harvest(make_source("ods", serve_catalog(catalog_server), CONFIG))

    assert "ckan.lib.dictization.model_dictize.package_dictize" in watch.changed
