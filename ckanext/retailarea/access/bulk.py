"""CKAN's bulk "make private" and "make public" (organization bulk_process page).

Whether a typed dataset is CKAN-private follows its access level (``non_public``,
metadata/rules.py), so the bulk actions set the level: "make private" makes the
organization's datasets ``non_public``, "make public" makes its ``non_public`` ones
``public``; restricted datasets are public to CKAN already. CKAN 2.12 runs its bulk
actions as package_patch (where the level would win over ``private``), CKAN 2.11 writes
``package.private`` with SQL and reindexes from the old search documents: either way the
vault's rows are settled after them, and each dataset is indexed again from its rows."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import search
from ckan.types import Action, Context, DataDict

from ckanext.retailarea.access import vault

NON_PUBLIC, PUBLIC = "non_public", "public"


def _ids(data_dict: dict[str, Any]) -> list[str]:
    return [i for i in data_dict.get("datasets") or [] if isinstance(i, str)]


def _set_levels(context: Context, data_dict: dict[str, Any], private: bool) -> None:
    packages = model.Session.query(model.Package).filter(
        model.Package.id.in_(_ids(data_dict)),
        model.Package.owner_org == data_dict.get("org_id"))
    for package in packages.all():
        level = package.extras.get("access_level")
        if level is None or (level == NON_PUBLIC) == private:
            continue  # not a typed dataset, or CKAN-private as asked already
        patch_context: Context = {"user": context.get("user", "")}
        tk.get_action("package_patch")(
            patch_context, {"id": package.id, "access_level": NON_PUBLIC if private else PUBLIC})


def _settle(data_dict: dict[str, Any]) -> None:
    ids = _ids(data_dict)
    for package_id in ids:
        vault.settle_rows(package_id)
    model.Session.commit()
    for package_id in ids:
        search.rebuild(package_id)


@tk.chained_action
def bulk_update_private(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    result = next_action(context, data_dict)
    _set_levels(context, data_dict, private=True)
    _settle(data_dict)
    return result


@tk.chained_action
def bulk_update_public(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    result = next_action(context, data_dict)
    _set_levels(context, data_dict, private=False)
    _settle(data_dict)
    return result
