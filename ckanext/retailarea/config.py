"""Typed getters for the options declared in config_declaration.yaml, read at call time."""
from __future__ import annotations

import os
import re
from typing import Any

import ckan.plugins.toolkit as tk


def demo_admin_user() -> str:
    """Name of the sysadmin the demo loader acts as."""
    return tk.config["ckanext.retailarea.demo.admin_user"]


def demo_site_url() -> str:
    """Base URL used for the demo catalog's resource links."""
    return tk.config["ckanext.retailarea.demo.resource_base_url"]


def demo_spdp_url() -> str | None:
    """The SPDP index of the demo's live parking; None: the demo has none."""
    return (tk.config.get("ckanext.retailarea.demo.spdp_url") or "").strip() or None


def table_max_bytes() -> int:
    """Largest CSV the table validation reads, in bytes."""
    return tk.config["ckanext.retailarea.tables.max_mb"] * 1024 * 1024


def access_grant_days() -> int:
    """Default validity of an approved access request, in days."""
    return tk.config["ckanext.retailarea.access.grant_days"]


def access_log_ip() -> bool:
    """Whether the access log records the IP address of each access."""
    return tk.config["ckanext.retailarea.access.log_ip"]


def access_log_retention_days() -> int:
    """How long access-log entries are kept."""
    return tk.config["ckanext.retailarea.access.log_retention_days"]


BRAND_COLOURS = ("primary", "accent", "text")
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def brand_errors(options: Any) -> list[str]:
    """What is wrong with the brand options of a config, one message per option."""
    errors = []
    for name in BRAND_COLOURS:
        key = f"ckanext.retailarea.brand.{name}_colour"
        value = options.get(key)
        if value is not None and not _HEX_COLOUR.match(str(value).strip()):
            errors.append(f"{key}: {value!r} is no hex colour; use one such as #0b5d8a")
    return errors


def brand_colours() -> dict[str, str]:
    """The header's valid colours: ``{primary, accent, text}``. A value that is no hex
    colour (it would go into the page's style sheet) is left out, and the style sheet's
    own fallback (the declared default) applies."""
    colours = {}
    for name in BRAND_COLOURS:
        value = str(tk.config.get(f"ckanext.retailarea.brand.{name}_colour") or "").strip()
        if _HEX_COLOUR.match(value):
            colours[name] = value
    return colours


def map_tile_url() -> str:
    """Tile URL template of the map of retail areas; empty means outlines without tiles."""
    return (tk.config["ckanext.retailarea.map.tile_url"] or "").strip()


def map_attribution() -> str:
    """Attribution HTML of the map's tiles."""
    return tk.config["ckanext.retailarea.map.attribution"] or ""


def harvest_allow_private_addresses() -> bool:
    """Whether harvesters may read loopback and private addresses (tests, intranets)."""
    return tk.config["ckanext.retailarea.harvest.allow_private_addresses"]


def harvest_connect_timeout() -> int:
    """Seconds a harvest source has to accept the connection."""
    return tk.config["ckanext.retailarea.harvest.connect_timeout"]


def harvest_read_timeout() -> int:
    """Seconds between bytes of a harvest source's response."""
    return tk.config["ckanext.retailarea.harvest.read_timeout"]


def harvest_total_timeout() -> int:
    """Seconds one harvest response may take in all."""
    return tk.config["ckanext.retailarea.harvest.total_timeout"]


def harvest_max_bytes() -> int:
    """Largest harvest response read, in bytes."""
    return tk.config["ckanext.retailarea.harvest.max_mb"] * 1024 * 1024


def harvest_max_redirects() -> int:
    """Redirects followed per harvest request."""
    return tk.config["ckanext.retailarea.harvest.max_redirects"]


def harvest_max_pages() -> int:
    """Pages one gather reads at most."""
    return tk.config["ckanext.retailarea.harvest.max_pages"]


def harvest_import_in_gather() -> bool:
    """Whether our harvesters import new and changed records in the gather stage."""
    return tk.config["ckanext.retailarea.harvest.import_in_gather"]


def harvest_import_processes() -> int:
    """Processes that import one gather page (0: one per CPU, at most 4)."""
    wanted = tk.config["ckanext.retailarea.harvest.import_processes"]
    if wanted <= 0:
        wanted = min(4, os.cpu_count() or 1)
    return min(wanted, 16)


def guard_max_body_bytes() -> int:
    """Largest JSON or form request body, in bytes (uploads excepted)."""
    return tk.config["ckanext.retailarea.guard.max_body_bytes"]


def guard_max_json_depth() -> int:
    """Deepest nesting of arrays and objects in a JSON request body."""
    return tk.config["ckanext.retailarea.guard.max_json_depth"]
