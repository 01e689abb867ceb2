"""Work-arounds for bugs of CKAN core and its extensions, chained in front of the
originals (never replacing them at run time). Each is written up in docs/upstream.md
with a minimal reproduction.

- Input core actions read without checking (the ``CHECKS`` table): flags read with
  ``asbool`` (``include_datasets=maybe`` was a ValueError), required keys read with
  ``data_dict[key]`` (a KeyError), numbers read with ``int()``; here a navl schema checks
  them first and the action gets the checked values.
- ``datastore_search_sql``: errors PostgreSQL raises while running the statement
  (division by zero, a bad cast, ``LIMIT -1``) escape the DataStore as a 500; here they
  are the caller's Validation Error under ``sql``. CKAN 2.12 reads ``sql`` unchecked (a
  KeyError when it is missing); here it is checked first.
- ``harvest_source_reindex``: calls no auth function and indexes any dataset it is
  given from an unvalidated show (on CKAN 2.12 the document package_show answers from);
  here only a harvest source, only for its editors.
- ``activity_show`` without ``include_data``: ckanext-activity's auth function reads
  ``data_dict["include_data"]`` (KeyError, a 500); here it gets its documented default.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckan.types import Action, AuthFunction, AuthResult, ChainedAction, Context, DataDict, Schema
from sqlalchemy.exc import DBAPIError

from ckanext.retailarea.logic.schema import factory

GROUP_SHOW = ("include_datasets", "include_dataset_count", "include_tags", "include_users",
              "include_groups", "include_extras", "include_followers",
              "include_member_count")
GROUP_LIST = ("all_fields", "include_dataset_count", "include_extras", "include_tags",
              "include_groups", "include_users", "include_member_count")


def _flags(*names: str) -> Schema:
    v = tk.get_validator
    return {name: [v("ignore_empty"), v("retailarea_boolean")] for name in names}


def _required(*names: str) -> Schema:
    v = tk.get_validator
    return {name: [v("not_empty"), v("retailarea_string")] for name in names}


def _naturals(*names: str) -> Schema:
    v = tk.get_validator
    return {name: [v("ignore_missing"), v("natural_number_validator")] for name in names}


def _days(name: str, default: int) -> Schema:
    v = tk.get_validator
    return {name: [factory("default")(default), v("natural_number_validator")]}


def _job_or_source(key: Any, data: dict, errors: dict, context: Any) -> None:
    if not data.get(("id",)) and not data.get(("source_id",)):
        errors[key].append(tk._("Missing value: the id of a job, or source_id"))


def _harvest_source(value: Any, context: Any) -> Any:
    package = model.Package.get(value) if isinstance(value, str) else None
    if package is None or package.type != "harvest":
        raise tk.Invalid(tk._("Not a harvest source"))
    return value


# action: (the input it reads without checking, whether it is a read)
CHECKS: dict[str, tuple[Callable[[], Schema], bool]] = {
    "package_show": (lambda: _flags("include_plugin_data", "use_default_schema",
                                    "include_tracking"), True),
    "package_search": (lambda: _flags("include_private", "include_drafts",
                                      "include_deleted", "use_default_schema"), True),
    "group_show": (lambda: _flags(*GROUP_SHOW), True),
    "organization_show": (lambda: _flags(*GROUP_SHOW), True),
    "group_list": (lambda: _flags(*GROUP_LIST), True),
    "organization_list": (lambda: _flags(*GROUP_LIST), True),
    "group_list_authz": (lambda: _flags("include_dataset_count",
                                        "include_member_count"), True),
    "organization_list_for_user": (lambda: _flags("include_dataset_count",
                                                  "include_member_count"), True),
    "user_list": (lambda: _flags("all_fields", "include_site_user"), True),
    "user_show": (lambda: _flags("include_datasets", "include_num_followers",
                                 "include_password_hash", "include_plugin_extras"), True),
    "tag_show": (lambda: _flags("include_datasets"), True),
    "group_autocomplete": (lambda: _required("q"), True),
    "organization_autocomplete": (lambda: _required("q"), True),
    "datastore_run_triggers": (lambda: _required("resource_id"), False),
    "harvest_job_create": (lambda: _required("source_id"), False),
    "harvest_get_notifications_recipients": (lambda: _required("source_id"), False),
    "harvest_source_show_status": (lambda: _required("id"), True),
    "harvest_job_abort": (lambda: {"id": [_job_or_source],
                                   "source_id": [tk.get_validator("ignore_missing")]}, False),
    "harvest_abort_failed_jobs": (lambda: _days("life_span", 7), False),
    "harvest_object_create": (lambda: _required("job_id"), False),
    "harvest_log_list": (lambda: _naturals("limit", "offset"), True),
    "harvest_source_clear": (lambda: _required("id"), False),
    "harvest_source_index_clear": (lambda: _required("id"), False),
    "harvest_source_job_history_clear": (lambda: _required("id"), False),
    "harvest_source_delete": (lambda: _required("id"), False),
    "group_member_create": (lambda: _required("id", "username", "role"), False),
    "organization_member_create": (lambda: _required("id", "username", "role"), False),
    "group_member_delete": (lambda: _required("id", "username"), False),
    "organization_member_delete": (lambda: _required("id", "username"), False),
}
# actions that never call their auth function (CKAN's audit then fails them)
UNAUDITED = ("harvest_abort_failed_jobs",)
# keys ckanext-harvest's auth functions read with data_dict[key]
HARVEST_AUTH_READS = {"harvest_job_list": "source_id"}
# the harvest auth functions that serve anonymous callers without failing
HARVEST_OPEN = ("harvest_source_show", "harvest_source_list", "harvest_source_show_status",
                "harvesters_info_show", "harvest_object_show", "harvest_job_show",
                "harvest_object_list", "harvest_job_report")
PLUGIN_OF = {"datastore_": "datastore", "harvest_": "harvest"}


def _checking(name: str, schema: Callable[[], Schema], read: bool) -> ChainedAction:
    """A chained action that validates what the core action reads unchecked, then
    calls it with the checked values (defaults filled in)."""
    def checked_action(next_action: Action, context: Context, data_dict: DataDict) -> Any:
        if name in UNAUDITED:
            tk.check_access(name, context, data_dict)
        declared = schema()
        present = {key: data_dict[key] for key in declared if key in data_dict}
        checked, errors = tk.navl_validate(present, declared, context)
        if errors:
            raise tk.ValidationError(errors)
        rest = {key: value for key, value in data_dict.items() if key not in declared}
        return next_action(context, {**rest, **checked})

    action = tk.chained_action(checked_action)
    return tk.side_effect_free(action) if read else action


@tk.chained_action
@tk.side_effect_free
def datastore_search_sql(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    # CKAN 2.12's DataStore reads data_dict["sql"] unchecked (2.11 checked it)
    checked, errors = tk.navl_validate(data_dict, {**_required("sql"), "__extras": [
        tk.get_validator("ignore")]}, context)
    if errors:
        raise tk.ValidationError(errors)
    try:
        return next_action(context, {**data_dict, "sql": checked["sql"]})
    except DBAPIError as error:
        message = getattr(getattr(error.orig, "diag", None), "message_primary", None)
        raise tk.ValidationError({"sql": [tk._("PostgreSQL could not run the statement: "
                                                "{reason}").format(
            reason=message or str(error.orig).splitlines()[0])]}) from None


@tk.chained_action
@tk.side_effect_free
def datastore_search(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """The DataStore lets anyone search its own list of tables (``_table_metadata``;
    2.12: ``ckan.datastore.public_table_search``), which names the tables of private and
    restricted datasets too, and then fails that search in CKAN's own auth audit (a 500).
    Here they are not resources: a 404 like any unknown table."""
    resource_id = data_dict.get("resource_id")
    own = {"_table_metadata", *(tk.config.get("ckan.datastore.public_table_search") or [])}
    if isinstance(resource_id, str) and resource_id in own:
        raise tk.ObjectNotFound(tk._('Resource "{0}" was not found.').format(resource_id))
    return next_action(context, data_dict)


@tk.chained_action
@tk.side_effect_free
def harvest_source_reindex(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """ckanext-harvest's action calls no auth function and indexes whatever dataset it is
    given from an unvalidated show (on CKAN 2.12 as the validated document package_show
    answers from). Here: a harvest source, and its editors; harvest_sources_reindex,
    which checks for a sysadmin itself, calls it with a context of its own
    (``defer_commit``, no user)."""
    present = _validated(data_dict, _required("id"), context)  # the auth function reads it
    checked_before = bool(context.get("defer_commit"))  # by harvest_sources_reindex
    tk.check_access("harvest_source_reindex",
                    Context(context, ignore_auth=True) if checked_before else context,
                    {**data_dict, **present})
    checked = _validated(present, {"id": [_harvest_source]}, context)
    return next_action(context, {**data_dict, "id": checked["id"]})


def _validated(data_dict: DataDict, schema: dict[str, Any], context: Context) -> DataDict:
    checked, errors = tk.navl_validate(
        data_dict, {**schema, "__extras": [tk.get_validator("ignore")]}, context)
    if errors:
        raise tk.ValidationError(errors)
    return {key: value for key, value in checked.items() if key in schema}


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def activity_show(next_auth: AuthFunction, context: Context,
                  data_dict: DataDict | None) -> AuthResult:
    data_dict = data_dict or {}
    if "include_data" not in data_dict:
        data_dict = {**data_dict, "include_data": False}
    return next_auth(context, data_dict)


def _loaded(name: str) -> bool:
    plugin = next((p for prefix, p in PLUGIN_OF.items() if name.startswith(prefix)), None)
    return plugin is None or plugins.plugin_loaded(plugin)


def chained_actions() -> dict[str, ChainedAction]:
    actions = {name: _checking(name, schema, read)
               for name, (schema, read) in CHECKS.items() if _loaded(name)}
    if plugins.plugin_loaded("harvest"):
        actions["harvest_source_reindex"] = harvest_source_reindex
    if plugins.plugin_loaded("datastore"):
        actions["datastore_search"] = datastore_search
    # the DataStore registers datastore_search_sql only when SQL search is enabled
    if plugins.plugin_loaded("datastore") and tk.config.get(
            "ckan.datastore.sqlsearch.enabled"):
        actions["datastore_search_sql"] = datastore_search_sql
    return actions


def _logged_in_first(reads: str | None) -> Any:
    """ckanext-harvest's sysadmin check raises AttributeError for a caller without a
    user account (``pt.Objectpt.ObjectNotFound``, a typo), and some of its auth
    functions read a key without a check; both are refused first."""
    @tk.chained_auth_function
    @tk.auth_allow_anonymous_access
    def auth(next_auth: AuthFunction, context: Context,
             data_dict: DataDict | None) -> AuthResult:
        data_dict = data_dict or {}
        if model.User.get(context.get("user") or "") is None:
            return {"success": False, "msg": tk._("Log in first")}
        if reads and not data_dict.get(reads):
            return {"success": False, "msg": tk._("Missing value: {key}").format(key=reads)}
        return next_auth(context, data_dict)

    return auth


@tk.auth_allow_anonymous_access
def _sysadmins_only(next_auth: AuthFunction, context: Context,
                    data_dict: DataDict | None) -> AuthResult:
    """ckanext-harvest's plugin builds its actions and auth functions into one shared
    dict (a mutable default argument), so an action without an auth function of its
    own has itself as auth function: it recurses until RecursionError. Sysadmins never
    reach an auth function; everyone else is refused here."""
    return {"success": False, "msg": tk._("Only sysadmins may do this")}


def _harvest_names(root: str) -> set[str]:
    """The functions ckanext-harvest's plugin registers from ``root``'s modules."""
    names = set()
    for module_name in ("get", "create", "update", "patch", "delete"):
        try:
            module = importlib.import_module(f"{root}.{module_name}")
        except ImportError:
            continue
        names.update(name for name, value in vars(module).items()
                     if name.startswith("harvest_") and callable(value)
                     and getattr(value, "__module__", None) == module.__name__)
    return names


def _harvest_auth() -> dict[str, Any]:
    if not plugins.plugin_loaded("harvest"):
        return {}
    own = _harvest_names("ckanext.harvest.logic.auth")
    chained = {name: _logged_in_first(HARVEST_AUTH_READS.get(name))
               for name in sorted(own - set(HARVEST_OPEN))}
    chained.update({name: tk.chained_auth_function(_sysadmins_only)
                    for name in sorted(_harvest_names("ckanext.harvest.logic.action") - own)})
    return chained


def chained_auth() -> dict[str, Any]:
    auth = _harvest_auth()
    if plugins.plugin_loaded("activity"):
        auth["activity_show"] = activity_show
    return auth
