"""Grant holders told when the dataset stops permitting their grant's purpose.

The grant stops working at once whatever happens here (policy.reach asks the dataset's
current purposes); this marks the grant, so its holder sees why in their list, and mails
them once. Permitting the purpose again clears the mark and the grant works again until it
expires.
"""
from __future__ import annotations

import json
from typing import Any

import ckan.model as model

from ckanext.retailarea.access import mail
from ckanext.retailarea.model.access import AccessGrant, now


def _as_list(value: Any) -> list[str]:
    """Validated data holds scheming's JSON text, a shown dataset the list."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]
    return [str(item) for item in value] if isinstance(value, list) else []


def purpose_withdrawn(pkg_dict: dict[str, Any]) -> None:
    if pkg_dict.get("access_level") != "restricted":
        return
    purposes = _as_list(pkg_dict.get("permitted_purposes"))
    grants = model.Session.query(AccessGrant).filter(
        AccessGrant.package_id == pkg_dict["id"], AccessGrant.revoked_at.is_(None),
        AccessGrant.expires > now())
    told = []
    for grant in grants:
        permitted = grant.purpose in purposes
        if not permitted and grant.purpose_withdrawn_at is None:
            grant.purpose_withdrawn_at = now()
            told.append(grant)
        elif permitted and grant.purpose_withdrawn_at is not None:
            grant.purpose_withdrawn_at = None
    for grant in told:
        mail.purpose_withdrawn(grant, pkg_dict.get("title") or pkg_dict.get("name") or "")
