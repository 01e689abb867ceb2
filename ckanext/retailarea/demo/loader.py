"""Loads the demo catalog through the Action API: create what is missing, update what
differs, leave the rest untouched, so that a second run changes nothing."""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.retailarea import config
from ckanext.retailarea.demo import catalog

log = logging.getLogger(__name__)

Report = Callable[[str], None]


def differs(desired: Any, existing: Any) -> bool:
    """True when ``existing`` lacks any value in ``desired`` (keys absent from
    ``desired`` are ignored; lists compare item by item)."""
    if isinstance(desired, dict):
        if not isinstance(existing, dict):
            return True
        return any(differs(v, existing.get(k)) for k, v in desired.items())
    if isinstance(desired, list):
        if not isinstance(existing, list) or len(desired) != len(existing):
            return True
        return any(differs(d, e) for d, e in zip(desired, existing, strict=True))
    return desired != existing


class Loader:
    """Upserts demo entities as ``user`` and counts what happened."""

    def __init__(self, user: str, report: Report = print) -> None:
        self.user = user
        self.report = report
        self.counts: Counter[str] = Counter()

    def context(self) -> dict[str, Any]:
        return {"user": self.user, "ignore_auth": False}

    def upsert(self, kind: str, entity: dict[str, Any], normalise=lambda e: e) -> None:
        show = tk.get_action(f"{kind}_show")
        try:
            existing = show(self.context(), {"id": entity["name"]})
        except tk.ObjectNotFound:
            tk.get_action(f"{kind}_create")(self.context(), dict(entity))
            self.note("created", kind, entity["name"])
            return
        if differs(entity, normalise(existing)):
            data = dict(entity, id=existing["id"])
            tk.get_action(f"{kind}_update")(self.context(), data)
            self.note("updated", kind, entity["name"])
        else:
            self.note("unchanged", kind, entity["name"])

    def note(self, outcome: str, kind: str, name: str) -> None:
        self.counts[outcome] += 1
        self.report(f"  {outcome:9} {kind:13} {name}")

    def load(self) -> Counter[str]:
        for org in catalog.ORGANIZATIONS:
            self.upsert("organization", org)
        for area in catalog.RETAIL_AREAS:
            self.upsert("group", area)
        for dataset in catalog.datasets(config.demo_site_url()):
            self.upsert("package", dataset, normalise=_with_org_name)
        return self.counts


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
    return Loader(user, report).load()


def ensure_sysadmin(name: str, email: str, password: str) -> bool:
    """Create sysadmin ``name`` unless it exists; an existing user is only made sysadmin.
    Returns True when the user was created."""
    context = {"ignore_auth": True}
    try:
        user = tk.get_action("user_show")(context, {"id": name})
        created = False
    except tk.ObjectNotFound:
        user = tk.get_action("user_create")(
            context, {"name": name, "email": email, "password": password}
        )
        created = True
    if not user.get("sysadmin"):
        account = model.User.get(user["id"])
        account.sysadmin = True
        model.repo.commit()
    return created
