"""What the navl schemas of every capability share (``access/schema.py``, ``footfall/schema.py``,
``tables/schema.py``, ``guard/upstream.py``)."""
from __future__ import annotations

from typing import cast

import ckan.plugins.toolkit as tk
from ckan.types import ValidatorFactory


def factory(name: str) -> ValidatorFactory:
    """A validator that takes arguments (``one_of``, ``default``, ``retailarea_max_length``),
    typed as one: ``tk.get_validator`` returns either kind."""
    return cast(ValidatorFactory, tk.get_validator(name))
