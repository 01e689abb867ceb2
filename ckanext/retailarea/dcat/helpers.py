"""Template helpers of the DCAT capability."""
from __future__ import annotations

from typing import Any

from ckanext.retailarea.dcat import conformance


def retailarea_dcat_conformance(dataset: dict[str, Any]) -> dict[str, Any]:
    """The dataset's DCAT-AP conformance state for its page (see conformance.status)."""
    return conformance.status(dataset)


def get_helpers() -> dict[str, Any]:
    return {"retailarea_dcat_conformance": retailarea_dcat_conformance}
