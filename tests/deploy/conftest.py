"""One deployment for the whole package: the Procfile under honcho (two gunicorn masters
with two workers each, a gather consumer, two fetch consumers, a job worker and a bulk job
worker, the harvest scheduler every 5 s) on the slot's databases, with a private Redis and
a private Solr that the tests may stop and start. Started once (about a minute on a busy
2-core machine), stopped at the end even when a test fails."""
from __future__ import annotations

import configparser
import json
import os
import random
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ckan.model as model
import ckan.plugins as plugins
import pytest
from ckan.tests import factories
from ckanext.harvest.model import HarvestObject

from tests.deploy import processes
from tests.deploy.api import Api
from tests.deploy.catalog import SOURCE_CONFIG, SlowSocrata

STARTUP_TIMEOUT = 300
JOB_TIMEOUT = 240


@dataclass
class Deployment:
    honcho: processes.Honcho
    redis: processes.ScriptService
    solr: processes.ScriptService
    ini: Path
    env: dict[str, str]
    web: list[Api] = field(default_factory=list)

    def logs(self) -> str:
        return (f"{self.honcho.log()}\n--- redis ---\n{self.redis.log()}"
                f"\n--- solr ---\n{self.solr.log()}")

    def ckan(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        """A ckan command with the deployment's config, as an operator runs it."""
        done = subprocess.run([str(processes.VENV_BIN / "ckan"), "-c", str(self.ini), *args],
                              env=self.env, capture_output=True, text=True, timeout=timeout,
                              check=False)
        assert done.returncode == 0, f"ckan {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done

    def wait_for(self, what: str, check: Any, timeout: float = JOB_TIMEOUT) -> Any:
        return processes.wait_for(what, check, timeout, self.logs)

    def consumer_pids(self, command: str) -> list[int]:
        return self.honcho.pids_of(command)


@pytest.fixture(scope="package")
def deploy_db(reset_db, migrate_db_for):
    """The slot's database, empty and migrated (the deployment shares it)."""
    plugins.load_all()
    reset_db()
    for plugin in ("activity", "harvest", "retailarea"):
        migrate_db_for(plugin)
    yield
    model.Session.remove()
    plugins.unload_all()


@pytest.fixture(scope="package")
def token(deploy_db) -> str:
    return factories.SysadminWithToken()["token"]


@pytest.fixture(scope="package")
def deployment(deploy_db, token, tmp_path_factory, request):
    work = tmp_path_factory.mktemp("deploy")
    redis = processes.private_redis(work / "redis-data")
    solr = processes.private_solr(work / "solr-data")
    honcho = None
    try:
        _start_together(redis.start, solr.start)
        port = _two_free_ports()
        ini = processes.deployment_ini(request.config.getoption("ckan_ini"), work / "deploy.ini",
                                       port, redis.port, solr.port, work / "storage")
        env = {**os.environ, "CKAN_INI": str(ini),
               "PATH": f"{processes.VENV_BIN}:{os.environ['PATH']}",
               "CKAN_SOLR_URL": f"http://127.0.0.1:{solr.port}/solr/ckan",
               "CKAN_REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
               "CKAN_SQLALCHEMY_URL": _named(os.environ.get("CKAN_SQLALCHEMY_URL")
                                             or _ini_value(ini, "sqlalchemy.url")),
               "RETAILAREA_WEB_WORKERS": "2", "RETAILAREA_HARVEST_RUN_INTERVAL": "5",
               "PYTHONUNBUFFERED": "1"}
        env.pop("PORT", None)
        honcho = processes.Honcho(work, env, port,
                                  "web=2,gather=1,fetch=2,worker=1,bulk=1,scheduler=1")
        deployment = Deployment(honcho, redis, solr, ini, env,
                                [Api(f"http://127.0.0.1:{p}", token) for p in (port, port + 1)])
        honcho.start()
        for api in deployment.web:
            processes.wait_for(f"gunicorn on {api.base}", lambda a=api: _up(honcho, a),
                               STARTUP_TIMEOUT, deployment.logs, every=1)
        for command, count in (("gather-consumer", 1), ("fetch-consumer", 2),
                               ("jobs worker", 2)):
            deployment.wait_for(f"{count} x {command}",
                                lambda c=command, n=count: len(honcho.pids_of(c)) >= n, 60)
        yield deployment
    finally:
        if honcho is not None:
            honcho.stop()
        for service in (solr, redis):
            try:
                service.stop()
            except Exception:  # noqa: BLE001 (cleanup goes on; the kill below ends it)
                service.kill()


APPLICATION_NAME = "retailarea-deploy-test"


def _named(url: str) -> str:
    """The database URL with an application_name, so a test can tell the deployment's
    connections from its own in pg_stat_activity."""
    return f"{url}{'&' if '?' in url else '?'}application_name={APPLICATION_NAME}"


def _ini_value(ini: Path, key: str) -> str:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ini)
    return parser["app:main"][key]


def _two_free_ports() -> int:
    """A port P with P + 1 free too (honcho gives web.2 the port after web.1), below the
    kernel's range for outgoing connections, so no client socket takes it meanwhile."""
    for _ in range(200):
        port = random.randrange(*processes.PORTS)
        if processes.bindable(port) and processes.bindable(port + 1):
            return port
    raise AssertionError("no two free ports in 20000-32000")


def _up(honcho: processes.Honcho, api: Api) -> bool:
    """Whether ``api`` answers; fails at once when honcho has stopped (a process exited)."""
    if not honcho.alive():
        pytest.fail(f"honcho stopped:\n{honcho.log()}")
    return api.answers()


def _start_together(*starts: Any) -> None:
    """Start services side by side (Solr's JVM takes the longest); re-raise a failure."""
    errors: list[BaseException] = []

    def run(start: Any) -> None:
        try:
            start()
        except BaseException as error:  # noqa: BLE001 (re-raised below)
            errors.append(error)

    threads = [threading.Thread(target=run, args=(s,)) for s in starts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


@pytest.fixture
def web(deployment) -> list[Api]:
    return deployment.web


@pytest.fixture
def portal():
    """Makes slow local Socrata portals; stops them after the test."""
    made: list[SlowSocrata] = []

    def make(prefix: str, count: int, delay: float, hold: tuple[int, ...] = (),
             page_delay: float = 0.0) -> SlowSocrata:
        made.append(SlowSocrata(prefix, count, delay, hold, page_delay))
        return made[-1]

    yield make
    for server in made:
        server.stop()


def harvest_source(api: Api, name: str, url: str, **config: Any) -> dict[str, Any]:
    """An organization and a `socrata` source in it (the source type with a fetch stage)."""
    org = api.call("organization_create", name=f"org-{name}", title=f"Org {name}")
    return api.call("harvest_source_create", name=name, title=name, url=url,
                    source_type="socrata", owner_org=org["id"],
                    config=json.dumps({**SOURCE_CONFIG, **config}))


def objects_of(job_id: str) -> list[HarvestObject]:
    """The job's harvest objects as the database holds them now."""
    model.Session.remove()
    return model.Session.query(HarvestObject).filter_by(harvest_job_id=job_id).all()


def active_datasets_of(org_id: str) -> list[str]:
    model.Session.remove()
    return [name for (name,) in model.Session.query(model.Package.name).filter_by(
        owner_org=org_id, state="active", type="dataset")]
