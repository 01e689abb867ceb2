"""``retailarea_schemas``: the dataset types alone, for any CKAN (wiring only).

What a CKAN needs to hold and show our typed datasets (``shop-register``, ``events``,
``parking``, ``footfall`` and, when configured, ``dataset``): the scheming schemas with
their shared-field includes (compose.py), the validators and helpers they name, their
snippets and assets, the map options and the nl/en strings. No vault, harvesters,
DataStore hooks, routes or auth: a municipality's CKAN that copies our datasets with
ckanext-harvest's ``ckan`` harvester installs this one plugin (docs/federation.md). The
full extension's ``retailarea_datasets`` extends it, so both run the same code."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import yaml
from ckan.lib.plugins import DefaultTranslation
from ckanext.scheming.plugins import SchemingDatasetsPlugin, _expand_schemas

import ckanext.retailarea
from ckanext.retailarea.logic import validators
from ckanext.retailarea.metadata import compose, urls
from ckanext.retailarea.metadata import helpers as schema_helpers

I18N_DOMAIN = "ckanext-retailarea"
DECLARATIONS = Path(__file__).with_name("config_declaration.yaml")


class RetailAreaSchemasPlugin(SchemingDatasetsPlugin, DefaultTranslation):
    """ckanext-scheming's dataset plugin with our schemas: use it instead of
    ``scheming_datasets`` (with ``scheming_groups`` and our group schema, for the retail
    areas a harvester copies as groups)."""

    p.implements(p.ITranslation)
    p.implements(p.IConfigDeclaration)

    def update_config(self, config: Any) -> None:
        super().update_config(config)
        self._schemas = compose.compose_all(self._schemas)
        self._expanded_schemas = _expand_schemas(self._schemas)
        tk.add_template_directory(config, "templates")
        tk.add_resource("../assets", "retailarea")

    def get_helpers(self) -> dict[str, Any]:
        return {**super().get_helpers(), **schema_helpers.get_helpers()}

    def get_validators(self) -> dict[str, Any]:
        ours = {name: getattr(validators, name) for name in validators.__all__}
        return {**super().get_validators(), **ours}

    def validate(self, context: Any, data_dict: dict[str, Any], schema: Any,
                 action: str) -> Any:
        data, errors = super().validate(context, data_dict, schema, action)
        if action in ("package_create", "package_update"):
            errors = urls.check_resources(data, errors)
        return data, errors

    def declare_config_options(self, declaration: Any, key: Any) -> None:
        declaration.load_dict(yaml.safe_load(DECLARATIONS.read_text("utf-8")))

    # one catalog for every plugin of the extension, whatever the plugin is called
    def i18n_directory(self) -> str:
        return str(Path(ckanext.retailarea.__file__).parent / "i18n")

    def i18n_domain(self) -> str:
        return I18N_DOMAIN
