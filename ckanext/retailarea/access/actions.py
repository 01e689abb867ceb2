"""Actions of the access capability (DESIGN §3 "Access control")."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.logic import validate
from ckan.types import Context, DataDict

from ckanext.retailarea import config
from ckanext.retailarea.access import enforce, mail, policy, schema
from ckanext.retailarea.access import log as access_log
from ckanext.retailarea.model.access import (
    APPROVED,
    PENDING,
    REJECTED,
    AccessGrant,
    AccessRequest,
    now,
)


def _user(context: Context) -> model.User:
    user = model.User.get(context.get("user") or "")
    if user is None:
        raise tk.NotAuthorized(tk._("Log in first"))
    return user


def _package(package_id: str) -> model.Package:
    package = model.Package.get(package_id)
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return package


@validate(schema.request_create)
def retailarea_access_request_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Ask for access to a restricted dataset for one of its permitted purposes.

    :param package_id: id or name of a restricted dataset
    :param purpose: one of the dataset's ``permitted_purposes`` (DPV code)
    :param justification: why the data is needed for that purpose
    :param accept_conditions: ``false`` declines the dataset's ``usage_conditions``
        (default: calling this action accepts them)
    :returns: the request, with ``id`` and ``status`` ``pending``
    """
    tk.check_access("retailarea_access_request_create", context, data_dict)
    user = _user(context)
    package = _package(data_dict["package_id"])
    tk.check_access("package_show", context, {"id": package.id})
    _check_request(package, user, data_dict)
    request = AccessRequest(
        package_id=package.id, user_id=user.id, purpose=data_dict["purpose"],
        justification=data_dict["justification"],
        accepted_conditions=package.extras.get("usage_conditions") or None,
    )
    model.Session.add(request)
    model.Session.commit()
    mail.request_created(request)
    return request.as_dict()


def _check_request(package: model.Package, user: model.User, data: dict[str, Any]) -> None:
    if not policy.is_restricted(package):
        raise tk.ValidationError({"package_id": [
            tk._("Only restricted datasets take access requests")]})
    permitted = _json_list(package.extras.get("permitted_purposes"))
    if data["purpose"] not in permitted:
        raise tk.ValidationError({"purpose": [
            tk._("Pick one of the purposes this dataset permits: {}").format(
                ", ".join(permitted))]})
    if package.extras.get("usage_conditions") and data.get("accept_conditions") is False:
        raise tk.ValidationError({"accept_conditions": [
            tk._("Access is only given to those who accept the usage conditions")]})
    duplicate = model.Session.query(AccessRequest).filter_by(
        package_id=package.id, user_id=user.id, purpose=data["purpose"], status=PENDING
    ).first()
    if duplicate:
        raise tk.ValidationError({"purpose": [
            tk._("You already asked access for this purpose; wait for the decision")]})


def _json_list(value: str | None) -> list[str]:
    try:
        parsed = json.loads(value or "[]")
    except ValueError:
        return []
    return parsed if isinstance(parsed, list) else []


@validate(schema.request_decide)
def retailarea_access_request_decide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Approve (with an expiry) or reject (with a reason) a pending request.

    :param id: the request id
    :param decision: ``approve`` or ``reject``
    :param expires: ISO date or datetime the grant ends (approve; default: today plus
        ``ckanext.retailarea.access.grant_days``); must lie in the future
    :param reason: why (required to reject)
    :returns: the request, now ``approved`` (with ``grant_id``) or ``rejected``
    """
    request = AccessRequest.get(data_dict["id"])
    if request is None:
        raise tk.ObjectNotFound(tk._("Access request not found"))
    tk.check_access("retailarea_access_request_decide", context, data_dict)
    if request.status != PENDING:
        raise tk.ValidationError({"id": [
            tk._("This request was already decided ({})").format(request.status)]})
    decider = _user(context)
    if data_dict["decision"] == "reject":
        if not data_dict.get("reason"):
            raise tk.ValidationError({"reason": [tk._("Say why the request is rejected")]})
        _decide(request, REJECTED, decider, data_dict["reason"])
    else:
        expires = data_dict.get("expires") or _default_expiry()
        _decide(request, APPROVED, decider, data_dict.get("reason"))
        model.Session.add(AccessGrant(
            request_id=request.id, package_id=request.package_id, user_id=request.user_id,
            purpose=request.purpose, expires=expires, granted_by=decider.name,
        ))
    model.Session.commit()
    mail.request_decided(request)
    return request.as_dict()


def _decide(request: AccessRequest, status: str, decider: model.User,
            reason: str | None) -> None:
    request.status = status
    request.decided_by = decider.name
    request.decided_at = now()
    request.decision_reason = reason


def _default_expiry() -> dt.datetime:
    return now() + dt.timedelta(days=config.access_grant_days())


def _scope(context: Context, data_dict: DataDict, auth: str) -> dict[str, Any]:
    """``package_id`` (the dataset's stewards) or ``mine`` (the caller's own)."""
    tk.check_access(auth, context, data_dict)
    if data_dict.get("package_id"):
        return {"package_id": _package(data_dict["package_id"]).id}
    return {"user_id": _user(context).id}


@tk.side_effect_free
@validate(schema.request_list)
def retailarea_access_request_list(context: Context, data_dict: DataDict) -> list[dict]:
    """Access requests of a dataset (for its stewards) or the caller's own.

    :param package_id: id or name of a dataset (optional)
    :param mine: the caller's own requests (default when no package_id)
    :param status: only ``pending``, ``approved`` or ``rejected`` (optional)
    :returns: list of requests, newest first
    """
    scope = _scope(context, data_dict, "retailarea_access_request_list")
    query = model.Session.query(AccessRequest).filter_by(**scope)
    if data_dict.get("status"):
        query = query.filter_by(status=data_dict["status"])
    return [r.as_dict() for r in query.order_by(AccessRequest.created.desc())]


@tk.side_effect_free
@validate(schema.grant_list)
def retailarea_access_grant_list(context: Context, data_dict: DataDict) -> list[dict]:
    """Grants of a dataset (for its stewards) or the caller's own.

    :param package_id: id or name of a dataset (optional)
    :param mine: the caller's own grants (default when no package_id)
    :param active: only grants that are neither expired nor revoked (optional)
    :returns: list of grants with ``active``, ``expires`` and ``purpose``
    """
    scope = _scope(context, data_dict, "retailarea_access_grant_list")
    grants = model.Session.query(AccessGrant).filter_by(**scope).order_by(
        AccessGrant.created.desc())
    wanted = data_dict.get("active") is True
    return [g.as_dict() for g in grants if g.active or not wanted]


@validate(schema.grant_revoke)
def retailarea_access_grant_revoke(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Revoke a grant; it stops working at once.

    :param id: the grant id
    :returns: the grant, with ``revoked_at``
    """
    grant = AccessGrant.get(data_dict["id"])
    if grant is None:
        raise tk.ObjectNotFound(tk._("Grant not found"))
    tk.check_access("retailarea_access_grant_revoke", context, data_dict)
    if grant.revoked_at is not None:
        raise tk.ValidationError({"id": [tk._("This grant was already revoked")]})
    grant.revoked_at = now()
    grant.revoked_by = _user(context).name
    model.Session.commit()
    return grant.as_dict()


@tk.side_effect_free
@validate(schema.log_list)
def retailarea_access_log_list(context: Context, data_dict: DataDict) -> list[dict]:
    """Who reached the restricted data of a dataset or organization, newest first.

    :param package_id: id or name of a dataset, or
    :param organization_id: id or name of an organization (all its datasets)
    :param limit: at most this many entries (default 1000), :param offset:
    :returns: entries with ``user_name``, ``package_id``, ``resource_id``, ``action``,
        ``purpose``, ``grant_id``, ``created`` (and ``ip`` when configured)
    """
    tk.check_access("retailarea_access_log_list", context, data_dict)
    if data_dict.get("package_id"):
        package_ids = [_package(data_dict["package_id"]).id]
    else:
        if not data_dict.get("organization_id"):
            raise tk.ValidationError({"organization_id": [tk._("Missing value")]})
        org = model.Group.get(data_dict["organization_id"])
        if org is None:
            raise tk.ObjectNotFound(tk._("Organization not found"))
        package_ids = [p.id for p in model.Session.query(model.Package.id)
                       .filter(model.Package.owner_org == org.id)]
    return [e.as_dict() for e in access_log.entries(package_ids, data_dict["limit"],
                                                    data_dict["offset"])]


__all__ = [
    "retailarea_access_request_create", "retailarea_access_request_decide",
    "retailarea_access_request_list", "retailarea_access_grant_list",
    "retailarea_access_grant_revoke", "retailarea_access_log_list",
]


def get_actions() -> dict[str, Any]:
    """The actions above, and the core actions chained to keep withheld data withheld."""
    return {**{name: globals()[name] for name in __all__}, **enforce.chained_actions()}
