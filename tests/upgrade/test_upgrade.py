"""A site made on CKAN 2.11 by this code moves to the installed CKAN line the way
``make run`` moves it (``bin/stack upgrade``: CKAN's and our migrations, DataStore
permissions, the indexes 2.11 could not have, search index and kept DCAT made again), and
all of it survives: datasets, vault secrets, access requests, grants, log entries,
footfall summaries, what search finds and the kept DCAT. The fixture is a pg_dump of the
site tests/upgrade/site.py builds (``make upgrade-fixture`` remakes it on CKAN 2.11)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa

from ckanext.retailarea.model import extras
from tests.services import empty_core, empty_database

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "upgrade" / "fixtures"
PG_RESTORE = "/usr/lib/postgresql/15/bin/pg_restore"


def _restore(url: sa.engine.URL, dump: Path) -> None:
    """Fresh database ``url`` holding the dump, with its grants (the DataStore's read-only
    user reads the footfall and occupancy schemas)."""
    empty_database(url)
    _drop_schemas_beside_public(url)
    subprocess.run([PG_RESTORE, "--no-owner", "--exit-on-error", "-h", url.host,
                    "-p", str(url.port), "-U", url.username, "-d", url.database, str(dump)],
                   check=True, env={**os.environ, "PGPASSWORD": url.password})


def _drop_schemas_beside_public(url: sa.engine.URL) -> None:
    """The schemas an earlier run restored beside ``public`` (the footfall and occupancy
    schemas of the DataStore dump), so the dump restores again."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for schema in sa.inspect(conn).get_schema_names():
            if schema not in ("public", "information_schema") and not schema.startswith("pg_"):
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    """The fixture's databases restored beside the test databases, upgraded by
    ``bin/stack upgrade``; the site's environment and the snapshot taken after."""
    site = sa.engine.make_url(tk.config["sqlalchemy.url"])
    site = site.set(database=f"{site.database}_upgrade")
    datastore = sa.engine.make_url(tk.config["ckan.datastore.write_url"])
    datastore = datastore.set(database=f"{datastore.database}_upgrade")
    _restore(site, FIXTURES / "retailarea-2.11.dump")
    _restore(datastore, FIXTURES / "retailarea_datastore-2.11.dump")
    folder = tmp_path_factory.mktemp("upgrade")
    ini = folder / "upgrade.ini"
    ini.write_text((ROOT / "config" / "test.ini").read_text().replace(
        "ckan.storage_path = %(here)s/../.data/test-storage",
        f"ckan.storage_path = {folder / 'storage'}").replace(
        "%(here)s/", f"{ROOT / 'config'}/"))
    read = sa.engine.make_url(tk.config["ckan.datastore.read_url"]).set(
        database=datastore.database)
    env = {**os.environ,
           "CKAN_SQLALCHEMY_URL": site.render_as_string(hide_password=False),
           "CKAN_DATASTORE_WRITE_URL": datastore.render_as_string(hide_password=False),
           "CKAN_DATASTORE_READ_URL": read.render_as_string(hide_password=False),
           "CKAN_SOLR_URL": empty_core(tk.config["solr_url"], "_upgrade")}
    subprocess.run([str(ROOT / "bin" / "stack"), "upgrade", str(ini), datastore.database],
                   check=True, env=env, cwd=ROOT)
    after = subprocess.run([sys.executable, "-m", "tests.upgrade.site", "snapshot", str(ini)],
                           check=True, env=env, cwd=ROOT, capture_output=True, text=True)
    return {"site": site, "snapshot": json.loads(after.stdout)}


@pytest.fixture(scope="module")
def before():
    return json.loads((FIXTURES / "snapshot-2.11.json").read_text())


def test_the_fixture_is_small_and_has_a_bit_of_everything(before):
    assert sum(f.stat().st_size for f in FIXTURES.iterdir()) < 1_000_000
    assert {d["access_level"] for d in before["datasets"].values()} == {
        "public", "restricted", "non_public"}
    assert any(d["vault"] for d in before["datasets"].values())
    assert before["grants"] and len(before["log"]) == 2 and before["requests"]
    assert before["footfall"]["month"]["total"] and before["dcat"]["kept"]


@pytest.mark.parametrize("part", ["datasets", "requests", "grants", "log"])
def test_every_record_survives(upgraded, before, part):
    assert upgraded["snapshot"][part] == before[part]


def test_footfall_summaries_survive(upgraded, before):
    assert upgraded["snapshot"]["footfall"] == before["footfall"]


def test_search_and_kept_dcat_answer_as_before(upgraded, before):
    assert upgraded["snapshot"]["search"] == before["search"]
    assert upgraded["snapshot"]["search"]["anonymous"] == ["tellingen-gouda", "winkels-gouda"]
    assert upgraded["snapshot"]["dcat"] == before["dcat"]


def test_extras_moved_and_the_harvest_lookup_is_indexed(upgraded):
    engine = sa.create_engine(upgraded["site"])
    with engine.connect() as conn:
        # the database is where the installed CKAN keeps extras (package.extras on 2.12)
        assert extras.in_column(conn) == extras.in_column()
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("package")}
        assert (extras.INDEX in indexes) == extras.in_column()
    engine.dispose()
