"""Typed getters for the options declared in config_declaration.yaml, read at call time."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def demo_admin_user() -> str:
    """Name of the sysadmin the demo loader acts as."""
    return tk.config["ckanext.retailarea.demo.admin_user"]


def demo_site_url() -> str:
    """Base URL used for the demo catalog's resource links."""
    return tk.config["ckanext.retailarea.demo.resource_base_url"]


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
