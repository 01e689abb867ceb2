"""Work-arounds for bugs of CKAN core and its extensions, chained in front of the
originals (never replacing them at run time). Each is written up in docs/upstream.md
with a minimal reproduction.

- Flags of core actions (``include_datasets=maybe``): core reads them with ``asbool``,
  whose ValueError is a 500; here they are checked first with a navl schema.
- ``datastore_search_sql``: errors PostgreSQL raises while running the statement
  (division by zero, a bad cast, ``LIMIT -1``) escape the DataStore as a 500; here they
  are the caller's Validation Error under ``sql``.
- ``activity_show`` without ``include_data``: ckanext-activity's auth function reads
  ``data_dict["include_data"]`` (KeyError, a 500); here it gets its documented default.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict
from sqlalchemy.exc import DBAPIError

GROUP_SHOW = ("include_datasets", "include_dataset_count", "include_tags", "include_users",
              "include_groups", "include_extras", "include_followers",
              "include_member_count")
GROUP_LIST = ("all_fields", "include_dataset_count", "include_extras", "include_tags",
              "include_groups", "include_users", "include_member_count")
FLAGS: dict[str, tuple[str, ...]] = {
    "package_show": ("include_plugin_data", "use_default_schema", "include_tracking"),
    "package_search": ("include_private", "include_drafts", "include_deleted",
                       "use_default_schema"),
    "group_show": GROUP_SHOW,
    "organization_show": GROUP_SHOW,
    "group_list": GROUP_LIST,
    "organization_list": GROUP_LIST,
    "group_list_authz": ("include_dataset_count", "include_member_count"),
    "organization_list_for_user": ("include_dataset_count", "include_member_count"),
    "user_list": ("all_fields", "include_site_user"),
    "user_show": ("include_datasets", "include_num_followers", "include_password_hash",
                  "include_plugin_extras"),
    "tag_show": ("include_datasets",),
}


def flag_schema(flags: tuple[str, ...]) -> dict[str, list]:
    v = tk.get_validator
    return {flag: [v("ignore_missing"), v("retailarea_boolean")] for flag in flags}


def _checking_flags(flags: tuple[str, ...]) -> Action:
    @tk.chained_action
    @tk.side_effect_free
    def action(next_action: Action, context: Context, data_dict: DataDict) -> Any:
        present = {flag: data_dict[flag] for flag in flags if flag in data_dict}
        _, errors = tk.navl_validate(present, flag_schema(flags), context)
        if errors:
            raise tk.ValidationError(errors)
        return next_action(context, data_dict)

    return action


@tk.chained_action
@tk.side_effect_free
def datastore_search_sql(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    try:
        return next_action(context, data_dict)
    except DBAPIError as error:
        message = getattr(getattr(error.orig, "diag", None), "message_primary", None)
        raise tk.ValidationError({"sql": [tk._("PostgreSQL could not run the statement: "
                                                "{reason}").format(
            reason=message or str(error.orig).splitlines()[0])]}) from None


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def activity_show(next_auth: Any, context: Context, data_dict: DataDict) -> Any:
    if "include_data" not in data_dict:
        data_dict = {**data_dict, "include_data": False}
    return next_auth(context, data_dict)


def chained_actions() -> dict[str, Action]:
    actions = {name: _checking_flags(flags) for name, flags in FLAGS.items()}
    # the DataStore registers datastore_search_sql only when SQL search is enabled
    if plugins.plugin_loaded("datastore") and tk.config.get("ckan.datastore.sqlsearch.enabled"):
        actions["datastore_search_sql"] = datastore_search_sql
    return actions


def chained_auth() -> dict[str, Any]:
    return {"activity_show": activity_show} if plugins.plugin_loaded("activity") else {}
