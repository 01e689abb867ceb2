"""Auth of the app API: open to all, like the catalog; each action reads only the datasets
the caller may read in full and names the others (see actions.py)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict


@tk.auth_allow_anonymous_access
def retailarea_parking_now(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def retailarea_events_between(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def retailarea_open_at(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


__all__ = ["retailarea_parking_now", "retailarea_events_between", "retailarea_open_at"]


def get_auth_functions() -> dict[str, Any]:
    return {name: globals()[name] for name in __all__}
