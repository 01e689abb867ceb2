"""Access requests, grants and the access log of restricted datasets."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.orm import Mapped

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


def now() -> dt.datetime:
    """Naive UTC, as CKAN stores its timestamps."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _new_id() -> str:
    return str(uuid.uuid4())


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


class AccessRequest(tk.BaseModel):
    __table__ = sa.Table(
        "retailarea_access_request", tk.BaseModel.metadata,
        sa.Column("id", sa.UnicodeText, primary_key=True, default=_new_id),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("justification", sa.UnicodeText, nullable=False),
        sa.Column("accepted_conditions", sa.UnicodeText),
        sa.Column("status", sa.UnicodeText, nullable=False, default=PENDING),
        sa.Column("decided_by", sa.UnicodeText),
        sa.Column("decided_at", sa.DateTime),
        sa.Column("decision_reason", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, default=now),
    )
    id: Mapped[str]
    package_id: Mapped[str]
    user_id: Mapped[str]
    purpose: Mapped[str]
    justification: Mapped[str]
    accepted_conditions: Mapped[str | None]
    status: Mapped[str]
    decided_by: Mapped[str | None]
    decided_at: Mapped[dt.datetime | None]
    decision_reason: Mapped[str | None]
    created: Mapped[dt.datetime]

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


class AccessGrant(tk.BaseModel):
    __table__ = sa.Table(
        "retailarea_access_grant", tk.BaseModel.metadata,
        sa.Column("id", sa.UnicodeText, primary_key=True, default=_new_id),
        sa.Column("request_id", sa.UnicodeText, nullable=False),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("expires", sa.DateTime, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False, default=now),
        sa.Column("granted_by", sa.UnicodeText, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
        sa.Column("revoked_by", sa.UnicodeText),
        # set while the dataset no longer permits the grant's purpose (its holder was told)
        sa.Column("purpose_withdrawn_at", sa.DateTime),
    )
    id: Mapped[str]
    request_id: Mapped[str]
    package_id: Mapped[str]
    user_id: Mapped[str]
    purpose: Mapped[str]
    expires: Mapped[dt.datetime]
    created: Mapped[dt.datetime]
    granted_by: Mapped[str]
    revoked_at: Mapped[dt.datetime | None]
    revoked_by: Mapped[str | None]
    purpose_withdrawn_at: Mapped[dt.datetime | None]

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


class AccessLog(tk.BaseModel):
    __table__ = sa.Table(
        "retailarea_access_log", tk.BaseModel.metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("resource_id", sa.UnicodeText),
        sa.Column("grant_id", sa.UnicodeText),
        sa.Column("purpose", sa.UnicodeText),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("ip", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False, default=now, index=True),
    )
    id: Mapped[int]
    user_id: Mapped[str]
    package_id: Mapped[str]
    resource_id: Mapped[str | None]
    grant_id: Mapped[str | None]
    purpose: Mapped[str | None]
    action: Mapped[str]
    ip: Mapped[str | None]
    created: Mapped[dt.datetime]

    def as_dict(self) -> dict[str, Any]:
        user = model.User.get(self.user_id)
        return {
            "id": self.id, "user_id": self.user_id, "user_name": user.name if user else None,
            "package_id": self.package_id, "resource_id": self.resource_id,
            "grant_id": self.grant_id, "purpose": self.purpose, "action": self.action,
            "ip": self.ip, "created": _iso(self.created),
        }


class ResourceSecret(tk.BaseModel):
    """A URL-bearing value of a restricted or non-public dataset's resource, kept here
    and nowhere CKAN reads (see access/vault.py). ``value`` is JSON, so an extra keeps
    its type."""

    __table__ = sa.Table(
        "retailarea_resource_secret", tk.BaseModel.metadata,
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("key", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("value", sa.UnicodeText, nullable=False),
    )
    resource_id: Mapped[str]
    key: Mapped[str]
    package_id: Mapped[str]
    value: Mapped[str]
