"""The Frictionless table schemas in ``schemas/tables/`` and which one fits a CSV file."""
from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

SCHEMA_PACKAGE = "ckanext.retailarea.schemas"

# The tables each dataset type publishes; other dataset types have no table schema.
DATASET_TABLES: dict[str, list[str]] = {
    "shop-register": ["shops"],
    "events": ["events"],
    "parking": ["parking_facilities", "parking_occupancy", "parking_tariffs"],
    "footfall": ["footfall_locations", "footfall_counts"],
}

# Share of a schema's columns a header must name before detect() maps it to that schema:
# high enough that an unrelated CSV maps to nothing, low enough that a file missing a column
# or two still maps and then gets a "missing-label" error from validation.
MIN_OVERLAP = 0.6


def _folder() -> Traversable:
    return resources.files(SCHEMA_PACKAGE) / "tables"


def names() -> list[str]:
    """Names of all table schemas, sorted (``shops``, ``events``, ...)."""
    return sorted(
        entry.name.removesuffix(".json")
        for entry in _folder().iterdir()
        if entry.name.endswith(".json")
    )


def load(name: str) -> dict[str, Any]:
    """The table schema ``name`` as a Frictionless descriptor.

    Raises ``KeyError`` for an unknown name (never reads a path built from user input).
    """
    if name not in names():
        raise KeyError(f"unknown table schema: {name!r}")
    return json.loads((_folder() / f"{name}.json").read_text(encoding="utf-8"))


def field_names(name: str) -> list[str]:
    """Column names of the table schema ``name``, in schema order."""
    return [field["name"] for field in load(name)["fields"]]


def for_dataset_type(dataset_type: str) -> list[str]:
    """Names of the table schemas a dataset of ``dataset_type`` may carry (may be empty)."""
    return list(DATASET_TABLES.get(dataset_type, []))


def detect(header: list[str], dataset_type: str) -> str | None:
    """The table schema of ``dataset_type`` whose columns the CSV ``header`` names.

    An exact match of the column set wins. Otherwise the schema with the best overlap wins,
    as long as the header names at least ``MIN_OVERLAP`` of its columns and more of them
    than of any other candidate (a tie maps to nothing). Column order and surrounding
    spaces do not matter; case does, as in validation.
    """
    labels = {label.strip() for label in header if label and label.strip()}
    if not labels:
        return None
    candidates = {name: set(field_names(name)) for name in for_dataset_type(dataset_type)}
    for name, columns in candidates.items():
        if labels == columns:
            return name
    scores = sorted(
        ((_overlap(labels, columns), name) for name, columns in candidates.items()),
        reverse=True,
    )
    if not scores or scores[0][0] < MIN_OVERLAP:
        return None
    if len(scores) > 1 and scores[1][0] == scores[0][0]:
        return None
    return scores[0][1]


def _overlap(labels: set[str], columns: set[str]) -> float:
    """Jaccard similarity: shared columns over all columns named by either side."""
    return len(labels & columns) / len(labels | columns)


def retailarea_expected_headers(dataset_type: str) -> list[dict[str, Any]]:
    """Template helper: the table schemas of ``dataset_type`` with their title and header
    (``[{name, title, header}]``), for the warning on a table that matches none."""
    return [
        {"name": name, "title": load(name).get("title", name), "header": field_names(name)}
        for name in for_dataset_type(dataset_type)
    ]
