"""Template helpers: they return data, never HTML."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["retailarea_retail_areas"]


def retailarea_retail_areas(limit: int = 50) -> list[dict[str, Any]]:
    """Retail areas (groups of type ``retail-area``) with their dataset counts."""
    return tk.get_action("group_list")(
        {},
        {"type": "retail-area", "all_fields": True, "limit": limit, "sort": "title asc"},
    )
