"""CKAN's bulk "make private" and "make public" (organization bulk_process page) write
``package.private`` with SQL and reindex from the old search documents: the vault's rows
are settled here after them, and each dataset is indexed again from its rows."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import search
from ckan.types import Action, Context, DataDict

from ckanext.retailarea.access import vault


def _settle(data_dict: dict[str, Any]) -> None:
    ids = [i for i in data_dict.get("datasets") or [] if isinstance(i, str)]
    for package_id in ids:
        vault.settle_rows(package_id)
    model.Session.commit()
    for package_id in ids:
        search.rebuild(package_id)


@tk.chained_action
def bulk_update_private(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    result = next_action(context, data_dict)
    _settle(data_dict)
    return result


@tk.chained_action
def bulk_update_public(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    result = next_action(context, data_dict)
    _settle(data_dict)
    return result
