"""Input of the actions of logic/action.py, declared as navl schemas (``@validate``)."""
from __future__ import annotations

from typing import cast

import ckan.plugins.toolkit as tk
from ckan.types import Schema, ValidatorFactory


def factory(name: str) -> ValidatorFactory:
    """A validator that takes arguments (``one_of``, ``default``, ``retailarea_max_length``),
    typed as one: ``tk.get_validator`` returns either kind."""
    return cast(ValidatorFactory, tk.get_validator(name))


def table_report() -> Schema:
    """retailarea_table_report_show and retailarea_table_validate."""
    v = tk.get_validator
    return {"resource_id": [v("not_empty"), v("retailarea_string")]}
