"""Template helpers of the access capability; they return data, never HTML."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.retailarea import config, vocab
from ckanext.retailarea.access import policy


def retailarea_default_expiry() -> str:
    """The expiry date offered when approving a request."""
    return (dt.date.today() + dt.timedelta(days=config.access_grant_days())).isoformat()


def retailarea_access_status(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """What the current user may do with a dataset's data, for the dataset page."""
    package = model.Package.get(pkg_dict.get("id", ""))
    restricted = policy.is_restricted(package)
    user = tk.current_user.name if tk.current_user.is_authenticated else None
    status: dict[str, Any] = {"restricted": restricted, "logged_in": bool(user),
                              "allowed": True, "grant": None, "pending": []}
    if not restricted:
        return status
    reach = policy.reach(user, package)
    status.update(allowed=reach.allowed,
                  grant=reach.grant.as_dict() if reach.grant else None)
    if user:
        mine = tk.get_action("retailarea_access_request_list")(
            {"user": user}, {"mine": True})
        status["pending"] = [r for r in mine
                             if r["package_id"] == package.id and r["status"] == "pending"]
    lang = tk.h.lang() or "en"
    status["purposes"] = [
        {"value": code, "label": vocab.label("purpose", code, lang)}
        for code in pkg_dict.get("permitted_purposes") or []
    ]
    return status


def retailarea_vocab_label(name: str, code: str) -> str:
    try:
        return vocab.label(name, code, tk.h.lang() or "en")
    except KeyError:
        return code


def get_helpers() -> dict[str, Any]:
    return {
        "retailarea_default_expiry": retailarea_default_expiry,
        "retailarea_access_status": retailarea_access_status,
        "retailarea_vocab_label": retailarea_vocab_label,
    }
