"""Plugin wiring only: each hook delegates to the module that owns the capability."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation
from ckanext.scheming.plugins import SchemingDatasetsPlugin, _expand_schemas

from ckanext.retailarea.access import actions as access_actions
from ckanext.retailarea.access import auth as access_auth
from ckanext.retailarea.access import enforce as access
from ckanext.retailarea.access import helpers as access_helpers
from ckanext.retailarea.access import vault
from ckanext.retailarea.access.views import access as access_blueprint
from ckanext.retailarea.dcat import catalog as dcat_catalog
from ckanext.retailarea.dcat import conformance as dcat_conformance
from ckanext.retailarea.dcat import guard as dcat_guard
from ckanext.retailarea.dcat import store as dcat_store
from ckanext.retailarea.footfall import actions as footfall_actions
from ckanext.retailarea.footfall import auth as footfall_auth
from ckanext.retailarea.footfall import helpers as footfall_helpers
from ckanext.retailarea.footfall import middleware as footfall_middleware
from ckanext.retailarea.footfall import store as footfall_store
from ckanext.retailarea.footfall.views import footfall as footfall_blueprint
from ckanext.retailarea.guard import request as request_guard
from ckanext.retailarea.guard import views as guard_views
from ckanext.retailarea.insights import actions as insights_actions
from ckanext.retailarea.insights import auth as insights_auth
from ckanext.retailarea.insights import helpers as insights_helpers
from ckanext.retailarea.insights import occupancy as insights_occupancy
from ckanext.retailarea.insights import views as insights_views
from ckanext.retailarea.logic import action as logic_action
from ckanext.retailarea.logic import auth as logic_auth
from ckanext.retailarea.metadata import compose, search, urls
from ckanext.retailarea.validation import hooks as validation
from ckanext.retailarea.validation.interfaces import IRetailAreaTables


@tk.blanket.actions(logic_action.get_actions)
@tk.blanket.auth_functions(logic_auth.get_auth_functions)
@tk.blanket.blueprints(guard_views)
@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.helpers
@tk.blanket.validators
class RetailAreaPlugin(p.SingletonPlugin, DefaultTranslation):
    """Core of the platform: config, CLI, translations, validators, helpers, actions."""

    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IMiddleware, inherit=True)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "retailarea")

    def make_middleware(self, app: Any, config: Any) -> Any:
        return dcat_guard.install(request_guard.install(app))


class RetailAreaDatasetsPlugin(SchemingDatasetsPlugin):
    """The typed datasets: ckanext-scheming's dataset plugin with shared-field includes
    (metadata/compose.py), plus indexing and facets of the metadata fields. Use it
    instead of ``scheming_datasets``."""

    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)

    def update_config(self, config: Any) -> None:
        super().update_config(config)
        self._schemas = compose.compose_all(self._schemas)
        self._expanded_schemas = _expand_schemas(self._schemas)

    def validate(self, context: Any, data_dict: dict[str, Any], schema: Any,
                 action: str) -> Any:
        data, errors = super().validate(context, data_dict, schema, action)
        if action in ("package_create", "package_update"):
            errors = urls.check_resources(data, errors)
            if not errors:
                vault.seal(context, data)
        return data, errors

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.index_fields(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return search.rewrite_params(search_params)

    def after_dataset_search(self, results: dict[str, Any], params: dict[str, Any]):
        return search.rename_and_label(results)

    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str):
        return search.facet_titles()


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


class RetailAreaAccessPlugin(p.SingletonPlugin):
    """Access levels and purpose-bound access requests, enforced on every path
    (see access/enforce.py for the map of paths and guards)."""

    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)
    p.implements(p.IBlueprint)
    p.implements(p.ITemplateHelpers)

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

    def get_actions(self) -> dict[str, Any]:
        own = {name: getattr(access_actions, name) for name in access_actions.__all__}
        return {**own, **access.chained_actions()}

    def get_auth_functions(self) -> dict[str, Any]:
        own = {name: getattr(access_auth, name) for name in access_auth.__all__}
        return {**own, **access.chained_auth()}

    def get_blueprint(self) -> Any:
        return access_blueprint

    def get_helpers(self) -> dict[str, Any]:
        return access_helpers.get_helpers()


class RetailAreaDCATPlugin(p.SingletonPlugin):
    """Keeps each dataset's DCAT triples at save time, so the whole catalog streams by
    concatenation (`ckan retailarea dcat dump`, `/catalog.*`). Needs `dcat` with our
    profile."""

    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.IConfigurable)
    p.implements(p.ITemplateHelpers)

    def configure(self, config: Any) -> None:
        dcat_conformance.install()

    def make_middleware(self, app: Any, config: Any) -> Any:
        app.before_request(dcat_catalog.serve_page)
        return app

    def get_helpers(self) -> dict[str, Any]:
        return {"retailarea_dcat_conformance": dcat_conformance.status}

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        if dcat_store.refresh(pkg_dict["id"]) is not None:
            dcat_conformance.schedule(pkg_dict["id"])

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        if dcat_store.refresh(pkg_dict["id"]) is not None:
            dcat_conformance.schedule(pkg_dict["id"])

    def after_dataset_delete(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        dcat_store.forget(pkg_dict["id"])


@tk.blanket.actions(footfall_actions)
@tk.blanket.auth_functions(footfall_auth)
@tk.blanket.blueprints(footfall_blueprint)
class RetailAreaFootfallPlugin(p.SingletonPlugin):
    """Footfall and parking occupancy series from the DataStore, with charts. Needs
    `datastore` and `retailarea_access` (the dataset's access rules apply)."""

    p.implements(p.ITemplateHelpers)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(IRetailAreaTables)

    def get_helpers(self) -> dict[str, Any]:
        return footfall_helpers.get_helpers()

    def make_middleware(self, app: Any, config: Any) -> Any:
        app.after_request(footfall_middleware.bad_request_for_invalid_series)
        return app

    def retailarea_after_table_load(self, resource_id: str, table_schema: str) -> None:
        footfall_store.prepare(resource_id, table_schema)

    def before_resource_delete(self, context: Any, resource: dict[str, Any],
                               resources: list[dict[str, Any]]) -> None:
        footfall_store.forget(resource["id"])


@tk.blanket.actions(insights_actions)
@tk.blanket.auth_functions(insights_auth)
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
