"""What the fuzzer sends requests to, derived from CKAN's action registry and our
plugins, never listed by hand."""
from __future__ import annotations

import functools
import re
from typing import Any

import ckan.logic as logic
import ckan.plugins as plugins

# the core actions a visitor of the catalog uses
VISITOR_PREFIXES = ("package_", "resource_", "organization_", "group_", "datastore_",
                    "harvest_", "current_package_list", "recently_changed_packages")
VISITOR_SUFFIXES = ("activity_list",)
PARAM = re.compile(r":param (\w+):")
COMMON_PARAMS = (
    "id", "name", "q", "fq", "rows", "start", "limit", "offset", "sort", "fl",
    "resource_id", "package_id", "organization_id", "include_data", "filters", "fields",
    "records", "sql", "period", "end", "area", "location_id", "facility", "status",
    "mine", "active", "expires", "decision", "purpose", "justification", "type",
    "all_fields", "include_datasets", "include_private", "facet.field", "url",
)


def registry() -> dict[str, Any]:
    logic.get_action("package_show")  # fills the registry
    return dict(logic._actions)


def _ours(plugin: Any) -> bool:
    return type(plugin).__module__.startswith("ckanext.retailarea")


def our_actions() -> set[str]:
    """Every action a plugin of ours registers or chains."""
    names: set[str] = set()
    for plugin in plugins.PluginImplementations(plugins.IActions):
        if _ours(plugin):
            names.update(plugin.get_actions())
    return names


def visitor_actions(names: set[str]) -> set[str]:
    return {name for name in names
            if name.startswith(VISITOR_PREFIXES) or name.endswith(VISITOR_SUFFIXES)}


def targets() -> list[str]:
    names = set(registry())
    return sorted(our_actions() | visitor_actions(names))


def _origin(action: Any) -> Any:
    """The first implementation behind CKAN's wrapper and chained partials."""
    for cell in getattr(action, "__closure__", None) or ():
        if isinstance(cell.cell_contents, functools.partial) or (
                callable(cell.cell_contents) and cell.cell_contents is not action):
            action = cell.cell_contents
            break
    while isinstance(action, functools.partial):
        action = action.args[0]
    return action


def params(name: str) -> tuple[str, ...]:
    """The parameters its docstring names, then the common ones."""
    documented = PARAM.findall(_origin(registry()[name]).__doc__ or "")
    return tuple(dict.fromkeys([*documented, *COMMON_PARAMS]))
