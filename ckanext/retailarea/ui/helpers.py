"""Template helpers of the user interface; they return data, never HTML."""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.retailarea import config
from ckanext.retailarea.metadata import types

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def _sections() -> dict[str, tuple[str, str]]:
    """Legend and introduction of each ``form_section`` used in schemas/fields/*.yaml."""
    return {
        "access": (
            tk._("Access and purposes"),
            tk._("Who may reach the data, for which purposes and on what legal basis. "
                 "The most protective choices are preselected."),
        ),
    }


def _lang() -> str:
    return tk.h.lang() or "en"


def retailarea_type_counts() -> list[dict[str, Any]]:
    """Every dataset type with the number of datasets the user can find, and its search
    URL: ``[{type, label, count, url}, ...]`` in the platform's type order."""
    result = tk.get_action("package_search")({}, {
        "rows": 0, "include_private": True, "facet.field": ["dataset_type"],
        "facet.limit": -1,
    })
    counts = {item["name"]: item["count"]
              for item in result["search_facets"].get("dataset_type", {}).get("items", [])}
    lang = _lang()
    return [
        {"type": name, "label": types.label(name, lang), "count": counts.get(name, 0),
         "url": tk.h.url_for("dataset.search", dataset_type=name)}
        for name in types.TYPES
    ]


def retailarea_latest_datasets(limit: int = 5) -> list[dict[str, Any]]:
    """The datasets changed most recently that the user can see, newest first."""
    result = tk.get_action("package_search")({}, {
        "rows": limit, "sort": "metadata_modified desc", "include_private": True,
    })
    return result["results"]


def _geometry(value: Any) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    try:
        geometry = json.loads(value or "")
    except (TypeError, ValueError):
        return None
    return geometry if isinstance(geometry, dict) and "type" in geometry else None


def _extra(group: dict[str, Any], key: str) -> Any:
    if key in group:
        return group[key]
    return next((e["value"] for e in group.get("extras") or [] if e["key"] == key), None)


def retailarea_area_map() -> dict[str, Any]:
    """What the map of retail areas needs: each area with its outline (GeoJSON), dataset
    count and page URL, and the configured tiles (an empty tile URL means no tiles)."""
    groups = tk.get_action("group_list")({}, {
        "type": "retail-area", "all_fields": True, "include_extras": True,
        "sort": "title asc", "limit": 1000,
    })
    areas = [{
        "name": group["name"], "title": group.get("display_name") or group["name"],
        "count": group.get("package_count", 0),
        "url": tk.h.url_for("retail-area.read", id=group["name"]),
        "geometry": _geometry(_extra(group, "geometry")),
    } for group in groups]
    return {"areas": areas, "tile_url": config.map_tile_url(),
            "attribution": config.map_attribution()}


def retailarea_language_links() -> list[dict[str, Any]]:
    """The current page in each offered language: ``[{code, name, url, current}]``."""
    current = _lang()
    path = tk.h.current_url()
    return [
        {"code": code, "name": LANGUAGE_NAMES.get(code, code), "current": code == current,
         "url": tk.h.url_for(path, locale=code)}
        for code in tk.aslist(tk.config.get("ckan.locales_offered")) or [current]
    ]


def retailarea_form_sections(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive fields that share a ``form_section`` as one section with a legend;
    other fields as sections without one: ``[{name, legend, intro, fields}, ...]``."""
    sections: list[dict[str, Any]] = []
    texts = _sections()
    for field in fields:
        name = field.get("form_section")
        if not sections or sections[-1]["name"] != name or name is None:
            legend, intro = texts.get(name or "", (None, None))
            sections.append({"name": name, "legend": legend, "intro": intro, "fields": []})
        sections[-1]["fields"].append(field)
    return sections


def retailarea_facet_limit(name: str) -> int:
    """How many items of facet ``name`` the search page shows: its ``_<name>_limit``
    parameter, else ``search.facets.default`` (0 shows all)."""
    default = tk.config.get("search.facets.default")
    return tk.h.get_param_int(f"_{name}_limit", default)
