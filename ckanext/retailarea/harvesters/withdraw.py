"""Withdrawing datasets that are gone from a source, behind the deletion guard.

Withdraw means delete (CKAN's soft delete: state ``deleted``, out of search and DCAT, a
sysadmin can restore it from the trash), as the stock harvesters do. Making it private
instead would contradict our rule that private means ``non_public``.

A dataset gone from the listing is withdrawn only when

- the gather read every page without error (a failed page, an unreadable record or a
  broken next-page link means the listing is incomplete, so absence proves nothing), and
- the share of this source's datasets that are gone is at most ``deletion_guard_ratio``
  (default 0.2): an empty or truncated catalog is far more often a fault than a decision.

Otherwise nothing is withdrawn and a job error says why and what to change. A record the
source itself marks non-public is withdrawn at once (base.py): that is not a guess.
"""
from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

if TYPE_CHECKING:
    from ckanext.retailarea.harvesters.gather import Gather


def plan(gather: Gather) -> list[str]:
    """Ids of the harvest objects that withdraw what is gone, or none past the guard."""
    gone = sorted(set(gather.known) - gather.seen)
    if not gone:
        return []
    if not gather.complete:
        gather.job_error(
            f"{len(gone)} dataset(s) are missing from the source listing, but the gather did "
            "not finish without errors: nothing is withdrawn.")
        return []
    ratio, limit = len(gone) / len(gather.known), gather.cfg.deletion_guard_ratio
    if ratio > limit:
        gather.job_error(
            f"{len(gone)} of {len(gather.known)} datasets ({ratio:.0%}) are gone from the "
            f"source, more than the deletion guard allows ({limit:.0%}): nothing is "
            "withdrawn. If the source really shrank, raise deletion_guard_ratio in the source "
            "configuration for one harvest.")
        return []
    ids = []
    for guid in gone:
        obj = HarvestObject(id=str(uuid.uuid4()), guid=guid, job=gather.job,
                            package_id=gather.known[guid]["package_id"],
                            extras=[HarvestObjectExtra(key="status", value="delete")])
        model.Session.add(obj)
        ids.append(obj.id)
    model.Session.commit()
    return ids


def withdraw(obj: Any, user: str) -> bool:
    """Delete the dataset of ``obj`` and mark its objects as no longer current."""
    if obj.package_id:
        try:
            tk.get_action("package_delete")({"user": user, "ignore_auth": True},
                                            {"id": obj.package_id})
        except tk.ObjectNotFound:
            pass
    model.Session.query(HarvestObject).filter(
        HarvestObject.guid == obj.guid,
        HarvestObject.harvest_source_id == obj.harvest_source_id,
    ).update({"current": False}, synchronize_session=False)
    obj.current = False
    obj.save()
    return True
