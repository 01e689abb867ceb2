"""Input of the access actions, declared as navl schemas (``@validate``): an id is a
string, a flag is true or false, a number is a number; anything else is a field error."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import Schema, Validator

from ckanext.retailarea.logic.schema import factory

STATUSES = ["pending", "approved", "rejected"]
MAX_TEXT = "4000"
MAX_LIMIT, DEFAULT_LIMIT, MAX_OFFSET = 10000, 1000, 1_000_000_000


def _id(required: bool = True) -> list[Validator]:
    v = tk.get_validator
    return [v("not_empty" if required else "ignore_missing"), v("retailarea_string")]


def _flag() -> list[Validator]:
    v = tk.get_validator
    return [v("ignore_missing"), v("retailarea_boolean")]


def _text(required: bool) -> list[Validator]:
    v = tk.get_validator
    return [v("not_empty" if required else "ignore_missing"), v("retailarea_string"),
            factory("retailarea_max_length")(MAX_TEXT), v("strip_value"),
            v("not_empty" if required else "ignore_empty")]


def request_create() -> Schema:
    return {"package_id": _id(), "purpose": _id(), "justification": _text(True),
            "accept_conditions": _flag()}


def request_decide() -> Schema:
    v = tk.get_validator
    return {
        "id": _id(),
        "decision": [v("not_empty"), v("retailarea_string"),
                     factory("one_of")(["approve", "reject"])],
        "expires": [v("ignore_missing"), v("retailarea_expiry")],
        "reason": _text(False),
    }


def scope() -> Schema:
    """``package_id`` or ``mine``, as the list actions take them."""
    return {"package_id": _id(False), "mine": _flag()}


def request_list() -> Schema:
    v = tk.get_validator
    return {**scope(),
            "status": [v("ignore_missing"), v("retailarea_string"), factory("one_of")(STATUSES)]}


def grant_list() -> Schema:
    return {**scope(), "active": _flag()}


def grant_revoke() -> Schema:
    return {"id": _id()}


def log_list() -> Schema:
    v = tk.get_validator
    return {
        "package_id": _id(False), "organization_id": _id(False),
        "limit": [factory("default")(DEFAULT_LIMIT), v("is_positive_integer"),
                  factory("retailarea_at_most")(str(MAX_LIMIT))],
        "offset": [factory("default")(0), v("natural_number_validator"),
                   factory("retailarea_at_most")(str(MAX_OFFSET))],
    }
