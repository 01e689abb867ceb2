"""The site's look: the header's colours from the brand options (the logo is CKAN's own
``ckan.site_logo``). Returns data, never HTML."""
from __future__ import annotations

from typing import Any

from ckan.exceptions import CkanConfigurationException

from ckanext.retailarea import config


def retailarea_brand() -> dict[str, str]:
    """The header's colours as CSS custom properties: ``{property: hex colour}``."""
    colours = config.brand_colours()
    return {f"--retailarea-{name}": value for name, value in colours.items()}


def check_config(options: Any) -> None:
    """Refuse to start with a brand colour that is no hex colour (CKAN's declared
    ``validators`` cannot name a plugin's validator while the plugins load)."""
    errors = config.brand_errors(options)
    if errors:
        raise CkanConfigurationException("Invalid configuration values provided:\n"
                                         + "\n".join(errors))
