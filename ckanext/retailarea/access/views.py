"""Thin Flask views of the access capability; every change goes through an action."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context
from flask import Blueprint, Response

from ckanext.retailarea.access import log as access_log

access = Blueprint("retailarea_access", __name__)


def _context() -> Context:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _flash_errors(error: tk.ValidationError) -> None:
    for field, messages in (error.error_dict or {}).items():
        for message in messages if isinstance(messages, list) else [messages]:
            tk.h.flash_error(f"{field}: {message}")


@access.route("/dataset/<id>/access-request", methods=["POST"])
def request_create(id: str):
    form = tk.request.form
    data = {
        "package_id": id, "purpose": form.get("purpose", ""),
        "justification": form.get("justification", ""),
        "accept_conditions": form.get("accept_conditions", "false"),
    }
    try:
        tk.get_action("retailarea_access_request_create")(_context(), data)
        tk.h.flash_success(tk._("Your request was sent to the publisher."))
    except tk.ValidationError as error:
        _flash_errors(error)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    return tk.redirect_to("dataset.read", id=id)


@access.route("/dashboard/access")
def mine():
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login")
    context = _context()
    return tk.render("retailarea/access/mine.html", {
        "user_dict": tk.get_action("user_show")(context, {"id": context.get("user")}),
        "requests": tk.get_action("retailarea_access_request_list")(context, {"mine": True}),
        "grants": tk.get_action("retailarea_access_grant_list")(context, {"mine": True}),
    })


def _org_datasets(org_id: str) -> list[dict[str, Any]]:
    result = tk.get_action("package_search")(_context(), {
        "fq": f'owner_org:"{org_id}" +access_level:restricted', "rows": 1000,
        "include_private": True,
    })
    return result["results"]


def _org(id: str) -> dict[str, Any]:
    """The organization, for its editors and admins only."""
    try:
        org = tk.get_action("organization_show")(_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Organization not found"))
    if not tk.h.check_access("package_create", {"owner_org": org["id"]}):
        return tk.abort(403, tk._("Only editors and admins of the organization"))
    return org


@access.route("/organization/<id>/access")
def organization(id: str):
    org = _org(id)
    context = _context()
    requests, grants = [], []
    for dataset in _org_datasets(org["id"]):
        requests += tk.get_action("retailarea_access_request_list")(
            context, {"package_id": dataset["id"]})
        grants += tk.get_action("retailarea_access_grant_list")(
            context, {"package_id": dataset["id"]})
    try:
        entries = tk.get_action("retailarea_access_log_list")(
            context, {"organization_id": org["id"], "limit": 200})
    except tk.NotAuthorized:
        entries = None
    return tk.render("retailarea/access/organization.html", {
        "group_dict": org, "group_type": "organization", "requests": requests,
        "grants": grants, "log_entries": entries,
        "default_expiry": tk.h.retailarea_default_expiry(),
    })


def _steward_action(id: str, action: str, data: dict[str, Any], done: str):
    """Run a steward's action from the organization page and return to it."""
    try:
        tk.get_action(action)(_context(), data)
        tk.h.flash_success(done)
    except tk.ValidationError as error:
        _flash_errors(error)
    except (tk.NotAuthorized, tk.ObjectNotFound) as error:
        return tk.abort(403, str(error))
    return tk.redirect_to("retailarea_access.organization", id=id)


@access.route("/organization/<id>/access/decide/<request_id>", methods=["POST"])
def decide(id: str, request_id: str):
    form = tk.request.form
    data = {"id": request_id, "decision": form.get("decision", ""),
            "expires": form.get("expires") or None, "reason": form.get("reason") or None}
    data = {k: v for k, v in data.items() if v is not None}
    return _steward_action(id, "retailarea_access_request_decide", data,
                           tk._("Decision saved."))


@access.route("/organization/<id>/access/revoke/<grant_id>", methods=["POST"])
def revoke(id: str, grant_id: str):
    return _steward_action(id, "retailarea_access_grant_revoke", {"id": grant_id},
                           tk._("Grant revoked."))


@access.route("/organization/<id>/access-log.csv")
def log_csv(id: str):
    try:
        entries = tk.get_action("retailarea_access_log_list")(
            _context(), {"organization_id": id, "limit": 10000})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only admins of the organization see the log"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organization not found"))
    return Response(access_log.as_csv(entries), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="access-log-{id}.csv"'})


@access.route("/access/resource/<resource_id>")
def neutral(resource_id: str):
    """The URL a withheld resource value shows (access/vault.py): the guard in front of
    it (enforce.guard_request) answers 403 to those who may not reach the data; the rest
    go on to CKAN's download route, which redirects to the real URL or sends the file."""
    resource = model.Resource.get(resource_id)
    if resource is None or resource.state != "active":
        return tk.abort(404, tk._("Resource not found"))
    return tk.redirect_to("resource.download", id=resource.package_id,
                          resource_id=resource.id)
