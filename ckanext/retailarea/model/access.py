"""Access requests, grants and the access log of restricted datasets."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


def now() -> dt.datetime:
    """Naive UTC, as CKAN stores its timestamps."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _new_id() -> str:
    return str(uuid.uuid4())


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


class AccessRequest(tk.BaseModel):  # type: ignore[misc,valid-type]
    __tablename__ = "retailarea_access_request"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_new_id)
    package_id = sa.Column(sa.UnicodeText, nullable=False, index=True)
    user_id = sa.Column(sa.UnicodeText, nullable=False, index=True)
    purpose = sa.Column(sa.UnicodeText, nullable=False)
    justification = sa.Column(sa.UnicodeText, nullable=False)
    accepted_conditions = sa.Column(sa.UnicodeText)
    status = sa.Column(sa.UnicodeText, nullable=False, default=PENDING)
    decided_by = sa.Column(sa.UnicodeText)
    decided_at = sa.Column(sa.DateTime)
    decision_reason = sa.Column(sa.UnicodeText)
    created = sa.Column(sa.DateTime, nullable=False, default=now)

    @classmethod
    def get(cls, request_id: str) -> AccessRequest | None:
        return model.Session.get(cls, request_id)

    def as_dict(self) -> dict[str, Any]:
        user = model.User.get(self.user_id)
        package = model.Package.get(self.package_id)
        grant = model.Session.query(AccessGrant).filter_by(request_id=self.id).first()
        return {
            "id": self.id, "package_id": self.package_id,
            "package_name": package.name if package else None,
            "package_title": package.title if package else None,
            "user_id": self.user_id, "user_name": user.name if user else None,
            "purpose": self.purpose, "justification": self.justification,
            "accepted_conditions": self.accepted_conditions, "status": self.status,
            "decided_by": self.decided_by, "decided_at": _iso(self.decided_at),
            "reason": self.decision_reason, "created": _iso(self.created),
            "grant_id": grant.id if grant else None,
        }


class AccessGrant(tk.BaseModel):  # type: ignore[misc,valid-type]
    __tablename__ = "retailarea_access_grant"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=_new_id)
    request_id = sa.Column(sa.UnicodeText, nullable=False)
    package_id = sa.Column(sa.UnicodeText, nullable=False, index=True)
    user_id = sa.Column(sa.UnicodeText, nullable=False, index=True)
    purpose = sa.Column(sa.UnicodeText, nullable=False)
    expires = sa.Column(sa.DateTime, nullable=False)
    created = sa.Column(sa.DateTime, nullable=False, default=now)
    granted_by = sa.Column(sa.UnicodeText, nullable=False)
    revoked_at = sa.Column(sa.DateTime)
    revoked_by = sa.Column(sa.UnicodeText)
    # set while the dataset no longer permits the grant's purpose (its holder was told)
    purpose_withdrawn_at = sa.Column(sa.DateTime)

    @classmethod
    def get(cls, grant_id: str) -> AccessGrant | None:
        return model.Session.get(cls, grant_id)

    @classmethod
    def active_for(cls, user_id: str, package_id: str,
                   purposes: list[str]) -> AccessGrant | None:
        """The user's active grant on the dataset for a purpose it still permits, the
        longest-running first."""
        return (
            model.Session.query(cls)
            .filter(cls.user_id == user_id, cls.package_id == package_id,
                    cls.purpose.in_(purposes), cls.revoked_at.is_(None),
                    cls.expires > now())
            .order_by(cls.expires.desc())
            .first()
        )

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires > now() \
            and self.purpose_withdrawn_at is None

    def as_dict(self) -> dict[str, Any]:
        user = model.User.get(self.user_id)
        package = model.Package.get(self.package_id)
        return {
            "id": self.id, "request_id": self.request_id, "package_id": self.package_id,
            "package_name": package.name if package else None,
            "user_id": self.user_id, "user_name": user.name if user else None,
            "purpose": self.purpose, "expires": _iso(self.expires),
            "created": _iso(self.created), "granted_by": self.granted_by,
            "revoked_at": _iso(self.revoked_at), "revoked_by": self.revoked_by,
            "purpose_withdrawn_at": _iso(self.purpose_withdrawn_at),
            "active": self.active,
        }


class AccessLog(tk.BaseModel):  # type: ignore[misc,valid-type]
    __tablename__ = "retailarea_access_log"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    user_id = sa.Column(sa.UnicodeText, nullable=False)
    package_id = sa.Column(sa.UnicodeText, nullable=False, index=True)
    resource_id = sa.Column(sa.UnicodeText)
    grant_id = sa.Column(sa.UnicodeText)
    purpose = sa.Column(sa.UnicodeText)
    action = sa.Column(sa.UnicodeText, nullable=False)
    ip = sa.Column(sa.UnicodeText)
    created = sa.Column(sa.DateTime, nullable=False, default=now, index=True)

    def as_dict(self) -> dict[str, Any]:
        user = model.User.get(self.user_id)
        return {
            "id": self.id, "user_id": self.user_id, "user_name": user.name if user else None,
            "package_id": self.package_id, "resource_id": self.resource_id,
            "grant_id": self.grant_id, "purpose": self.purpose, "action": self.action,
            "ip": self.ip, "created": _iso(self.created),
        }


class ResourceSecret(tk.BaseModel):  # type: ignore[misc,valid-type]
    """A URL-bearing value of a restricted or non-public dataset's resource, kept here
    and nowhere CKAN reads (see access/vault.py). ``value`` is JSON, so an extra keeps
    its type."""

    __tablename__ = "retailarea_resource_secret"

    resource_id = sa.Column(sa.UnicodeText, primary_key=True)
    key = sa.Column(sa.UnicodeText, primary_key=True)
    package_id = sa.Column(sa.UnicodeText, nullable=False, index=True)
    value = sa.Column(sa.UnicodeText, nullable=False)
