"""A municipality's stock CKAN that copies this catalog with a stock harvester (ckanext-harvest's
``ckan``, or ckanext-dcat's ``dcat_rdf``), run in its own processes on its own database and
Solr core. ``Consumer`` (in the test's process) writes its config and runs its commands.

``python -m tests.federation.consumer source INI URL [TYPE CONFIG]`` makes its harvest
source for the catalog at URL: by default of type ``ckan`` with groups and organizations
copied (``remote_groups`` and ``remote_orgs`` ``create``), else of TYPE with the JSON
CONFIG; ``... harvest INI`` runs a harvest job's gather, fetch and import stages in
this process, as ``ckan harvester run-test <source>`` does; ``... report INI`` prints, as
JSON, what the consumer holds and serves: each copy's package_show, the status of every
page it serves for them, the dataset schemas it knows and the harvest errors.

``harvest`` is ``run-test`` with the harvester found from the source's row: on CKAN 2.12
``run-test`` fails on every run after the first (``KeyError: 'source_type'``), as
ckanext-harvest 1.6.3 reindexes a source without its harvest fields and 2.12's
package_show answers from that index (docs/upstream.md)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.cli import load_config
from ckan.config.middleware import make_app
from ckan.tests import helpers
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObjectError, HarvestSource
from ckanext.harvest.tests import lib
from werkzeug.test import Client

from tests.services import empty_core, empty_database

ROOT = Path(__file__).resolve().parents[2]
CKAN = Path(sys.executable).parent / "ckan"
SOURCE = "winkelgebied"
EDITOR = "consumer-admin"
SOURCE_CONFIG = {"remote_groups": "create", "remote_orgs": "create"}


def _act(action: str, **data: Any) -> Any:
    site_user = helpers.call_action("get_site_user", {"ignore_auth": True})
    return helpers.call_action(action, {"ignore_auth": True, "user": site_user["name"]},
                               **data)


def make_source(url: str, source_type: str = "ckan",
                config: str = json.dumps(SOURCE_CONFIG)) -> None:
    org = _act("organization_create", name="federatie", title="Federatie")
    _act("harvest_source_create", name=SOURCE, title="Winkelgebied Open Data", url=url,
         source_type=source_type, owner_org=org["id"], config=config)


def harvest() -> None:
    source = HarvestSource.get(model.Package.get(SOURCE).id)
    job = _act("harvest_job_create", source_id=source.id)
    lib.run_harvest_job(HarvestJob.get(job["id"]), queue.get_harvester(source.type))


def _copies() -> list[dict[str, Any]]:
    names = [name for (name,) in model.Session.query(model.Package.name).filter(
        model.Package.type != "harvest").order_by(model.Package.name)]
    return [_act("package_show", id=name) for name in names]


def _read_endpoint(app: Any, dataset_type: str) -> str:
    """The dataset page's endpoint of the type, as this CKAN routes it: its own blueprint
    with scheming, else the default one (a stock CKAN without the schemas)."""
    known = {rule.endpoint for rule in app._wsgi_app.url_map.iter_rules()}
    return dataset_type if f"{dataset_type}.read" in known else "dataset"


def _paths(app: Any, copies: list[dict[str, Any]]) -> list[str]:
    paths = ["/dataset/", f"/harvest/{SOURCE}", "/organization/", "/group/"]
    for copy in copies:
        base = "/" + _read_endpoint(app, copy["type"])
        paths += [f"{base}/", f"{base}/{copy['name']}", f"/nl{base}/{copy['name']}",
                  f"/dataset/{copy['name']}"]
        paths += [f"{base}/{copy['name']}/resource/{resource['id']}"
                  for resource in copy["resources"]]
        if copy.get("organization"):
            paths.append(f"/organization/{copy['organization']['name']}")
        paths += [f"/{group.get('type') or 'group'}/{group['name']}"
                  for group in _group_types(copy)]
    return list(dict.fromkeys(paths))


def _group_types(copy: dict[str, Any]) -> list[dict[str, Any]]:
    groups = [model.Group.get(group["id"]) for group in copy.get("groups") or []]
    return [{"name": group.name, "type": group.type} for group in groups if group]


def _statuses(app: Any, paths: list[str], headers: dict[str, str] | None = None
              ) -> dict[str, int]:
    client = Client(app)
    return {path: client.get(path, headers=headers, follow_redirects=True).status_code
            for path in paths}


def _editor() -> dict[str, str]:
    """The headers of a sysadmin of the consumer (its copies' forms are theirs to open)."""
    if model.User.by_name(EDITOR) is None:
        _act("user_create", name=EDITOR, email=f"{EDITOR}@consumer.invalid",
             password="correct-horse-battery")
        model.User.by_name(EDITOR).sysadmin = True
        model.Session.commit()
    token = _act("api_token_create", user=EDITOR, name="report")["token"]
    return {"Authorization": token}


def _form_paths(app: Any, copies: list[dict[str, Any]]) -> list[str]:
    return [f"/{_read_endpoint(app, copy['type'])}/edit/{copy['name']}" for copy in copies]


def _errors() -> list[str]:
    return ([error.message for error in model.Session.query(HarvestObjectError)]
            + [error.message for error in model.Session.query(HarvestGatherError)])


def _schemas() -> dict[str, list[str]]:
    try:
        schemas = _act("scheming_dataset_schema_list")
    except KeyError:  # no ckanext-scheming on this consumer
        return {}
    return {name: [field["field_name"] for field in
                   _act("scheming_dataset_schema_show", type=name)["dataset_fields"]]
            for name in schemas}


def _areas() -> dict[str, Any]:
    areas = model.Session.query(model.Group).filter_by(type="retail-area")
    return {area.name: _act("group_show", id=area.id) for area in areas}


def held(app: Any) -> dict[str, Any]:
    """What the consumer holds, and the pages to ask for (anonymously, and as its
    sysadmin with these headers)."""
    copies = _copies()
    return {"copies": {copy["name"]: copy for copy in copies}, "areas": _areas(),
            "schemas": _schemas(), "errors": _errors(), "paths": _paths(app, copies),
            "form_paths": _form_paths(app, copies), "headers": _editor()}


def report(app: Any) -> dict[str, Any]:
    """``held`` with the status of each page. The pages are asked for outside the
    request context ``held`` needs: Flask keeps the logged-in user in the app context's
    ``g``, which a request inside it would share."""
    with app._wsgi_app.test_request_context():
        found = held(app)
    pages = {**_statuses(app, found.pop("paths")),
             **_statuses(app, found.pop("form_paths"), found.pop("headers"))}
    return {**found, "pages": pages}


class Consumer:
    """The consumer's config and the commands its operator would run."""

    def __init__(self, folder: Path, options: dict[str, str]) -> None:
        site = sa.engine.make_url(tk.config["sqlalchemy.url"])
        site = site.set(database=f"{site.database}_consumer")
        empty_database(site)
        self.env = {**os.environ,
                    "CKAN_SQLALCHEMY_URL": site.render_as_string(hide_password=False),
                    "CKAN_SOLR_URL": empty_core(tk.config["solr_url"], "_consumer")}
        for name in ("CKAN_DATASTORE_WRITE_URL", "CKAN_DATASTORE_READ_URL", "CKAN_INI"):
            self.env.pop(name, None)
        self.ini = folder / "consumer.ini"
        self.ini.write_text(self._config(folder, options))
        self.ckan("db", "init")
        self.ckan("db", "pending-migrations", "--apply")

    @staticmethod
    def _config(folder: Path, options: dict[str, str]) -> str:
        settings = {
            "use": "egg:ckan", "SECRET_KEY": "consumer-test-secret-of-at-least-32-bytes",
            "WTF_CSRF_SECRET_KEY": "consumer-test-csrf-secret-of-32-bytes",
            "ckan.site_url": "http://consumer.test", "ckan.site_id": "retailarea-consumer",
            "ckan.locale_default": "en", "ckan.locales_offered": "en nl",
            "ckan.storage_path": str(folder / "storage"),
            "ckan.redis.url": tk.config["ckan.redis.url"],
            **{f"ckan.harvest.mq.{key}": str(tk.config[f"ckan.harvest.mq.{key}"])
               for key in ("type", "hostname", "port", "redis_db")},
            **options,
        }
        lines = "\n".join(f"{key} = {value}" for key, value in settings.items())
        logging = (ROOT / "config" / "test.ini").read_text().split("[loggers]", 1)[1]
        return f"[app:main]\n{lines}\n\n[loggers]{logging}"

    def _run(self, command: list[str]) -> str:
        done = subprocess.run(command, check=False, env=self.env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def ckan(self, *args: str) -> str:
        return self._run([str(CKAN), "-c", str(self.ini), *args])

    def script(self, command: str, *args: str) -> str:
        return self._run([sys.executable, "-m", "tests.federation.consumer", command,
                          str(self.ini), *args])

    def harvest(self) -> dict[str, Any]:
        """A harvest job's gather, fetch and import stages, as ``ckan harvester run-test``
        runs them (consumer.py says why not run-test itself); then what the consumer holds
        and serves."""
        self.script("harvest")
        return json.loads(self.script("report"))


def main(command: str, ini: str, *args: str) -> None:
    app = make_app(load_config(ini))
    if command == "report":
        json.dump(report(app), sys.stdout, indent=1, sort_keys=True, default=str)
        return
    with app._wsgi_app.test_request_context():
        if command == "source":
            make_source(*args)
        else:
            harvest()


if __name__ == "__main__":
    main(*sys.argv[1:])
