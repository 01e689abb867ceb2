"""Validators registered with CKAN (blanket.validators); every name is prefixed."""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["retailarea_municipality_code"]

_MUNICIPALITY_CODE = re.compile(r"^GM[0-9]{4}$")


def retailarea_municipality_code(value: Any) -> Any:
    """A CBS municipality code: ``GM`` followed by four digits, e.g. ``GM0513`` (Gouda)."""
    if value in (None, ""):
        return value
    if not isinstance(value, str) or not _MUNICIPALITY_CODE.match(value.strip()):
        raise tk.Invalid(
            tk._("Use a CBS municipality code: GM followed by four digits, e.g. GM0513")
        )
    return value.strip()
