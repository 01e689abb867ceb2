"""Cross-field rules of every dataset type (scheming before/after validators).

Each broken rule becomes a translated error on the field the steward has to change."""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

NON_PUBLIC = "non_public"
RESTRICTED = "restricted"
PERSONAL_COUNTING_METHODS = {"wifi", "bluetooth"}


def group_extras(group: model.Group) -> Mapping[str, Any]:
    """A group's extras: a dict-like on CKAN 2.11, a JSONB column on 2.12 that CKAN maps
    without declaring it on the class, so a type checker cannot see it there."""
    extras: Mapping[str, Any] | None = getattr(group, "extras", None)
    return extras or {}

def _value(data: dict, name: str) -> Any:
    value = data.get((name,))
    return None if value is tk.missing or value == "" else value


def as_list(value: Any) -> list[str]:
    """A list field as scheming may hold it: a list, a JSON list string or one value."""
    if value in (None, "", tk.missing):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _error(errors: dict, name: str, message: str) -> None:
    errors.setdefault((name,), []).append(message)


def retailarea_dataset_rules(key: Any, data: dict, errors: dict, context: Any) -> None:
    """After validator: purposes, legal basis, privacy, time order, sensor privacy."""
    access_level = _value(data, "access_level")
    if access_level == RESTRICTED and not as_list(_value(data, "permitted_purposes")):
        _error(errors, "permitted_purposes",
               tk._("Required when access_level is restricted: pick the permitted purposes"))
    personal = _value(data, "contains_personal_data") is True
    if personal and not _value(data, "legal_basis"):
        _error(errors, "legal_basis",
               tk._("Required when the data contains personal data (GDPR art. 6)"))
    if _value(data, "counting_method") in PERSONAL_COUNTING_METHODS and not personal:
        _error(errors, "contains_personal_data",
               tk._("Wifi and bluetooth counts are personal data: set this to true"))
    start, end = _value(data, "temporal_start"), _value(data, "temporal_end")
    if start and end and str(start) > str(end):
        _error(errors, "temporal_end", tk._("The end of the period lies before its start"))
    if access_level:
        # non_public datasets are CKAN-private; restricted ones must stay discoverable
        data[("private",)] = access_level == NON_PUBLIC


def retailarea_area_defaults(key: Any, data: dict, errors: dict, context: Any) -> None:
    """Before validator: a dataset without its own spatial takes its retail area's outline."""
    if _value(data, "spatial"):
        return
    for outline in _area_outlines(data):
        data[("spatial",)] = outline
        return


def _area_outlines(data: dict) -> list[str]:
    refs = [
        value for (field, *rest), value in list(data.items())
        if field == "groups" and rest and rest[-1] in ("name", "id") and value
    ]
    outlines = []
    for ref in refs:
        group = model.Group.get(ref)
        if group and group.type == "retail-area" and group_extras(group).get("geometry"):
            outlines.append(group_extras(group)["geometry"])
    return outlines
