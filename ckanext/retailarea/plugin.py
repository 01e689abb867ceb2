"""Plugin wiring only: each hook delegates to the module that owns the capability."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation
from ckanext.scheming.plugins import SchemingDatasetsPlugin, _expand_schemas

from ckanext.retailarea.metadata import compose, search


@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.helpers
@tk.blanket.validators
class RetailAreaPlugin(p.SingletonPlugin, DefaultTranslation):
    """Core of the platform: config, CLI, translations, validators, helpers."""

    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")


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

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.index_fields(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return search.rewrite_params(search_params)

    def after_dataset_search(self, results: dict[str, Any], params: dict[str, Any]):
        return search.rename_and_label(results)

    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str):
        return search.facet_titles()
