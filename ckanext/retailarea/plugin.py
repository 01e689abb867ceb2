"""Plugin wiring only: each hook delegates to the module that owns the capability."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation


@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.helpers
@tk.blanket.validators
class RetailAreaPlugin(p.SingletonPlugin, DefaultTranslation):
    """Core of the platform: config, CLI, translations, retail-area groups."""

    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
