"""Template helpers of the DCAT capability."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.retailarea.dcat import conformance, fallbacks
from ckanext.retailarea.metadata import series


def retailarea_dcat_conformance(dataset: dict[str, Any]) -> dict[str, Any]:
    """The dataset's DCAT-AP conformance state for its page (see conformance.status)."""
    return conformance.status(dataset)


def retailarea_dataset_series(dataset: dict[str, Any]) -> dict[str, Any]:
    """The series the dataset is part of (with previous and next part) and its own parts
    (metadata/series.navigation)."""
    return series.navigation(dataset)


def retailarea_dcat_fallbacks(dataset: dict[str, Any]) -> list[fallbacks.Fallback]:
    """The DCAT-AP stand-ins the export of the dataset uses, for those who may edit it
    (dcat/fallbacks.py); nobody else is asked to fix them."""
    if not tk.h.check_access("package_update", {"id": dataset["id"]}):
        return []
    return fallbacks.of(dataset)


def get_helpers() -> dict[str, Any]:
    return {"retailarea_dcat_conformance": retailarea_dcat_conformance,
            "retailarea_dataset_series": retailarea_dataset_series,
            "retailarea_dcat_fallbacks": retailarea_dcat_fallbacks}
