"""Which of an area's datasets a caller's figures may use, and how.

Each dataset of the area is read in one of three modes:

- ``full``: the caller may read its data (public, a member, a grant holder);
- ``aggregate``: restricted, the caller has no grant, but the steward allowed public
  aggregates (``public_aggregates``); every figure is then built from *cells* that each
  hold at least ``min_group_size`` units (counting locations, shops, facilities) and the
  cells are fixed by the data, never by the question, so the difference of two answers is
  again a sum of whole cells (see docs/insights.md);
- excluded: restricted without grant or aggregates, or not loaded; named with the reason.

Non-public datasets the caller cannot see are left out without a word, as on the area page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ckan.model as model
from ckan.types import Context

from ckanext.retailarea.access import policy
from ckanext.retailarea.footfall import sources

FULL, AGGREGATE = "full", "aggregate"
DEFAULT_GROUP_SIZE = 10


@dataclass
class Reading:
    """One dataset and its loaded tables per table schema, read in ``mode``."""

    package: model.Package
    mode: str
    tables: dict[str, list[str]]
    grant: Any = None

    @property
    def min_units(self) -> int:
        """Units a cell needs: 1 when the caller may read the data itself."""
        return group_size(self.package) if self.mode == AGGREGATE else 1

    def source(self, table_schema: str) -> dict[str, Any]:
        return {"dataset": self.package.name, "title": self.package.title,
                "resources": self.tables.get(table_schema, []), "mode": self.mode}


@dataclass
class AreaData:
    readings: list[Reading] = field(default_factory=list)
    excluded: list[dict[str, Any]] = field(default_factory=list)

    def of_type(self, dataset_type: str) -> list[Reading]:
        return [r for r in self.readings if r.package.type == dataset_type]


def public_aggregates(package: model.Package) -> bool:
    return str(package.extras.get("public_aggregates", "")).lower() in ("true", "1", "yes")


def group_size(package: model.Package) -> int:
    try:
        size = int(package.extras.get("min_group_size") or DEFAULT_GROUP_SIZE)
    except ValueError:
        size = DEFAULT_GROUP_SIZE
    return max(size, 2)


def area_data(context: Context, group: model.Group,
              tables_of: dict[str, list[str]]) -> AreaData:
    """The area's datasets of the types in ``tables_of`` (type -> table schemas)."""
    found = AreaData()
    for package in _datasets(group, list(tables_of)):
        if not sources.may_read(context, package):
            continue
        tables = {name: sources.loaded_tables(package, name) for name in tables_of[package.type]}
        reach = sources.reach(context, package)
        if reach.allowed:
            mode = FULL
        elif policy.is_restricted(package) and public_aggregates(package):
            mode = AGGREGATE
        else:
            found.excluded.append(_excluded(package, "restricted"))
            continue
        if not any(tables.values()):
            found.excluded.append(_excluded(package, "not_loaded"))
            continue
        found.readings.append(Reading(package, mode, tables, reach.grant))
    return found


def _datasets(group: model.Group, types: list[str]) -> list[model.Package]:
    return (
        model.Session.query(model.Package)
        .join(model.Member, model.Member.table_id == model.Package.id)
        .filter(model.Member.group_id == group.id, model.Member.table_name == "package",
                model.Member.state == "active", model.Package.state == "active",
                model.Package.type.in_(types))
        .order_by(model.Package.type, model.Package.name)
        .all()
    )


def _excluded(package: model.Package, reason: str) -> dict[str, Any]:
    return {"dataset": package.name, "title": package.title, "type": package.type,
            "reason": reason}


def suppress_groups(counts: dict[str, int], k: int) -> set[str]:
    """Groups to hide so that no hidden group can be recovered from the total: every group
    under ``k`` units, and then the smallest others, until the hidden ones are more than
    one and hold ``k`` units together (or all are hidden)."""
    hidden = {name for name, units in counts.items() if units < k}
    if not hidden:
        return hidden
    rest = sorted((units, name) for name, units in counts.items() if name not in hidden)
    while rest and (len(hidden) < 2 or sum(counts[n] for n in hidden) < k):
        hidden.add(rest.pop(0)[1])
    return hidden
