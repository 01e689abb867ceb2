"""Template helpers: they return data, never HTML."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.retailarea.harvesters.progress import (
    retailarea_harvest_job_fallbacks,
    retailarea_harvest_job_notes,
    retailarea_harvest_job_rates,
)
from ckanext.retailarea.metadata import types
from ckanext.retailarea.tables.schemas import retailarea_expected_headers
from ckanext.retailarea.ui.brand import retailarea_brand
from ckanext.retailarea.ui.helpers import (
    retailarea_facet_limit,
    retailarea_language_links,
    retailarea_latest_datasets,
    retailarea_type_counts,
)

__all__ = [
    "retailarea_retail_areas",
    "retailarea_expected_headers",
    "retailarea_dataset_type_label",
    "retailarea_table_report",
    "retailarea_area_datasets_by_type",
    "retailarea_harvest_job_rates",
    "retailarea_harvest_job_notes",
    "retailarea_harvest_job_fallbacks",
    # the user interface (ui/helpers.py); what the dataset types need to render is
    # registered by retailarea_schemas (metadata/helpers.py)
    "retailarea_facet_limit",
    "retailarea_language_links",
    "retailarea_latest_datasets",
    "retailarea_type_counts",
    # the header's colours (ui/brand.py)
    "retailarea_brand",
]


def retailarea_retail_areas(limit: int = 50) -> list[dict[str, Any]]:
    """Retail areas (groups of type ``retail-area``) with their dataset counts."""
    return tk.get_action("group_list")(
        {},
        {"type": "retail-area", "all_fields": True, "limit": limit, "sort": "title asc"},
    )


def retailarea_dataset_type_label(dataset_type: str) -> str:
    """The name of a dataset type in the current language."""
    return types.label(dataset_type, tk.h.lang() or "en") or dataset_type


def retailarea_table_report(resource_id: str) -> dict[str, Any] | None:
    """The validation report of a resource, for those allowed to see it; else None."""
    try:
        return tk.get_action("retailarea_table_report_show")({}, {"resource_id": resource_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def retailarea_area_datasets_by_type(area_name: str, per_type: int = 5) -> list[dict[str, Any]]:
    """The datasets of a retail area the user may see, grouped by dataset type in the
    platform's type order: ``[{type, label, count, url, datasets: [...]}, ...]``."""
    lang = tk.h.lang() or "en"
    out = []
    for dataset_type in types.TYPES:
        result = tk.get_action("package_search")({}, {
            "fq": f'groups:"{area_name}" +dataset_type:"{dataset_type}"',
            "rows": per_type, "sort": "title_string asc", "include_private": True,
        })
        if result["count"]:
            out.append({
                "type": dataset_type,
                "label": types.label(dataset_type, lang),
                "count": result["count"],
                "url": tk.h.url_for("dataset.search", groups=area_name,
                                    dataset_type=dataset_type),
                "datasets": result["results"],
            })
    return out


def get_helpers() -> dict[str, Any]:
    return {name: globals()[name] for name in __all__}
