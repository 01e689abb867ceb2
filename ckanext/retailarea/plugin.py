"""Plugin wiring only: each hook delegates to the module that owns the capability."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.retailarea import helpers as core_helpers
from ckanext.retailarea.access import actions as access_actions
from ckanext.retailarea.access import auth as access_auth
from ckanext.retailarea.access import enforce as access
from ckanext.retailarea.access import helpers as access_helpers
from ckanext.retailarea.access import vault
from ckanext.retailarea.access import views as access_views
from ckanext.retailarea.dcat import catalog as dcat_catalog
from ckanext.retailarea.dcat import conformance as dcat_conformance
from ckanext.retailarea.dcat import guard as dcat_guard
from ckanext.retailarea.dcat import helpers as dcat_helpers
from ckanext.retailarea.dcat import store as dcat_store
from ckanext.retailarea.footfall import actions as footfall_actions
from ckanext.retailarea.footfall import auth as footfall_auth
from ckanext.retailarea.footfall import helpers as footfall_helpers
from ckanext.retailarea.footfall import middleware as footfall_middleware
from ckanext.retailarea.footfall import store as footfall_store
from ckanext.retailarea.footfall import views as footfall_views
from ckanext.retailarea.guard import actions as guard_actions
from ckanext.retailarea.guard import request as request_guard
from ckanext.retailarea.guard import views as guard_views
from ckanext.retailarea.insights import actions as insights_actions
from ckanext.retailarea.insights import auth as insights_auth
from ckanext.retailarea.insights import helpers as insights_helpers
from ckanext.retailarea.insights import occupancy as insights_occupancy
from ckanext.retailarea.insights import views as insights_views
from ckanext.retailarea.metadata import search
from ckanext.retailarea.metadata.plugin import RetailAreaSchemasPlugin
from ckanext.retailarea.tables import actions as table_actions
from ckanext.retailarea.tables import auth as table_auth
from ckanext.retailarea.tables import hooks as validation
from ckanext.retailarea.tables.interfaces import IRetailAreaTables
from ckanext.retailarea.ui import brand


@tk.blanket.actions(guard_actions.get_actions)
@tk.blanket.auth_functions(guard_actions.get_auth_functions)
@tk.blanket.helpers(core_helpers.get_helpers)
@tk.blanket.blueprints(guard_views)
@tk.blanket.config_declarations
@tk.blanket.cli
class RetailAreaPlugin(p.SingletonPlugin):
    """Core of the platform: config, CLI, helpers, actions, the site's templates. The
    validators, the dataset types' helpers and snippets, the assets and the translations
    come with ``retailarea_datasets`` (``retailarea_schemas``, metadata/plugin.py).

    Every plugin here registers the same way: ``@tk.blanket.actions``/``auth_functions``/
    ``helpers`` with its capability's ``get_actions()``/``get_auth_functions()``/
    ``get_helpers()``, ``@tk.blanket.blueprints`` with its ``views`` module.

    Request hook: ``guard/request.py`` checks every request's parameters and body before
    any view (a bad value is a 400 with field messages, never a 500; see docs/api.md)."""

    p.implements(p.IConfigurer)
    p.implements(p.IMiddleware, inherit=True)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        brand.check_config(config)

    def make_middleware(self, app: Any, config: Any) -> Any:
        return request_guard.install(app)


class RetailAreaDatasetsPlugin(RetailAreaSchemasPlugin):
    """The typed datasets as ``retailarea_schemas`` has them (metadata/plugin.py), plus the
    vault's seal on save and the indexing and facets of the metadata fields. Use it
    instead of ``scheming_datasets``."""

    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)

    def validate(self, context: Any, data_dict: dict[str, Any], schema: Any,
                 action: str) -> Any:
        data, errors = super().validate(context, data_dict, schema, action)
        if action in ("package_create", "package_update") and not errors:
            vault.seal(context, data)
        return data, errors

    def resource_validation_dependencies(self, package_type: str) -> list[str]:
        return list(vault.RESOURCE_DEPENDENCIES)

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.index_fields(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return search.rewrite_params(search_params)

    def after_dataset_search(self, results: dict[str, Any], params: dict[str, Any]):
        return search.rename_and_label(results)

    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str):
        return search.facet_titles()


@tk.blanket.actions(table_actions.get_actions)
@tk.blanket.auth_functions(table_auth.get_auth_functions)
class RetailAreaTablesPlugin(p.SingletonPlugin):
    """Uploaded CSVs of typed datasets are validated against their table schema in a
    background job and, when valid, loaded into the DataStore (needs `datastore`)."""

    p.implements(p.IResourceController, inherit=True)

    def after_resource_create(self, context: Any, resource: dict[str, Any]) -> None:
        validation.resource_changed(resource)

    def after_resource_update(self, context: Any, resource: dict[str, Any]) -> None:
        validation.resource_changed(resource)

    def before_resource_delete(self, context: Any, resource: dict[str, Any],
                               resources: list[dict[str, Any]]) -> None:
        validation.resource_deleted(resource["id"])


@tk.blanket.actions(access_actions.get_actions)
@tk.blanket.auth_functions(access_auth.get_auth_functions)
@tk.blanket.helpers(access_helpers.get_helpers)
@tk.blanket.blueprints(access_views)
class RetailAreaAccessPlugin(p.SingletonPlugin):
    """Access levels and purpose-bound access requests, enforced on every path
    (see access/enforce.py for the map of paths and guards).

    Request hooks, on other plugins' endpoints: ``enforce.guard_request`` answers 403/404
    for the data of a restricted dataset (files, previews, DataStore, views, harvest
    objects) before CKAN's or the DataStore's view runs; ``registry.check_request``
    answers 404 for ckanext-harvest's auth functions that it registers as actions too
    (docs/upstream.md)."""

    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IMiddleware, inherit=True)

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return access.reveal_on_show(context, pkg_dict)

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        vault.store(context, pkg_dict["id"])

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        vault.store(context, pkg_dict["id"])
        access.purposes_changed(pkg_dict)

    def make_middleware(self, app: Any, config: Any) -> Any:
        app.before_request(access.guard_request)
        app.before_request(access.registry.check_request)
        return app



@tk.blanket.helpers(dcat_helpers.get_helpers)
class RetailAreaDCATPlugin(p.SingletonPlugin):
    """Keeps each dataset's DCAT triples at save time, so the whole catalog streams by
    concatenation (`ckan retailarea dcat dump`, `/catalog.*`). Needs `dcat` with our
    profile.

    Request hooks, on ckanext-dcat's endpoints (its ``/catalog.<format>`` view stays the
    registered route, so ``?profiles=`` and everything we do not answer still reach it):
    ``dcat/catalog.serve_page`` answers a catalog page from the kept DCAT before
    ckanext-dcat's view would build it; ``dcat/guard.install`` makes bad paging a 400
    and search errors a 400/503 instead of ckanext-dcat's 500."""

    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.IConfigurable)
    p.implements(IRetailAreaTables)

    def configure(self, config: Any) -> None:
        dcat_conformance.install()

    def make_middleware(self, app: Any, config: Any) -> Any:
        app = dcat_guard.install(app)  # paging checked first
        app.before_request(dcat_catalog.serve_page)
        return app

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        if dcat_store.saved(pkg_dict["id"]) is not None:
            dcat_conformance.schedule(pkg_dict["id"])

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        if dcat_store.saved(pkg_dict["id"]) is not None:
            dcat_conformance.schedule(pkg_dict["id"])

    def after_dataset_delete(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        dcat_store.forget(pkg_dict["id"])

    def retailarea_after_table_load(self, resource_id: str, table_schema: str) -> None:
        row = dcat_store.table_loaded(resource_id)
        if row is not None:
            dcat_conformance.schedule(row.package_id)


@tk.blanket.actions(footfall_actions.get_actions)
@tk.blanket.auth_functions(footfall_auth.get_auth_functions)
@tk.blanket.helpers(footfall_helpers.get_helpers)
@tk.blanket.blueprints(footfall_views)
class RetailAreaFootfallPlugin(p.SingletonPlugin):
    """Footfall and parking occupancy series from the DataStore, with charts. Needs
    `datastore` and `retailarea_access` (the dataset's access rules apply).

    Request hook, on CKAN's Action API: ``footfall/middleware`` turns the 409 CKAN gives
    a ValidationError into a 400 for the two series actions only (a bad read is a bad
    request); CKAN's JSON body stays."""

    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(IRetailAreaTables)

    def make_middleware(self, app: Any, config: Any) -> Any:
        app.after_request(footfall_middleware.bad_request_for_invalid_series)
        return app

    def retailarea_after_table_load(self, resource_id: str, table_schema: str) -> None:
        footfall_store.prepare(resource_id, table_schema)

    def before_resource_delete(self, context: Any, resource: dict[str, Any],
                               resources: list[dict[str, Any]]) -> None:
        footfall_store.forget(resource["id"])


@tk.blanket.actions(insights_actions.get_actions)
@tk.blanket.auth_functions(insights_auth.get_auth_functions)
@tk.blanket.helpers(insights_helpers.get_helpers)
@tk.blanket.blueprints(insights_views)
class RetailAreaInsightsPlugin(p.SingletonPlugin):
    """Insights of a retail area (footfall, shops, parking, events, freshness) and their
    pages. Needs `datastore`, `retailarea_access` (access rules hold for aggregates) and
    `retailarea_footfall` (listed before it: its load hook indexes the tables first)."""

    p.implements(p.IResourceController, inherit=True)
    p.implements(IRetailAreaTables)

    def retailarea_after_table_load(self, resource_id: str, table_schema: str) -> None:
        if table_schema == footfall_store.OCCUPANCY:
            insights_occupancy.build(resource_id)

    def before_resource_delete(self, context: Any, resource: dict[str, Any],
                               resources: list[dict[str, Any]]) -> None:
        insights_occupancy.forget(resource["id"])
