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
    migrate_db_for("retailarea")


@pytest.fixture
def sysadmin(clean_db):
    from ckan.tests import factories

    return factories.SysadminWithToken()


@pytest.fixture
def clean_datastore(clean_db):
    """An empty DataStore database (tables of earlier tests dropped)."""
    import ckanext.datastore.backend.postgres as db
    from ckanext.datastore.tests.helpers import clear_db
    from sqlalchemy import orm

    engine = db.get_write_engine()
    session = orm.scoped_session(orm.sessionmaker(bind=engine))
    clear_db(session)
    session.remove()


@pytest.fixture
def run_jobs(with_test_worker, clean_queues):
    """Runs the queued background jobs in this process, as the workers would (the
    default queue's and the bulk queue's)."""
    import ckan.lib.jobs as jobs

    from ckanext.retailarea import bulk

    def run() -> None:
        jobs.Worker([jobs.DEFAULT_QUEUE_NAME, bulk.QUEUE]).work(burst=True)

    return run
