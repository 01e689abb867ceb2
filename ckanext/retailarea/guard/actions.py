"""The core actions and auth functions the guard chains: workarounds of core bugs
(``upstream.py``) and a clean 409 when the DataStore's read database is away
(``replica.py``). Registered by the core plugin."""
from __future__ import annotations

from typing import Any

from ckanext.retailarea import replica
from ckanext.retailarea.guard import upstream


def get_actions() -> dict[str, Any]:
    return replica.guard_reads(upstream.chained_actions())


def get_auth_functions() -> dict[str, Any]:
    return upstream.chained_auth()
