"""Validate datasets as the catalog exports them, against the shipped SHACL shapes."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context
from ckanext.dcat.processors import RDFSerializer

from ckanext.retailarea import vocab
from ckanext.retailarea.dcat.profiles import shacl
from ckanext.retailarea.metadata.rules import as_list


def _site_context() -> Context:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": user["name"], "ignore_auth": True}


def dataset_report(dataset_id: str) -> tuple[dict[str, Any], shacl.Report]:
    """The dataset and the SHACL report of its DCAT export. Read from the database, not
    the search index's copy: stored values are what is checked (a value written to the
    database directly does not change metadata_modified on CKAN 2.12, where extras are a
    column of package)."""
    context = _site_context()
    context["use_cache"] = False
    dataset = tk.get_action("package_show")(context, {"id": dataset_id})
    serializer = RDFSerializer()
    serializer.graph_from_dataset(dataset)
    return dataset, shacl.validate(serializer.g)


def dataset_ids() -> Iterator[str]:
    """Every dataset that the catalog exports (non-public ones are never exported)."""
    start = 0
    while True:
        page = tk.get_action("package_search")(_site_context(), {
            "q": "*:*", "fl": "id", "rows": 500, "start": start, "sort": "name asc",
            "include_private": False,
        })
        ids = [row["id"] for row in page["results"]]
        yield from ids
        start += len(ids)
        if not ids or start >= page["count"]:
            return


def stored_value_problems(dataset: dict[str, Any]) -> list[str]:
    """Codes stored outside their vocabulary (e.g. written to the database directly or
    before a vocabulary changed): the export drops them, so say so instead."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(dataset.get("type")) or {}
    problems = []
    for field in schema.get("dataset_fields", []):
        allowed = _allowed(field)
        if allowed is None:
            continue
        for value in as_list(dataset.get(field["field_name"])):
            if value not in allowed:
                problems.append(f"{field['field_name']}: stored value {value!r} is not a "
                                f"known code, so it is left out of the export")
    return problems


def _allowed(field: dict[str, Any]) -> set[str] | None:
    if field.get("vocabulary"):
        return set(vocab.codes(field["vocabulary"]))
    if field.get("choices") and field.get("field_name") != "contains_personal_data":
        return {str(choice["value"]) for choice in field["choices"]}
    return None
