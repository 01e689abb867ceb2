"""Who may reach the data of a dataset."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TypeGuard

import ckan.authz as authz
import ckan.model as model

from ckanext.retailarea.model.access import AccessGrant

RESTRICTED = "restricted"


@dataclass(frozen=True)
class Reach:
    """Whether a user reaches a dataset's data, and through which grant (if any)."""

    allowed: bool
    grant: AccessGrant | None = None


def is_restricted(package: model.Package | None) -> TypeGuard[model.Package]:
    return package is not None and package.extras.get("access_level") == RESTRICTED


def reach(user_name: str | None, package: model.Package | None) -> Reach:
    """Data of non-restricted datasets is governed by CKAN's own read rules."""
    if not is_restricted(package):
        return Reach(True)
    user = model.User.get(user_name) if user_name else None
    if user is None:
        return Reach(False)
    if user.sysadmin or _member_of_owner(user, package):
        return Reach(True)
    grant = AccessGrant.active_for(user.id, package.id, permitted_purposes(package))
    return Reach(grant is not None, grant)


def permitted_purposes(package: model.Package) -> list[str]:
    """The purposes a dataset permits now (scheming keeps the list as JSON)."""
    value = package.extras.get("permitted_purposes")
    try:
        parsed = json.loads(value) if value else []
    except ValueError:
        parsed = [value]
    return [str(item) for item in parsed] if isinstance(parsed, list) else [str(parsed)]


def _member_of_owner(user: model.User, package: model.Package) -> bool:
    return bool(package.owner_org) and authz.has_user_permission_for_group_or_org(
        package.owner_org, user.name, "read"
    )


def package_of_resource(resource_id: str) -> model.Package | None:
    """The dataset of a resource, also when it is named by a DataStore alias."""
    resource = model.Resource.get(resource_id) or _resource_of_alias(resource_id)
    return resource.package if resource is not None else None


def _resource_of_alias(name: str) -> model.Resource | None:
    if not name:
        return None
    from ckanext.datastore.backend import DatastoreBackend

    try:
        _, real_id = DatastoreBackend.get_active_backend().resource_id_from_alias(name)
    except Exception:  # noqa: BLE001 - no DataStore configured: no aliases either
        return None
    return model.Resource.get(real_id) if real_id else None
