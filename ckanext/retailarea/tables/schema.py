"""Input of the table actions (``actions.py``), declared as navl schemas (``@validate``)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import Schema


def table_report() -> Schema:
    """retailarea_table_report_show and retailarea_table_validate."""
    v = tk.get_validator
    return {"resource_id": [v("not_empty"), v("retailarea_string")]}
