"""Auth of the insights action: open to all; the action leaves out, with the reason, the
figures of datasets the caller may not read (see disclosure.py)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict


@tk.auth_allow_anonymous_access
def retailarea_area_insights(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


__all__ = ["retailarea_area_insights"]


def get_auth_functions() -> dict[str, Any]:
    return {name: globals()[name] for name in __all__}
