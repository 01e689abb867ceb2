"""The template helpers the dataset types need to render (their forms, snippets and
choices), registered by ``retailarea_schemas`` and so also by the full extension's
``retailarea_datasets``. They read CKAN's tables and our vocabularies only, never the
extension's own tables, so a consumer's CKAN with just the schemas renders with them."""
from __future__ import annotations

from typing import Any

from ckanext.retailarea import vocab
from ckanext.retailarea.metadata.areas import retailarea_area_choices
from ckanext.retailarea.tables import schemas as table_schemas
from ckanext.retailarea.ui.display import (
    retailarea_duration_words,
    retailarea_is_set,
    retailarea_spatial_map,
)
from ckanext.retailarea.ui.helpers import retailarea_area_map, retailarea_form_sections

__all__ = [
    "retailarea_area_choices",
    "retailarea_vocab_choices",
    "retailarea_table_schema_choices",
    "retailarea_area_map",
    "retailarea_form_sections",
    "retailarea_duration_words",
    "retailarea_is_set",
    "retailarea_spatial_map",
]


def retailarea_vocab_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """scheming ``choices_helper``: the codes of ``field["vocabulary"]`` with nl/en labels."""
    return vocab.scheming_choices(field)


def retailarea_table_schema_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """scheming ``choices_helper``: the table schemas a CSV resource can follow."""
    return [{"value": name, "label": name.replace("_", " ")} for name in table_schemas.names()]


def get_helpers() -> dict[str, Any]:
    return {name: globals()[name] for name in __all__}
