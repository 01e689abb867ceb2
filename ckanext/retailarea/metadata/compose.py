"""Composes scheming schemas from shared field files.

A field entry ``{include: "ckanext.retailarea.schemas:fields/core.yaml"}`` in
``dataset_fields`` or ``resource_fields`` is replaced by the fields of that section of the
named file, so the fields every dataset type shares are written once."""
from __future__ import annotations

import importlib.resources
from typing import Any

import yaml

SECTIONS = ("dataset_fields", "resource_fields")
MAX_DEPTH = 5


class SchemaCompositionError(ValueError):
    """A schema includes something that does not exist, itself, or a field twice."""


def load_fields(reference: str, section: str) -> list[dict[str, Any]]:
    """The ``section`` list of the YAML file named ``module:relative/path.yaml``."""
    module, _, path = reference.partition(":")
    try:
        text = importlib.resources.files(module).joinpath(path).read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise SchemaCompositionError(f"cannot include {reference}: {error}") from None
    fields = (yaml.safe_load(text) or {}).get(section)
    if not isinstance(fields, list):
        raise SchemaCompositionError(f"{reference} has no '{section}' list")
    return fields


def expand(fields: list[dict[str, Any]], section: str, depth: int = 0) -> list[dict[str, Any]]:
    """``fields`` with every include entry replaced by the included fields."""
    if depth > MAX_DEPTH:
        raise SchemaCompositionError("includes nest too deep (an include cycle?)")
    out: list[dict[str, Any]] = []
    for field in fields:
        if "include" in field:
            out.extend(expand(load_fields(field["include"], section), section, depth + 1))
        else:
            out.append(field)
    return out


def compose(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` with its includes expanded; duplicate field names refused."""
    composed = dict(schema)
    for section in SECTIONS:
        if section not in schema:
            continue
        composed[section] = expand(schema[section], section)
        names = [f["field_name"] for f in composed[section]]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise SchemaCompositionError(
                f"{schema.get('dataset_type')}: fields defined twice in {section}: {duplicates}"
            )
    return composed


def compose_all(schemas: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {name: compose(schema) for name, schema in schemas.items()}
