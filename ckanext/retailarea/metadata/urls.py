"""URL fields accept web addresses only (http and https), at input; templates check again
at render (a value stored before this check, or by a path without validation, is shown
as text). ``mailto:`` belongs in e-mail fields, which have their own validators."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk

WEB_SCHEMES = ("http", "https")


def is_web_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def message() -> str:
    return tk._("Only web addresses (http:// or https://) are accepted here")


def retailarea_web_url(value: Any) -> Any:
    """A dataset or resource URL field: empty, or an http(s) address."""
    if value in (None, "") or value is tk.missing:
        return value
    if not is_web_url(value):
        raise tk.Invalid(message())
    return value


def resource_url_errors(resource: dict[str, Any]) -> dict[str, list[str]]:
    """The URL fields of one validated resource that are not web addresses: its link
    (not an upload's file name) and every ``*_url`` value (download_url, access_url, ...)."""
    errors = {}
    for key, value in resource.items():
        if value in (None, "") or not (key == "url" or key.endswith("_url")):
            continue
        if key == "url" and resource.get("url_type") in ("upload", "datastore"):
            continue
        if not is_web_url(value):
            errors[key] = [message()]
    return errors


def check_resources(data: dict[str, Any], errors: dict[str, Any]) -> dict[str, Any]:
    """Adds per-resource errors in CKAN's shape (a list with one dict per resource)."""
    found = [resource_url_errors(resource) for resource in data.get("resources") or []]
    if any(found):
        errors = dict(errors)
        errors["resources"] = found
    return errors
