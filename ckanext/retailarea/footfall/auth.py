"""Auth functions of the series actions (same names).

A series of one dataset is data of that dataset: CKAN's read rule for non-public
datasets, an active grant for restricted ones. A series of an area is open to all; the
action leaves out the area's datasets the caller may not read.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.retailarea.access import enforce
from ckanext.retailarea.footfall import sources


def _dataset_data(context: Context, data_dict: DataDict) -> AuthResult:
    name = data_dict.get("id")
    package = model.Package.get(name) if isinstance(name, str) and name else None
    if package is None:
        return {"success": True}  # nothing to guard: the action says what is missing
    if not sources.may_read(context, package):
        return {"success": False, "msg": tk._("Not authorized to read this dataset")}
    if not sources.reach(context, package).allowed:
        return {"success": False, "msg": tk._(enforce.DENIED)}
    return {"success": True}


@tk.auth_allow_anonymous_access
def retailarea_footfall_series(context: Context, data_dict: DataDict) -> AuthResult:
    return _dataset_data(context, data_dict)


@tk.auth_allow_anonymous_access
def retailarea_parking_occupancy_series(context: Context, data_dict: DataDict) -> AuthResult:
    return _dataset_data(context, data_dict)


__all__ = ["retailarea_footfall_series", "retailarea_parking_occupancy_series"]


def get_auth_functions() -> dict[str, Any]:
    return {name: globals()[name] for name in __all__}
