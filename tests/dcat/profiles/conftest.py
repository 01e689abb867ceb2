"""Fixtures for the DCAT profile tests.

They run with the configured plugins but use no database fixture: organization_show and
group_show answer from the dicts in ``datasets.py``.
"""
from __future__ import annotations

import ckan.model as model
import ckan.plugins
import ckan.plugins.toolkit as tk
import ckantoolkit
import pytest
import sqlalchemy.event
from ckanext.dcat.processors import RDFParser, RDFSerializer

from ckanext.retailarea.metadata import series
from tests.dcat.profiles import datasets

PROFILES = ["euro_dcat_ap_3", "retailarea_dcat_ap_nl"]


@pytest.fixture(scope="module")
def plugins():
    """The plugins of ``ckan.plugins``, loaded once per module (the profile tests touch
    no database, so CKAN's per-test ``with_plugins`` and ``clean_db`` are not needed)."""
    ckan.plugins.load_all()
    yield
    ckan.plugins.unload_all()


@pytest.fixture
def directory(monkeypatch):
    """organization_show / group_show from the test dicts instead of the database."""
    records = {record[key]: record for record in datasets.DIRECTORY for key in ("id", "name")}
    real = tk.get_action

    def show(context, data_dict):
        try:
            return records[data_dict["id"]]
        except KeyError:
            raise tk.ObjectNotFound() from None

    def get_action(name):
        return show if name in ("organization_show", "group_show") else real(name)

    monkeypatch.setattr(tk, "get_action", get_action)
    # ckanext-dcat calls it through ckantoolkit, which keeps its own copy of the function.
    monkeypatch.setattr(ckantoolkit, "get_action", get_action)
    # which datasets a series holds is in the database too; the test dicts are in none
    # (tests/dcat/test_series.py exports and parses series through the real stack)
    monkeypatch.setattr(series, "parts_of", lambda dataset_dict: [])


@pytest.fixture
def no_database():
    """Fail the test if it sends any SQL: these are unit tests of the profile; the
    catalog through the real stack is tested in tests/dcat."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sqlalchemy.event.listen(model.meta.engine, "before_cursor_execute", record)
    yield
    sqlalchemy.event.remove(model.meta.engine, "before_cursor_execute", record)
    assert statements == [], "the test queried the database"


@pytest.fixture
def serializer(plugins, directory, no_database):
    """A fresh RDFSerializer with ``profiles`` (default: euro_dcat_ap_3 + ours)."""

    def make(profiles=None):
        return RDFSerializer(profiles=profiles or PROFILES)

    return make


@pytest.fixture
def parser(plugins, directory, no_database):
    def make(profiles=None, dataset_type="dataset"):
        return RDFParser(profiles=profiles or PROFILES, dataset_type=dataset_type)

    return make
