"""Fixtures for the DCAT profile tests.

They run with the configured plugins but use no database fixture: organization_show and
group_show answer from the dicts in ``datasets.py``.
"""
from __future__ import annotations

from importlib.metadata import EntryPoint, EntryPoints, entry_points

import ckan.model as model
import ckan.plugins
import ckan.plugins.toolkit as tk
import ckantoolkit
import pytest
import sqlalchemy.event
import sqlalchemy.exc
from ckan.plugins.core import find_system_plugins
from ckanext.dcat import processors
from ckanext.dcat.processors import RDFParser, RDFSerializer

from tests.profiles import datasets

GROUP = "ckan.rdf.profiles"
NAME = "retailarea_dcat_ap_nl"
PROFILES = ["euro_dcat_ap_3", NAME]


def _despite_database_resets(step, *args) -> None:
    """Run a plugin (un)load step. CKAN ends each by looking up the site user, which fails
    while another test run resets the shared test database; these tests never need it."""
    try:
        step(*args)
    except sqlalchemy.exc.SQLAlchemyError:
        model.Session.remove()


@pytest.fixture(scope="module")
def plugins():
    """The plugins of ``ckan.plugins`` as CKAN's ``with_plugins`` loads them, but once per
    module and tolerant of the site-user lookup (see above)."""
    _despite_database_resets(ckan.plugins.unload_all)
    names = tk.aslist(tk.config.get("ckan.plugins")) + find_system_plugins()
    _despite_database_resets(ckan.plugins.load, *names)
    yield
    _despite_database_resets(ckan.plugins.unload_non_system_plugins)


@pytest.fixture
def profile_registered(monkeypatch):
    """``retailarea_dcat_ap_nl`` resolvable by name as ckanext-dcat resolves profiles.

    Until setup.py declares the entry point, ckanext-dcat's lookup is extended for the
    test; once it is declared this fixture changes nothing."""
    if entry_points(group=GROUP, name=NAME):
        return
    ours = EntryPoint(NAME, "ckanext.retailarea.profiles:RetailAreaDCATAPNLProfile", GROUP)
    real = processors.entry_points

    def lookup(**params):
        if params.get("group") == GROUP and params.get("name") == NAME:
            return EntryPoints([ours])
        return real(**params)

    monkeypatch.setattr(processors, "entry_points", lookup)


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


@pytest.fixture
def no_database():
    """Fail the test if it sends any SQL: the database is shared with other test runs."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sqlalchemy.event.listen(model.meta.engine, "before_cursor_execute", record)
    yield
    sqlalchemy.event.remove(model.meta.engine, "before_cursor_execute", record)
    assert statements == [], "the test queried the database"


@pytest.fixture
def serializer(plugins, profile_registered, directory, no_database):
    """A fresh RDFSerializer with ``profiles`` (default: euro_dcat_ap_3 + ours)."""

    def make(profiles=None):
        return RDFSerializer(profiles=profiles or PROFILES)

    return make


@pytest.fixture
def parser(plugins, profile_registered, directory, no_database):
    def make(profiles=None, dataset_type="dataset"):
        return RDFParser(profiles=profiles or PROFILES, dataset_type=dataset_type)

    return make
