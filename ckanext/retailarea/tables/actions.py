"""Actions of ckanext-retailarea; each name is prefixed and shared with its auth function."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate
from ckan.types import Context, DataDict

from ckanext.retailarea.model import TableReport
from ckanext.retailarea.tables import hooks, schema

__all__ = ["retailarea_table_report_show", "retailarea_table_validate"]


def _resource(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return tk.get_action("resource_show")(
        {"ignore_auth": True, "user": context.get("user", "")}, {"id": data_dict["resource_id"]}
    )


@tk.side_effect_free
@validate(schema.table_report)
def retailarea_table_report_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Validation and DataStore-load state of a CSV resource.

    :param resource_id: id of the resource
    :returns: ``status`` (pending, validating, loading, loaded, invalid, skipped, error),
        ``running``, ``table_schema``, ``rows_checked``, ``rows_loaded``, ``error_count``,
        ``report`` (``errors`` with ``row``, ``column``, ``code``, ``message``), ``message``
    """
    tk.check_access("retailarea_table_report_show", context, data_dict)
    resource = _resource(context, data_dict)
    report = TableReport.get(resource["id"])
    if report is None:
        raise tk.ObjectNotFound(tk._("This resource has not been validated"))
    return report.as_dict()


@validate(schema.table_report)
def retailarea_table_validate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Validate (again) a CSV resource of a typed dataset in the background.

    :param resource_id: id of the resource
    :returns: the report, with status ``pending``
    """
    tk.check_access("retailarea_table_validate", context, data_dict)
    resource = _resource(context, data_dict)
    package = tk.get_action("package_show")({"ignore_auth": True}, {"id": resource["package_id"]})
    if not hooks.is_table(resource, package["type"]):
        raise tk.ValidationError({"resource_id": [
            tk._("Only uploaded CSV files of shop-register, events, parking and footfall "
                 "datasets are validated")
        ]})
    return hooks.enqueue(resource["id"], package["id"], hooks.source_key(resource)).as_dict()


def get_actions() -> dict[str, Any]:
    return {name: globals()[name] for name in __all__}
