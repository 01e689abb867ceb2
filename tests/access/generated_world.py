"""The world of the generated leak matrix: four datasets whose resources carry a unique
marker in every URL field and extra (and in their data), eleven roles.

``switched`` was public (and changed once while public, so its activities hold its URLs)
before it was made restricted; the grant holder holds a grant on ``restricted`` only.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import ckan.model as model
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers
from werkzeug.datastructures import FileStorage

from ckanext.retailarea.model.access import AccessGrant, now
from tests import factories

LEVELS = ("public", "restricted", "non_public", "switched")
ROLES = ("anonymous", "stranger", "pending", "rejected", "expired", "revoked", "holder",
         "member", "editor", "admin", "sysadmin")
PURPOSE = "AcademicResearch"


def url_marker(level: str) -> str:
    return f"mkurl{level.replace('_', '')}zq"


def row_marker(level: str) -> str:
    return f"mkrow{level.replace('_', '')}zq"


def reaches(role: str, level: str) -> bool:
    """Whether a role may reach the data of a dataset of this world."""
    if level == "public" or role in ("member", "editor", "admin", "sysadmin"):
        return True
    return level == "restricted" and role == "holder"


def forbidden(role: str) -> list[str]:
    """The markers a role must never see."""
    return [marker(level) for level in LEVELS if not reaches(role, level)
            for marker in (url_marker, row_marker)]


@dataclass
class Entry:
    dataset: dict
    link: dict
    upload: dict
    view: dict
    activities: list[str] = field(default_factory=list)


def _link(level: str) -> dict:
    host = f"https://{url_marker(level)}.example.org"
    return {"name": "link", "url": f"{host}/data.csv", "download_url": f"{host}/dl.csv",
            "access_url": f"{host}/access", "api_url": f"{host}/api",
            "cache_url": f"{host}/cache.csv", "documentation": f"see {host}/about",
            "contact": {"href": f"{host}/contact"}}


def _dataset(level: str, org: dict, area: dict, admin: dict) -> Entry:
    access = "public" if level in ("public", "switched") else level
    extra = {"permitted_purposes": [PURPOSE]} if access == "restricted" else {}
    dataset = factories.Dataset(
        name=f"gen-{level.replace('_', '-')}", title=f"Gen {level} quokka",
        owner_org=org["id"], access_level=access, groups=[{"name": area["name"]}],
        user=admin, **extra)
    context = {"user": admin["name"]}
    csv = f"location_id,count\n{row_marker(level)},12\n"
    upload = helpers.call_action(
        "resource_create", context, package_id=dataset["id"], name="counts", format="CSV",
        upload=FileStorage(io.BytesIO(csv.encode()), "counts.csv", content_type="text/csv"))
    link = helpers.call_action("resource_create", context, package_id=dataset["id"],
                               **_link(level))
    helpers.call_action("datastore_create", context, resource_id=upload["id"], force=True,
                        aliases=[f"gen_{level}_alias"],
                        fields=[{"id": "location_id"}, {"id": "count", "type": "int"}],
                        records=[{"location_id": row_marker(level), "count": 12}])
    view = helpers.call_action("resource_view_create", context, resource_id=upload["id"],
                               view_type="datatables_view", title="Table")
    if level == "switched":
        helpers.call_action("package_patch", context, id=dataset["id"], notes="changed")
        helpers.call_action("package_patch", context, id=dataset["id"],
                            access_level="restricted", permitted_purposes=[PURPOSE])
    dataset = helpers.call_action("package_show", context, id=dataset["id"])
    return Entry(dataset, link, upload, view)


def _grant(user: dict, package_id: str, admin: dict, expires: dt.datetime,
           revoked: bool = False) -> None:
    model.Session.add(AccessGrant(
        request_id="direct", package_id=package_id, user_id=user["id"], purpose=PURPOSE,
        expires=expires, granted_by=admin["name"], revoked_at=now() if revoked else None))
    model.Session.commit()


def _follow(user: str, dataset_id: str) -> None:
    """Everyone follows every dataset they are let follow: followee lists return them."""
    import ckan.plugins.toolkit as tk

    try:
        helpers.call_action("follow_dataset", {"user": user}, id=dataset_id)
    except (tk.NotAuthorized, tk.ValidationError, tk.ObjectNotFound):
        pass


def build() -> dict:
    users = {role: ckan_factories.User(name=f"gen-{role}") for role in ROLES[1:]}
    model.User.get("gen-sysadmin").sysadmin = True
    model.Session.commit()
    admin = users["admin"]
    org = ckan_factories.Organization(name="gen-org", users=[
        {"name": "gen-member", "capacity": "member"},
        {"name": "gen-editor", "capacity": "editor"},
        {"name": "gen-admin", "capacity": "admin"}])
    area = factories.RetailArea(name="gen-area",
                                users=[{"name": admin["name"], "capacity": "admin"}])
    entries = {level: _dataset(level, org, area, admin) for level in LEVELS}
    restricted = entries["restricted"].dataset["id"]
    later, earlier = now() + dt.timedelta(days=30), now() - dt.timedelta(days=1)
    _grant(users["holder"], restricted, admin, later)
    _grant(users["expired"], restricted, admin, earlier)
    _grant(users["revoked"], restricted, admin, later, revoked=True)
    for role in ("pending", "rejected"):
        request = helpers.call_action(
            "retailarea_access_request_create", {"user": users[role]["name"]},
            package_id=restricted, purpose=PURPOSE, justification="For a study")
        if role == "rejected":
            helpers.call_action("retailarea_access_request_decide", {"user": admin["name"]},
                                id=request["id"], decision="reject", reason="no")
    for user in users.values():
        for entry in entries.values():
            _follow(user["name"], entry.dataset["id"])
    for entry in entries.values():
        entry.activities = [a["id"] for a in helpers.call_action(
            "package_activity_list", {"user": "gen-sysadmin"}, id=entry.dataset["id"],
            limit=100)]
    tokens = {role: helpers.call_action("api_token_create", {"user": user["name"]},
                                        user=user["name"], name="gen")["token"]
              for role, user in users.items()}
    return {"entries": entries, "users": users, "tokens": tokens, "org": org,
            "area": area}
