"""Mail about access requests through CKAN's mailer, when SMTP is configured. The in-app
lists work either way; a mail failure never undoes a request or decision."""
from __future__ import annotations

import logging
from typing import Any

import ckan.lib.mailer as mailer
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.retailarea.model.access import AccessRequest

log = logging.getLogger(__name__)


def _configured() -> bool:
    # CKAN defaults smtp.server to localhost, so a sender address is the real switch
    return bool(tk.config.get("smtp.server") and tk.config.get("smtp.mail_from"))


def _send(user: model.User | None, subject: str, body: str) -> None:
    if user is None or not user.email:
        return
    try:
        mailer.mail_user(user, subject, body)
    except Exception:  # noqa: BLE001 - a failed mail must not undo the request
        log.warning("could not mail %s about an access request", user.name, exc_info=True)


def request_created(request: AccessRequest) -> None:
    if not _configured():
        return
    package = model.Package.get(request.package_id)
    user = model.User.get(request.user_id)
    if package is None or user is None:  # deleted since; nobody to tell about what
        return
    site = tk.config.get("ckan.site_url")
    body = tk._("{user} asks access to {dataset} for {purpose}:\n\n{why}\n\n"
                "Decide at {site}/organization/{org}/access").format(
        user=user.name, dataset=package.title,
        purpose=request.purpose, why=request.justification, site=site,
        org=package.owner_org)
    for member in _stewards(package):
        _send(member, tk._("Access request for {}").format(package.title), body)


def request_decided(request: AccessRequest) -> None:
    if not _configured():
        return
    package = model.Package.get(request.package_id)
    if package is None:  # purged since
        return
    body = tk._("Your request for {dataset} ({purpose}) was {status}. {reason}").format(
        dataset=package.title, purpose=request.purpose, status=request.status,
        reason=request.decision_reason or "")
    _send(model.User.get(request.user_id), tk._("Access request {}").format(request.status),
          body)


def _stewards(package: model.Package) -> list[model.User]:
    if not package.owner_org:
        return []
    members = model.Session.query(model.Member).filter(
        model.Member.group_id == package.owner_org, model.Member.table_name == "user",
        model.Member.state == "active", model.Member.capacity.in_(("admin", "editor")))
    return [u for u in (model.User.get(m.table_id) for m in members) if u]


def purpose_withdrawn(grant: Any, title: str) -> None:
    if not _configured():
        return
    body = tk._("{dataset} no longer permits the purpose {purpose}: your access for it "
                "has stopped. You may request access again for a purpose it permits."
                ).format(dataset=title, purpose=grant.purpose)
    _send(model.User.get(grant.user_id), tk._("Access to {} stopped").format(title), body)
