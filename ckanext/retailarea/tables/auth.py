"""Auth functions, named after their actions. They never read request state."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

__all__ = ["retailarea_table_report_show", "retailarea_table_validate"]


def _can_edit_resource(context: Context, data_dict: DataDict) -> AuthResult:
    resource_id = data_dict.get("resource_id")
    if not resource_id:
        return {"success": False, "msg": tk._("Missing resource_id")}
    try:
        tk.check_access("resource_update", context, {"id": resource_id})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Only editors of the dataset see its reports")}
    except tk.ObjectNotFound:
        return {"success": False, "msg": tk._("Resource not found")}
    return {"success": True}


def retailarea_table_report_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Editors of the dataset: reports can quote cell values of data not yet public."""
    return _can_edit_resource(context, data_dict)


def retailarea_table_validate(context: Context, data_dict: DataDict) -> AuthResult:
    return _can_edit_resource(context, data_dict)


def get_auth_functions() -> dict[str, Any]:
    return {name: globals()[name] for name in __all__}
