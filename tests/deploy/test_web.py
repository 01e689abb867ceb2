"""Two gunicorn masters of the Procfile serve the same catalog: what one writes the other
reads at once, from the database and from Solr; a dropped PostgreSQL connection costs no
request (SQLAlchemy's pool_pre_ping, on by default in CKAN)."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.deploy import processes
from tests.deploy.api import dataset
from tests.deploy.conftest import APPLICATION_NAME

pytestmark = pytest.mark.slow


def test_a_write_through_one_web_process_is_read_at_once_through_the_other(web):
    one, other = web
    org = one.call("organization_create", name="org-web", title="Org web")
    for round_ in range(3):
        name = f"web-consistency-{round_}"
        created = one.call("package_create", **dataset(org["id"], name, f"Telling {round_}"))
        updated = one.call("package_patch", id=created["id"], title=f"Telling {round_} (v2)")

        # several reads, so more than one gunicorn worker of the other master answers
        for _ in range(4):
            shown = other.call("package_show", id=name)
            assert shown["title"] == f"Telling {round_} (v2)"
            assert shown["metadata_modified"] == updated["metadata_modified"]
            found = other.call("package_search", fq=f'name:"{name}"')
            assert [d["title"] for d in found["results"]] == [f"Telling {round_} (v2)"]
    assert other.call("package_search", fq=f"owner_org:{org['id']}")["count"] == 3


def test_the_procfile_runs_every_process_type(deployment):
    """Two gunicorn masters with two workers each, the consumers, the two job workers and
    the scheduler loop; their memory is printed for docs/deployment.md."""
    counts = {"gunicorn": 6, "gather-consumer": 1, "fetch-consumer": 2}
    found = {command: deployment.honcho.pids_of(command)
             for command in [*counts, "jobs worker"]}
    scheduler = [cmd for cmd in deployment.honcho.descendants().values()
                 if "ckan harvester run" in cmd]

    assert {command: len(found[command]) for command in counts} == counts
    # the rq workers of the default and the bulk queue, each with the work horse it forks
    # while a job runs
    assert len(found["jobs worker"]) in (2, 3, 4)
    assert deployment.honcho.pids_of("jobs worker bulk")
    assert scheduler, "the scheduler loop is not running"
    for command, pids in found.items():
        sizes = ", ".join(f"{processes.rss_mb(pid):.0f}" for pid in pids)
        print(f"{command}: {len(pids)} process(es), RSS {sizes} MB")


def test_web_processes_reconnect_after_postgresql_drops_their_connections(web, deployment):
    # warm every worker's connection pool, then cut every connection to the slot database
    for api in web * 4:
        api.call("package_list")
    terminated = _terminate_backends(deployment.env["CKAN_SQLALCHEMY_URL"])
    assert terminated >= len(web)

    statuses = [api.post("package_list").status_code for api in web * 6]

    assert statuses == [200] * len(statuses)


def _terminate_backends(url: str) -> int:
    """pg_terminate_backend on the deployment's connections to our slot's database (by
    their application_name; this test process keeps its own)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = :name "
            "AND pid <> pg_backend_pid()"), {"name": APPLICATION_NAME}).scalar()
    engine.dispose()
    return int(count or 0)
