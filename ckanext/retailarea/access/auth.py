"""Auth functions of the access capability, named after their actions."""
from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.retailarea.access import enforce
from ckanext.retailarea.model.access import AccessGrant, AccessRequest

DENIED_STEWARDS = "Only editors and admins of the publishing organization may do this"


def _logged_in(context: Context) -> AuthResult:
    if model.User.get(context.get("user") or ""):
        return {"success": True}
    return {"success": False, "msg": tk._("Log in first")}


def _steward_of(context: Context, package_id: str | None) -> AuthResult:
    package = model.Package.get(package_id or "")
    if package is None:
        return {"success": False, "msg": tk._("Dataset not found")}
    allowed = authz.is_authorized("package_update", context, {"id": package.id})
    return allowed if not allowed.get("success") else {"success": True}


@tk.auth_allow_anonymous_access
def retailarea_access_request_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _logged_in(context)


@tk.auth_allow_anonymous_access
def retailarea_access_request_list(context: Context, data_dict: DataDict) -> AuthResult:
    if data_dict.get("package_id"):
        return _steward_of(context, data_dict["package_id"])
    return _logged_in(context)


def retailarea_access_request_decide(context: Context, data_dict: DataDict) -> AuthResult:
    request = AccessRequest.get(data_dict.get("id") or "")
    if request is None:
        return {"success": False, "msg": tk._("Access request not found")}
    return _steward_of(context, request.package_id)


@tk.auth_allow_anonymous_access
def retailarea_access_grant_list(context: Context, data_dict: DataDict) -> AuthResult:
    return retailarea_access_request_list(context, data_dict)


def retailarea_access_grant_revoke(context: Context, data_dict: DataDict) -> AuthResult:
    grant = AccessGrant.get(data_dict.get("id") or "")
    if grant is None:
        return {"success": False, "msg": tk._("Grant not found")}
    return _steward_of(context, grant.package_id)


def retailarea_access_log_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Admins of the publishing organization (the log names people)."""
    if data_dict.get("package_id"):
        package = model.Package.get(data_dict["package_id"])
        org_id = package.owner_org if package else None
    else:
        org = model.Group.get(data_dict.get("organization_id") or "")
        org_id = org.id if org else None
    user = context.get("user") or ""
    if org_id and authz.has_user_permission_for_group_or_org(org_id, user, "admin"):
        return {"success": True}
    return {"success": False, "msg": tk._("Only admins of the organization see the log")}


__all__ = [
    "retailarea_access_request_create", "retailarea_access_request_decide",
    "retailarea_access_request_list", "retailarea_access_grant_list",
    "retailarea_access_grant_revoke", "retailarea_access_log_list",
]


def get_auth_functions() -> dict[str, Any]:
    """The auth functions above, and the core ones chained to guard withheld data."""
    return {**{name: globals()[name] for name in __all__}, **enforce.chained_auth()}
