"""Who may point a harvest source at a retail area.

A source's ``retail_area`` setting puts every dataset it harvests into that area, and the
import runs as the site user, who may add datasets to any group. So the person who
creates or changes the source must be one who could add a dataset to the area
themselves: a member of the retail area (CKAN's ``manage_group`` permission) or a
sysadmin.
"""
from __future__ import annotations

import json
from typing import Any

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import AuthFunction, AuthResult, Context, DataDict


def _retail_area(config: Any) -> str | None:
    if not isinstance(config, str) or not config.strip():
        return None
    try:
        parsed = json.loads(config)
    except ValueError:
        return None  # the harvester's own validation reports it
    area = parsed.get("retail_area") if isinstance(parsed, dict) else None
    return area if isinstance(area, str) and area else None


def refusal(context: Context, data_dict: DataDict) -> AuthResult | None:
    name = _retail_area(data_dict.get("config"))
    if name is None:
        return None
    user = context.get("user") or ""
    group = model.Group.get(name)
    if authz.is_sysadmin(user) or (group is not None and group.type == "retail-area" and
                                   authz.has_user_permission_for_group_or_org(
                                       group.id, user, "manage_group")):
        return None
    return {"success": False, "msg": tk._(
        "retail_area: only members of the retail area {area} may harvest into it"
    ).format(area=name)}


def _harvest_source(data_dict: Any) -> bool:
    return isinstance(data_dict, dict) and (
        data_dict.get("type") == "harvest" or "source_type" in data_dict)


def _chained(name: str) -> Any:
    """harvest_source_create/update proxy to package_create/update, whose auth runs."""
    @tk.chained_auth_function
    @tk.auth_allow_anonymous_access
    def auth(next_auth: AuthFunction, context: Context,
             data_dict: DataDict | None) -> AuthResult:
        data_dict = data_dict or {}
        if _harvest_source(data_dict):
            return refusal(context, data_dict) or next_auth(context, data_dict)
        return next_auth(context, data_dict)

    auth.__name__ = name
    return auth


package_create = _chained("package_create")
package_update = _chained("package_update")
