"""Shared fixtures. Tests run against the real PostgreSQL, Solr and Redis started by
bin/stack (see config/test.ini)."""
from __future__ import annotations

import pytest


@pytest.fixture
def clean_db(with_plugins, reset_db, migrate_db_for):
    """CKAN's clean_db with the configured plugins loaded, plus their tables."""
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("harvest")


@pytest.fixture
def sysadmin(clean_db):
    from ckan.tests import factories

    return factories.SysadminWithToken()
