"""Loads the demo catalog through the Action API: create what is missing, update what
differs, leave the rest untouched, so that a second run changes nothing. CSV resources are
generated (demo/generate), uploaded, and then validated and loaded into the DataStore by
the background worker."""
from __future__ import annotations

import hashlib
import logging
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context
from werkzeug.datastructures import FileStorage

from ckanext.retailarea import config
from ckanext.retailarea.demo import catalog, generate
from ckanext.retailarea.demo import live as demo_live
from ckanext.retailarea.live import state as live_state

log = logging.getLogger(__name__)

Report = Callable[[str], None]
RESOURCE_KEYS = ("name", "url", "format", "description", "table_schema", "hash")


def differs(desired: Any, existing: Any) -> bool:
    """True when ``existing`` lacks any value in ``desired`` (keys absent from
    ``desired`` are ignored; lists compare item by item; "6" equals 6)."""
    if isinstance(desired, dict):
        if not isinstance(existing, dict):
            return True
        return any(differs(v, existing.get(k)) for k, v in desired.items())
    if isinstance(desired, list):
        if not isinstance(existing, list) or len(desired) != len(existing):
            return True
        return any(differs(d, e) for d, e in zip(desired, existing, strict=True))
    return desired != existing and str(desired) != str(existing)


class Loader:
    """Upserts demo entities as ``user`` and counts what happened."""

    def __init__(self, user: str, workdir: Path, report: Report = print) -> None:
        self.user = user
        self.workdir = workdir
        self.report = report
        self.counts: Counter[str] = Counter()

    def context(self) -> Context:
        return {"user": self.user, "ignore_auth": False}

    def action(self, name: str, data: dict[str, Any]) -> dict[str, Any]:
        return tk.get_action(name)(self.context(), data)

    def show(self, kind: str, name: str) -> dict[str, Any] | None:
        try:
            return self.action(f"{kind}_show", {"id": name})
        except tk.ObjectNotFound:
            return None

    def upsert(self, kind: str, entity: dict[str, Any]) -> None:
        existing = self.show(kind, entity["name"])
        if existing is None:
            self.action(f"{kind}_create", dict(entity))
            self.note("created", kind, entity["name"])
        elif differs(entity, existing):
            self.action(f"{kind}_update", dict(entity, id=existing["id"]))
            self.note("updated", kind, entity["name"])
        else:
            self.note("unchanged", kind, entity["name"])

    def upsert_dataset(self, dataset: dict[str, Any]) -> None:
        resources = [self.prepare(r) for r in dataset.get("resources", [])]
        metadata = {k: v for k, v in dataset.items() if k != "resources"}
        if metadata.get("in_series"):  # stored as the series' ids (metadata/series.py)
            metadata["in_series"] = [self.action("package_show", {"id": name})["id"]
                                     for name in metadata["in_series"]]
        existing = self.show("package", dataset["name"])
        if existing is None:
            created = self.action("package_create", metadata)
            self.create_resources(created["id"], resources)
            self.note("created", "package", dataset["name"])
            return
        meta_changed = differs(metadata, _with_org_name(existing))
        files_changed = _resources_differ(resources, existing["resources"])
        if meta_changed:
            self.action("package_update", dict(metadata, id=existing["id"],
                                               resources=existing["resources"]))
        if files_changed:
            for resource in existing["resources"]:
                self.action("resource_delete", {"id": resource["id"]})
            self.create_resources(existing["id"], resources)
        changed = meta_changed or files_changed
        self.note("updated" if changed else "unchanged", "package", dataset["name"])

    def prepare(self, resource: dict[str, Any]) -> dict[str, Any]:
        """Write the CSV of an upload resource and add its hash."""
        upload = resource.get("upload")
        if upload is None:
            return dict(resource)
        path = self.workdir / f"{upload.table}-{upload.prefix or 'all'}.csv"
        if not path.exists():
            generate.write_csv(path, generate.TABLES[upload.table].columns, _rows(upload))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return dict(resource, upload=path, hash=f"sha256:{digest}")

    def create_resources(self, package_id: str, resources: list[dict[str, Any]]) -> None:
        for resource in resources:
            data = dict(resource, package_id=package_id)
            path = data.pop("upload", None)
            if path is None:
                self.action("resource_create", data)
                continue
            with open(path, "rb") as stream:
                data["upload"] = FileStorage(stream=stream, filename=f"{path.stem}.csv",
                                             content_type="text/csv")
                self.action("resource_create", data)

    def note(self, outcome: str, kind: str, name: str) -> None:
        self.counts[outcome] += 1
        self.report(f"  {outcome:9} {kind:13} {name}")

    def load(self) -> Counter[str]:
        for org in catalog.ORGANIZATIONS:
            self.upsert("organization", org)
        for area in catalog.RETAIL_AREAS:
            self.upsert("group", area)
        for dataset in catalog.datasets(config.demo_site_url()):
            self.upsert_dataset(dataset)
        for name in catalog.RETIRED:
            retired = self.show("package", name)
            if retired is not None and retired["state"] != "deleted":
                self.action("package_delete", {"id": name})
                self.note("removed", "package", name)
        spdp_url = config.demo_spdp_url()
        for source in catalog.spdp_sources(spdp_url) if spdp_url else []:
            self.upsert_spdp_source(source)
        return self.counts

    def upsert_spdp_source(self, source: dict[str, Any]) -> None:
        """The live parking source, harvested when new, changed or without its dataset
        (the poller does the rest)."""
        existing = self.show("harvest_source", source["name"])
        if existing is None:
            existing = self.action("harvest_source_create", dict(source))
            outcome = "created"
        elif demo_live.source_differs(source, existing["id"]):
            existing = self.action("harvest_source_update", dict(source, id=existing["id"]))
            outcome = "updated"
        else:
            outcome = "unchanged"
        if outcome != "unchanged" or live_state.package_of(existing["id"]) is None:
            for problem in demo_live.harvest(existing["id"], self.user):
                self.report(f"  harvest of {source['name']} ({source['url']}): {problem}")
            outcome = "updated" if outcome == "unchanged" else outcome
        self.note(outcome, "harvest_source", source["name"])


def _rows(upload: catalog.Upload) -> Iterator[dict[str, Any]]:
    rows = generate.TABLES[upload.table].rows()
    if upload.column is None:
        return rows
    if upload.via is None:
        return (r for r in rows if str(r[upload.column]).startswith(upload.prefix or ""))
    keys = {
        r["uuid"] for r in generate.TABLES[upload.via].rows()
        if str(r[upload.column]).startswith(upload.prefix or "")
    }
    return (r for r in rows if r["uuid"] in keys)


def _resources_differ(desired: list[dict[str, Any]], existing: list[dict[str, Any]]) -> bool:
    def key(resource: dict[str, Any], uploaded: bool) -> tuple[Any, ...]:
        keys = [k for k in RESOURCE_KEYS if not (uploaded and k == "url")]
        return tuple(str(resource.get(k) or "") for k in keys)

    if len(desired) != len(existing):
        return True
    return any(
        key(d, "upload" in d) != key(e, "upload" in d)
        for d, e in zip(desired, existing, strict=True)
    )


def _with_org_name(existing: dict[str, Any]) -> dict[str, Any]:
    org = existing.get("organization") or {}
    return dict(existing, owner_org=org.get("name"))


def load(user: str | None = None, report: Report = print) -> Counter[str]:
    """Load the demo catalog as ``user`` (default: the configured demo admin)."""
    user = user or config.demo_admin_user()
    try:
        account = tk.get_action("user_show")({"ignore_auth": True}, {"id": user})
    except tk.ObjectNotFound:
        raise tk.ObjectNotFound(
            f"user '{user}' does not exist; create it with: ckan sysadmin add {user}"
        ) from None
    if not account.get("sysadmin"):
        raise tk.NotAuthorized(f"user '{user}' must be a sysadmin to load the demo catalog")
    with tempfile.TemporaryDirectory(prefix="retailarea-demo-") as workdir:
        return Loader(user, Path(workdir), report).load()


def ensure_sysadmin(name: str, email: str, password: str) -> bool:
    """Create sysadmin ``name`` unless it exists; an existing user is only made sysadmin.
    Returns True when the user was created."""
    context: Context = {"ignore_auth": True}
    try:
        user = tk.get_action("user_show")(context, {"id": name})
        created = False
    except tk.ObjectNotFound:
        user = tk.get_action("user_create")(
            context, {"name": name, "email": email, "password": password}
        )
        created = True
    if not user.get("sysadmin"):
        account = model.Session.query(model.User).filter_by(id=user["id"]).one()
        account.sysadmin = True
        model.repo.commit()
    return created
