"""Where restricted data could leak, and what stops it.

The URLs of restricted and non-public datasets' resources are never where CKAN reads
(access/vault.py): resource rows, activities, the search index, caches and harvest
objects hold a neutral guarded URL. What remains to guard is the way back to the data:

- package_show (and resource_show, the pages, everything built on them):
  ``reveal_on_show`` puts the real URLs back only for those who may reach the data,
  never for internal (``ignore_auth``) reads or DCAT documents;
- resource downloads, view pages, DataTables, the neutral route: ``guard_request``
  answers 403, or logs the download of a grant holder;
- datastore_search, datastore_search_sql, datastore_info, dumps: chained auth; chained
  actions log grant holders' queries;
- resource views (their config may copy a URL) and harvest objects: chained auth;
- retailarea_footfall_series, retailarea_parking_occupancy_series and their CSV/JSON
  downloads: footfall/auth.py and footfall/sources.py apply the same rules.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Action, AuthFunction, AuthResult, Context, DataDict

from ckanext.retailarea.access import bulk, harvest_sources, notify, policy, vault
from ckanext.retailarea.access import log as access_log
from ckanext.retailarea.guard import registry

GUARDED_ENDPOINTS = ("resource.download", "resource.view", "datatablesview.ajax",
                     "datatablesview.filtered_download", "retailarea_access.neutral")
DENIED = ("This dataset is restricted: request access on the dataset page "
          "for one of its permitted purposes")


def _user(context: Context) -> str | None:
    return context.get("user") or None


def reveal_on_show(context: Context, pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """After package_show: the real URLs for those who may reach the data. Internal reads
    (``ignore_auth``: activities, the search index, kept DCAT) keep the neutral ones,
    unmarked: what they store must not say who reads it later."""
    if not vault.is_secret(pkg_dict):
        return pkg_dict
    resources = pkg_dict.get("resources") or []
    for resource in resources:
        resource.pop("retailarea_withheld", None)  # a search document made before 0007
    if context.get("ignore_auth"):
        return pkg_dict
    user = _user(context)
    if user and not _serving_dcat():
        package = model.Package.get(pkg_dict.get("id", ""))
        if policy.reach(user, package).allowed:
            vault.reveal(pkg_dict)
            return pkg_dict
    for resource in resources:
        resource["retailarea_withheld"] = True
    return pkg_dict


def purposes_changed(pkg_dict: dict[str, Any]) -> None:
    """Grants for a purpose the dataset no longer permits stop working (policy.reach);
    their holders are told once."""
    notify.purpose_withdrawn(pkg_dict)


def _serving_dcat() -> bool:
    """DCAT documents travel to other catalogs: restricted distributions never carry
    their URLs there, whoever asks (the profile points them at the dataset page)."""
    try:
        return (tk.request.endpoint or "").startswith("dcat.")
    except RuntimeError:  # no request: CLI or job
        return False


def guard_request() -> Any:
    """Flask before_request: downloads and views of restricted resources."""
    endpoint = tk.request.endpoint or ""
    if not endpoint.endswith(GUARDED_ENDPOINTS):
        return None
    resource_id = _requested_resource(tk.request.view_args or {})
    package = policy.package_of_resource(resource_id)
    user = tk.current_user.name if tk.current_user.is_authenticated else None
    if package is not None and not _may_read(user, package):
        return tk.abort(404, tk._("Resource not found"))
    if not policy.is_restricted(package):
        return None
    reach = policy.reach(user, package)
    if not reach.allowed:
        return tk.abort(403, tk._(DENIED))
    if reach.grant is not None and endpoint.endswith("resource.download"):
        access_log.record(reach.grant, "download", resource_id, access_log.remote_ip())
    return None


def _requested_resource(view_args: dict[str, Any]) -> str:
    if view_args.get("resource_id"):
        return view_args["resource_id"]
    view = model.ResourceView.get(view_args.get("resource_view_id", ""))
    return view.resource_id if view is not None else ""


def _may_read(user: str | None, package: model.Package) -> bool:
    """CKAN's own read rule (private datasets); its views do not all check it."""
    try:
        tk.check_access("package_show", {"user": user or ""}, {"id": package.id})
    except tk.NotAuthorized:
        return False
    return True


def _table_of(name: str) -> str:
    """The resource table a DataStore name stands for (itself, or the table of an alias)."""
    from ckanext.datastore.backend import DatastoreBackend

    _found, resource_id = DatastoreBackend.get_active_backend().resource_id_from_alias(name)
    return resource_id or name


def _restricted_reach(context: Context, resource_id: str | None) -> policy.Reach | None:
    package = policy.package_of_resource(resource_id or "")
    if not policy.is_restricted(package):
        return None
    return policy.reach(_user(context), package)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search(next_auth: AuthFunction, context: Context,
                     data_dict: DataDict | None) -> AuthResult:
    data_dict = data_dict or {}
    reach = _restricted_reach(context, data_dict.get("resource_id") or data_dict.get("id"))
    if reach is not None and not reach.allowed:
        return {"success": False, "msg": tk._(DENIED)}
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_info(next_auth: AuthFunction, context: Context,
                   data_dict: DataDict | None) -> AuthResult:
    data_dict = data_dict or {}
    return datastore_search(next_auth, context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search_sql(next_auth: AuthFunction, context: Context,
                         data_dict: DataDict | None) -> AuthResult:
    """The DataStore checks each table with its own helper, not datastore_search."""
    data_dict = data_dict or {}
    # CKAN 2.12 passes the tables as a generator (read once here, the core auth function
    # found it empty and allowed every table: a private dataset's rows to anyone), and
    # names them as written, aliases included (2.11: the tables PostgreSQL reads)
    tables = [_table_of(name) for name in context.get("table_names") or []]
    context["table_names"] = tables
    for table in tables:
        reach = _restricted_reach(context, table)
        if reach is not None and not reach.allowed:
            return {"success": False, "msg": tk._(DENIED)}
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def resource_view_show(next_auth: AuthFunction, context: Context,
                       data_dict: DataDict | None) -> AuthResult:
    data_dict = data_dict or {}
    view = model.ResourceView.get(data_dict.get("id", ""))
    reach = _restricted_reach(context, view.resource_id if view else None)
    if reach is not None and not reach.allowed:
        return {"success": False, "msg": tk._(DENIED)}
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def harvest_object_show(next_auth: AuthFunction, context: Context,
                        data_dict: DataDict | None) -> AuthResult:
    data_dict = data_dict or {}
    """Harvest objects carry the source record, URLs included."""
    obj_id = data_dict.get("id") or data_dict.get("harvest_object_id")
    package_id = _harvest_object_package(obj_id)
    if package_id:
        package = model.Package.get(package_id)
        try:
            tk.check_access("package_show", {**context}, {"id": package_id})
        except tk.NotAuthorized:
            return {"success": False, "msg": tk._("Not authorized to see this dataset")}
        if not policy.reach(_user(context), package).allowed:
            return {"success": False, "msg": tk._(DENIED)}
    return next_auth(context, data_dict)


def _harvest_object_package(obj_id: str | None) -> str | None:
    if not obj_id:
        return None
    from ckanext.harvest.model import HarvestObject

    return model.Session.query(HarvestObject.package_id).filter_by(id=obj_id).scalar()


@tk.chained_action
@tk.side_effect_free
def datastore_search_action(next_action: Action, context: Context,
                            data_dict: DataDict) -> Any:
    result = next_action(context, data_dict)
    _log_query(context, data_dict.get("resource_id"), "datastore_search")
    return result


@tk.chained_action
@tk.side_effect_free
def datastore_search_sql_action(next_action: Action, context: Context,
                                data_dict: DataDict) -> Any:
    result = next_action(context, data_dict)
    for table in _tables_of(data_dict.get("sql") or ""):
        _log_query(context, table, "datastore_search_sql")
    return result


def _tables_of(sql: str) -> list[str]:
    """The tables a DataStore query read. The DataStore's own list lives in a context
    copy we never see, so ask PostgreSQL the same way it does (EXPLAIN)."""
    import ckanext.datastore.backend.postgres as db
    from ckanext.datastore.helpers import get_table_and_function_names_from_sql

    with db.get_read_engine().connect() as connection:
        tables, _ = get_table_and_function_names_from_sql({"connection": connection}, sql)
    return tables


def _log_query(context: Context, resource_id: str | None, action: str) -> None:
    reach = _restricted_reach(context, resource_id)
    if reach is not None and reach.grant is not None:
        access_log.record(reach.grant, action, resource_id, access_log.remote_ip())


@tk.chained_action
@tk.side_effect_free
def resource_view_list_action(next_action: Action, context: Context,
                              data_dict: DataDict) -> Any:
    reach = _restricted_reach(context, data_dict.get("id"))
    if reach is not None and not reach.allowed:
        tk.check_access("resource_view_list", context, data_dict)
        return []
    return next_action(context, data_dict)


def chained_actions() -> dict[str, Any]:
    actions = {
        "datastore_search": datastore_search_action,
        "resource_view_list": resource_view_list_action,
        "bulk_update_private": bulk.bulk_update_private,
        "bulk_update_public": bulk.bulk_update_public,
    }
    # the DataStore registers datastore_search_sql only when SQL search is enabled
    if tk.asbool(tk.config.get("ckan.datastore.sqlsearch.enabled")):
        actions["datastore_search_sql"] = datastore_search_sql_action
    return {**actions, **registry.chained_actions()}


def chained_auth() -> dict[str, Any]:
    auth = {
        "datastore_search": datastore_search,
        "datastore_info": datastore_info,
        "resource_view_show": resource_view_show,
        "harvest_object_show": harvest_object_show,
        "package_create": harvest_sources.package_create,
        "package_update": harvest_sources.package_update,
    }
    if tk.asbool(tk.config.get("ckan.datastore.sqlsearch.enabled")):
        auth["datastore_search_sql"] = datastore_search_sql
    return {**auth, **registry.chained_auth()}
